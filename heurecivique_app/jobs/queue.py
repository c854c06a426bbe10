"""The job table's operations: enqueue (idempotent), claim (leased), finish.

Enqueueing happens inside the caller's transaction, so a job exists exactly when
the change that caused it committed. Claiming takes due rows for a lease:
PostgreSQL with ``FOR UPDATE SKIP LOCKED`` (N workers never take the same row and
never wait for each other), SQLite under its single writer lock. A claim whose
lease ran out (its worker died) is due again. Every finish is fenced by the
worker's id and the attempt number, so a worker that lost its lease cannot
overwrite the outcome of the one that took the row over.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from heurecivique_app.adapters.bulk import insert_ignoring_duplicates
from heurecivique_app.domain.notifications import Job, JobStatus
from heurecivique_app.domain.types import utcnow

JOB = Job.__table__


@dataclass(frozen=True)
class Claimed:
    """A job held by one worker for one attempt."""

    id: int
    kind: str
    key: str
    payload: dict[str, Any]
    user_id: int | None
    attempts: int  # including this one


def job_row(*, kind: str, key: str, payload: dict | None = None,
            due_at: datetime | None = None, user_id: int | None = None) -> dict[str, Any]:
    """The values of a new job (for :func:`enqueue_rows`)."""
    now = utcnow()
    return {"kind": kind, "key": key, "payload": payload or {}, "user_id": user_id,
            "status": JobStatus.PENDING, "due_at": due_at or now, "attempts": 0,
            "last_error": "", "created_at": now}


def enqueue_rows(bind: Session | Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Insert jobs; a row whose key already exists is left as it is (idempotency).

    In the caller's transaction, in bulk (``adapters.bulk``: one statement on
    PostgreSQL whatever the number of rows).
    """
    insert_ignoring_duplicates(bind, JOB, rows, conflict=["key"])


def enqueue(session: Session, **job: Any) -> None:
    """Insert one job (see :func:`job_row` for the arguments) unless its key exists."""
    enqueue_rows(session, [job_row(**job)])


def claim(engine: Engine, *, worker: str, limit: int, lease: timedelta,
          now: datetime | None = None) -> list[Claimed]:
    """Take up to ``limit`` due jobs for ``lease``, oldest first, and commit the claim."""
    now = now or utcnow()
    due = or_(and_(JOB.c.status == JobStatus.PENDING, JOB.c.due_at <= now),
              and_(JOB.c.status == JobStatus.RUNNING, JOB.c.locked_until < now))
    chosen = (select(JOB.c.id).where(due).order_by(JOB.c.due_at, JOB.c.id).limit(limit)
              .with_for_update(skip_locked=True))  # SQLite: no such clause, one writer
    statement = (update(JOB).where(JOB.c.id.in_(chosen.scalar_subquery()))
                 .values(status=JobStatus.RUNNING, locked_by=worker,
                         locked_until=now + lease, attempts=JOB.c.attempts + 1)
                 .returning(JOB.c.id, JOB.c.kind, JOB.c.key, JOB.c.payload, JOB.c.user_id,
                            JOB.c.attempts, JOB.c.due_at))
    with engine.begin() as conn:
        rows = conn.execute(statement).all()
    rows.sort(key=lambda r: (r.due_at, r.id))
    return [Claimed(r.id, r.kind, r.key, r.payload, r.user_id, r.attempts) for r in rows]


def finish(conn: Connection, job: Claimed, *, worker: str, status: str, error: str = "",
           retry_at: datetime | None = None) -> bool:
    """Record the outcome of ``job``'s attempt; False if the claim was lost meanwhile.

    ``status`` PENDING with ``retry_at`` schedules another try; DONE, FAILED and
    SKIPPED are final.
    """
    values: dict[str, Any] = {"status": status, "locked_by": None, "locked_until": None,
                              "last_error": error[:500]}
    if status == JobStatus.PENDING:
        values["due_at"] = retry_at or utcnow()
    else:
        values["finished_at"] = utcnow()
    result = conn.execute(update(JOB).where(
        JOB.c.id == job.id, JOB.c.locked_by == worker, JOB.c.attempts == job.attempts,
    ).values(**values))
    return result.rowcount == 1


Outcome = tuple[Claimed, str, str, datetime | None]  # the job, status, error, retry_at

# json_to_recordset: the outcomes as one JSON parameter (see adapters/bulk.py), so a
# group costs one statement whatever its size. In the driver's own parameter style: it
# is run on the driver's cursor (see finish_many).
_FINISH_MANY = """
    UPDATE job SET status = v.status, locked_by = NULL, locked_until = NULL,
        last_error = v.last_error, due_at = COALESCE(v.due_at, job.due_at),
        finished_at = COALESCE(v.finished_at, job.finished_at)
    FROM json_to_recordset(%(outcomes)s::json) AS v(
        id integer, attempts integer, status varchar, last_error varchar,
        due_at timestamptz, finished_at timestamptz)
    WHERE job.id = ANY(%(ids)s::integer[]) AND job.id = v.id
        AND job.locked_by = %(worker)s AND job.attempts = v.attempts
"""
# ``job.id = ANY(ids)``: the planner cannot see how few rows json_to_recordset gives
# (it assumes 100) and, without the id list, joined them by reading the whole job
# table (a sequential scan per group of outcomes: 2.4 ms at 12,000 jobs, growing
# with the table); with it, the primary key finds them (0.4 ms).


_FINISH_ONE_SQLITE = """
    UPDATE job SET status = ?, locked_by = NULL, locked_until = NULL, last_error = ?,
        due_at = COALESCE(?, due_at), finished_at = COALESCE(?, finished_at)
    WHERE id = ? AND locked_by = ? AND attempts = ?
"""


def finish_many(conn: Connection, outcomes: Iterable[Outcome], *, worker: str) -> int:
    """:func:`finish` for several jobs at once, on the driver's cursor; how many held.

    Same values and the same fence as :func:`finish`. On PostgreSQL ONE statement:
    run on a connection in autocommit, it is its own transaction, one round trip to
    the database where ``BEGIN``, an ``UPDATE`` per job and ``COMMIT`` take several.
    On SQLite an ``executemany`` in the caller's transaction. The driver's cursor:
    the writer thread runs beside the one sending, and SQLAlchemy's execution path
    cost it about as much CPU (and GIL) as the rest (profiled).
    """
    outcomes = list(outcomes)
    now = utcnow()
    if conn.dialect.name == "postgresql":
        document = [{"id": job.id, "attempts": job.attempts, "status": status,
                     "last_error": error[:500],
                     "due_at": (retry_at or now).astimezone(UTC).isoformat()
                     if status == JobStatus.PENDING else None,
                     "finished_at": None if status == JobStatus.PENDING else now.isoformat()}
                    for job, status, error, retry_at in outcomes]
        with conn.connection.driver_connection.cursor() as cursor:
            cursor.execute(_FINISH_MANY, {"outcomes": json.dumps(document), "worker": worker,
                                          "ids": [job.id for job, *_ in outcomes]})
            return cursor.rowcount
    # The stored form of a UTC datetime on SQLite is the column type's (its text).
    stored = JOB.c.due_at.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    rows = [(status, error[:500],
             stored(retry_at or now) if status == JobStatus.PENDING else None,
             None if status == JobStatus.PENDING else stored(now),
             job.id, worker, job.attempts)
            for job, status, error, retry_at in outcomes]
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(_FINISH_ONE_SQLITE, rows)
        return cursor.rowcount
    finally:
        cursor.close()


def release(engine: Engine, jobs: Iterable[Claimed], *, worker: str) -> None:
    """Give back claimed jobs not started (the attempt is not counted)."""
    with engine.begin() as conn:
        for job in jobs:
            conn.execute(update(JOB).where(
                JOB.c.id == job.id, JOB.c.locked_by == worker, JOB.c.attempts == job.attempts,
            ).values(status=JobStatus.PENDING, locked_by=None, locked_until=None,
                     attempts=JOB.c.attempts - 1))

