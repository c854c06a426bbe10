"""The job runner: claims due jobs in batches, runs their handler, records the outcomes.

One mechanism for every kind of background work (deliveries, the daily reminder
scan, later expiry and purges): a kind is a name and a handler in a registry
(:mod:`heurecivique_app.jobs.kinds`); a recurring kind also says when it runs
next, and the runner schedules that run in the same transaction that records
this one as done.

A handler receives the claimed jobs of its kind in a batch and yields each one
with its outcome (None: done, or the exception) as soon as it is known. The runner
hands it to the batch's writer (:class:`_Outcomes`), a thread that commits all the
outcomes handed over since its last commit at once (on PostgreSQL one statement in
autocommit, :func:`~heurecivique_app.jobs.queue.finish_many`), while the handler
goes on with the next job. Before the other end can accept a message (the final
``.`` of an e-mail's DATA, a push's POST), the handler calls ``ctx.settle``, which
waits until every outcome handed over is committed. So the commit overlaps with
the next message's rendering, composing, encryption and SMTP envelope, yet the next
message is accepted only once the previous one is recorded, as when each outcome
was committed before the next send: a worker killed at any point leaves at most the
one message in flight accepted and unrecorded (its Message-ID, from the job's key,
lets mail systems collapse the second copy). Finished jobs stay finished; the
others stay claimed until their lease runs out, when another worker takes them
again. Outcomes:

- done: recurring kinds schedule their next run;
- :class:`Skip`: nothing to do any more (the person turned that kind off);
- :class:`~heurecivique_app.adapters.mail.PermanentFailure`: failed for good, no retry;
- anything else: tried again after an exponential back-off
  (:func:`~heurecivique_app.domain.notifications.retry_delay`), failed after
  ``MAX_ATTEMPTS`` tries; ``last_error`` says why.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy.engine import Connection, Engine

from heurecivique_app.adapters.mail import Mailer, PermanentFailure
from heurecivique_app.domain.notifications import (
    MAX_ATTEMPTS,
    JobStatus,
    outside_quiet_hours,
    retry_delay,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs import queue
from heurecivique_app.jobs.queue import Claimed

log = logging.getLogger(__name__)


class Skip(Exception):
    """The job has nothing to do any more; recorded as skipped with this reason."""


def _nothing_to_settle() -> None:
    """Outside a runner's batch no outcome waits to be recorded."""


@dataclass
class JobContext:
    """What handlers use: the database, the mailer, the settings and the clock.

    ``settle`` is set by the runner for each batch: a handler passes it as the
    ``before_accept`` of each message it sends (see the module docstring).
    """

    engine: Engine
    mailer: Mailer
    settings: Any
    clock: Callable[[], datetime] = utcnow
    settle: Callable[[], None] = _nothing_to_settle


Outcome = BaseException | None
Recorded = tuple[Claimed, Outcome, "JobKind | None"]  # an outcome handed to the writer
Handler = Callable[[JobContext, list[Claimed]], Iterator[tuple[Claimed, Outcome]]]


@dataclass(frozen=True)
class JobKind:
    """A kind of job.

    Attributes:
        name: stored in ``job.kind``.
        handler: runs a batch of claimed jobs of this kind.
        next_run: for a recurring kind, (when this run was due, timezone) -> the
            next run's due time and key; None for one-off jobs.
        catch_up: how far back :meth:`Runner.schedule_recurring` looks for the current
            run (a day for a daily run; one period for a frequent one, so that the
            hourly check writes the run the series has, not a new one).
    """

    name: str
    handler: Handler
    next_run: Callable[[datetime, str], tuple[datetime, str]] | None = None
    catch_up: timedelta = timedelta(days=1)


def one_by_one(run: Callable[[JobContext, Claimed], None]) -> Handler:
    """A handler that runs ``run`` on each job of the batch in turn."""

    def handler(ctx: JobContext, jobs: list[Claimed]) -> Iterator[tuple[Claimed, Outcome]]:
        for job in jobs:
            try:
                run(ctx, job)
            except Exception as error:  # the outcome is recorded, never raised
                yield job, error
            else:
                yield job, None

    return handler


class Runner:
    """Claims and runs due jobs for one worker.

    Args:
        ctx: handed to every handler.
        kinds: the registry (name -> kind).
        worker: this worker's id in claims (default: host and process id).
        batch: how many jobs one claim takes.
        lease: how long a claim holds; jobs not finished by then go back to others,
            so a batch stops early rather than run past it.
    """

    def __init__(self, ctx: JobContext, kinds: dict[str, JobKind], *, worker: str | None = None,
                 batch: int = 50, lease: timedelta = timedelta(minutes=5)) -> None:
        self.ctx = ctx
        self.kinds = kinds
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.batch = batch
        self.lease = lease

    def schedule_recurring(self) -> None:
        """Make sure every recurring kind has its current run in the table.

        The run of today (or the next one) has a key of its own, so every worker
        may call this at start: the first one writes it, the others change nothing.
        A run missed while the app was stopped is due at once.
        """
        timezone = self.ctx.settings.timezone
        now = self.ctx.clock()
        with self.ctx.engine.begin() as conn:
            for kind in self.kinds.values():
                if kind.next_run is not None:
                    due, key = kind.next_run(now - kind.catch_up, timezone)
                    queue.enqueue_rows(conn, [queue.job_row(kind=kind.name, key=key,
                                                            due_at=due)])

    def run_once(self) -> int:
        """Claim one batch and run it; the number of jobs claimed (0: nothing due)."""
        started = time.monotonic()
        jobs = queue.claim(self.ctx.engine, worker=self.worker, limit=self.batch,
                           lease=self.lease, now=self.ctx.clock())
        if not jobs:
            return 0
        # Stop a batch with a good margin before the lease ends (SMTP timeouts add up).
        deadline = started + self.lease.total_seconds() * 0.8
        left = {job.id: job for job in jobs}
        outcomes = _Outcomes(self)
        ctx = dataclasses.replace(self.ctx, settle=outcomes.settle)

        def record(job: Claimed, outcome: Outcome, kind: JobKind | None) -> None:
            left.pop(job.id)
            outcomes.add(job, outcome, kind)

        try:
            for name, group in groupby(sorted(jobs, key=lambda j: j.kind), key=lambda j: j.kind):
                if time.monotonic() > deadline:
                    break
                kind = self.kinds.get(name)
                batch = list(group)
                if kind is None:
                    for job in batch:
                        record(job, PermanentFailure(f"unknown job kind {name!r}"), None)
                    continue
                handled = kind.handler(ctx, batch)
                try:
                    for job, outcome in handled:
                        record(job, outcome, kind)
                        if time.monotonic() > deadline:
                            handled.close()
                            break
                except OutcomesNotRecorded:
                    raise
                except Exception as error:  # a handler's bug: counted as a failed try
                    log.exception("job handler %s failed", name)
                    for job in batch:
                        if job.id in left:
                            record(job, error, kind)
        finally:
            self.ctx.mailer.close()
            outcomes.close()
            if left:
                queue.release(self.ctx.engine, left.values(), worker=self.worker)
        return len(jobs)

    def _verdict(self, job: Claimed, outcome: Outcome) -> tuple[str, str, datetime | None]:
        """What ``outcome`` makes of ``job``: its status, the error to show, the retry time."""
        if outcome is None:
            return JobStatus.DONE, "", None
        error = f"{type(outcome).__name__}: {outcome}" if str(outcome) else \
            type(outcome).__name__
        if isinstance(outcome, Skip):
            return JobStatus.SKIPPED, str(outcome), None
        if isinstance(outcome, PermanentFailure) or job.attempts >= MAX_ATTEMPTS:
            if not isinstance(outcome, PermanentFailure):
                error = f"gave up after {job.attempts} tries: {error}"
            log.warning("job %s failed for good: %s", job.key, error)
            return JobStatus.FAILED, error, None
        retry_at = self.ctx.clock() + retry_delay(job.attempts)
        if job.payload.get("quiet_hours"):
            retry_at = outside_quiet_hours(retry_at, self.ctx.settings.timezone)
        return JobStatus.PENDING, error, retry_at

    def _record(self, conn: Connection, job: Claimed, outcome: Outcome,
                kind: JobKind | None) -> None:
        """Write one outcome in the writer's transaction (fenced by the claim)."""
        status, error, retry_at = self._verdict(job, outcome)
        if queue.finish(conn, job, worker=self.worker, status=status, error=error,
                        retry_at=retry_at) and status == JobStatus.DONE and \
                kind is not None and kind.next_run is not None:
            due, key = kind.next_run(self.ctx.clock(), self.ctx.settings.timezone)
            queue.enqueue_rows(conn, [queue.job_row(kind=kind.name, key=key, due_at=due)])

    def _record_group(self, conn: Connection, group: list[Recorded]) -> None:
        """Commit a group of outcomes; ``conn`` is in autocommit on PostgreSQL.

        A group without a recurring run to schedule goes through
        :func:`~heurecivique_app.jobs.queue.finish_many`: on PostgreSQL ONE statement,
        its own transaction (the next message waits for this commit, so its round
        trips count). A recurring kind's next run goes in the transaction that
        records its run (:meth:`_record`).
        """
        postgresql = conn.dialect.name == "postgresql"
        if not any(kind is not None and kind.next_run is not None for _j, _o, kind in group):
            outcomes = [(job, *self._verdict(job, outcome)) for job, outcome, _kind in group]
            if postgresql:
                queue.finish_many(conn, outcomes, worker=self.worker)
            else:
                with conn.begin():
                    queue.finish_many(conn, outcomes, worker=self.worker)
            return
        with self.ctx.engine.connect() if postgresql else nullcontext(conn) as writing, \
                writing.begin():
            for job, outcome, kind in group:
                self._record(writing, job, outcome, kind)

    def run_until_idle(self, max_batches: int = 10_000) -> int:
        """Run batches until nothing is due; the number of jobs claimed in all."""
        total = 0
        for _ in range(max_batches):
            claimed = self.run_once()
            total += claimed
            if claimed == 0:
                break
        return total

    async def run_forever(self, idle_s: float = 1.0) -> None:
        """Lifespan loop: batches back to back while there is work, a pause when idle.

        The database and SMTP calls are blocking, so each batch runs in a thread;
        an error in one batch is logged and the loop goes on. The recurring runs are
        checked every hour too: a run that failed for good does not end its series.
        """
        scheduled = float("-inf")
        while True:
            try:
                if time.monotonic() - scheduled > 3600:
                    await asyncio.to_thread(self.schedule_recurring)
                    scheduled = time.monotonic()
                claimed = await asyncio.to_thread(self.run_once)
            except Exception:
                log.exception("job batch failed")
                claimed = 0
            if claimed < self.batch:
                await asyncio.sleep(idle_s)


class OutcomesNotRecorded(RuntimeError):
    """The batch's writer could not commit outcomes (the database is gone): stop sending."""


class _Outcomes:
    """The writer of one batch's outcomes: a thread that commits them a group at a time.

    :meth:`add` hands an outcome over and returns at once; the thread writes every
    outcome handed over since its last commit in one transaction. :meth:`settle`
    waits until all those handed over so far are committed: handlers call it (as
    ``ctx.settle``) right before a message is accepted at the other end, so the
    outcome of a message sent is always committed before the next one can be.
    """

    def __init__(self, runner: Runner) -> None:
        self._runner = runner
        self._changed = threading.Condition()
        self._waiting: list[Recorded] = []
        self._handed = 0  # outcomes handed over
        self._written = 0  # the first ones of those, committed
        self._failed: BaseException | None = None
        self._closing = False
        self._thread = threading.Thread(target=self._write, name="job-outcomes", daemon=True)
        self._thread.start()

    def add(self, job: Claimed, outcome: Outcome, kind: JobKind | None) -> None:
        """Hand ``job``'s outcome over to be committed."""
        with self._changed:
            if self._failed is not None:
                raise OutcomesNotRecorded("the job outcomes cannot be written") \
                    from self._failed
            self._waiting.append((job, outcome, kind))
            self._handed += 1
            self._changed.notify_all()

    def settle(self) -> None:
        """Wait until every outcome handed over so far is committed.

        Raises:
            OutcomesNotRecorded: the writer failed; nothing more may be sent.
        """
        with self._changed:
            target = self._handed
            while self._written < target and self._failed is None:
                self._changed.wait()
            if self._written < target:
                raise OutcomesNotRecorded("the job outcomes cannot be written") \
                    from self._failed

    def close(self) -> None:
        """Write what is left, then end the thread (a failure was logged by it)."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()

    def _write(self) -> None:
        try:
            engine = self._runner.ctx.engine
            if engine.dialect.name == "postgresql":
                engine = engine.execution_options(isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                while group := self._next_group():
                    self._runner._record_group(conn, group)
                    with self._changed:
                        self._written += len(group)
                        self._changed.notify_all()
        except BaseException as error:  # the jobs stay claimed; their lease runs out
            log.exception("could not record job outcomes")
            with self._changed:
                self._failed = error
                self._changed.notify_all()

    def _next_group(self) -> list[Recorded]:
        """What was handed over since the last commit; empty once closed and drained."""
        with self._changed:
            while not self._waiting and not self._closing:
                self._changed.wait()
            group, self._waiting = self._waiting, []
            return group
