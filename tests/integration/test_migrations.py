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
    assert _current_heads(empty_url) == {_script_head()}  # one linear history


def test_migrations_match_the_models(empty_url: str) -> None:
    """A model change without its migration shows up here as a diff."""
    migrate(empty_url)
    assert _drift(empty_url) == []


def _current_heads(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def _script_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from scratch_db import ROOT

    return ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()


def test_geography_migration_keeps_existing_missions_findable(empty_url: str) -> None:
    """Missions written before 0002 stand on their neighbourhood's centre: banded, wide area."""
    from sqlmodel import Session

    from heurecivique_app.domain.geo import geo_cell
    from heurecivique_app.domain.models import Mission

    migrate(empty_url, "0001")
    engine = create_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO departement (id, code, name) VALUES (1, '35', 'I')")
            conn.exec_driver_sql("INSERT INTO commune (id, departement_id, insee_code, name, "
                                 "slug, theme_color) VALUES (1, 1, '35360', 'V', 'v', '#000')")
            conn.exec_driver_sql("INSERT INTO neighbourhood (id, commune_id, slug, name, lat, "
                                 "lon, radius_m) VALUES (1, 1, 'c', 'C', 48.1236, -1.2085, 450)")
            conn.exec_driver_sql(
                "INSERT INTO mission (id, commune_id, neighbourhood_id, kind, category, title, "
                "description, channel, capacity, accepted_count, status, approx_lat, "
                "approx_lon, exact_address, starts_at, duration_minutes, created_at, "
                "updated_at) VALUES (1, 1, 1, 'individual', 'visit', 'T', '', 'phone', 1, 0, "
                "'open', 48.1236, -1.2085, '1 rue X', '2030-01-01 10:00:00+00', 60, "
                "'2026-01-01 10:00:00+00', '2026-01-01 10:00:00+00')")
        migrate(empty_url)
        with Session(engine) as session:
            old = session.get(Mission, 1)
            assert old.geo_cell == geo_cell(48.1236) and old.approx_radius_m == 450
            assert old.geo_source == "neighbourhood" and old.exact_lat is None
    finally:
        engine.dispose()
