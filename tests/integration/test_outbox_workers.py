"""Exactly one message per (event, recipient, channel) with several worker processes on
PostgreSQL: two at once, one killed (SIGKILL) while it holds claimed jobs, and the
outcome writer's window (a message accepted, its outcome not yet committed)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from mailserver import Recorder, smtp_server
from sqlalchemy import text
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
        # The 24th message's outcome is committed while the 25th's envelope travels (only
        # the end of its DATA waits for it): let that commit land, then kill.
        _wait_for(lambda: _statuses(pg_engine)[JobStatus.DONE] == 24)
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


def _end_blocked_statements(engine: Engine) -> None:
    """End the statements waiting for a row lock in this database (a dead worker's).

    The writer records a group as one statement in autocommit: one that reached the
    database before its worker was killed still commits once the lock is released (a
    truthful record of a message that was accepted). Ending it here gives the worst
    case instead: the kill came before the statement left the worker.
    """
    with engine.connect() as conn:
        ended = conn.execute(text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
            "current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )).all()
    assert ended, "no statement was waiting for the locked row"


@contextmanager
def _row_locked(engine: Engine, key: str) -> Iterator[None]:
    """Hold the job row of ``key`` (FOR UPDATE) from another connection: the runner's
    writer blocks on it, as when the database is slow to commit an outcome."""
    with engine.connect() as conn, conn.begin():
        conn.execute(select(Job.id).where(Job.key == key).with_for_update())
        yield


def _wait_for(condition, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _key_of(engine: Engine, address: str) -> str:
    with session_scope(engine) as s:
        return s.exec(select(Job.key).where(Job.key.contains(address))).one()


def test_no_message_leaves_before_the_previous_outcome_is_committed(pg_engine, tmp_path):
    """The runner's writer commits outcomes in a thread of its own; the next message
    waits for it before the end of its DATA (the gate), so a lagging writer holds the
    server's acceptance back, while that message's envelope already went ahead."""
    wanted = _enqueue(pg_engine, 10)
    fifth = _key_of(pg_engine, wanted[4])
    settings = Settings.from_env({"HC_DATA_DIR": str(tmp_path)})
    # 0.2 s a message: time to lock the 5th job's row once the claim is made (a claim
    # skips locked rows).
    with smtp_server(Recorder(delay_s=0.2)) as (controller, recorder):
        mailer = SmtpMailer(host="127.0.0.1", port=controller.port, tls="none")
        runner = Runner(JobContext(pg_engine, mailer, settings), KINDS, worker="w", batch=10)
        with ThreadPoolExecutor(1) as pool:
            done = pool.submit(runner.run_until_idle)
            _wait_for(lambda: _statuses(pg_engine)[JobStatus.RUNNING] == 10)
            with _row_locked(pg_engine, fifth):
                _wait_for(lambda: len(recorder.to()) >= 5)
                time.sleep(1.0)  # the writer is stuck on the 5th outcome: no 6th message
                assert recorder.to() == wanted[:5]
                assert recorder.rcpts == wanted[:6]  # the 6th's envelope, not its end
                assert _statuses(pg_engine) == {JobStatus.DONE: 4, JobStatus.RUNNING: 6}
            assert done.result(timeout=120) == 10
    assert recorder.to() == wanted
    assert _statuses(pg_engine) == {JobStatus.DONE: 10}


def test_a_worker_killed_while_an_outcome_waits_sends_only_that_message_again(
        pg_engine, pg_migrated_url, tmp_path):
    """The crash window of the outcome writer: killed after the server accepted a message
    and before its outcome was committed, the worker leaves that one message (never a
    second) to be sent again once its lease runs out, with the same Message-ID."""
    wanted = _enqueue(pg_engine, 20)
    fifth = _key_of(pg_engine, wanted[4])
    with smtp_server(Recorder(delay_s=0.2)) as (controller, recorder):
        worker = _worker(pg_migrated_url, controller.port, tmp_path, batch=20, lease_s=5)
        _wait_for(lambda: _statuses(pg_engine)[JobStatus.RUNNING] == 20, timeout_s=120)
        with _row_locked(pg_engine, fifth):
            _wait_for(lambda: len(recorder.to()) >= 5, timeout_s=120)
            time.sleep(1.0)
            worker.send_signal(signal.SIGKILL)  # while it waits for the 5th outcome
            worker.wait(timeout=30)
            _end_blocked_statements(pg_engine)
        assert recorder.to() == wanted[:5]
        assert recorder.rcpts == wanted[:6]  # the 6th was cut off before the end of its DATA
        assert _statuses(pg_engine) == {JobStatus.DONE: 4, JobStatus.RUNNING: 16}
        settings = Settings.from_env({"HC_DATA_DIR": str(tmp_path)})
        mailer = SmtpMailer(host="127.0.0.1", port=controller.port, tls="none")
        survivor = Runner(JobContext(pg_engine, mailer, settings,
                                     clock=lambda: utcnow() + timedelta(seconds=6)),
                          KINDS, worker="survivor", batch=20)
        assert survivor.run_until_idle() == 16
    sent = Counter(recorder.to())
    assert sent == Counter(wanted) + Counter([wanted[4]])  # the one in flight, twice
    copies = [m["Message-ID"] for m in recorder.messages if m["To"] == wanted[4]]
    assert len(copies) == 2 and copies[0] == copies[1]
    assert _statuses(pg_engine) == {JobStatus.DONE: 20}

