"""Geocoders: the offline gazetteer, and the BAN adapter's cache, pace, timeouts and fallback."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from geopy.exc import GeocoderTimedOut, GeocoderUnavailable

from heurecivique_app.adapters.geocoding import (
    BanGeocoder,
    GazetteerGeocoder,
    get_geocoder,
    normalise,
)
from heurecivique_app.domain.geo import Point, distance_m

VITRE = Point(48.1236, -1.2085)


def test_gazetteer_places_numbers_along_the_street() -> None:
    geocoder = GazetteerGeocoder()
    street = geocoder.locate("Rue Baudrairie, 35500 Vitré")
    one = geocoder.locate("1 rue Baudrairie, 35500 Vitré")
    twelve = geocoder.locate("12, Rue BAUDRAIRIE 35500 VITRE")
    assert street.precision == "street" and twelve.precision == "housenumber"
    assert distance_m(one.lat, one.lon, twelve.lat, twelve.lon) == pytest.approx(44, abs=1)
    assert geocoder.locate("12 rue Baudrairie, 35500 Vitré") == twelve
    assert geocoder.locate("3 rue d'Embas") is not None  # apostrophes and accents
    assert geocoder.locate("1 avenue des Champs-Élysées, Paris") is None
    assert normalise("  Rue d'Embas,  VITRÉ ") == "rue d embas vitre"


class FakeBan:
    """Stands in for geopy's BANFrance: records calls, answers from a script."""

    def __init__(self, *answers) -> None:
        self.answers = list(answers)
        self.calls: list[str] = []

    def geocode(self, query, exactly_one=True):
        self.calls.append(query)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def _location(lat: float, lon: float, kind: str = "housenumber"):
    return SimpleNamespace(latitude=lat, longitude=lon, address="12 Rue Baudrairie 35500 Vitré",
                           raw={"properties": {"type": kind}})


def test_ban_answers_are_cached_by_normalised_address() -> None:
    fake = FakeBan(_location(48.1241, -1.2093), None)
    ban = BanGeocoder(client=fake, min_delay_s=0)
    hit = ban.locate("12 rue Baudrairie, Vitré", near=VITRE)
    assert hit.precision == "housenumber" and hit.lat == 48.1241
    assert ban.locate("12  Rue Baudrairie  Vitré", near=VITRE) == hit
    assert ban.locate("nowhere street", near=VITRE) is None
    assert ban.locate("Nowhere Street", near=VITRE) is None  # a miss is cached too
    assert len(fake.calls) == 2


def test_ban_requests_are_paced(monkeypatch) -> None:
    slept: list[float] = []
    fake = FakeBan(_location(48.1241, -1.2093), _location(48.1242, -1.2094))
    ban = BanGeocoder(client=fake, min_delay_s=1.0)
    monkeypatch.setattr(ban._geocode, "_sleep", slept.append)
    ban.locate("1 rue A")
    ban.locate("2 rue B")
    assert len(fake.calls) == 2 and slept and 0 < slept[-1] <= 1.0


def test_network_failure_falls_back_and_backs_off() -> None:
    now = [1000.0]
    fake = FakeBan(GeocoderTimedOut("slow"), _location(48.1241, -1.2093))
    ban = BanGeocoder(client=fake, min_delay_s=0, backoff_s=60, clock=lambda: now[0])
    assert ban.locate("12 rue Baudrairie") is None
    assert ban.locate("12 rue Baudrairie") is None  # backing off: no second wait
    assert len(fake.calls) == 1
    now[0] += 61
    assert ban.locate("12 rue Baudrairie") is not None
    unavailable = BanGeocoder(client=FakeBan(GeocoderUnavailable("offline")), min_delay_s=0)
    assert unavailable.locate("12 rue Baudrairie") is None


def test_a_homonym_far_from_the_commune_is_refused() -> None:
    fake = FakeBan(_location(43.6, 3.9))  # the same street name in Montpellier
    ban = BanGeocoder(client=fake, min_delay_s=0)
    assert ban.locate("12 rue Baudrairie", near=VITRE) is None
    assert ban.locate("12 rue Baudrairie") is not None  # no reference point: kept


def test_settings_choose_the_geocoder() -> None:
    assert isinstance(get_geocoder("gazetteer"), GazetteerGeocoder)
    assert isinstance(get_geocoder("ban", 2.0, 0.2), BanGeocoder)
    with pytest.raises(ValueError):
        get_geocoder("google")


def test_geography_settings_come_from_the_environment() -> None:
    from heurecivique_app.settings import Settings

    default = Settings.from_env({})
    assert default.geocoder == "gazetteer"
    assert default.map_tile_url.startswith("https://tile.openstreetmap.org/")
    assert "OpenStreetMap" in default.map_attribution
    custom = Settings.from_env({"HC_GEOCODER": "ban", "HC_GEO_SALT": "s", "HC_MAP_TILE_URL":
                                "https://tiles.example/{z}/{x}/{y}.png",
                                "HC_GEOCODER_TIMEOUT_S": "1.5"})
    assert (custom.geocoder, custom.geo_salt, custom.geocoder_timeout_s) == ("ban", "s", 1.5)
    assert custom.map_tile_url == "https://tiles.example/{z}/{x}/{y}.png"
