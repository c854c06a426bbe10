"""Shared fixtures: scratch databases migrated by alembic, on SQLite and PostgreSQL.

See scratch_db.py for HC_TEST_PG_URL and HC_REQUIRE_PG.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

# Test helpers (databases, factories) live next to this file, importable from every tier.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scratch_db import migrate, scratch_pg_database, truncate_all  # noqa: E402

from heurecivique_app.adapters.db import make_engine, session_scope  # noqa: E402
from heurecivique_app.services import stats_upkeep  # noqa: E402

# The time zone the tests' figures are read in (the settings' default).
SUMMARY_TZ = "Europe/Paris"


def _build_summaries(engine: Engine) -> None:
    """As ``manage migrate`` does: from here on every commit keeps the evaluation summaries."""
    with session_scope(engine) as session:
        stats_upkeep.ensure(session, timezone=SUMMARY_TZ)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite file database (not migrated)."""
    return f"sqlite:///{tmp_path / 'heurecivique.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """An empty, randomly named PostgreSQL database (not migrated), dropped at the end."""
    with scratch_pg_database() as url:
        yield url


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    migrate(sqlite_url)
    engine = make_engine(sqlite_url)
    _build_summaries(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pg_migrated_url() -> Iterator[str]:
    """One randomly named PostgreSQL database per test run, migrated, dropped at the end."""
    with scratch_pg_database() as url:
        migrate(url)
        yield url


@pytest.fixture
def pg_engine(pg_migrated_url: str) -> Iterator[Engine]:
    """The migrated PostgreSQL database, emptied for this test (faster than a new database)."""
    engine = make_engine(pg_migrated_url)
    truncate_all(engine)
    _build_summaries(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_engine(request: pytest.FixtureRequest) -> Engine:
    """The same test on both backends: SQLite (laptop) and PostgreSQL (scale-out)."""
    return request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")


@pytest.fixture
def own_redis(tmp_path: Path):
    """A redis-server of the test's own (tests/own_redis.py), stopped after it."""
    from own_redis import own_redis_server

    server = own_redis_server(tmp_path)
    yield server
    server.stop()
