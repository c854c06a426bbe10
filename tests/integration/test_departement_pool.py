"""The département pool: volunteers of a département's other communes who offered to help.

X and Y are communes of one département, Z of another. In Y, one volunteer offered
(``departement_pool``), one did not; in Z, one offered too. X's referent sees Y's
volunteer who offered in the pool and in matching, marked with Y's name, and may
offer them a mission; never Y's other volunteer nor Z's. Their record stays with Y.
"""

from __future__ import annotations

from dataclasses import dataclass

import factories as f
import pytest
from sqlalchemy.engine import Engine

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import ParticipationStatus
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.models import User, VolunteerProfile
from heurecivique_app.presenters.pool import pool_row, suggestion_row
from heurecivique_app.services import accounts, matching, pool, selectors, signup, volunteer_home
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.missions import participation

TZ = "Europe/Paris"


@dataclass
class Pool:
    x_referent: Actor
    y_referent: Actor
    x_volunteer: int
    y_helper: int  # offered to help in the département
    y_homebody: int  # did not
    z_helper: int  # offered, but in another département
    mission: int  # X's open mission
    y_name: str


def _volunteer(s, hood, *, offered: bool, name: str) -> User:
    person = f.volunteer(s, neighbourhood_=hood, display_name=name)
    profile = s.get(VolunteerProfile, person.id)
    profile.departement_pool = offered
    profile.max_distance_km = 30.0
    s.add(profile)
    s.flush()
    return person


@pytest.fixture
def world(db_engine: Engine) -> Pool:
    with session_scope(db_engine) as s:
        dep = f.departement(s)
        x, y = f.commune(s, departement_=dep), f.commune(s, departement_=dep, name="Fougères")
        z = f.commune(s)
        hx, hy, hz = (f.neighbourhood(s, commune_=town) for town in (x, y, z))
        data = Pool(
            x_referent=f.actor(f.referent(s, commune_=x)),
            y_referent=f.actor(f.referent(s, commune_=y)),
            x_volunteer=_volunteer(s, hx, offered=False, name="Xavier Local").id,
            y_helper=_volunteer(s, hy, offered=True, name="Yann Voisin").id,
            y_homebody=_volunteer(s, hy, offered=False, name="Yvette Casanière").id,
            z_helper=_volunteer(s, hz, offered=True, name="Zoé Lointaine").id,
            mission=f.mission(s, neighbourhood_=hx).id, y_name=y.name)
    return data


def test_the_pool_shows_the_neighbouring_volunteers_who_offered_marked(db_engine, world):
    with session_scope(db_engine) as s:
        rows, total = pool.search_pool(s, actor=world.x_referent, wanted=pool.PoolFilter(),
                                       timezone=TZ)
    by_id = {r.volunteer_id: r for r in rows}
    assert set(by_id) == {world.x_volunteer, world.y_helper} and total == 2
    assert by_id[world.x_volunteer].home_commune == ""
    helper = by_id[world.y_helper]
    assert helper.home_commune == world.y_name and not helper.has_record
    # The row as the page shows it: the translated badge, no link to a record.
    shown = pool_row(helper, "fr")
    assert shown["pool_badge"] == "De Fougères (vivier départemental)" and shown["href"] == ""
    assert pool_row(helper, "en")["pool_badge"] == "From Fougères (département pool)"
    assert pool_row(by_id[world.x_volunteer], "fr")["pool_badge"] == ""


def test_the_pool_filters_apply_to_them_too(db_engine, world):
    with session_scope(db_engine) as s:
        rows, _ = pool.search_pool(s, actor=world.x_referent,
                                   wanted=pool.PoolFilter(text="yann"), timezone=TZ)
    assert [r.volunteer_id for r in rows] == [world.y_helper]


def test_their_own_commune_keeps_them_unmarked_and_their_record(db_engine, world):
    with session_scope(db_engine) as s:
        rows, _ = pool.search_pool(s, actor=world.y_referent, wanted=pool.PoolFilter(),
                                   timezone=TZ)
        assert {r.volunteer_id: r.home_commune for r in rows} == {
            world.y_helper: "", world.y_homebody: ""}
        assert pool.volunteer_record(s, actor=world.y_referent, volunteer_id=world.y_helper,
                                     timezone=TZ).row.name == "Yann Voisin"
    # The neighbouring commune's staff see the pool's row, not the record (e-mail, phone,
    # interview notes, history): private data rules are unchanged.
    with pytest.raises(NotFound), session_scope(db_engine) as s:
        pool.volunteer_record(s, actor=world.x_referent, volunteer_id=world.y_helper,
                              timezone=TZ)


def test_matching_ranks_them_marked_and_never_the_others(db_engine, world):
    with session_scope(db_engine) as s:
        found = matching.suggest(s, actor=world.x_referent, mission_id=world.mission,
                                 timezone=TZ, limit=50)
        everyone = {c.volunteer_id: c for c in matching.load_candidates(
            s, commune_id=found.mission.commune_id, mission_id=world.mission, timezone=TZ)}
    ranked = {fit.candidate.volunteer_id: fit for fit in found.fits}
    assert set(ranked) == {world.x_volunteer, world.y_helper} == set(everyone)
    assert ranked[world.y_helper].candidate.home_commune == world.y_name
    assert ranked[world.x_volunteer].candidate.home_commune == ""
    row = suggestion_row(ranked[world.y_helper], found.need, "fr")
    assert row["pool_badge"] == "De Fougères (vivier départemental)" and row["can_offer"] == "1"


def test_a_referent_offers_them_a_mission_they_see_and_accept(db_engine, world):
    with session_scope(db_engine) as s:
        matching.propose_mission(s, actor=world.x_referent, mission_id=world.mission,
                                 volunteer_ids=[world.y_helper], timezone=TZ)
    for other in (world.y_homebody, world.z_helper):
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            matching.propose_mission(s, actor=world.x_referent, mission_id=world.mission,
                                     volunteer_ids=[other], timezone=TZ)
    with session_scope(db_engine) as s:
        helper = f.actor(s.get(User, world.y_helper))
        assert [c.id for c in volunteer_home.proposed_to_me(s, actor=helper)] == [world.mission]
        detail = selectors.mission_detail(s, actor=helper, mission_id=world.mission,
                                          contact_hours_after=24)
        assert detail.my_participation == ParticipationStatus.PROPOSED
        participation.accept_mission(s, actor=helper, mission_id=world.mission)
    # Another volunteer of Y, offered nothing, still cannot open X's mission.
    with pytest.raises(NotFound), session_scope(db_engine) as s:
        selectors.mission_detail(s, actor=f.actor(s.get(User, world.y_homebody)),
                                 mission_id=world.mission, contact_hours_after=24)


def test_the_offer_is_made_at_sign_up_and_changed_on_the_account_page(db_engine):
    with session_scope(db_engine) as s:
        town = f.commune(s)
        hood = f.neighbourhood(s, commune_=town)
        form = signup.SignupForm.from_form({
            "display_name": "Aline Durand", "email": "aline@example.fr",
            "phone": "06 12 34 56 78", "password": "une-longue-phrase",
            "neighbourhood_id": str(hood.id), "skill_visit": "on",
            "avail_sat_morning": "on", "max_distance_km": "20", "charter": "on",
            "departement_pool": "on"}, commune_slug=town.slug)
        user = signup.sign_up(s, form=form, site_url="https://heure.example.fr",
                              geocoder=f.GEOCODER)
        user_id = user.id
    with session_scope(db_engine) as s:
        profile = s.get(VolunteerProfile, user_id)
        assert profile.departement_pool and profile.max_distance_km == 20.0
        me = f.actor(s.get(User, user_id))
        accounts.update_profile(s, actor=me, geocoder=f.GEOCODER,
                                form=signup.ProfileForm.from_form({
                                    "display_name": "Aline Durand", "phone": "06 12 34 56 78",
                                    "neighbourhood_id": str(hood.id), "skill_visit": "on",
                                    "avail_sat_morning": "on", "max_distance_km": "2"}))
    with session_scope(db_engine) as s:
        assert not s.get(VolunteerProfile, user_id).departement_pool
        assert accounts.export_data(s, actor=me)["volunteer_profile"]["departement_pool"] is False
