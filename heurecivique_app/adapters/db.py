"""Database engine, sessions, and publication of domain events after commit."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

from heurecivique_app.domain import events as domain_events
from heurecivique_app.settings import get_settings

log = logging.getLogger(__name__)

_publishers: list[domain_events.Publisher] = []


def make_engine(url: str) -> Engine:
    """An engine tuned for the backend.

    SQLite gets WAL, a busy timeout and foreign keys; PostgreSQL no JIT.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            from pathlib import Path

            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL stays corruption-safe and skips an fsync per commit.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # No JIT: the app's queries are short, and PostgreSQL's cost estimate of one
    # with per-row subqueries (services/shortlist.py) crosses jit_above_cost, which
    # spent ~20 ms compiling a 50 ms query (EXPLAIN ANALYZE, README "Matching").
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args={"options": "-c jit=off"})


@lru_cache(maxsize=4)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    return make_engine(url or get_settings().database_url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values readable after commit."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error."""
    factory = session_factory(engine or get_engine())
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session for reads only, without a transaction (autocommit).

    Saves the BEGIN and ROLLBACK round trips on PostgreSQL; each statement sees
    the latest committed data. For hot read paths (the map) that write nothing.
    """
    reader = (engine or get_engine()).execution_options(isolation_level="AUTOCOMMIT")
    with Session(reader) as session:
        yield session


def add_event_publisher(publisher: domain_events.Publisher) -> None:
    """Register a callable that receives the events of each committed transaction."""
    if publisher not in _publishers:
        _publishers.append(publisher)


def remove_event_publisher(publisher: domain_events.Publisher) -> None:
    """Stop handing committed events to ``publisher`` (tests restore the registry)."""
    if publisher in _publishers:
        _publishers.remove(publisher)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    pending = domain_events.take_pending(session)
    for publisher in list(_publishers) if pending else []:
        try:
            publisher(pending)
        except Exception:  # a failing push must never undo a committed write
            log.exception("event publisher failed")
    for action in domain_events.take_actions(session):
        try:
            action()
        except Exception:  # the write is committed: log the failed side effect, go on
            log.exception("after-commit action failed")


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    domain_events.take_pending(session)
    domain_events.take_actions(session)
