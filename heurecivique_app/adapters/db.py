"""Database engine, sessions, and publication of domain events after commit."""

from __future__ import annotations

import logging
import select
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry
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
    # Custom plans only: psycopg prepares a statement run five times on a connection,
    # and five runs later PostgreSQL may switch it to a generic plan, made without the
    # values. For a range of dates (a commune's month, a board's coming days) that
    # plan expects one row and nests loops: the evaluation upkeep's query of a month
    # went from 2.5 to 14 ms on the sixth run (README "Soak test with faults"). A
    # plan per run costs a fraction of a millisecond.
    engine = create_engine(url, pool_size=10, max_overflow=20, connect_args={
        "options": "-c jit=off -c plan_cache_mode=force_custom_plan"})
    _check_on_checkout(engine)
    return engine


# A pooled connection idle for longer than this is pinged (a round trip) before use.
PING_AFTER_IDLE_S = 30.0


def _closed_by_server(dbapi_connection: DBAPIConnection) -> bool:
    """Whether an idle connection has something to read: the server closed it.

    An idle PostgreSQL connection receives nothing unless the server ends it (a
    restart, ``pg_terminate_backend``, idle timeout: an error message, then the end
    of the stream) or it LISTENs (the app does not). No round trip: a poll of the socket.
    """
    if getattr(dbapi_connection, "closed", False):
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError, AttributeError):
        return True
    return bool(readable)


def _check_on_checkout(engine: Engine) -> None:
    """What ``pool_pre_ping`` does, without its round trip on every checkout.

    Pre-ping cost a ``SELECT 1`` each time a connection left the pool: several per
    event (identity, the page's reads, the bell), 12 % of a worker's time in the soak
    test (bench/soak.py, py-spy). Instead: a connection the server has closed is seen
    by polling its socket, and one idle for over ``PING_AFTER_IDLE_S`` is pinged as
    before; either way a dead one is replaced (the pool retries on
    ``DisconnectionError``) before any statement runs on it.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _alive(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry,
               _proxy: object) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None:  # just opened
            return
        if _closed_by_server(dbapi_connection):
            raise exc.DisconnectionError("closed by the server while idle")
        if time.monotonic() - idle_since > PING_AFTER_IDLE_S:
            try:
                alive = engine.dialect.do_ping(dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as error:
                raise exc.DisconnectionError(str(error)) from error
            if not alive:
                raise exc.DisconnectionError("no answer to the ping")


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
    with Session(_autocommit(engine or get_engine())) as session:
        yield session


def _autocommit(engine: Engine) -> Engine:
    """``engine`` in autocommit, made once per engine, and kept on it (it goes with it).

    Building the option engine took a fifth of the identity check's time (py-spy,
    bench/soak.py), and every event and page reads through it.
    """
    reader = engine.__dict__.get("_hc_autocommit")
    if reader is None:
        reader = engine.__dict__["_hc_autocommit"] = engine.execution_options(
            isolation_level="AUTOCOMMIT")
    return reader


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
