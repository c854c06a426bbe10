"""Scratch databases migrated by alembic, on SQLite and PostgreSQL (used by conftest).

PostgreSQL comes from HC_TEST_PG_URL: a server URL whose database is only used to
create and drop scratch databases. When the server is unreachable the test is
skipped, unless HC_REQUIRE_PG=1 (CI), in which case it fails loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

import heurecivique_app.domain.models  # noqa: F401 - registers the tables
from alembic import command

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER_URL = os.environ.get(
    "HC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_PG = os.environ.get("HC_REQUIRE_PG") == "1"


def alembic_config(url: str) -> Config:
    """An alembic config for the repository's migrations, aimed at ``url``."""
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False  # leave pytest's logging alone
    return config


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


_pg_problem: list[str] = []  # memo: reachability is probed once per test session


def require_postgres() -> None:
    """Skip (or, with HC_REQUIRE_PG=1, fail) when the PostgreSQL server is unreachable."""
    if not _pg_problem:
        probe = create_engine(PG_SERVER_URL)
        try:
            with probe.connect():
                _pg_problem.append("")
        except OperationalError as exc:
            _pg_problem.append(f"PostgreSQL unreachable at {PG_SERVER_URL}: {exc}")
        finally:
            probe.dispose()
    if _pg_problem[0]:
        if REQUIRE_PG:
            pytest.fail(f"HC_REQUIRE_PG=1 but {_pg_problem[0]}", pytrace=False)
        pytest.skip(_pg_problem[0])


@contextmanager
def scratch_pg_database() -> Iterator[str]:
    """Create an empty, randomly named database; yield its URL; drop it afterwards."""
    require_postgres()
    server = make_url(PG_SERVER_URL)
    name = f"hc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: compare before/after to prove that nothing was written."""
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in SQLModel.metadata.tables.items()
        }


def truncate_all(engine: Engine) -> None:
    """Empty every table of a PostgreSQL database and restart its id sequences.

    DELETE, children first, rather than one TRUNCATE of every table: a test leaves a
    few rows in a few tables, and TRUNCATE's cost grows with the number of tables
    (0.33 s against 0.04 s for the 38 tables here), paid by every PostgreSQL test.
    """
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
        sequences = conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"))
        for (name,) in sequences.all():
            conn.execute(text(f'ALTER SEQUENCE "{name}" RESTART'))
