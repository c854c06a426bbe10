"""What is sent (issue 17 item 5), volunteer and staff kinds, on SQLite and PostgreSQL:
who receives each message, who does not (another commune, turned off), the quiet hours,
exactly once; the messages read from a real SMTP server on loopback (aiosmtpd)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import factories as f
import pytest
from icalendar import Calendar
from mailserver import smtp_server
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import SmtpMailer
from heurecivique_app.api import volunteer as api_volunteer
from heurecivique_app.domain.community import RelayNeighbourhood, RelayReport
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.models import Participation, User
from heurecivique_app.domain.notifications import Job, MessageKind
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.kinds import KINDS, MORNING_SUMMARY, UNSTAFFED_SCAN
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import auth, notices, notifications, pool, relays, signup, triage
from heurecivique_app.services.missions import confirmation, participation
from heurecivique_app.settings import Settings

TZ = "Europe/Paris"
SITE = "https://heure.vitre.example"


def _settings(tmp_path: Path) -> Settings:
    return Settings.from_env({"HC_DATA_DIR": str(tmp_path), "HC_TIMEZONE": TZ,
                              "HC_PUBLIC_URL": SITE})


def _deliver(engine: Engine, tmp_path: Path, at: datetime | None = None) -> list:
    """Run every due job (the real kinds) against a loopback SMTP server; what it got."""
    with smtp_server() as (controller, recorder):
        mailer = SmtpMailer(host=controller.hostname, port=controller.port, tls="none",
                            timeout_s=5)
        clock = (lambda: at) if at is not None else utcnow
        Runner(JobContext(engine=engine, mailer=mailer, settings=_settings(tmp_path),
                          clock=clock), KINDS, worker="test").run_until_idle()
    return list(recorder.messages)


def _mails(engine: Engine, kind: str) -> list[Job]:
    with session_scope(engine) as s:
        return [j for j in s.exec(select(Job).order_by(Job.id))
                if j.payload.get("kind") == kind]


def _turn_off(engine: Engine, person, kind: str) -> None:
    with session_scope(engine) as s:
        notifications.set_preferences(s, actor=f.actor(person), enabled={kind: False})


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        return f.world(s)


@pytest.fixture
def stranger(db_engine: Engine):
    """A referent of another commune: never told anything of the world's commune."""
    with session_scope(db_engine) as s:
        return f.referent(s)


def _body(mail) -> str:
    return mail.get_body(("plain",)).get_content()


# --- the volunteer ----------------------------------------------------------------------


def test_accepting_mails_a_confirmation_with_a_calendar_invitation(db_engine, world,
                                                                   tmp_path) -> None:
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=world.volunteer_actor, mission_id=world.mission.id,
                                     timezone=TZ)
    [job] = _mails(db_engine, MessageKind.CONFIRMED)
    assert job.user_id == world.volunteer.id and job.payload["quiet_hours"] is True
    [mail] = _deliver(db_engine, tmp_path, at=job.due_at)
    assert mail["To"] == world.volunteer.email
    assert mail["Subject"] == f"Confirmé : {world.mission.title}"
    assert "List-Unsubscribe" in mail  # it can be turned off
    [invite] = [part for part in mail.iter_attachments()
                if part.get_content_type() == "text/calendar"]
    assert invite.get_param("method") == "PUBLISH"
    assert invite.get_filename() == f"mission-{world.mission.id}.ics"
    event = Calendar.from_ical(invite.get_content()).walk("VEVENT")[0]
    assert event.start == world.mission.starts_at.replace(microsecond=0)  # to the second
    assert event.end - event.start == timedelta(minutes=world.mission.duration_minutes)
    assert str(event["URL"]) == f"{SITE}/missions/{world.mission.id}"
    # Nothing private in a calendar we do not control: no address, no beneficiary.
    ics = invite.get_content()
    assert world.beneficiary.address not in ics and world.beneficiary.full_name not in ics
    assert _deliver(db_engine, tmp_path, at=job.due_at) == []  # nothing sent twice


def test_a_confirmation_turned_off_is_not_written(db_engine, world) -> None:
    _turn_off(db_engine, world.volunteer, MessageKind.CONFIRMED)
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=world.volunteer_actor, mission_id=world.mission.id,
                                     timezone=TZ)
    assert _mails(db_engine, MessageKind.CONFIRMED) == []


def test_a_place_given_from_the_waiting_list_is_mailed_to_that_volunteer(db_engine,
                                                                         tmp_path) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s, kind=MissionKind.COLLECTIVE, capacity=1)
        second = f.volunteer(s, neighbourhood_=w.neighbourhood)
        third = f.volunteer(s, neighbourhood_=w.neighbourhood)
    for person in (w.volunteer, second, third):
        with session_scope(db_engine) as s:
            participation.accept_mission(s, actor=f.actor(person), mission_id=w.mission.id,
                                         timezone=TZ)
    with session_scope(db_engine) as s:
        participation.withdraw(s, actor=w.volunteer_actor, mission_id=w.mission.id,
                               reason="Empêchement", cutoff_hours=0, timezone=TZ)
    [job] = _mails(db_engine, MessageKind.WAITLIST_PLACE)
    assert job.user_id == second.id  # the first in line, not the third
    mails = [m for m in _deliver(db_engine, tmp_path, at=job.due_at)
             if m["To"] == second.email]
    [mail] = [m for m in mails if "Une place pour vous" in m["Subject"]]
    assert any(p.get_content_type() == "text/calendar" for p in mail.iter_attachments())
    with session_scope(db_engine) as s:
        assert s.exec(select(Participation.status).where(
            Participation.volunteer_id == second.id)).one() == ParticipationStatus.ACCEPTED


def test_validation_after_the_interview_is_mailed_once(db_engine, tmp_path) -> None:
    with session_scope(db_engine) as s:
        w = f.world(s)
        newcomer = f.volunteer(s, neighbourhood_=w.neighbourhood, status=VolunteerStatus.PENDING)
    with session_scope(db_engine) as s:
        pool.validate_volunteer(s, actor=w.referent_actor, volunteer_id=newcomer.id,
                                charter_checked=True, note="Rencontrée", charter_version="1",
                                timezone=TZ)
    [job] = _mails(db_engine, MessageKind.VALIDATED)
    assert job.user_id == newcomer.id
    [mail] = _deliver(db_engine, tmp_path, at=job.due_at)
    assert mail["To"] == newcomer.email and "List-Unsubscribe" not in mail
    assert w.commune.name in mail["Subject"] and f"{SITE}/home" in _body(mail)


# --- the commune's staff ----------------------------------------------------------------


def test_a_withdrawal_is_mailed_to_the_communes_staff_only(db_engine, world, stranger,
                                                           tmp_path) -> None:
    with session_scope(db_engine) as s:
        admin = f.user(s, commune_=s.get(type(world.commune), world.commune.id),
                       role=Role.COMMUNE_ADMIN)
        quiet = f.referent(s, commune_=s.get(type(world.commune), world.commune.id))
        departement = f.user(s, commune_=s.get(type(world.commune), world.commune.id),
                             role=Role.DEPARTEMENT_ADMIN)
    _turn_off(db_engine, quiet, MessageKind.WITHDRAWAL)
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=world.volunteer_actor, mission_id=world.mission.id,
                                     timezone=TZ)
    with session_scope(db_engine) as s:
        participation.withdraw(s, actor=world.volunteer_actor, mission_id=world.mission.id,
                               reason="Malade", cutoff_hours=0, timezone=TZ)
    jobs = _mails(db_engine, MessageKind.WITHDRAWAL)
    assert sorted(j.user_id for j in jobs) == sorted([world.referent.id, admin.id])
    assert stranger.id not in {j.user_id for j in jobs}
    assert departement.id not in {j.user_id for j in jobs} and quiet.id not in {
        j.user_id for j in jobs}
    mails = _deliver(db_engine, tmp_path, at=max(j.due_at for j in jobs))
    [mail] = [m for m in mails if m["To"] == world.referent.email
              and m["Subject"].startswith("Désistement")]
    text = _body(mail)
    assert world.volunteer.display_name in text and "Malade" in text
    assert "membre de l’équipe de la mairie" in text  # the staff's footer, not a volunteer's


def _confirm_past_mission(engine: Engine, w: f.World, problem: str) -> None:
    """The volunteer confirms a mission of three hours ago, maybe with a problem."""
    with session_scope(engine) as s:
        past = f.mission(s, neighbourhood_=w.neighbourhood,
                         starts_at=utcnow() - timedelta(hours=3))
        s.add(Participation(mission_id=past.id, volunteer_id=w.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
    with session_scope(engine) as s:
        confirmation.confirm(s, actor=w.volunteer_actor, mission_id=past.id, timezone=TZ,
                             form=confirmation.Confirmation(minutes="60", problem=problem))


def test_a_problem_report_reaches_the_staff_once(db_engine, world, stranger) -> None:
    _confirm_past_mission(db_engine, world, problem="Personne absente")
    [job] = _mails(db_engine, MessageKind.PROBLEM_REPORTED)
    assert job.user_id == world.referent.id
    assert job.payload["params"]["problem"] == "Personne absente"
    # Without a problem, nothing is mailed.
    _confirm_past_mission(db_engine, world, problem="")
    assert len(_mails(db_engine, MessageKind.PROBLEM_REPORTED)) == 1


def _relay(engine: Engine, w: f.World):
    with session_scope(engine) as s:
        relay = f.user(s, neighbourhood_=w.neighbourhood, role=Role.RELAY)
        s.add(RelayNeighbourhood(user_id=relay.id, neighbourhood_id=w.neighbourhood.id))
    return relay


def test_a_relay_report_reaches_the_staff_and_the_answer_the_relay(db_engine, world, stranger,
                                                                  tmp_path) -> None:
    relay = _relay(db_engine, world)
    with session_scope(db_engine) as s:
        report = relays.report_issue(s, actor=f.actor(relay), timezone=TZ, form=relays.IssueForm(
            category="safety", title="Passage piéton effacé",
            neighbourhood_id=str(world.neighbourhood.id)))
    [told] = _mails(db_engine, MessageKind.RELAY_REPORT)
    assert told.user_id == world.referent.id
    with session_scope(db_engine) as s:
        triage.close(s, actor=world.referent_actor, report_id=report.id,
                     answer="Repeint la semaine prochaine", timezone=TZ)
    [answer] = _mails(db_engine, MessageKind.REPORT_ANSWER)
    assert answer.user_id == relay.id
    mails = _deliver(db_engine, tmp_path, at=max(told.due_at, answer.due_at))
    by_to = {str(m["To"]): m for m in mails}
    assert set(by_to) == {world.referent.email, relay.email}
    assert "Repeint la semaine prochaine" in _body(by_to[relay.email])
    assert "Passage piéton effacé" in by_to[world.referent.email]["Subject"]


def test_a_relay_who_turned_answers_off_gets_none(db_engine, world) -> None:
    relay = _relay(db_engine, world)
    _turn_off(db_engine, relay, MessageKind.REPORT_ANSWER)
    with session_scope(db_engine) as s:
        report = RelayReport(commune_id=world.commune.id, neighbourhood_id=world.neighbourhood.id,
                             relay_id=relay.id, kind="issue", category="comfort", title="Banc")
        s.add(report)
        s.flush()
        triage.close(s, actor=world.referent_actor, report_id=report.id, answer="Réparé",
                     timezone=TZ)
    assert _mails(db_engine, MessageKind.REPORT_ANSWER) == []
    # A volunteer is never offered the relay's switch, nor a staff kind.
    with session_scope(db_engine) as s:
        offered = notifications.preferences(s, actor=world.volunteer_actor)
        assert MessageKind.REPORT_ANSWER not in offered and MessageKind.WITHDRAWAL not in offered
        staff = notifications.preferences(s, actor=world.referent_actor)
        assert MessageKind.MORNING_SUMMARY in staff and MessageKind.PROPOSAL not in staff


def test_a_confirmed_sign_up_waits_for_validation_and_the_staff_are_told(db_engine, world,
                                                                        stranger) -> None:
    with session_scope(db_engine) as s:
        newcomer = f.volunteer(s, neighbourhood_=world.neighbourhood,
                               status=VolunteerStatus.PENDING, email_confirmed=False)
        url = signup.new_confirmation_link(s, user_id=newcomer.id, site_url=SITE)
    assert _mails(db_engine, MessageKind.AWAITING_VALIDATION) == []  # not before confirming
    token = url.split("token=")[1]
    with session_scope(db_engine) as s:
        assert signup.confirm_email(s, token=token, ttl_hours=1, timezone=TZ)
    [job] = _mails(db_engine, MessageKind.AWAITING_VALIDATION)
    assert job.user_id == world.referent.id
    assert job.payload["params"] == {"volunteer_id": newcomer.id,
                                     "volunteer": newcomer.display_name}


# --- scheduled: missions soon without anyone, the morning summary ----------------------


def _runner(engine: Engine, tmp_path: Path, at: datetime, controller) -> Runner:
    mailer = SmtpMailer(host=controller.hostname, port=controller.port, tls="none", timeout_s=5)
    return Runner(JobContext(engine=engine, mailer=mailer, settings=_settings(tmp_path),
                             clock=lambda: at), KINDS, worker="test")


def test_a_mission_soon_without_a_volunteer_is_told_once_in_the_day(db_engine, world,
                                                                    stranger) -> None:
    night = datetime(2026, 12, 4, 22, 30, tzinfo=ZoneInfo(TZ))
    with session_scope(db_engine) as s:
        for m in s.exec(select(type(world.mission))).all():  # the world's own: not ours
            m.status = MissionStatus.DRAFT
            s.add(m)
        tonight = f.mission(s, neighbourhood_=world.neighbourhood,
                            starts_at=night + timedelta(minutes=45))
        tomorrow = f.mission(s, neighbourhood_=world.neighbourhood,
                             starts_at=night + timedelta(hours=12))
        f.mission(s, neighbourhood_=world.neighbourhood, starts_at=night + timedelta(days=3))
        taken = f.mission(s, neighbourhood_=world.neighbourhood, status=MissionStatus.FULL,
                          starts_at=night + timedelta(hours=5))
        taken.accepted_count = 1
        s.add(taken)
    for _ in range(2):  # the hourly scan runs again: nothing twice
        with session_scope(db_engine) as s:
            notices.enqueue_unstaffed(s, now=night, timezone=TZ)
    jobs = _mails(db_engine, MessageKind.UNSTAFFED)
    assert sorted((j.payload["params"]["mission_id"], j.user_id) for j in jobs) == sorted(
        [(tonight.id, world.referent.id), (tomorrow.id, world.referent.id)])
    due = {j.payload["params"]["mission_id"]: j.due_at for j in jobs}
    assert due[tonight.id] == night  # the same day: at once, even at night
    assert due[tomorrow.id] == datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo(TZ))


def test_the_scan_is_an_hourly_job_of_the_runner(db_engine, world, tmp_path) -> None:
    at = datetime(2026, 12, 4, 10, 20, tzinfo=ZoneInfo(TZ))
    with smtp_server() as (controller, _):
        runner = _runner(db_engine, tmp_path, at, controller)
        runner.schedule_recurring()
        runner.schedule_recurring()
        runner.run_until_idle()
    with session_scope(db_engine) as s:
        scans = [(j.key, j.status) for j in s.exec(select(Job).where(Job.kind == UNSTAFFED_SCAN)
                                                   .order_by(Job.id))]
    # The current hour's run (looked back one hour) ran, and the next one is planned.
    assert scans == [(f"{UNSTAFFED_SCAN}:2026-12-04T09", "done"),
                     (f"{UNSTAFFED_SCAN}:2026-12-04T10", "pending")]


def test_the_morning_summary_lists_each_communes_visits_to_its_own_staff(db_engine, world,
                                                                          tmp_path) -> None:
    morning = datetime(2026, 12, 4, 8, 0, tzinfo=ZoneInfo(TZ))
    with session_scope(db_engine) as s:
        w2 = f.world(s, starts_at=morning + timedelta(hours=30))  # another commune, tomorrow
        today = f.mission(s, neighbourhood_=world.neighbourhood, status=MissionStatus.FULL,
                          starts_at=morning + timedelta(hours=6))
        s.add(Participation(mission_id=today.id, volunteer_id=world.volunteer.id,
                            status=ParticipationStatus.ACCEPTED))
        f.mission(s, neighbourhood_=world.neighbourhood, starts_at=morning + timedelta(days=3))
        world.mission.starts_at = morning + timedelta(hours=26)  # tomorrow, nobody yet
        s.add(world.mission)
    _turn_off(db_engine, w2.referent, MessageKind.MORNING_SUMMARY)
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, tmp_path, morning, controller)
        runner.schedule_recurring()
        runner.run_until_idle()
        runner.run_until_idle()
    [mail] = [m for m in recorder.messages if "Visites" in m["Subject"]]
    assert mail["To"] == world.referent.email  # w2's referent turned it off
    text = _body(mail)
    with session_scope(db_engine) as s:
        mine = [m.beneficiary_id for m in (today, world.mission)]
        names = {b.full_name for b in s.exec(select(type(world.beneficiary)))
                 if b.id in mine}
        other = s.get(type(world.beneficiary), w2.beneficiary.id).full_name
    assert all(name in text for name in names) and other not in text
    assert "02 99 75 00 00" in text  # the phone, written the French way
    assert world.volunteer.display_name in text and "personne pour l’instant" in text
    with session_scope(db_engine) as s:
        runs = [j.key for j in s.exec(select(Job).where(Job.kind == MORNING_SUMMARY))]
    assert runs == [f"{MORNING_SUMMARY}:2026-12-04", f"{MORNING_SUMMARY}:2026-12-05"]


# --- « add to my calendar » -------------------------------------------------------------


@contextmanager
def _calendar_client(engine: Engine, monkeypatch, user_id: int | None):
    @contextmanager
    def scope():
        with session_scope(engine) as session:
            yield session

    monkeypatch.setattr(api_volunteer, "session_scope", scope)
    web = TestClient(Starlette(routes=api_volunteer.routes))
    if user_id is not None:
        with session_scope(engine) as s:
            token = auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)
        web.cookies.set(auth.SESSION_COOKIE, token)
    yield web


def test_the_calendar_file_is_only_for_who_takes_part(db_engine, world, stranger,
                                                      monkeypatch) -> None:
    path = f"/api/missions/{world.mission.id}/calendar.ics"
    with session_scope(db_engine) as s:
        participation.accept_mission(s, actor=world.volunteer_actor, mission_id=world.mission.id,
                                     timezone=TZ)
        onlooker = f.volunteer(s, neighbourhood_=world.neighbourhood)
    with _calendar_client(db_engine, monkeypatch, world.volunteer.id) as web:
        got = web.get(path)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/calendar")
    event = Calendar.from_ical(got.content).walk("VEVENT")[0]
    assert event.start == world.mission.starts_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == world.mission.title
    for who in (onlooker.id, stranger.id, None):  # no place, another commune, not signed in
        with _calendar_client(db_engine, monkeypatch, who) as web:
            assert web.get(path).status_code == 404
