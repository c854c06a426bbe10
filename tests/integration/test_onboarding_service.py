"""Onboarding from the admin pages (services/onboarding.py), on SQLite and PostgreSQL:
who may create and edit what, GeoJSON quarters whose contours then place points and
pick neighbouring boards, and bad input refused with a translated reason, writing nothing."""

from __future__ import annotations

import json

import factories as f
import pytest
from scratch_db import row_counts
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.models import Commune, Neighbourhood, StaffInvitation
from heurecivique_app.i18n import translate
from heurecivique_app.services import geography, onboarding
from heurecivique_app.services.territory import CommuneForm

W, S = -1.23, 48.11  # the south-west corner of the test quarters (Vitré)
STEP = 0.01  # each quarter is a square of 0.01° (about 740 m east by 1.1 km north)


def square(name: str, col: int, row: int, *, size: float = STEP, key: str = "nom") -> dict:
    x, y = W + col * STEP, S + row * STEP
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {key: name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


# Gare | Centre | Château on one row; Plaine under Centre; Bois far to the east.
TOWN = collection(square("Gare", 0, 1), square("Centre", 1, 1), square("Château", 2, 1),
                  square("Plaine", 1, 0), square("Bois", 5, 1))


def vitre_form(**kw) -> CommuneForm:
    values = dict(departement_code="35", departement_name="Ille-et-Vilaine", insee_code="35360",
                  name="Vitré", slug="vitre", colour="#0f766e", contact_phone="02 99 75 05 05",
                  contact_email="mairie@vitre.example", town_hall_address="5 place du Château",
                  public_text="Bienvenue à Vitré.")
    values.update(kw)
    return CommuneForm(**values)


@pytest.fixture
def people(db_engine):
    """A platform admin, Ille-et-Vilaine's coordinator and Loire-Atlantique's, and the
    administrator and a referent of Fougères (35)."""
    with session_scope(db_engine) as s:
        ille = f.departement(s, code="35", name="Ille-et-Vilaine")
        loire = f.departement(s, code="44", name="Loire-Atlantique")
        fougeres = f.commune(s, departement_=ille, insee_code="35115", slug="fougeres",
                             name="Fougères")
        nantes = f.commune(s, departement_=loire, insee_code="44109", slug="nantes",
                           name="Nantes")
        out = {
            "platform": f.actor(f.user(s, commune_=fougeres, role=Role.PLATFORM_ADMIN)),
            "coord35": f.actor(f.user(s, commune_=fougeres, role=Role.DEPARTEMENT_ADMIN)),
            "coord44": f.actor(f.user(s, commune_=nantes, role=Role.DEPARTEMENT_ADMIN)),
            "admin": f.actor(f.user(s, commune_=fougeres, role=Role.COMMUNE_ADMIN)),
            "referent": f.actor(f.referent(s, commune_=fougeres)),
            "fougeres": fougeres.id, "nantes": nantes.id,
        }
    return out


def test_who_may_create_and_edit_a_commune(db_engine, people) -> None:
    with session_scope(db_engine) as s:
        made = onboarding.create_commune(s, actor=people["coord35"], form=vitre_form())
        vitre_id = made.id
        assert (made.town_hall_address, made.public_text) == ("5 place du Château",
                                                              "Bienvenue à Vitré.")
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as outside:
        onboarding.create_commune(s, actor=people["coord44"], form=vitre_form(
            insee_code="35047", slug="bain", name="Bain"))
    assert set(outside.value.errors) == {"departement_code"}
    for who in ("admin", "referent"):
        with session_scope(db_engine) as s, pytest.raises(NotAllowed):
            onboarding.create_commune(s, actor=people[who], form=vitre_form(
                insee_code="35047", slug="bain", name="Bain"))
    # Editing: the platform, the département's coordinator, the commune's own administrator.
    for who, commune_id, allowed in (("platform", people["nantes"], True),
                                     ("coord35", vitre_id, True),
                                     ("coord44", vitre_id, False),
                                     ("admin", people["fougeres"], True),
                                     ("admin", vitre_id, False)):
        with session_scope(db_engine) as s:
            if allowed:
                current = s.get(Commune, commune_id)
                onboarding.update_commune(s, actor=people[who], commune_id=commune_id,
                                          form=vitre_form(insee_code=current.insee_code,
                                                          slug=current.slug, name=current.name,
                                                          colour="#8c1d40"))
                assert s.get(Commune, commune_id).theme_color == "#8c1d40"
            else:
                with pytest.raises(NotFound):
                    onboarding.managed_commune(s, actor=people[who], commune_id=commune_id)
    with session_scope(db_engine) as s:
        seen = [c.slug for c, _ in onboarding.communes_for(s, actor=people["coord35"])]
        assert seen == ["fougeres", "vitre"]
        assert [c.slug for c, _ in onboarding.communes_for(s, actor=people["admin"])] == [
            "fougeres"]
    with session_scope(db_engine) as s, pytest.raises(NotAllowed):
        onboarding.communes_for(s, actor=people["referent"])


def test_a_duplicate_slug_or_insee_code_or_a_pale_colour_is_refused_and_nothing_written(
        db_engine, people) -> None:
    before = row_counts(db_engine)
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as taken:
        onboarding.create_commune(s, actor=people["platform"], form=vitre_form(
            slug="fougeres", insee_code="35115"))
    assert set(taken.value.errors) == {"slug", "insee_code"}
    assert translate(taken.value.errors["slug"], "fr").startswith("Déjà pris")
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as renamed:
        onboarding.update_commune(s, actor=people["platform"], commune_id=people["nantes"],
                                  form=vitre_form(slug="fougeres", insee_code="44109"))
    assert set(renamed.value.errors) == {"slug"}
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as pale:
        onboarding.create_commune(s, actor=people["platform"], form=vitre_form(
            colour="#fde68a", slug="Vitré!", insee_code="2A004"))
    assert set(pale.value.errors) == {"colour", "slug", "insee_code"}
    text = translate(pale.value.errors["colour"], "fr", **pale.value.field_params["colour"])
    assert "trop claire" in text
    assert row_counts(db_engine) == before


def test_departements_are_the_platforms(db_engine, people) -> None:
    form = onboarding.DepartementForm(code="2a", name="Corse-du-Sud",
                                      contact_email="territoires@corse.example",
                                      join_text="Écrivez-nous.")
    with session_scope(db_engine) as s, pytest.raises(NotAllowed):
        onboarding.save_departement(s, actor=people["coord35"], form=form)
    with session_scope(db_engine) as s:
        made = onboarding.save_departement(s, actor=people["platform"], form=form)
        assert (made.code, made.join_text) == ("2A", "Écrivez-nous.")
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as bad:
        onboarding.save_departement(s, actor=people["platform"], form=onboarding.DepartementForm(
            code="99", name=""))
    assert set(bad.value.errors) == {"code", "name"}


def test_imported_contours_place_points_and_pick_the_boards_that_touch(db_engine,
                                                                        people) -> None:
    fougeres = people["fougeres"]
    with session_scope(db_engine) as s:
        # A quarter drawn as a circle first: the import gives it its contour, same board.
        circle = onboarding.add_circle(s, actor=people["admin"], commune_id=fougeres,
                                       name="Centre", lat="48.125", lon="-1.215",
                                       radius_m="500")
        circle_id = circle.id
        preview = onboarding.preview_contours(s, actor=people["admin"], commune_id=fougeres,
                                              data=TOWN)
        assert [c.name for c in preview] == ["Gare", "Centre", "Château", "Plaine", "Bois"]
    assert row_counts(db_engine)["neighbourhood"] == 1  # a preview writes nothing
    with session_scope(db_engine) as s:
        assert onboarding.import_contours(s, actor=people["admin"], commune_id=fougeres,
                                          data=TOWN) == (4, 1)
    with session_scope(db_engine) as s:
        hoods = {h.name: h for h in s.exec(select(Neighbourhood).where(
            Neighbourhood.commune_id == fougeres)).all()}
        assert hoods["Centre"].id == circle_id and hoods["Centre"].contour
        centre = hoods["Centre"]
        # The stored centre is inside the square and the radius reaches its corners.
        assert (W + STEP < centre.lon < W + 2 * STEP) and (S + STEP < centre.lat < S + 2 * STEP)
        assert 660 < centre.radius_m < 680  # half the diagonal: 556 m north, 372 m east

        def hood_at(lon: float, lat: float) -> str | None:
            found = geography.neighbourhood_for_point(s, commune_id=fougeres,
                                                      point=Point(lat, lon))
            return found.name if found else None

        # Just inside Gare's east edge, though Centre's middle is not much farther.
        assert hood_at(W + STEP - 0.0005, S + 1.5 * STEP) == "Gare"
        assert hood_at(W + STEP + 0.0005, S + 1.5 * STEP) == "Centre"
        assert hood_at(W + 1.5 * STEP, S + 0.5 * STEP) == "Plaine"
        assert hood_at(W + 3.5 * STEP, S + 1.5 * STEP) is None  # between Château and Bois
        boards = geography.neighbouring_boards(s, neighbourhood_id=centre.id)
        assert sorted(b.name for b in boards) == ["Château", "Gare", "Plaine"]
        # Bois touches nothing: no neighbours, even within the old circles' reach.
        assert geography.neighbouring_boards(s, neighbourhood_id=hoods["Bois"].id) == []


BAD_FILES = {
    "not json": (b"{ pas du json", "n'est pas du GeoJSON"),
    "a list": (json.dumps([1, 2]).encode(), "FeatureCollection"),
    "a point": (collection({"type": "Feature", "properties": {"nom": "P"},
                            "geometry": {"type": "Point", "coordinates": [-1.2, 48.1]}}),
                "n'est pas un polygone"),
    "no name": (collection(square("X", 0, 0, key="code")), "n'a pas de nom"),
    "overlap": (collection(square("Gare", 0, 0), square("Centre", 0, 0, size=STEP / 2)),
                "« Gare » et « Centre » se chevauchent"),
    "same name": (collection(square("Gare", 0, 0), square("gare", 3, 0)),
                  "Deux quartiers s'appellent « gare »"),
    "lambert": (json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"nom": "L"}, "geometry": {
            "type": "Polygon", "coordinates": [[[351000, 6789000], [352000, 6789000],
                                                [352000, 6790000], [351000, 6789000]]]}}]}
    ).encode(), "EPSG:4326"),
    "crossing": (collection({"type": "Feature", "properties": {"nom": "Nœud"}, "geometry": {
        "type": "Polygon", "coordinates": [[[-1.2, 48.1], [-1.19, 48.11], [-1.19, 48.1],
                                            [-1.2, 48.12], [-1.2, 48.1]]]}}),
                 "« Nœud » se croise"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_geojson_file_is_refused_with_its_reason_and_nothing_written(
        db_engine, people, case) -> None:
    data, french = BAD_FILES[case]
    before = row_counts(db_engine)
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as refused:
        onboarding.import_contours(s, actor=people["admin"], commune_id=people["fougeres"],
                                   data=data)
    assert set(refused.value.errors) == {"geojson"}
    message = refused.value.errors["geojson"]
    params = refused.value.field_params.get("geojson", {})
    assert french in translate(message, "fr", **params)
    assert translate(message, "en", **params) != translate(message, "fr", **params)
    assert row_counts(db_engine) == before


def test_new_contours_may_not_overlap_the_communes_other_contours(db_engine, people) -> None:
    with session_scope(db_engine) as s:
        onboarding.import_contours(s, actor=people["admin"], commune_id=people["fougeres"],
                                   data=collection(square("Gare", 0, 0)))
    before = row_counts(db_engine)
    with session_scope(db_engine) as s, pytest.raises(ValidationFailed) as refused:
        onboarding.import_contours(s, actor=people["admin"], commune_id=people["fougeres"],
                                   data=collection(square("Halles", 0, 0, size=STEP / 2)))
    assert refused.value.field_params["geojson"] == {"first": "Halles", "second": "Gare"}
    assert row_counts(db_engine) == before
    with session_scope(db_engine) as s:  # redrawing Gare itself is no overlap
        assert onboarding.import_contours(s, actor=people["admin"],
                                          commune_id=people["fougeres"],
                                          data=collection(square("Gare", 0, 0, size=STEP / 2))
                                          ) == (0, 1)


def test_another_departements_commune_is_not_found_for_every_action(db_engine, people) -> None:
    nantes = people["nantes"]
    calls = [
        lambda s, a: onboarding.import_contours(s, actor=a, commune_id=nantes, data=TOWN),
        lambda s, a: onboarding.preview_contours(s, actor=a, commune_id=nantes, data=TOWN),
        lambda s, a: onboarding.add_circle(s, actor=a, commune_id=nantes, name="X",
                                           lat="47.2", lon="-1.5", radius_m="500"),
        lambda s, a: onboarding.set_logo(s, actor=a, commune_id=nantes, logo_name=None),
        lambda s, a: onboarding.invite_staff(s, actor=a, commune_id=nantes, email="r@x.fr",
                                             name="R", role="referent", site_url="http://x"),
    ]
    for call in calls:
        for who in ("coord35", "admin"):
            with session_scope(db_engine) as s, pytest.raises(NotFound):
                call(s, people[who])
        with session_scope(db_engine) as s, pytest.raises(NotAllowed):
            call(s, people["referent"])


def test_a_referent_is_invited_to_the_new_commune(db_engine, people) -> None:
    with session_scope(db_engine) as s:
        vitre = onboarding.create_commune(s, actor=people["platform"], form=vitre_form())
        invitation = onboarding.invite_staff(
            s, actor=people["platform"], commune_id=vitre.id, email="Rose@Vitre.example",
            name="Rose Lemoine", role="referent", site_url="https://hc.example")
        assert (invitation.commune_id, invitation.email, invitation.role) == (
            vitre.id, "rose@vitre.example", "referent")
        assert s.exec(select(StaffInvitation)).one().commune_id == vitre.id


def test_a_new_volunteers_commune_comes_from_their_address(db_engine, people) -> None:
    from heurecivique_app.adapters.geocoding import GazetteerGeocoder
    from heurecivique_app.services import signup

    streets = GazetteerGeocoder({
        "rue de la gare": (S + 1.5 * STEP, W + 0.5 * STEP, 10.0),  # in Fougères' contour
        "quai de la fosse": (47.2100, -1.5600, 10.0),  # in Nantes' circle
        "rue du bois": (S + 1.5 * STEP, W + 3.5 * STEP, 10.0),  # between the contours
    })
    with session_scope(db_engine) as s:
        onboarding.import_contours(s, actor=people["admin"], commune_id=people["fougeres"],
                                   data=TOWN)
        onboarding.add_circle(s, actor=people["platform"], commune_id=people["nantes"],
                              name="Centre", lat="47.2110", lon="-1.5590", radius_m="800")
    with session_scope(db_engine) as s:
        assert signup.commune_for_address(s, address="3 rue de la Gare",
                                          geocoder=streets).slug == "fougeres"
        assert signup.commune_for_address(s, address="12 quai de la Fosse",
                                          geocoder=streets).slug == "nantes"
        for nowhere in ("rue du Bois", "rue inconnue", ""):
            with pytest.raises(ValidationFailed) as refused:
                signup.commune_for_address(s, address=nowhere, geocoder=streets)
            assert set(refused.value.errors) == {"home_address"}
