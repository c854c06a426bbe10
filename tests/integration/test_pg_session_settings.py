"""The app's PostgreSQL connections plan every statement with its values (adapters/db.py).

psycopg prepares a statement run five times on a connection; five runs later
PostgreSQL may keep a generic plan, made without the values, which for a range of
dates expects one row: the evaluation upkeep's query of a commune's month took
14 ms instead of 2.5 from its sixth run on (README "Soak test with faults")."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from heurecivique_app.adapters.db import make_engine

pytestmark = pytest.mark.postgres


def test_every_connection_plans_with_the_values_and_without_jit(pg_url):
    engine = make_engine(pg_url)
    try:
        for _ in range(3):  # pooled connections, and a fresh one
            with engine.connect() as conn:
                assert conn.execute(text("show plan_cache_mode")).scalar_one() == \
                    "force_custom_plan"
                assert conn.execute(text("show jit")).scalar_one() == "off"
            engine.dispose()
    finally:
        engine.dispose()
