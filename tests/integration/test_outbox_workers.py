"""Exactly one message per (event, recipient, channel) with several worker processes on
PostgreSQL: two at once, and one killed (SIGKILL) while it holds claimed jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from mailserver import Recorder, smtp_server
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.mail import SmtpMailer
from heurecivique_app.domain.notifications import Job, JobStatus, MessageKind
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.kinds import KINDS
from heurecivique_app.jobs.runner import JobContext, Runner
from heurecivique_app.services import notifications
from heurecivique_app.settings import Settings

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


def _address(i: int) -> str:
    return f"person{i:04d}@example.org"


def _enqueue(engine: Engine, count: int) -> list[str]:
    """``count`` deliveries to distinct addresses, due now, in one transaction."""
    with session_scope(engine) as s:
        for i in range(count):
            notifications.notify_address(
                s, kind=MessageKind.REPORT_FORWARD, event=f"test:{i}", to=_address(i),
                params={"report_id": i, "title": f"Report {i}", "category": "safety",
                        "place": "Centre", "relay": "R", "created_at": utcnow().isoformat(),
                        "description": "."},
                commune={"name": "Vitré", "colour": "#1d4ed8"})
    return [_address(i) for i in range(count)]


def _worker(url: str, port: int, data_dir: Path, *, batch: int, lease_s: float
            ) -> subprocess.Popen:
    """``python -m heurecivique_app.jobs --until-idle`` against the test database and server."""
    env = {**os.environ, "DATABASE_URL": url, "HC_SMTP_HOST": "127.0.0.1",
           "HC_SMTP_PORT": str(port), "HC_SMTP_TLS": "none", "HC_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "heurecivique_app.jobs", "--until-idle", "--batch", str(batch),
         "--lease-s", str(lease_s)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def _statuses(engine: Engine) -> Counter:
    with session_scope(engine) as s:
        return Counter(s.exec(select(Job.status)).all())


def test_two_workers_at_once_send_each_message_once(pg_engine, pg_migrated_url, tmp_path):
    wanted = _enqueue(pg_engine, 400)
    # Each message takes the server 10 ms: long enough for both workers to overlap.
    with smtp_server(Recorder(delay_s=0.01)) as (controller, recorder):
        workers = [_worker(pg_migrated_url, controller.port, tmp_path, batch=10, lease_s=60)
                   for _ in range(2)]
        claimed = [int(w.communicate(timeout=300)[0].split()[-1]) for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert min(claimed) > 0 and sum(claimed) == 400  # both worked, no job taken twice
    assert Counter(recorder.to()) == Counter(wanted)  # every message, exactly once
    assert _statuses(pg_engine) == {JobStatus.DONE: 400}


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(pg_engine, pg_migrated_url,
                                                             tmp_path):
    wanted = _enqueue(pg_engine, 60)
    held = _address(24)  # the 25th message: in the second batch of 20
    recorder = Recorder(hold_once={held})
    with smtp_server(recorder) as (controller, _):
        worker = _worker(pg_migrated_url, controller.port, tmp_path, batch=20, lease_s=30)
        assert recorder.held.wait(timeout=120), "the worker never reached the held message"
        worker.send_signal(signal.SIGKILL)  # while it holds jobs 21-40
        worker.wait(timeout=30)
        recorder.released.set()
        assert recorder.to() == wanted[:24]
        assert _statuses(pg_engine) == {JobStatus.DONE: 24, JobStatus.RUNNING: 16,
                                        JobStatus.PENDING: 20}

        settings = Settings.from_env({"HC_DATA_DIR": str(tmp_path)})

        def runner(at) -> Runner:
            mailer = SmtpMailer(host="127.0.0.1", port=controller.port, tls="none")
            return Runner(JobContext(pg_engine, mailer, settings, clock=lambda: at), KINDS,
                          worker="survivor", batch=20)

        # While the dead worker's lease runs, its jobs are left alone ...
        assert runner(utcnow()).run_until_idle() == 20
        assert _statuses(pg_engine)[JobStatus.RUNNING] == 16
        # ... and once it has run out, another worker takes them over.
        assert runner(utcnow() + timedelta(seconds=31)).run_until_idle() == 16
    assert Counter(recorder.to()) == Counter(wanted)
    assert _statuses(pg_engine) == {JobStatus.DONE: 60}
    with session_scope(pg_engine) as s:
        retried = s.exec(select(Job).where(Job.attempts == 2)).all()
    assert sorted(j.payload["to"] for j in retried) == wanted[24:40]
