"""The outbox end to end: a change writes its deliveries, the runner sends them to a real
SMTP server on loopback, retries, gives up, respects choices — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import ssl
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.mime.text import MIMEText
from pathlib import Path
from zoneinfo import ZoneInfo

import factories as f
import pytest
from mailserver import PASSWORD, USER, Recorder, free_port, smtp_server
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.applications import Starlette
from starlette.testclient import TestClient
from test_volunteer_app import good_form, link_token

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import (
    EmlOutbox,
    Mail,
    SmtpMailer,
    compose,
    mailer_from_settings,
)
from heurecivique_app.api import notifications as api_notifications
from heurecivique_app.domain.community import RelayReport, ReportKind
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, Role
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.models import Participation
from heurecivique_app.domain.notifications import (
    MAX_ATTEMPTS,
    Job,
    JobStatus,
    MessageKind,
    retry_delay,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs import queue
from heurecivique_app.jobs.kinds import KINDS, REMINDER_SCAN
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import matching, notifications, signup, triage
from heurecivique_app.settings import Settings

TZ = "Europe/Paris"


def _settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"HC_DATA_DIR": str(tmp_path), "HC_TIMEZONE": TZ,
                              "HC_PUBLIC_URL": "https://heure.vitre.example", **env})


def _runner(engine: Engine, mailer, settings: Settings, at: datetime | None = None,
            **options) -> Runner:
    clock = (lambda: at) if at is not None else utcnow
    return Runner(JobContext(engine=engine, mailer=mailer, settings=settings, clock=clock),
                  KINDS, worker="test", **options)


def _smtp(controller) -> SmtpMailer:
    return SmtpMailer(host=controller.hostname, port=controller.port, tls="none", timeout_s=5)


def _jobs(engine: Engine) -> list[Job]:
    with session_scope(engine) as s:
        return list(s.exec(select(Job).order_by(Job.id)))


def _propose(engine: Engine, w: f.World, mission_id: int | None = None) -> None:
    with session_scope(engine) as s:
        matching.propose_mission(s, actor=w.referent_actor, mission_id=mission_id or w.mission.id,
                                 volunteer_ids=[w.volunteer.id], timezone=TZ)


@pytest.fixture
def world(db_engine: Engine) -> f.World:
    with session_scope(db_engine) as s:
        w = f.world(s)
        w.commune.theme_color = "#0f766e"
        s.add(w.commune)
    return w


def _unsubscribe_client(engine: Engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(engine) as session:
            yield session

    monkeypatch.setattr(api_notifications, "session_scope", scope)
    return TestClient(Starlette(routes=api_notifications.routes))


def _preferences(engine: Engine, w: f.World) -> dict[str, bool]:
    with session_scope(engine) as s:
        return notifications.preferences(s, actor=w.volunteer_actor)


def test_a_proposal_is_mailed_once_in_the_volunteers_language(db_engine, world, tmp_path,
                                                              monkeypatch):
    _propose(db_engine, world)
    [job] = _jobs(db_engine)
    assert (job.user_id, job.status, job.attempts) == (world.volunteer.id, JobStatus.PENDING, 0)
    local_due = job.due_at.astimezone(ZoneInfo(TZ)).time()
    assert 8 <= local_due.hour < 21  # never in the quiet hours
    settings = _settings(tmp_path)
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, _smtp(controller), settings, at=job.due_at)
        assert runner.run_until_idle() == 1
        assert runner.run_until_idle() == 0  # nothing sent twice
    [mail] = recorder.messages
    assert mail["To"] == world.volunteer.email
    assert mail["Subject"] == f"Une mission pour vous : {world.mission.title}"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert world.referent.display_name in text and f"/missions/{world.mission.id}" in text
    assert "#0f766e" in html and world.commune.name in html
    # RFC 8058 one-click unsubscribe, and the link works once.
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = str(mail["List-Unsubscribe"]).strip("<>")
    assert url.startswith("https://heure.vitre.example/api/unsubscribe/") and url in text
    client = _unsubscribe_client(db_engine, monkeypatch)
    path = url.removeprefix("https://heure.vitre.example")
    page = client.get(path)  # opening the link (a mail scanner does) changes nothing
    assert page.status_code == 200 and "Ne plus recevoir ces e-mails" in page.text
    assert _preferences(db_engine, world)[MessageKind.PROPOSAL] is True
    # The mail client's one-click POST (RFC 8058) turns the kind off, and only that kind.
    done = client.post(path, content=b"List-Unsubscribe=One-Click",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert done.status_code == 200
    assert _preferences(db_engine, world) == {MessageKind.PROPOSAL: False,
                                              MessageKind.REMINDER: True,
                                              MessageKind.CONFIRMED: True,
                                              MessageKind.GROUP_MESSAGE: True}
    assert client.post(path[:-3] + "abc").status_code == 404
    assert [j.status for j in _jobs(db_engine)] == [JobStatus.DONE]


def test_the_delivery_is_part_of_the_transaction(db_engine, world) -> None:
    with pytest.raises(RuntimeError), session_scope(db_engine) as s:
        matching.propose_mission(s, actor=world.referent_actor, mission_id=world.mission.id,
                                 volunteer_ids=[world.volunteer.id], timezone=TZ)
        raise RuntimeError("the request failed after the proposal")
    assert _jobs(db_engine) == []
    # The same delivery enqueued twice is one row (the key is unique).
    with session_scope(db_engine) as s:
        for _ in range(2):
            notifications.notify(s, kind=MessageKind.REMINDER, event="reminder:test",
                                 user_ids=[world.volunteer.id, world.volunteer.id], params={},
                                 commune={"name": "X", "colour": "#000000"}, timezone=TZ)
    assert len(_jobs(db_engine)) == 1


def test_quiet_hours_hold_mail_until_eight_except_same_day_changes(db_engine, world) -> None:
    night = datetime(2026, 12, 4, 22, 30, tzinfo=ZoneInfo(TZ))
    common = {"kind": MessageKind.PROPOSAL, "user_ids": [world.volunteer.id], "params": {},
              "commune": {"name": "X", "colour": "#000"}, "timezone": TZ, "now": night}
    with session_scope(db_engine) as s:
        [later] = notifications.email_jobs(s, event="a", **common)
        [today] = notifications.email_jobs(s, event="b", urgent=True, **common)
    assert later["due_at"] == datetime(2026, 12, 5, 8, 0, tzinfo=ZoneInfo(TZ))
    assert today["due_at"] == night


def test_a_permanent_refusal_fails_at_once_and_shows_on_the_record(db_engine, world, tmp_path):
    _propose(db_engine, world)
    [job] = _jobs(db_engine)
    recorder = Recorder(refuse={world.volunteer.email: "550 5.1.1 No such mailbox"})
    with smtp_server(recorder) as (controller, _):
        runner = _runner(db_engine, _smtp(controller), _settings(tmp_path), at=job.due_at)
        runner.run_until_idle()
        # A day later nothing is tried again: no retry storm on a dead address.
        later = _runner(db_engine, _smtp(controller), _settings(tmp_path),
                        at=job.due_at + timedelta(days=1))
        assert later.run_until_idle() == 0
    [job] = _jobs(db_engine)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert "550" in job.last_error and recorder.messages == []
    with session_scope(db_engine) as s:
        [problem] = notifications.delivery_problems(s, actor=world.referent_actor,
                                                    user_id=world.volunteer.id)
        assert (problem.kind, problem.final) == (MessageKind.PROPOSAL, True)
        with pytest.raises(NotFound):
            notifications.delivery_problems(s, actor=world.referent_actor, user_id=10**6)


def test_temporary_failures_back_off_then_give_up(db_engine, world, tmp_path) -> None:
    _propose(db_engine, world)
    [job] = _jobs(db_engine)
    settings = _settings(tmp_path)
    recorder = Recorder(refuse={world.volunteer.email: "451 4.7.1 Try again later"})
    at = job.due_at
    with smtp_server(recorder) as (controller, _):
        _runner(db_engine, _smtp(controller), settings, at=at).run_until_idle()
        [job] = _jobs(db_engine)
        assert (job.status, job.attempts) == (JobStatus.PENDING, 1) and "451" in job.last_error
        assert job.due_at >= at + timedelta(seconds=30)
        # Not due again before its back-off ends.
        assert _runner(db_engine, _smtp(controller), settings, at=at).run_until_idle() == 0
    # Then the server is gone altogether (connection refused): still a temporary failure.
    down = SmtpMailer(host="127.0.0.1", port=free_port(), tls="none", timeout_s=2)
    delays = []
    while job.status == JobStatus.PENDING:
        at = job.due_at
        _runner(db_engine, down, settings, at=at).run_until_idle()
        [job] = _jobs(db_engine)
        delays.append(job.due_at - at)
    assert job.status == JobStatus.FAILED and job.attempts == MAX_ATTEMPTS
    assert "gave up after" in job.last_error and "ConnectionRefused" in job.last_error
    # Each retry waited its back-off (longer when it fell in the quiet hours).
    assert all(wait >= retry_delay(n) for n, wait in enumerate(delays[:-1], start=2))


def test_turned_off_kinds_are_not_sent(db_engine, world, tmp_path) -> None:
    with session_scope(db_engine) as s:
        notifications.set_preferences(s, actor=world.volunteer_actor,
                                      enabled={MessageKind.PROPOSAL: False})
    _propose(db_engine, world)
    assert _jobs(db_engine) == []  # not even written
    with session_scope(db_engine) as s:
        notifications.set_preferences(s, actor=world.volunteer_actor,
                                      enabled={MessageKind.PROPOSAL: True})
        another = f.mission(s, neighbourhood_=world.neighbourhood)
    _propose(db_engine, world, another.id)
    [job] = _jobs(db_engine)
    # Turned off between the proposal and the sending: skipped, not sent.
    with session_scope(db_engine) as s:
        notifications.set_preferences(s, actor=world.volunteer_actor,
                                      enabled={MessageKind.PROPOSAL: False})
    with smtp_server() as (controller, recorder):
        _runner(db_engine, _smtp(controller), _settings(tmp_path), at=job.due_at).run_until_idle()
    assert recorder.messages == [] and _jobs(db_engine)[0].status == JobStatus.SKIPPED


def test_a_forged_unsubscribe_link_changes_nothing(db_engine, world) -> None:
    good = notifications.unsubscribe_token("secret", world.volunteer.id, MessageKind.REMINDER)
    forged = [good[:-2] + "xx", good.replace(f"{world.volunteer.id}.", f"{world.referent.id}."),
              good.replace("reminder", "proposal"), "", "1.reminder"]
    with session_scope(db_engine) as s:
        for token in forged:
            with pytest.raises(NotFound):
                notifications.unsubscribe(s, secret="secret", token=token)
        with pytest.raises(NotFound):
            notifications.unsubscribe(s, secret="another", token=good)
        assert all(notifications.preferences(s, actor=world.volunteer_actor).values())


def test_the_daily_scan_reminds_tomorrows_volunteers_once_and_reschedules(
        db_engine, world, tmp_path) -> None:
    scan_at = datetime(2026, 12, 4, 17, 0, tzinfo=ZoneInfo(TZ))
    with session_scope(db_engine) as s:
        tomorrow = f.mission(s, neighbourhood_=world.neighbourhood, status=MissionStatus.FULL,
                             starts_at=datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo(TZ)))
        later = f.mission(s, neighbourhood_=world.neighbourhood,
                          starts_at=datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo(TZ)))
        for m, status in ((tomorrow, ParticipationStatus.ACCEPTED),
                          (later, ParticipationStatus.ACCEPTED)):
            s.add(Participation(mission_id=m.id, volunteer_id=world.volunteer.id, status=status))
        gone = f.volunteer(s, neighbourhood_=world.neighbourhood)
        s.add(Participation(mission_id=tomorrow.id, volunteer_id=gone.id,
                            status=ParticipationStatus.CANCELLED))
    settings = _settings(tmp_path)
    with smtp_server() as (controller, recorder):
        runner = _runner(db_engine, _smtp(controller), settings, at=scan_at)
        runner.schedule_recurring()
        runner.schedule_recurring()  # every worker does it at start: still one run
        runner.run_until_idle()
        runner.schedule_recurring()
        runner.run_until_idle()  # the scan ran: nothing more until tomorrow
    # (The referent also gets the other scheduled runs' e-mails: test_notification_kinds.)
    [mail] = [m for m in recorder.messages if "Rappel" in m["Subject"]]
    assert mail["To"] == world.volunteer.email
    assert mail["Subject"] == f"Rappel : {tomorrow.title} demain"
    scans = [j for j in _jobs(db_engine) if j.kind == REMINDER_SCAN]
    assert [(j.key, j.status) for j in scans] == [
        (f"{REMINDER_SCAN}:2026-12-04", JobStatus.DONE),
        (f"{REMINDER_SCAN}:2026-12-05", JobStatus.PENDING)]
    assert scans[1].due_at == datetime(2026, 12, 5, 17, 0, tzinfo=ZoneInfo(TZ))


def test_a_forwarded_report_is_an_eml_file_without_smtp(db_engine, world, tmp_path) -> None:
    settings = _settings(tmp_path)
    with session_scope(db_engine) as s:
        relay = f.user(s, neighbourhood_=world.neighbourhood, role=Role.RELAY)
        report = RelayReport(commune_id=world.commune.id, neighbourhood_id=world.neighbourhood.id,
                             relay_id=relay.id, kind=ReportKind.ISSUE, category="safety",
                             title="Lampadaire éteint", description="Rue de la Poterie")
        s.add(report)
        s.flush()
        triage.forward(s, actor=world.referent_actor, report_id=report.id, note="Urgent",
                       to="st@mairie.example")
    _runner(db_engine, EmlOutbox(settings.data_dir), settings).run_until_idle()
    # The relay's answer leaves too, at once in the daytime (held during quiet hours).
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in (tmp_path / "outbox").glob("*.eml")]
    [mail] = [m for m in mails if m["To"] == "st@mairie.example"]
    assert "Lampadaire éteint" in mail["Subject"]
    assert "List-Unsubscribe" not in mail  # a service address, not a subscription
    assert "Note du CCAS : Urgent" in mail.get_body(("plain",)).get_content()



def test_signing_up_again_and_again_does_not_flood_an_inbox(db_engine, world, tmp_path):
    """Ten sign-ups with a taken address (confirmed or not) in a few minutes: one
    e-mail to its owner; after the window, one more."""
    pending = "pas-encore@example.fr"
    with session_scope(db_engine) as s:
        signup.sign_up(s, site_url="https://heure.vitre.example", geocoder=f.GEOCODER,
                       form=good_form(world.commune, world.neighbourhood, email=pending))
    start = datetime(2026, 12, 5, 9, 0, 30, tzinfo=ZoneInfo("UTC"))
    for minute in (0, 1, 2, 3, 4, 4, 4, 4, 4, 6):
        for address in (world.volunteer.email, pending):
            with session_scope(db_engine) as s:
                assert signup.sign_up(
                    s, site_url="https://heure.vitre.example", geocoder=f.GEOCODER,
                    form=good_form(world.commune, world.neighbourhood, email=address),
                    now=start + timedelta(minutes=minute)) is None
    jobs = _jobs(db_engine)
    told = [j for j in jobs if j.key.startswith("account_exists:")]
    links = [j for j in jobs if j.key.startswith("confirm:")]
    assert len(told) == 2  # minutes 0-4, then minute 6
    assert len(links) == 3  # the first sign-up's, then one per window


def test_nothing_leaves_when_the_gate_before_acceptance_fails(tmp_path) -> None:
    """``before_accept`` (the runner's wait for the previous outcomes) runs before the
    other end can accept a message (for SMTP, before the end of its DATA, once the
    envelope is through): when it fails, the server accepted nothing of that message,
    and the mailer still sends the next one."""
    seen_by_the_gate: list[list[str]] = []

    def refuse() -> None:
        seen_by_the_gate.append(list(recorder.rcpts))
        raise RuntimeError("outcomes not recorded")

    def mail(to: str):
        return compose(Mail(sender="a@example.org", to=to, subject="s", text="t"))

    with smtp_server() as (controller, recorder):
        mailer = _smtp(controller)
        with pytest.raises(RuntimeError, match="outcomes not recorded"):
            mailer.deliver(mail("first@example.org"), before_accept=refuse)
        mailer.deliver(mail("second@example.org"), before_accept=lambda: None)
        mailer.close()
    assert seen_by_the_gate == [["first@example.org"]]  # the envelope went ahead
    assert recorder.to() == ["second@example.org"]
    box = EmlOutbox(tmp_path)
    with pytest.raises(RuntimeError):
        box.deliver(mail("first@example.org"), before_accept=refuse)
    assert list((tmp_path / "outbox").iterdir()) == []


def test_lines_starting_with_a_dot_arrive_whole_through_the_gate() -> None:
    """The gated DATA sends the content and its final dot apart: the content's own
    leading dots are still doubled on the wire (and undone by the server)."""
    text = ".first\n.\n..two\nend."
    message = MIMEText(text, "plain", "us-ascii")  # 7bit: the dots stay at line starts
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "s"
    with smtp_server() as (controller, recorder):
        mailer = _smtp(controller)
        mailer.deliver(message, before_accept=lambda: None)
        mailer.deliver(compose(Mail(sender="a@example.org", to="c@example.org", subject="s",
                                    text="next")), before_accept=lambda: None)
        mailer.close()
    assert recorder.to() == ["b@example.org", "c@example.org"]
    assert recorder.messages[0].get_content().rstrip("\n").splitlines() == text.splitlines()


def test_starttls_and_login(db_engine, world, tmp_path) -> None:
    _propose(db_engine, world)
    [job] = _jobs(db_engine)
    with smtp_server(tls_dir=tmp_path) as (controller, recorder):
        trust = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
        wrong = SmtpMailer(host="127.0.0.1", port=controller.port, user=USER, password="nope",
                           tls="starttls", ssl_context=trust, timeout_s=5)
        _runner(db_engine, wrong, _settings(tmp_path), at=job.due_at).run_until_idle()
        [job] = _jobs(db_engine)
        assert job.status == JobStatus.PENDING and "login refused" in job.last_error
        right = SmtpMailer(host="127.0.0.1", port=controller.port, user=USER, password=PASSWORD,
                           tls="starttls", ssl_context=trust, timeout_s=5)
        _runner(db_engine, right, _settings(tmp_path), at=job.due_at).run_until_idle()
    assert [m["To"] for m in recorder.messages] == [world.volunteer.email]


def test_the_lifespan_loop_schedules_the_scan_and_sends_what_is_due(db_engine, world, tmp_path):
    """What each backend worker runs: the loop sends a due e-mail and plans the reminders."""
    with session_scope(db_engine) as s:
        notifications.notify(s, kind=MessageKind.REMINDER, event="loop", urgent=True,
                             user_ids=[world.volunteer.id], timezone=TZ,
                             params=notifications.mission_params(world.mission, "Centre"),
                             commune=notifications.commune_look(s, world.commune.id))

    async def run_briefly(runner: Runner) -> None:
        task = asyncio.create_task(runner.run_forever(idle_s=0.05))
        for _ in range(200):
            await asyncio.sleep(0.05)
            if {j.kind for j in _jobs(db_engine) if j.status == JobStatus.DONE} >= {
                    notifications.SEND_EMAIL, REMINDER_SCAN}:
                break
        task.cancel()

    with smtp_server() as (controller, recorder), ThreadPoolExecutor(1) as own_thread:
        # A loop of its own, in a thread: in the whole suite Playwright's sync API may
        # already run an event loop in this thread, and asyncio.run refuses to nest.
        own_thread.submit(asyncio.run, run_briefly(
            _runner(db_engine, _smtp(controller), _settings(tmp_path)))).result()
    assert [m["To"] for m in recorder.messages] == [world.volunteer.email]
    scans = [(j.status, j.due_at > utcnow()) for j in _jobs(db_engine) if j.kind == REMINDER_SCAN]
    assert scans == [(JobStatus.DONE, False), (JobStatus.PENDING, True)]


def test_sign_up_mails_go_through_the_configured_smtp_server(db_engine, world, tmp_path):
    """With HC_SMTP_* set, the confirmation link and the taken-address notice reach the
    SMTP server (not the .eml folder), and the job table never holds a usable link."""
    with smtp_server() as (controller, recorder):
        settings = _settings(tmp_path, HC_SMTP_HOST=controller.hostname,
                             HC_SMTP_PORT=str(controller.port), HC_SMTP_TLS="none")
        for address in ("nouvelle@example.fr", world.volunteer.email):
            with session_scope(db_engine) as s:
                signup.sign_up(s, site_url="https://heure.vitre.example", geocoder=f.GEOCODER,
                               form=good_form(world.commune, world.neighbourhood,
                                              email=address))
        assert _runner(db_engine, mailer_from_settings(settings), settings).run_until_idle() == 2
    assert not (tmp_path / "outbox").exists()
    by_address = {str(m["To"]): m for m in recorder.messages}
    assert sorted(by_address) == sorted(["nouvelle@example.fr", world.volunteer.email])
    link, notice = by_address["nouvelle@example.fr"], by_address[world.volunteer.email]
    assert "/login" in notice.get_body(("plain",)).get_content()
    token = link_token(link.as_string())
    assert all(token not in json.dumps(job.payload) for job in _jobs(db_engine))
    with session_scope(db_engine) as s:
        assert signup.confirm_email(s, token=token, ttl_hours=1)


def test_a_group_of_outcomes_is_recorded_at_once_fenced_by_the_claims(db_engine) -> None:
    """``queue.finish_many`` (the outcome writer's statement: ONE on PostgreSQL, in
    autocommit) writes what ``finish`` writes for each job, and leaves alone a job
    whose claim was lost meanwhile."""
    with session_scope(db_engine) as s:
        for i in range(4):
            notifications.notify_address(
                s, kind=MessageKind.REPORT_FORWARD, event=f"group:{i}", to=f"p{i}@example.org",
                params={"report_id": i, "title": "T", "category": "safety", "place": "Centre",
                        "relay": "R", "created_at": utcnow().isoformat(), "description": "."},
                commune={"name": "Vitré", "colour": "#1d4ed8"})
    done, retried, failed, lost = queue.claim(db_engine, worker="w", limit=4,
                                              lease=timedelta(hours=1))
    with db_engine.begin() as conn:  # another worker took the last one over
        conn.execute(Job.__table__.update().where(Job.id == lost.id).values(locked_by="other"))
    retry_at = utcnow() + timedelta(minutes=7)
    outcomes = [(done, JobStatus.DONE, "", None),
                (retried, JobStatus.PENDING, "TemporaryFailure: 451", retry_at),
                (failed, JobStatus.FAILED, "PermanentFailure: 550 " + "x" * 600, None),
                (lost, JobStatus.DONE, "", None)]
    if db_engine.dialect.name == "postgresql":
        with db_engine.execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
            held = queue.finish_many(conn, outcomes, worker="w")
    else:
        with db_engine.begin() as conn:
            held = queue.finish_many(conn, outcomes, worker="w")
    assert held == 3
    rows = {job.id: job for job in _jobs(db_engine)}
    assert rows[done.id].status == JobStatus.DONE and rows[done.id].finished_at is not None
    assert rows[retried.id].status == JobStatus.PENDING and rows[retried.id].locked_by is None
    assert abs(rows[retried.id].due_at - retry_at) < timedelta(milliseconds=1)
    assert rows[retried.id].finished_at is None
    assert rows[retried.id].last_error == "TemporaryFailure: 451"
    assert rows[failed.id].status == JobStatus.FAILED and len(rows[failed.id].last_error) == 500
    assert rows[lost.id].status == JobStatus.RUNNING and rows[lost.id].locked_by == "other"
    # The retry is due again at its time, as a claim compares it (stored text on SQLite).
    assert queue.claim(db_engine, worker="w", limit=4, lease=timedelta(minutes=5),
                       now=retry_at - timedelta(seconds=1)) == []
    [again] = queue.claim(db_engine, worker="w", limit=4, lease=timedelta(minutes=5),
                          now=retry_at + timedelta(seconds=1))
    assert again.id == retried.id


def test_a_group_of_outcomes_is_found_by_its_ids_not_by_reading_every_job(pg_engine) -> None:
    """The writer's statement on PostgreSQL reaches its jobs through the primary key,
    whatever the size of the job table (it read the whole table for every group: the
    planner assumes 100 rows from json_to_recordset and chose a hash join)."""
    with pg_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO job (kind, key, payload, status, due_at, attempts, locked_by, "
            "last_error, created_at) SELECT 'email.send', 'k' || g, '{}'::json, 'running', "
            "now(), 1, 'w', '', now() FROM generate_series(1, 5000) AS g")
        conn.exec_driver_sql("ANALYZE job")
        job_id = conn.exec_driver_sql("SELECT min(id) FROM job").scalar_one()
    document = json.dumps([{"id": job_id, "attempts": 1, "status": "done", "last_error": "",
                            "due_at": None, "finished_at": utcnow().isoformat()}])
    with pg_engine.connect() as conn:
        with conn.connection.driver_connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + queue._FINISH_MANY,
                           {"outcomes": document, "worker": "w", "ids": [job_id]})
            plan = json.dumps(cursor.fetchone()[0])
        conn.rollback()
    assert '"Relation Name": "job"' in plan and "Seq Scan" not in plan, plan


def test_each_outcome_of_a_batch_goes_to_its_own_job(db_engine, tmp_path) -> None:
    """The runner composes each message while the server answers the one before
    (``while_accepting``): an address that cannot be written, a refusal for good and
    one for now, between messages that go, are each recorded on their own job."""
    addresses = ["ok1@example.org", "not an address", "gone@example.org",
                 "later@example.org", "ok2@example.org"]
    with session_scope(db_engine) as s:
        for i, address in enumerate(addresses):
            notifications.notify_address(
                s, kind=MessageKind.REPORT_FORWARD, event=f"batch:{i}", to=address,
                params={"report_id": i, "title": f"Report {i}", "category": "safety",
                        "place": "Centre", "relay": "R", "created_at": utcnow().isoformat(),
                        "description": "."},
                commune={"name": "Vitré", "colour": "#1d4ed8"})
    recorder = Recorder(refuse={"gone@example.org": "550 5.1.1 No such mailbox",
                                "later@example.org": "451 4.7.1 Try again later"})
    with smtp_server(recorder) as (controller, _):
        _runner(db_engine, _smtp(controller), _settings(tmp_path)).run_until_idle()
    outcome = {job.payload["to"]: job for job in _jobs(db_engine)}
    assert outcome["ok1@example.org"].status == JobStatus.DONE
    assert outcome["not an address"].status == JobStatus.FAILED
    assert "invalid address" in outcome["not an address"].last_error
    assert outcome["gone@example.org"].status == JobStatus.FAILED
    assert "550" in outcome["gone@example.org"].last_error
    assert outcome["later@example.org"].status == JobStatus.PENDING
    assert "451" in outcome["later@example.org"].last_error
    assert outcome["ok2@example.org"].status == JobStatus.DONE
    got = {m["To"]: m["Subject"] for m in recorder.messages}
    assert sorted(got) == ["ok1@example.org", "ok2@example.org"]
    assert len(recorder.messages) == 2 and "Report 4" in got["ok2@example.org"]
