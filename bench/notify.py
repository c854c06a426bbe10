"""The outbox under load: a new mission that matches the alert settings of 10,000
volunteers, its fan-out into 10,000 e-mail deliveries, and one worker delivering them to
a real SMTP server on loopback, next to bare smtplib sends to the same server in the same
run.

Prints one JSON object:

- recipients: volunteers alerted (10,000 by default: each has opted in to instant alerts,
  likes shopping, lives in the mission's neighbourhood);
- enqueue_ms: the fan-out job run by the job runner after the publishing request
  committed (``services.alerts.fan_out``: claim the job, read the subscribers, match
  gesture and distance, write every delivery in bulk through ``notify`` — the e-mail
  jobs, the in-app rows, push jobs for subscribed browsers —, count each one's daily
  cap, commit): from the claim to the last delivery committed;
- publish_overhead_ms: what the publishing request pays for the alerts: the median of
  ``lifecycle.publish_mission`` (which writes ONE fan-out job in its transaction) minus
  the median of the same publish with the fan-out job left out (same run, same database
  with its 10,000 subscribers);
- emails_per_s: one job runner (claim, render French/English text+HTML, send, record)
  to the loopback aiosmtpd server, which runs in a process of its own, over ONE SMTP
  connection (each message's end of DATA waits for the previous outcome's commit);
- bare_emails_per_s: smtplib ``send_message`` of one pre-built message over one
  connection to the same server, the ceiling of the transport, measured just before
  the runner (a shared machine's load can differ between the two);
- pushes_per_s: one job runner (claim, read the browsers, write the notification in the
  recipient's language, encrypt it for the browser's keys, sign VAPID, POST, record)
  delivering ``--pushes`` pushes to a push endpoint on loopback (an http.server process of
  its own); bare_pushes_per_s: ``pywebpush.webpush`` of one prepared message in a loop to
  the same endpoint (encryption, signature and POST only), the ceiling of the transport;
  push_lost / push_duplicates: browsers the endpoint never got / got more than once;
- lost / duplicates: recipients the server never got / got more than once.

    python bench/notify.py                      # SQLite (the embedded mode)
    python bench/notify.py --pg                 # a scratch PostgreSQL database
"""

from __future__ import annotations

import argparse
import json
import smtplib
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import factories as f  # noqa: E402
from scratch_db import migrate, scratch_pg_database  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from heurecivique_app.adapters.db import make_engine, session_scope  # noqa: E402
from heurecivique_app.adapters.mail import Mail, SmtpMailer, compose  # noqa: E402
from heurecivique_app.domain.alerts import AlertMode, AlertSetting  # noqa: E402
from heurecivique_app.domain.enums import MissionStatus, Role, VolunteerStatus  # noqa: E402
from heurecivique_app.domain.models import User, UserSession, VolunteerProfile  # noqa: E402
from heurecivique_app.domain.notifications import Job, MessageKind, outside_quiet_hours  # noqa: E402
from heurecivique_app.domain.types import utcnow  # noqa: E402
from heurecivique_app.jobs.kinds import KINDS  # noqa: E402
from heurecivique_app.jobs.runner import JobContext, Runner  # noqa: E402
from heurecivique_app.services import alerts, notifications  # noqa: E402
from heurecivique_app.services.missions import lifecycle  # noqa: E402
from heurecivique_app.settings import Settings  # noqa: E402

TZ = "Europe/Paris"
SERVER = """
import asyncio, json, sys
from collections import Counter
from email import message_from_bytes
from aiosmtpd.controller import Controller
got = Counter()
class Count:
    async def handle_DATA(self, server, session, envelope):
        got.update(envelope.rcpt_tos)
        return "250 OK"
c = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]), server_hostname="bench")
c.start()
print("ready", flush=True)
sys.stdin.read()  # until the bench closes our stdin
c.stop()
print(json.dumps(got))
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _people(engine, count: int):
    """A commune with a referent and ``count`` volunteers subscribed to instant alerts."""
    with session_scope(engine) as s:
        w = f.world(s, status=MissionStatus.DRAFT)
        hash_ = f.password_hash()
        now = utcnow()
        s.execute(insert(User), [
            {"commune_id": w.commune.id, "neighbourhood_id": w.neighbourhood.id,
             "email": f"v{i:05d}@bench.example", "password_hash": hash_,
             "display_name": f"Volontaire {i}", "role": Role.VOLUNTEER, "locale": "fr",
             "is_active": True, "email_confirmed": True, "created_at": now}
            for i in range(count)])
        ids = list(s.execute(select(User.id).where(User.email.like("v%@bench.example")))
                   .scalars())
        s.execute(insert(VolunteerProfile), [
            {"user_id": i, "status": VolunteerStatus.ACTIVE, "skills": ["shopping", "visit"],
             "availability": {"sat": ["morning"]}, "skills_key": "shopping visit",
             "slots_key": "sat:morning", "max_distance_km": 2.0} for i in ids])
        s.execute(insert(AlertSetting), [
            {"user_id": i, "mode": AlertMode.INSTANT, "nudge": False, "sent_day": "",
             "sent_today": 0, "updated_at": now} for i in ids])
    return w, ids


def _draft(engine, w, at):
    with session_scope(engine) as s:
        return f.mission(s, neighbourhood_=w.neighbourhood, status=MissionStatus.DRAFT,
                         starts_at=at + timedelta(days=2))


def _publish_overhead_ms(engine, w, at, repeat: int = 30) -> float:
    """Median publish with its one fan-out row, minus the median without (same run)."""

    def publish(with_fanout: bool) -> float:
        draft = _draft(engine, w, at)
        start = time.perf_counter()
        with session_scope(engine) as s:
            if with_fanout:
                lifecycle.publish_mission(s, actor=w.referent_actor, mission_id=draft.id)
            else:
                real, alerts.enqueue_fanout = alerts.enqueue_fanout, lambda *_: None
                try:
                    lifecycle.publish_mission(s, actor=w.referent_actor, mission_id=draft.id)
                finally:
                    alerts.enqueue_fanout = real
        return (time.perf_counter() - start) * 1000

    plain, alerted = [], []
    for _ in range(repeat):  # interleaved: the machine's load hits both alike
        plain.append(publish(False))
        alerted.append(publish(True))
    with session_scope(engine) as s:  # these fan-outs are not part of the delivery run
        s.execute(Job.__table__.delete().where(Job.kind == alerts.FANOUT_JOB))
    return statistics.median(alerted) - statistics.median(plain)


def _enqueue_ms(engine, runner: Runner, w, at) -> tuple[float, int]:
    """Publish the mission, then time the runner's fan-out job: claim to last commit."""
    draft = _draft(engine, w, at)
    with session_scope(engine) as s:
        lifecycle.publish_mission(s, actor=w.referent_actor, mission_id=draft.id)
    start = time.perf_counter()
    claimed = runner.run_once()  # the only due job: the fan-out
    elapsed = (time.perf_counter() - start) * 1000
    assert claimed == 1
    with session_scope(engine) as s:
        [job] = s.execute(select(Job.status).where(Job.kind == alerts.FANOUT_JOB)).all()
        assert job.status == "done", job
        count = s.execute(select(func.count()).select_from(Job)
                          .where(Job.kind == "email.send")).scalar_one()
    return elapsed, count


def _bare_per_s(port: int, count: int) -> float:
    message = compose(Mail(sender="bench@bench.example", to="bare@bench.example",
                           subject="Rappel", text="x" * 600, html="<p>" + "x" * 900 + "</p>"))
    smtp = smtplib.SMTP("127.0.0.1", port)
    start = time.perf_counter()
    for _ in range(count):
        smtp.send_message(message)
    elapsed = time.perf_counter() - start
    smtp.quit()
    return count / elapsed


PUSH_ENDPOINT = """
import json, sys
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
got = Counter()
class Push(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        got[self.path] += 1
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = ThreadingHTTPServer(("127.0.0.1", 0), Push)
print(server.server_address[1], flush=True)
import threading
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # until the bench closes our stdin
print(json.dumps(got))
"""


def _push_delivery(engine, w, ids: list[int], tmp: Path) -> dict:
    """One runner delivering a push to each of ``ids`` (one browser each), next to bare
    pywebpush sends of one message to the same endpoint."""
    import requests
    from pushservice import Browser
    from py_vapid import Vapid
    from pywebpush import webpush

    from heurecivique_app.domain.push import PushSubscription
    from heurecivique_app.jobs.push import site_keys
    from heurecivique_app.jobs.queue import enqueue_rows
    from heurecivique_app.services import push

    server = subprocess.Popen([sys.executable, "-c", PUSH_ENDPOINT], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{server.stdout.readline().strip()}"
    browser = Browser()
    settings = Settings.from_env({"HC_DATA_DIR": str(tmp), "HC_TIMEZONE": TZ})
    try:
        with session_scope(engine) as s:  # plain-HTTP loopback: written directly
            # Each browser belongs to an open login (a logged-out browser is sent nothing).
            now = utcnow()
            s.execute(insert(UserSession), [
                {"token_hash": f"bench-push-{i}", "user_id": i, "created_at": now,
                 "expires_at": now + timedelta(days=1)} for i in ids])
            logins = dict(s.execute(select(UserSession.user_id, UserSession.id).where(
                UserSession.token_hash.like("bench-push-%"))).all())
            s.execute(insert(PushSubscription), [
                {"user_id": i, "endpoint": f"{url}/push/{i}", "p256dh": browser.p256dh,
                 "auth": browser.auth, "created_at": now, "last_error": "",
                 "login_session_id": logins[i]} for i in ids])
            enqueue_rows(s, push.push_jobs(
                s, kind=MessageKind.REMINDER, event="bench:push", user_ids=ids, urgent=True,
                params=notifications.mission_params(w.mission, "Centre"), timezone=TZ,
                commune=notifications.commune_look(s, w.commune.id), turned_off=lambda _: set()))
        keys = site_keys(engine, settings)
        subscription = {"endpoint": f"{url}/push/bare",
                        "keys": {"p256dh": browser.p256dh, "auth": browser.auth}}
        message = json.dumps({"title": "Rappel", "body": "x" * 120, "url": "/missions/1"})
        bare_count = max(len(ids) // 4, 1)
        vapid, http = Vapid.from_string(keys.private_key), requests.Session()
        start = time.perf_counter()
        for _ in range(bare_count):
            webpush(subscription, message, vapid_private_key=vapid, requests_session=http,
                    vapid_claims={"sub": "mailto:bench@bench.example"}, ttl=60)
        bare = bare_count / (time.perf_counter() - start)
        http.close()
        runner = Runner(JobContext(engine, SmtpMailer(host="127.0.0.1", port=1, tls="none"),
                                   settings), KINDS, worker="bench", batch=100,
                        lease=timedelta(minutes=5))
        start = time.perf_counter()
        runner.run_until_idle()
        per_s = len(ids) / (time.perf_counter() - start)
    finally:
        out, _ = server.communicate("", timeout=60)
    got = Counter(json.loads(out.strip().splitlines()[-1]))
    return {"pushes": len(ids), "pushes_per_s": round(per_s, 1),
            "bare_pushes_per_s": round(bare, 1),
            "push_lost": sum(1 for i in ids if got[f"/push/{i}"] == 0),
            "push_duplicates": sum(got[f"/push/{i}"] - 1 for i in ids if got[f"/push/{i}"] > 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--bare", type=int, default=3000, help="bare smtplib sends")
    parser.add_argument("--pushes", type=int, default=2000, help="pushes to deliver")
    parser.add_argument("--pg", action="store_true", help="a scratch PostgreSQL database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg:
            with scratch_pg_database() as url:
                result = run(url, Path(tmp), args)
        else:
            result = run(f"sqlite:///{tmp}/bench.db", Path(tmp), args)
    print(json.dumps(result))


def run(url: str, tmp: Path, args) -> dict:
    migrate(url)
    engine = make_engine(url)
    w, ids = _people(engine, args.recipients)
    # Alerts keep the quiet hours: the run's clock is the next daytime moment, and never
    # behind the real one (by day, the jobs written during the run are due after ``at``).
    at = outside_quiet_hours(utcnow(), TZ)
    overhead_ms = _publish_overhead_ms(engine, w, at)

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout.readline().strip() == "ready"
    try:
        bare = _bare_per_s(port, args.bare)
        settings = Settings.from_env({"HC_DATA_DIR": str(tmp), "HC_TIMEZONE": TZ})
        mailer = SmtpMailer(host="127.0.0.1", port=port, tls="none")
        runner = Runner(JobContext(engine, mailer, settings, clock=lambda: max(at, utcnow())),
                        KINDS, worker="bench", batch=100, lease=timedelta(minutes=5))
        enqueue_ms, enqueued = _enqueue_ms(engine, runner, w, at)
        start = time.perf_counter()
        runner.run_until_idle()
        emails_per_s = enqueued / (time.perf_counter() - start)
    finally:
        out, _ = server.communicate("", timeout=60)
    got = Counter(json.loads(out.strip().splitlines()[-1]))
    wanted = [f"v{i:05d}@bench.example" for i in range(len(ids))]
    pushes = _push_delivery(engine, w, ids[:args.pushes], tmp)
    engine.dispose()
    return {
        "database": "postgresql" if url.startswith("postgresql") else "sqlite",
        "recipients": enqueued,
        "enqueue_ms": round(enqueue_ms, 1),
        "publish_overhead_ms": round(overhead_ms, 2),
        "emails_per_s": round(emails_per_s, 1),
        "bare_emails_per_s": round(bare, 1),
        **pushes,
        "lost": sum(1 for a in wanted if got[a] == 0),
        "duplicates": sum(got[a] - 1 for a in wanted if got[a] > 1),
    }


if __name__ == "__main__":
    main()
