"""Retention: the purge job with a moved clock, per-commune periods, erasure on request
and its register — on SQLite and PostgreSQL. After the purge a scan of every table of
the database finds no exact address, phone or note of a closed mission."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import factories as f
import pytest
from privacy_scan import PrivateData
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, col, select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import EmlOutbox
from heurecivique_app.domain.community import RelayReport, ReportKind
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, Role
from heurecivique_app.domain.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.inbox import InboxItem
from heurecivique_app.domain.models import (
    AuditEntry,
    Beneficiary,
    HourEntry,
    Mission,
    Participation,
)
from heurecivique_app.domain.notifications import Job, JobStatus
from heurecivique_app.domain.privacy import (
    CommuneRetention,
    ErasureRequest,
    PurgeRun,
    initials,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.kinds import HOUR_NUDGE, KINDS, RETENTION_PURGE
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import retention
from heurecivique_app.services.notifications import SEND_EMAIL
from heurecivique_app.settings import Settings

ADDRESS = "14 rue Baudrairie, 35500 Vitré"
PHONE = "+33 2 99 75 11 22"
ACCESS = "Code porte 4721B, deuxième étage gauche"
FEEDBACK = "Madame était fatiguée, chat très craintif"
PROBLEM = "La porte du garage est cassée"
INCIDENT = "Chute légère dans l'escalier, pompiers non appelés"


def _runner(engine: Engine, tmp_path: Path, at) -> Runner:
    settings = Settings.from_env({"HC_DATA_DIR": str(tmp_path), "HC_TIMEZONE": "Europe/Paris"})
    return Runner(JobContext(engine=engine, mailer=EmlOutbox(tmp_path), settings=settings,
                             clock=lambda: at), KINDS, worker="test")


def _run_purge_job(engine: Engine, tmp_path: Path, at) -> None:
    runner = _runner(engine, tmp_path, at)
    runner.schedule_recurring()
    runner.run_until_idle()


def _dump(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as JSON text, by table."""
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            out[table.name] = [json.dumps(list(row), default=str, ensure_ascii=False)
                               for row in conn.execute(sa_select(table))]
    return out


def _leaks(engine: Engine, private: PrivateData) -> list[str]:
    found = []
    for name, rows in _dump(engine).items():
        found += [f"{name}: {leak}" for leak in private.leaks(rows)]
    return found


@pytest.fixture
def closed(db_engine: Engine):
    """A beneficiary whose one mission was done five days ago, with notes everywhere."""
    now = utcnow()
    with session_scope(db_engine) as s:
        w = f.world(s, status=MissionStatus.DONE, starts_at=now - timedelta(days=5),
                    exact_address=ADDRESS, exact_lat=48.12345, exact_lon=-1.20987)
        person = w.beneficiary
        person.address, person.phone, person.access_notes = ADDRESS, PHONE, ACCESS
        s.add(person)
        s.add(Participation(mission_id=w.mission.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED, feedback=FEEDBACK,
                            problem=PROBLEM, reported_minutes=60))
        s.add(HourEntry(volunteer_id=w.volunteer.id, mission_id=w.mission.id, minutes=60,
                        month="2026-12"))
        s.add(MissionFollowUp(mission_id=w.mission.id, minutes=60, incident=INCIDENT))
        relay = f.user(s, neighbourhood_=w.neighbourhood, role=Role.RELAY)
        s.add(RelayReport(commune_id=w.commune.id, neighbourhood_id=w.neighbourhood.id,
                          relay_id=relay.id, kind=ReportKind.NEED, category="shopping",
                          title=w.mission.title, mission_id=w.mission.id,
                          lat=48.12345, lon=-1.20987))
        s.flush()
        w.mission.updated_at = now - timedelta(days=5)
        s.add(w.mission)
    return w


def _private(person_name: str | None = None) -> PrivateData:
    data = PrivateData()
    data.add_address("beneficiary", ADDRESS)
    data.phones["0299751122"] = "beneficiary"
    for what, text in (("access notes", ACCESS), ("feedback", FEEDBACK),
                       ("problem", PROBLEM), ("incident", INCIDENT)):
        data.texts.append(("beneficiary", what, text))
    data.points.append(("beneficiary", 48.12345, -1.20987))
    if person_name:
        data.texts.append(("beneficiary", "name", person_name))
    return data


def test_before_the_period_nothing_is_erased(db_engine, closed, tmp_path) -> None:
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=20))
    leaks = _leaks(db_engine, _private())
    assert any("address" in leak for leak in leaks)
    assert any(leak.startswith("participation") for leak in leaks)


def test_the_purge_job_leaves_nothing_of_a_closed_mission_in_any_table(
        db_engine, closed, tmp_path) -> None:
    assert _leaks(db_engine, _private())  # the scan sees them before
    later = utcnow() + timedelta(days=31)
    _run_purge_job(db_engine, tmp_path, later)
    assert _leaks(db_engine, _private()) == []
    with session_scope(db_engine) as s:
        mission = s.get(Mission, closed.mission.id)
        person = s.get(Beneficiary, closed.beneficiary.id)
        assert mission.purged_at == later and mission.exact_lat is None
        assert (person.phone, person.address, person.access_notes) == (None, "", "")
        assert person.full_name == closed.beneficiary.full_name  # kept until 24 months
        # The statistics stay.
        assert s.exec(select(HourEntry)).one().minutes == 60
        assert s.exec(select(MissionFollowUp)).one().minutes == 60
        [run] = s.exec(select(PurgeRun)).all()
        assert (run.as_of, run.missions_purged, run.contacts_erased) == (later, 1, 1)
        [entry] = s.exec(select(AuditEntry).where(
            AuditEntry.action == "retention.purged")).all()
        assert entry.commune_id == closed.commune.id and entry.actor_id is None
        [job] = s.exec(select(Job).where(Job.kind == RETENTION_PURGE,
                                         Job.status == JobStatus.DONE)).all()
    # Idempotent: the same day again, and the next day's run, erase nothing more.
    with session_scope(db_engine) as s:
        assert retention.purge(s, now=later).missions_purged == 0
    _run_purge_job(db_engine, tmp_path, later + timedelta(days=1))
    with session_scope(db_engine) as s:
        runs = s.exec(select(PurgeRun).order_by(PurgeRun.id)).all()
        assert [(r.missions_purged, r.contacts_erased) for r in runs] == [(1, 1), (0, 0),
                                                                           (0, 0)]
        assert len(s.exec(select(AuditEntry).where(
            AuditEntry.action == "retention.purged")).all()) == 1


def test_a_need_under_way_keeps_the_persons_contact(db_engine, closed, tmp_path) -> None:
    with session_scope(db_engine) as s:
        f.mission(s, beneficiary_=s.get(Beneficiary, closed.beneficiary.id),
                  starts_at=utcnow() + timedelta(days=40), exact_address="Mairie annexe")
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=31))
    with session_scope(db_engine) as s:
        assert s.get(Mission, closed.mission.id).exact_address == ""
        person = s.get(Beneficiary, closed.beneficiary.id)
        assert person.address == ADDRESS and person.contact_erased_at is None


def test_inactive_for_24_months_the_person_keeps_only_initials(db_engine, closed,
                                                               tmp_path) -> None:
    name = closed.beneficiary.full_name
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=31 * 23))
    with session_scope(db_engine) as s:
        assert s.get(Beneficiary, closed.beneficiary.id).pseudonymised_at is None
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=31 * 25))
    assert _leaks(db_engine, _private(name)) == []
    with session_scope(db_engine) as s:
        person = s.get(Beneficiary, closed.beneficiary.id)
        assert person.full_name == initials(name)
        assert person.pseudonymised_at is not None
        assert s.exec(select(Mission).where(Mission.beneficiary_id == person.id)).one()


def test_a_commune_sets_its_own_periods(db_engine, closed, tmp_path) -> None:
    actor = closed.referent_actor
    for days, months in (("3", "24"), ("30", "900"), ("trente", "24"), ("", "")):
        with pytest.raises(ValidationFailed), session_scope(db_engine) as s:
            retention.update_retention(s, actor=actor, mission_contact_days=days,
                                       inactive_months=months)
    with session_scope(db_engine) as s:
        assert s.exec(select(CommuneRetention)).all() == []  # nothing written
        assert retention.retention_of(s, closed.commune.id).is_default
        policy = retention.update_retention(s, actor=actor, mission_contact_days="7",
                                            inactive_months="36")
        assert (policy.mission_contact_days, policy.inactive_months) == (7, 36)
        assert s.exec(select(AuditEntry).where(
            AuditEntry.action == "retention.updated")).one().actor_id == actor.user_id
    with pytest.raises(NotAllowed), session_scope(db_engine) as s:
        retention.update_retention(s, actor=f.actor(closed.volunteer),
                                   mission_contact_days="7", inactive_months="36")
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=8))
    assert _leaks(db_engine, _private()) == []


def test_erasure_on_request_is_immediate_audited_and_registered(db_engine, closed) -> None:
    actor = closed.referent_actor
    name = closed.beneficiary.full_name
    person_id = closed.beneficiary.id
    with pytest.raises(ValidationFailed), session_scope(db_engine) as s:
        retention.erase_on_request(s, actor=actor, beneficiary_id=person_id,
                                   channel="pigeon", received_on="2026-13-01")
    with session_scope(db_engine) as s:
        other = f.referent(s)
    with pytest.raises(NotFound), session_scope(db_engine) as s:
        retention.erase_on_request(s, actor=f.actor(other), beneficiary_id=person_id,
                                   channel="phone", received_on=date.today().isoformat())
    assert _leaks(db_engine, _private(name))  # nothing written so far
    with session_scope(db_engine) as s:
        request = retention.erase_on_request(s, actor=actor, beneficiary_id=person_id,
                                             channel="letter",
                                             received_on=date.today().isoformat())
    assert _leaks(db_engine, _private(name)) == []
    with session_scope(db_engine) as s:
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.action == "beneficiary.erased")).one()
        assert (entry.actor_id, entry.entity_id) == (actor.user_id, person_id)
        assert entry.detail["request_id"] == request.id
        [row] = retention.erasure_register(s, actor=actor)
        assert row.done_by == closed.referent.display_name and row.channel_label == "Letter"
        assert name not in json.dumps(row.__dict__, default=str)
        assert s.exec(select(ErasureRequest)).one().done_by_id == actor.user_id
    with pytest.raises(DomainError, match="already"), session_scope(db_engine) as s:
        retention.erase_on_request(s, actor=actor, beneficiary_id=person_id,
                                   channel="letter", received_on=date.today().isoformat())


def test_erasure_waits_for_needs_under_way(db_engine, closed) -> None:
    with session_scope(db_engine) as s:
        f.mission(s, beneficiary_=s.get(Beneficiary, closed.beneficiary.id))
    with pytest.raises(DomainError) as caught, session_scope(db_engine) as s:
        retention.erase_on_request(s, actor=closed.referent_actor,
                                   beneficiary_id=closed.beneficiary.id, channel="phone",
                                   received_on=date.today().isoformat())
    assert caught.value.params == {"count": 1}
    with session_scope(db_engine) as s:
        assert s.exec(select(ErasureRequest)).all() == []
        assert s.exec(select(Mission).where(col(Mission.purged_at).is_not(None))).all() == []


def test_a_person_who_comes_back_is_kept_then_purged_again(db_engine, closed, tmp_path) -> None:
    from heurecivique_app.domain.rules import IntakeAnswers
    from heurecivique_app.services import intake

    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=31))
    day = (utcnow() + timedelta(days=3)).date().isoformat()
    form = intake.NeedForm(
        category="shopping", title="Courses", neighbourhood_id=str(closed.neighbourhood.id),
        beneficiary_name=closed.beneficiary.full_name, beneficiary_phone=PHONE,
        address=ADDRESS, access_notes=ACCESS, consent=True, preferred_date=day,
        preferred_time="10:00", beneficiary_choice=str(closed.beneficiary.id),
        answers=IntakeAnswers(False, False, False, True))
    with session_scope(db_engine) as s:
        again = intake.create_need(s, actor=closed.referent_actor, form=form, publish=False,
                                   timezone="Europe/Paris", **f.GEO)
        assert again.beneficiary_id == closed.beneficiary.id
        person = s.get(Beneficiary, closed.beneficiary.id)
        assert person.address == ADDRESS and person.contact_erased_at is None
        again.status = MissionStatus.CANCELLED
        s.add(again)
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=32))
    with session_scope(db_engine) as s:
        assert s.get(Beneficiary, closed.beneficiary.id).address == ADDRESS  # just cancelled
    _run_purge_job(db_engine, tmp_path, utcnow() + timedelta(days=62))
    assert _leaks(db_engine, _private()) == []


def test_messages_that_carried_the_contact_go_too(db_engine, closed, tmp_path) -> None:
    """The morning summary's job lists the beneficiary's phone; a withdrawal's reason
    sits in the staff's notification centre: neither outlives the period."""
    now = utcnow()
    with session_scope(db_engine) as s:
        s.add(Job(kind=SEND_EMAIL, key="morning:1:old", status=JobStatus.DONE,
                  payload={"params": {"visits": [{"beneficiary": "Mme Robin",
                                                  "phone": PHONE}]}},
                  finished_at=now - timedelta(days=5)))
        s.add(Job(kind=SEND_EMAIL, key="still:due", status=JobStatus.PENDING,
                  payload={"params": {"reason": "en attente"}}))
        # A recurring run's row stays: it keeps that month's run from running again.
        s.add(Job(kind=HOUR_NUDGE, key=f"{HOUR_NUDGE}:2026-11", status=JobStatus.DONE,
                  finished_at=now - timedelta(days=20)))
        s.add(InboxItem(user_id=closed.referent.id, kind="withdrawal", event="w:1",
                        params={"reason": FEEDBACK}, created_at=now - timedelta(days=5)))
        s.add(InboxItem(user_id=closed.volunteer.id, kind="reminder", event="r:1",
                        params={}, created_at=now + timedelta(days=30)))
    assert any(leak.startswith("job") for leak in _leaks(db_engine, _private()))
    assert any(leak.startswith("inbox_item") for leak in _leaks(db_engine, _private()))

    _run_purge_job(db_engine, tmp_path, now + timedelta(days=31))

    assert _leaks(db_engine, _private()) == []
    with session_scope(db_engine) as s:
        keys = {job.key for job in s.exec(select(Job)).all()}
        assert "morning:1:old" not in keys and "still:due" in keys
        assert f"{HOUR_NUDGE}:2026-11" in keys
        # The purge's own job finished just now: it stays for its week.
        assert any(key.startswith(RETENTION_PURGE) for key in keys)
        assert [i.event for i in s.exec(select(InboxItem)).all()] == ["r:1"]
