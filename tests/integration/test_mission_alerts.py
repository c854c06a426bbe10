"""Opt-in alerts for new missions near home, their digest and the monthly nudge, on SQLite
and PostgreSQL: publishing writes one fan-out job; the runner finds who matches (gesture,
distance, commune, status, choice), caps the day's e-mails, holds the rest for the
digest; the nudge reaches only who asked and has not given their hour."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import factories as f
import pytest
from mailserver import smtp_server
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import SmtpMailer
from heurecivique_app.domain.alerts import ALERTS_PER_DAY, AlertMode, AlertPending
from heurecivique_app.domain.enums import MissionKind, MissionStatus, VolunteerStatus
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import HourEntry, VolunteerProfile
from heurecivique_app.domain.notifications import Job, JobStatus, MessageKind
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.kinds import ALERT_DIGEST, HOUR_NUDGE, KINDS, next_nudge
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import alerts, notifications
from heurecivique_app.services.missions import lifecycle
from heurecivique_app.settings import Settings

TZ = "Europe/Paris"
SITE = "https://heure.vitre.example"


def _runner(engine: Engine, tmp_path: Path, controller, at: datetime | None = None) -> Runner:
    settings = Settings.from_env({"HC_DATA_DIR": str(tmp_path), "HC_TIMEZONE": TZ,
                                  "HC_PUBLIC_URL": SITE})
    mailer = SmtpMailer(host=controller.hostname, port=controller.port, tls="none", timeout_s=5)
    return Runner(JobContext(engine=engine, mailer=mailer, settings=settings,
                             clock=(lambda: at) if at is not None else utcnow),
                  KINDS, worker="test")


def _jobs(engine: Engine, **where) -> list[Job]:
    with session_scope(engine) as s:
        rows = s.exec(select(Job).order_by(Job.id)).all()
    return [j for j in rows if all(
        (j.payload.get(k) if k == "kind" else getattr(j, k)) == v for k, v in where.items())]


def _choose(engine: Engine, person, mode: str, nudge: bool = False) -> None:
    with session_scope(engine) as s:
        alerts.set_choice(s, actor=f.actor(person), mode=mode, nudge=nudge)


class People:
    """A draft mission (shopping) and volunteers around it, each a case of the rule."""

    def __init__(self, engine: Engine) -> None:
        with session_scope(engine) as s:
            w = f.world(s, status=MissionStatus.DRAFT)
            hood = w.neighbourhood
            self.world = w
            self.instant = w.volunteer  # shopping and visit, home = the neighbourhood
            self.digest = f.volunteer(s, neighbourhood_=hood)
            self.never_chose = f.volunteer(s, neighbourhood_=hood)
            self.turned_off = f.volunteer(s, neighbourhood_=hood)
            self.other_gesture = f.volunteer(s, neighbourhood_=hood)
            s.get(VolunteerProfile, self.other_gesture.id).skills = ["gardening"]
            self.far = f.volunteer(s, neighbourhood_=hood)
            far = s.get(VolunteerProfile, self.far.id)
            far.home_lat, far.home_lon = 48.20, -1.2089  # 8.5 km north, goes up to 2 km
            self.paused = f.volunteer(s, neighbourhood_=hood, status=VolunteerStatus.PAUSED)
            self.pending = f.volunteer(s, neighbourhood_=hood, status=VolunteerStatus.PENDING)
            other = f.world(s)  # another commune, same place on the map
            self.elsewhere = other.volunteer
            s.add_all([s.get(VolunteerProfile, self.other_gesture.id), far])
        for person in (self.instant, self.other_gesture, self.far, self.paused, self.pending,
                       self.elsewhere):
            _choose(engine, person, AlertMode.INSTANT)
        _choose(engine, self.digest, AlertMode.DIGEST)
        _choose(engine, self.turned_off, AlertMode.INSTANT)
        _choose(engine, self.turned_off, AlertMode.OFF)


@pytest.fixture
def people(db_engine: Engine) -> People:
    return People(db_engine)


def _publish(engine: Engine, people: People, mission_id: int | None = None) -> None:
    with session_scope(engine) as s:
        lifecycle.publish_mission(s, actor=people.world.referent_actor,
                                  mission_id=mission_id or people.world.mission.id)


def test_publishing_writes_one_job_and_the_runner_alerts_who_matches(db_engine, people,
                                                                    tmp_path) -> None:
    _publish(db_engine, people)
    # The request wrote ONE row, whatever the number of subscribers: the fan-out job.
    [fanout] = _jobs(db_engine)
    assert (fanout.kind, fanout.payload) == (alerts.FANOUT_JOB,
                                            {"mission_id": people.world.mission.id})
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, tmp_path, controller)
        runner.run_once()  # the fan-out
        [alert] = _jobs(db_engine, kind=MessageKind.MISSION_ALERT)
        assert alert.user_id == people.instant.id
        runner = _runner(db_engine, tmp_path, controller, at=alert.due_at)
        runner.run_until_idle()
    [mail] = recorder.messages
    assert mail["To"] == people.instant.email
    assert mail["Subject"] == f"Une nouvelle mission près de chez vous : " \
                              f"{people.world.mission.title}"
    text = mail.get_body(("plain",)).get_content()
    assert "Courses" in text and f"{SITE}/missions/{people.world.mission.id}" in text
    assert people.world.beneficiary.address not in text
    # The digest subscriber's match waits for the evening; nobody else is concerned.
    with session_scope(db_engine) as s:
        held = s.exec(select(AlertPending.user_id, AlertPending.mission_id)).all()
    assert held == [(people.digest.id, people.world.mission.id)]
    # A fan-out run again (a retry) writes nothing twice.
    with session_scope(db_engine) as s:
        alerts.fan_out(s, mission_id=people.world.mission.id, now=utcnow(), timezone=TZ)
    assert len(_jobs(db_engine, kind=MessageKind.MISSION_ALERT)) == 1
    # The alert can be stopped from the e-mail itself: the choice goes back to off.
    url = str(mail["List-Unsubscribe"]).strip("<>")
    with session_scope(db_engine) as s:
        notifications.unsubscribe(s, secret=Settings.from_env({}).secret_key,
                                  token=url.rsplit("/", 1)[1])
        assert alerts.choice(s, actor=f.actor(people.instant)).mode == AlertMode.OFF


def test_a_pending_volunteer_hears_of_collective_actions_only(db_engine, people) -> None:
    with session_scope(db_engine) as s:
        action = f.mission(s, neighbourhood_=people.world.neighbourhood,
                           kind=MissionKind.COLLECTIVE, status=MissionStatus.DRAFT,
                           category="shopping")
    _publish(db_engine, people, action.id)
    with session_scope(db_engine) as s:
        alerts.fan_out(s, mission_id=action.id, now=utcnow(), timezone=TZ)
    alerted = {j.user_id for j in _jobs(db_engine, kind=MessageKind.MISSION_ALERT)}
    assert alerted == {people.instant.id, people.pending.id}


def test_at_most_a_few_alerts_a_day_the_rest_wait_for_the_digest(db_engine, people,
                                                                tmp_path) -> None:
    evening = datetime(2026, 12, 4, 17, 0, tzinfo=ZoneInfo(TZ))
    ids = []
    with session_scope(db_engine) as s:
        for n in range(ALERTS_PER_DAY + 2):
            ids.append(f.mission(s, neighbourhood_=people.world.neighbourhood,
                                 status=MissionStatus.OPEN, title=f"Courses {n}",
                                 starts_at=evening + timedelta(days=2, hours=n)).id)
    for mission_id in ids:
        with session_scope(db_engine) as s:
            alerts.fan_out(s, mission_id=mission_id, now=evening, timezone=TZ)
    mine = _jobs(db_engine, kind=MessageKind.MISSION_ALERT, user_id=people.instant.id)
    assert len(mine) == ALERTS_PER_DAY
    with session_scope(db_engine) as s:
        waiting = s.exec(select(AlertPending.mission_id).where(
            AlertPending.user_id == people.instant.id)).all()
    assert sorted(waiting) == ids[ALERTS_PER_DAY:]
    # The 18:00 digest sends the held ones in one e-mail each, then forgets them.
    at = datetime(2026, 12, 4, 18, 0, tzinfo=ZoneInfo(TZ))
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, tmp_path, controller, at=at)
        runner.schedule_recurring()
        runner.run_until_idle()
        runner.run_until_idle()  # the next digest is tomorrow: nothing more
    digests = [m for m in recorder.messages if "nouvelle(s) mission(s)" in m["Subject"]]
    by_to = {str(m["To"]): m for m in digests}
    assert set(by_to) == {people.instant.email, people.digest.email}
    text = by_to[people.instant.email].get_body(("plain",)).get_content()
    assert "Courses 3" in text and "Courses 4" in text and "Courses 0" not in text
    assert by_to[people.digest.email]["Subject"].startswith(f"{len(ids)} nouvelle(s)")
    with session_scope(db_engine) as s:
        assert s.exec(select(AlertPending)).all() == []
    runs = [(j.key, j.status) for j in _jobs(db_engine, kind=None) if j.kind == ALERT_DIGEST]
    assert runs == [(f"{ALERT_DIGEST}:2026-12-04", JobStatus.DONE),
                    (f"{ALERT_DIGEST}:2026-12-05", JobStatus.PENDING)]
    # The next day the count starts again.
    with session_scope(db_engine) as s:
        later = f.mission(s, neighbourhood_=people.world.neighbourhood,
                          starts_at=evening + timedelta(days=4))
    with session_scope(db_engine) as s:
        alerts.fan_out(s, mission_id=later.id, now=evening + timedelta(days=1), timezone=TZ)
    assert len(_jobs(db_engine, kind=MessageKind.MISSION_ALERT,
                     user_id=people.instant.id)) == ALERTS_PER_DAY + 1


def test_alerts_keep_the_quiet_hours_except_for_a_mission_of_the_same_day(db_engine,
                                                                         people) -> None:
    night = datetime(2026, 12, 4, 21, 30, tzinfo=ZoneInfo(TZ))
    with session_scope(db_engine) as s:
        tonight = f.mission(s, neighbourhood_=people.world.neighbourhood,
                            starts_at=night + timedelta(hours=2))
        later = f.mission(s, neighbourhood_=people.world.neighbourhood,
                          starts_at=night + timedelta(days=2))
    for mission in (tonight, later):
        with session_scope(db_engine) as s:
            alerts.fan_out(s, mission_id=mission.id, now=night, timezone=TZ)
    due = {j.payload["params"]["mission_id"]: j.due_at
           for j in _jobs(db_engine, kind=MessageKind.MISSION_ALERT)}
    assert due == {tonight.id: night,
                   later.id: datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo(TZ))}


def test_a_cancelled_mission_or_a_changed_mind_sends_nothing(db_engine, people,
                                                            tmp_path) -> None:
    _publish(db_engine, people)
    with session_scope(db_engine) as s:
        alerts.fan_out(s, mission_id=people.world.mission.id, now=utcnow(), timezone=TZ)
    [alert] = _jobs(db_engine, kind=MessageKind.MISSION_ALERT)
    _choose(db_engine, people.instant, AlertMode.OFF)  # between the fan-out and the sending
    with smtp_server() as (controller, recorder):
        _runner(db_engine, tmp_path, controller, at=alert.due_at).run_until_idle()
    assert recorder.messages == []
    assert _jobs(db_engine, kind=MessageKind.MISSION_ALERT)[0].status == JobStatus.SKIPPED
    with session_scope(db_engine) as s:
        gone = f.mission(s, neighbourhood_=people.world.neighbourhood,
                         status=MissionStatus.CANCELLED)
        assert alerts.fan_out(s, mission_id=gone.id, now=utcnow(), timezone=TZ) == \
            alerts.FanOut(0, 0)


def test_a_choice_not_on_the_page_means_off(db_engine, people) -> None:
    with session_scope(db_engine) as s:
        saved = alerts.set_choice(s, actor=f.actor(people.digest), mode="every minute",
                                  nudge="yes")
        assert saved == alerts.AlertChoice(AlertMode.OFF, False)
        assert s.exec(select(AlertPending).where(
            AlertPending.user_id == people.digest.id)).all() == []


# --- the monthly nudge ------------------------------------------------------------------


def test_the_nudge_reaches_who_asked_and_has_not_given_the_hour(db_engine, people,
                                                               tmp_path) -> None:
    at = datetime(2026, 12, 20, 10, 0, tzinfo=ZoneInfo(TZ))
    _choose(db_engine, people.instant, AlertMode.OFF, nudge=True)
    _choose(db_engine, people.digest, AlertMode.DIGEST, nudge=True)
    _choose(db_engine, people.paused, AlertMode.OFF, nudge=True)
    with session_scope(db_engine) as s:
        # The digest subscriber gave their hour this month: no nudge.
        s.add(HourEntry(volunteer_id=people.digest.id, mission_id=people.world.mission.id,
                        minutes=60, month=month_key(at, TZ)))
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, tmp_path, controller, at=at)
        runner.schedule_recurring()
        runner.run_until_idle()
        runner.schedule_recurring()
        runner.run_until_idle()  # run again: nothing twice
    assert recorder.to() == [people.instant.email]
    assert recorder.messages[0]["Subject"] == "Votre heure ce mois-ci ?"
    assert "List-Unsubscribe" in recorder.messages[0]
    runs = [(j.key, j.status, j.due_at) for j in _jobs(db_engine) if j.kind == HOUR_NUDGE]
    assert runs == [
        (f"{HOUR_NUDGE}:2026-12", JobStatus.DONE, at),
        (f"{HOUR_NUDGE}:2027-01", JobStatus.PENDING,
         datetime(2027, 1, 20, 10, 0, tzinfo=ZoneInfo(TZ)))]


def test_the_nudge_runs_on_the_twentieth(db_engine) -> None:
    zone = ZoneInfo(TZ)
    assert next_nudge(datetime(2026, 12, 5, 1, 0, tzinfo=zone), TZ) == (
        datetime(2026, 12, 20, 10, 0, tzinfo=zone), f"{HOUR_NUDGE}:2026-12")
    assert next_nudge(datetime(2026, 12, 20, 10, 0, tzinfo=zone), TZ) == (
        datetime(2027, 1, 20, 10, 0, tzinfo=zone), f"{HOUR_NUDGE}:2027-01")
    assert next_nudge(datetime(2027, 1, 31, 23, 0, tzinfo=zone), TZ)[1] == f"{HOUR_NUDGE}:2027-02"
