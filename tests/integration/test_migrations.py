"""Alembic is the only way the schema changes: upgrade from empty, downgrade, upgrade again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from scratch_db import downgrade, migrate
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import heurecivique_app.domain.models  # noqa: F401 - registers the tables

MODEL_TABLES = set(SQLModel.metadata.tables)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{'sqlite' if request.param == 'sqlite' else 'pg'}_url")


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _drift(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(empty_url: str) -> None:
    assert _tables(empty_url) == set()

    migrate(empty_url)
    assert _tables(empty_url) == MODEL_TABLES | {"alembic_version"}

    downgrade(empty_url)
    assert _tables(empty_url) == {"alembic_version"}

    migrate(empty_url)
    assert _tables(empty_url) == MODEL_TABLES | {"alembic_version"}
    assert _current_heads(empty_url) == _script_heads()


def test_migrations_match_the_models(empty_url: str) -> None:
    """A model change without its migration shows up here as a diff."""
    migrate(empty_url)
    assert _drift(empty_url) == []


def _script_heads() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from scratch_db import ROOT

    return set(ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_heads())


def _current_heads(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
