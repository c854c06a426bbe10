"""The beneficiary record: read, correct, notice, merge — staff of the commune only,
NotFound for another commune's ids, bad input writes nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import factories as f
import pytest
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import ParticipationStatus
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.insurance import INSURANCE_VERSION
from heurecivique_app.domain.models import AuditEntry, Beneficiary, Mission, Participation
from heurecivique_app.domain.privacy import NOTICE_VERSION
from heurecivique_app.services import beneficiaries, intake
from heurecivique_app.services.beneficiaries import beneficiary_record, update_beneficiary


@pytest.fixture
def world(db_engine):
    with session_scope(db_engine) as s:
        w = f.world(s)
        s.add(Participation(mission_id=w.mission.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED, reported_minutes=45))
    return w


def _form(w, **changes) -> dict[str, str]:
    form = {"full_name": "Mme Jeanne Le Goff", "phone": "02 99 75 11 22",
            "address": "3 rue d'Embas, 35500 Vitré", "access_notes": "Interphone 12",
            "notes": "Entend mal : parler fort", "neighbourhood_id": str(w.neighbourhood.id)}
    return {**form, **changes}


def test_the_record_shows_identity_needs_and_visits(db_engine, world) -> None:
    with session_scope(db_engine) as s:
        record = beneficiary_record(s, actor=world.referent_actor,
                                    beneficiary_id=world.beneficiary.id)
    assert record.full_name == world.beneficiary.full_name
    assert record.phone == world.beneficiary.phone
    [need] = record.needs
    assert (need.mission_id, need.volunteers, need.minutes) == (
        world.mission.id, (world.volunteer.display_name,), 45)


def test_other_communes_and_volunteers_get_nothing(db_engine, world) -> None:
    with session_scope(db_engine) as s:
        stranger = f.referent(s)
    for actor, error in ((f.actor(stranger), NotFound), (world.volunteer_actor, NotAllowed)):
        with pytest.raises(error), session_scope(db_engine) as s:
            beneficiary_record(s, actor=actor, beneficiary_id=world.beneficiary.id)
        with pytest.raises(error), session_scope(db_engine) as s:
            update_beneficiary(s, actor=actor, beneficiary_id=world.beneficiary.id,
                               form=_form(world))
    for bad_id in ("abc", -1, 2**40, None):
        with pytest.raises(NotFound), session_scope(db_engine) as s:
            beneficiary_record(s, actor=world.referent_actor, beneficiary_id=bad_id)


def test_corrections_are_checked_audited_by_field_and_all_or_nothing(db_engine, world) -> None:
    actor = world.referent_actor
    with pytest.raises(ValidationFailed) as caught, session_scope(db_engine) as s:
        update_beneficiary(s, actor=actor, beneficiary_id=world.beneficiary.id,
                           form=_form(world, full_name="", phone="12", neighbourhood_id="999999"))
    assert set(caught.value.errors) == {"full_name", "phone", "neighbourhood_id"}
    with session_scope(db_engine) as s:
        assert s.get(Beneficiary, world.beneficiary.id).full_name == world.beneficiary.full_name
        update_beneficiary(s, actor=actor, beneficiary_id=world.beneficiary.id,
                           form=_form(world))
    with session_scope(db_engine) as s:
        person = s.get(Beneficiary, world.beneficiary.id)
        assert (person.full_name, person.phone, person.notes) == (
            "Mme Jeanne Le Goff", "+33299751122", "Entend mal : parler fort")
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.action == "beneficiary.updated")).one()
        assert entry.actor_id == actor.user_id
        assert set(entry.detail["fields"]) == {"full_name", "phone", "address",
                                               "access_notes", "notes"}
        assert "Jeanne" not in str(entry.detail)  # field names, never the values


def test_the_notice_read_is_recorded_with_its_version_and_reader(db_engine, world) -> None:
    with session_scope(db_engine) as s:
        beneficiaries.record_notice_read(s, actor=world.referent_actor,
                                         beneficiary_id=world.beneficiary.id)
        record = beneficiary_record(s, actor=world.referent_actor,
                                    beneficiary_id=world.beneficiary.id)
    assert record.notice_version == NOTICE_VERSION
    assert record.consent_by == world.referent.display_name


def test_intake_records_the_notice_and_the_insurance_version(db_engine, world) -> None:
    from datetime import timedelta

    from heurecivique_app.domain.rules import IntakeAnswers
    from heurecivique_app.domain.types import utcnow
    day = (utcnow() + timedelta(days=5)).date().isoformat()
    form = intake.NeedForm(
        category="shopping", title="Courses", neighbourhood_id=str(world.neighbourhood.id),
        beneficiary_name="M. Paul Martin", beneficiary_phone="02 99 75 00 01",
        address="8 rue Notre-Dame, 35500 Vitré", consent=True, preferred_date=day,
        preferred_time="10:00", beneficiary_choice="new",
        answers=IntakeAnswers(False, False, False, True))
    with session_scope(db_engine) as s:
        mission = intake.create_need(s, actor=world.referent_actor, form=form, publish=False,
                                     timezone="Europe/Paris", **f.GEO)
        person = s.get(Beneficiary, mission.beneficiary_id)
        assert mission.insurance_version == INSURANCE_VERSION
        assert (person.notice_version, person.consent_by_id) == (NOTICE_VERSION,
                                                                 world.referent.id)
        [need] = beneficiary_record(s, actor=world.referent_actor,
                                    beneficiary_id=person.id).needs
        assert need.insurance_version == INSURANCE_VERSION


def test_merging_two_records_keeps_the_history(db_engine, world) -> None:
    actor = world.referent_actor
    with session_scope(db_engine) as s:
        twin = f.beneficiary(s, neighbourhood_=world.neighbourhood, phone=None,
                             full_name=world.beneficiary.full_name, notes="Voisine : Mme B.")
        second = f.mission(s, beneficiary_=twin)
        third = f.beneficiary(s, neighbourhood_=world.neighbourhood)
    with pytest.raises(ValidationFailed), session_scope(db_engine) as s:
        beneficiaries.merge_beneficiaries(s, actor=actor, keep_id=twin.id,
                                          duplicate_id=str(twin.id))
    with session_scope(db_engine) as s:
        stranger = f.referent(s)
    with pytest.raises(NotFound), session_scope(db_engine) as s:
        beneficiaries.merge_beneficiaries(s, actor=f.actor(stranger), keep_id=twin.id,
                                          duplicate_id=world.beneficiary.id)
    with session_scope(db_engine) as s:
        beneficiaries.merge_beneficiaries(s, actor=actor, keep_id=twin.id,
                                          duplicate_id=world.beneficiary.id)
    with session_scope(db_engine) as s:
        kept = beneficiary_record(s, actor=actor, beneficiary_id=twin.id)
        assert {n.mission_id for n in kept.needs} == {world.mission.id, second.id}
        assert kept.phone == world.beneficiary.phone  # taken from the duplicate
        assert kept.merged_from == (world.beneficiary.id,)
        gone = s.get(Beneficiary, world.beneficiary.id)
        assert gone.merged_into_id == twin.id and gone.phone is None
        assert s.get(Mission, world.mission.id).beneficiary_id == twin.id
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "beneficiary.merged")).one()
        assert entry.detail == {"merged": world.beneficiary.id, "missions": [world.mission.id]}
    with pytest.raises(DomainError, match="merged into another one"), \
            session_scope(db_engine) as s:
        beneficiaries.merge_beneficiaries(s, actor=actor, keep_id=third.id,
                                          duplicate_id=world.beneficiary.id)
