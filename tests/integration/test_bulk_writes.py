"""Bulk inserts and long id lists (adapters/bulk.py) on SQLite and PostgreSQL: the rows
written are the rows given, shared and varying columns alike, duplicates left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import factories as f
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from heurecivique_app.adapters.bulk import among, insert_ignoring_duplicates
from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.notifications import Job
from heurecivique_app.jobs.queue import JOB, enqueue_rows, job_row


def test_rows_shared_and_varying_columns_are_written_as_given(db_engine: Engine) -> None:
    with session_scope(db_engine) as s:
        person = f.world(s).volunteer.id
    at = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    rows = [job_row(kind="test", key=f'k "{i}" \\ , {{é}}', due_at=at + timedelta(minutes=i),
                    payload={"n": i % 2, "text": "ü"}, user_id=person if i % 2 else None)
            for i in range(7)]
    with session_scope(db_engine) as s:
        enqueue_rows(s, rows)
        enqueue_rows(s, rows[:3] + [job_row(kind="test", key="alone")])  # 3 already there
    with session_scope(db_engine) as s:
        got = s.exec(select(Job).order_by(col(Job.id))).all()
        assert [(j.key, j.payload, j.due_at, j.user_id) for j in got] == [
            (r["key"], r["payload"], r["due_at"], r["user_id"]) for r in rows] + [
            ("alone", {}, got[-1].due_at, None)]
        picked = [got[1].id, got[4].id, 10**6]
        assert s.exec(select(Job.key).where(among(s, col(Job.id), picked))).all() == [
            got[1].key, got[4].key]


def test_a_naive_time_is_refused_in_bulk_too(db_engine: Engine) -> None:
    naive = [job_row(kind="test", key=f"n{i}", due_at=datetime(2026, 12, 5, i)) for i in (1, 2)]
    with pytest.raises(Exception, match="naive datetime"), session_scope(db_engine) as s:
        insert_ignoring_duplicates(s, JOB, naive, conflict=["key"])
