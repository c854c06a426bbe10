"""Placing needs on the map (geocoding, fallback, by hand) and the volunteer's map content."""

from __future__ import annotations

import dataclasses

import factories as f
import pytest
from scratch_db import row_counts
from sqlalchemy.engine import Engine
from test_intake_service import good_form

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.geocoding import GazetteerGeocoder
from heurecivique_app.domain.errors import NotAllowed, ValidationFailed
from heurecivique_app.domain.geo import distance_m
from heurecivique_app.domain.models import GeoSource, Mission
from heurecivique_app.services import geography
from heurecivique_app.services.intake import create_need

TZ = "Europe/Paris"
SALT = "test-salt"


class Offline:
    """A geocoder without network: every lookup falls back."""

    def locate(self, address, *, near=None):
        return None


@pytest.fixture
def vitre(db_engine: Engine) -> dict:
    """Three real Vitré quarters, a referent and a volunteer of the centre."""
    with session_scope(db_engine) as s:
        town = f.commune(s)
        centre = f.neighbourhood(s, commune_=town, name="Centre historique", lat=48.1236,
                                 lon=-1.2085, radius_m=450)
        rachapt = f.neighbourhood(s, commune_=town, name="Rachapt", lat=48.1266, lon=-1.2112,
                                  radius_m=500)
        f.neighbourhood(s, commune_=town, name="La Roncinière", lat=48.1135, lon=-1.2035,
                        radius_m=800)
        far = f.neighbourhood(s, commune_=town, name="Hameau", lat=48.20, lon=-1.10,
                              radius_m=300)
        ref = f.referent(s, commune_=town)
        vol = f.volunteer(s, neighbourhood_=centre)
    return {"centre": centre, "rachapt": rachapt, "far": far, "referent": ref,
            "volunteer": vol}


def _need(db_engine, vitre, geocoder, **changes) -> Mission:
    with session_scope(db_engine) as s:
        return create_need(s, actor=f.actor(vitre["referent"]),
                           form=good_form(vitre["centre"].id, **changes), publish=True,
                           timezone=TZ, geocoder=geocoder, geo_salt=SALT)


def test_a_located_address_gets_a_private_point_and_an_offset_area(db_engine, vitre):
    mission = _need(db_engine, vitre, GazetteerGeocoder())
    assert mission.geo_source == GeoSource.ADDRESS
    offset = distance_m(mission.exact_lat, mission.exact_lon, mission.approx_lat,
                        mission.approx_lon)
    assert 60 - 1e-6 <= offset <= 200 + 1e-6 < mission.approx_radius_m
    # The same person's next need shares the same area: circles cannot be intersected.
    again = _need(db_engine, vitre, GazetteerGeocoder(), title="Pharmacie",
                  beneficiary_choice=str(mission.beneficiary_id))
    assert (again.approx_lat, again.approx_lon) == (mission.approx_lat, mission.approx_lon)


def test_without_network_the_neighbourhood_centre_stands_in(db_engine, vitre):
    mission = _need(db_engine, vitre, Offline())
    hood = vitre["centre"]
    assert mission.geo_source == GeoSource.NEIGHBOURHOOD
    assert mission.exact_lat is None and mission.exact_lon is None
    assert mission.approx_radius_m == hood.radius_m
    assert distance_m(hood.lat, hood.lon, mission.approx_lat, mission.approx_lon) <= 200 + 1e-6


def test_the_neighbourhood_is_found_from_the_address_when_left_empty(db_engine, vitre):
    mission = _need(db_engine, vitre, GazetteerGeocoder(), neighbourhood_id="",
                    address="18 rue du Rachapt, 35500 Vitré")
    assert mission.neighbourhood_id == vitre["rachapt"].id


def test_an_unplaceable_need_without_neighbourhood_is_refused_whole(db_engine, vitre):
    before = row_counts(db_engine)
    with pytest.raises(ValidationFailed) as refused:
        _need(db_engine, vitre, Offline(), neighbourhood_id="")
    assert "neighbourhood_id" in refused.value.errors
    assert row_counts(db_engine) == before


def test_the_referent_places_the_point_on_the_map(db_engine, vitre):
    mission = _need(db_engine, vitre, Offline())
    with session_scope(db_engine) as s:
        placed = geography.set_mission_point(s, actor=f.actor(vitre["referent"]),
                                             mission_id=mission.id, lat=48.1268, lon=-1.2115,
                                             salt=SALT)
        assert placed.geo_source == GeoSource.MAP
        assert placed.neighbourhood_id == vitre["rachapt"].id
        assert (placed.exact_lat, placed.exact_lon) == (48.1268, -1.2115)
        assert placed.approx_radius_m == 250
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as outside:
        geography.set_mission_point(s, actor=f.actor(vitre["referent"]), mission_id=mission.id,
                                    lat=43.6, lon=3.9, salt=SALT)  # not in the commune
    assert outside.value.errors == {"point": "This point is not inside the commune."}
    with (session_scope(db_engine) as s,
          pytest.raises(NotAllowed, match="You are not allowed to do this")):
        geography.set_mission_point(s, actor=f.actor(vitre["volunteer"]),
                                    mission_id=mission.id, lat=48.1268, lon=-1.2115, salt=SALT)


def test_neighbouring_boards_and_map_origin(db_engine, vitre):
    with session_scope(db_engine) as s:
        boards = geography.neighbouring_boards(s, neighbourhood_id=vitre["centre"].id)
        origin = geography.map_origin(s, actor=f.actor(vitre["volunteer"]))
    assert [b.name for b in boards] == ["Rachapt", "La Roncinière"]  # not the far hamlet
    assert (origin.lat, origin.lon, origin.neighbourhood_name) == (48.1236, -1.2085,
                                                                   "Centre historique")
    assert origin.radius_m == 2000 and [b.name for b in origin.neighbours] == [
        b.name for b in boards]


def test_map_cards_are_public_and_of_the_volunteers_commune_only(db_engine, vitre):
    mine = _need(db_engine, vitre, GazetteerGeocoder())
    with session_scope(db_engine) as s:
        other = f.mission(s, neighbourhood_=f.neighbourhood(s, lat=48.1237, lon=-1.2086))
        other_id = other.id
    with session_scope(db_engine) as s:
        cards, more = geography.nearby_cards(s, actor=f.actor(vitre["volunteer"]),
                                             lat=48.1236, lon=-1.2085, radius_m=2000, limit=10)
    assert [c.id for c in cards] == [mine.id] and not more
    assert other_id not in {c.id for c in cards}
    fields = {field.name for field in dataclasses.fields(cards[0])}
    assert not fields & {"exact_lat", "exact_lon", "exact_address", "beneficiary_id"}
    assert cards[0].distance_m == pytest.approx(
        distance_m(48.1236, -1.2085, mine.approx_lat, mine.approx_lon))
