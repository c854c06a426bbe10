"""Minors as relays: date of birth at enrolment, a parent's consent under 15, never a
mission at someone's home nor a beneficiary's contact — in the services, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date

import factories as f
import pytest
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import MissionKind, ParticipationStatus, Role
from heurecivique_app.domain.errors import DomainError, NotFound, ValidationFailed
from heurecivique_app.domain.models import AuditEntry, Participation, User
from heurecivique_app.domain.privacy import ParentalConsent
from heurecivique_app.services import matching, relays, selectors
from heurecivique_app.services.minors import MINOR_AT_HOME
from heurecivique_app.services.missions import participation

TZ = "Europe/Paris"


def _born(years: int) -> str:
    today = date.today()
    return today.replace(year=today.year - years, day=min(today.day, 28)).isoformat()


@pytest.fixture
def world(db_engine):
    with session_scope(db_engine) as s:
        w = f.world(s)
        teen = f.volunteer(s, neighbourhood_=w.neighbourhood, display_name="Léo Jeune")
        w.teen = teen
    return w


def _enrol(db_engine, w, **enrolment):
    with session_scope(db_engine) as s:
        return relays.assign_neighbourhoods(s, actor=w.referent_actor, user_id=w.teen.id,
                                            neighbourhood_ids=[w.neighbourhood.id],
                                            enrolment=enrolment)


def test_enrolment_asks_the_birth_date_and_a_parents_consent_under_15(db_engine, world):
    for enrolment, fields in (({}, {"birth_date"}),
                              ({"birth_date": "demain"}, {"birth_date"}),
                              ({"birth_date": _born(5)}, {"birth_date"}),
                              ({"birth_date": _born(14)},
                               {"parent_name", "parent_method", "parent_given_on"}),
                              ({"birth_date": _born(14), "parent_name": "Anne Jeune",
                                "parent_method": "pigeon", "parent_given_on": "2999-01-01"},
                               {"parent_method", "parent_given_on"})):
        with pytest.raises(ValidationFailed) as caught:
            _enrol(db_engine, world, **enrolment)
        assert set(caught.value.errors) == fields
    with session_scope(db_engine) as s:  # nothing written
        teen = s.get(User, world.teen.id)
        assert (teen.role, teen.birth_date) == (Role.VOLUNTEER, None)
        assert s.exec(select(ParentalConsent)).all() == []
    with session_scope(db_engine) as s:
        stranger = f.referent(s)
    with pytest.raises(NotFound), session_scope(db_engine) as s:
        relays.assign_neighbourhoods(s, actor=f.actor(stranger), user_id=world.teen.id,
                                     neighbourhood_ids=[], enrolment={})
    _enrol(db_engine, world, birth_date=_born(14), parent_name="Anne Jeune",
           parent_method="signed_form", parent_given_on=date.today().isoformat())
    with session_scope(db_engine) as s:
        teen = s.get(User, world.teen.id)
        assert teen.role == Role.RELAY and teen.birth_date.isoformat() == _born(14)
        consent = s.get(ParentalConsent, world.teen.id)
        assert (consent.parent_name, consent.method, consent.recorded_by_id) == (
            "Anne Jeune", "signed_form", world.referent.id)
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.action == "relay.parental_consent")).one()
        assert entry.actor_id == world.referent.id and entry.entity_id == world.teen.id


def test_from_15_no_parent_is_asked(db_engine, world):
    _enrol(db_engine, world, birth_date=_born(16))
    with session_scope(db_engine) as s:
        assert s.get(User, world.teen.id).role == Role.RELAY
        assert s.exec(select(ParentalConsent)).all() == []


def test_a_minor_takes_collective_actions_only(db_engine, world):
    _enrol(db_engine, world, birth_date=_born(16))
    teen = f.actor(world.teen)
    with pytest.raises(DomainError, match="under 18"), session_scope(db_engine) as s:
        participation.accept_mission(s, actor=teen, mission_id=world.mission.id)
    for call in (
        lambda s: matching.propose_mission(s, actor=world.referent_actor,
                                           mission_id=world.mission.id,
                                           volunteer_ids=[world.teen.id], timezone=TZ),
        lambda s: matching.assign_volunteer(s, actor=world.referent_actor,
                                            mission_id=world.mission.id,
                                            volunteer_id=world.teen.id, timezone=TZ),
    ):
        with pytest.raises(DomainError) as caught, session_scope(db_engine) as s:
            call(s)
        assert caught.value.message == MINOR_AT_HOME
    with session_scope(db_engine) as s:
        assert s.exec(select(Participation).where(
            Participation.volunteer_id == world.teen.id)).all() == []
        action = f.mission(s, neighbourhood_=world.neighbourhood, kind=MissionKind.COLLECTIVE,
                           capacity=5)
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=teen, mission_id=action.id)
    # An adult still takes the need at home.
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=world.volunteer_actor,
                                     mission_id=world.mission.id)


def test_a_minor_never_receives_a_beneficiarys_contact(db_engine, world):
    _enrol(db_engine, world, birth_date=_born(17))
    with session_scope(db_engine) as s:  # a place given by hand, past every service check
        s.add(Participation(mission_id=world.mission.id, volunteer_id=world.teen.id,
                            status=ParticipationStatus.ACCEPTED))
    with session_scope(db_engine) as s:
        detail = selectors.mission_detail(s, actor=f.actor(world.teen),
                                          mission_id=world.mission.id, contact_hours_after=48)
        assert detail.contact is None
        adult = selectors.mission_detail(s, actor=world.referent_actor,
                                         mission_id=world.mission.id, contact_hours_after=48)
        assert adult.contact is not None
