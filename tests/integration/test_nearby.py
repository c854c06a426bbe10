"""The nearby query: indexed results equal a brute-force geopy check, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

import factories as f
import pytest
from geopy.distance import great_circle
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from heurecivique_app.adapters.db import read_scope, session_scope
from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.models import Mission
from heurecivique_app.services.geography import nearby_missions

# A 40 km x 30 km patch around Vitré, denser in the middle (like towns in a countryside).
LAT0, LAT1, LON0, LON1 = 47.99, 48.26, -1.48, -0.94
STATUSES = [MissionStatus.OPEN] * 6 + [MissionStatus.FULL, MissionStatus.DRAFT,
                                       MissionStatus.DONE]


def _point(rnd: random.Random) -> tuple[float, float]:
    if rnd.random() < 0.5:  # a town centre
        return rnd.gauss(48.1236, 0.01), rnd.gauss(-1.2085, 0.015)
    return rnd.uniform(LAT0, LAT1), rnd.uniform(LON0, LON1)


@pytest.fixture
def scattered(db_engine: Engine) -> dict:
    """700 missions in two communes, with mixed statuses."""
    rnd = random.Random(20261122)
    with session_scope(db_engine) as s:
        hood_a = f.neighbourhood(s)
        hood_b = f.neighbourhood(s)
        for n in range(700):
            hood = hood_a if n % 3 else hood_b
            lat, lon = _point(rnd)
            s.add(Mission(commune_id=hood.commune_id, neighbourhood_id=hood.id,
                          category="visit", title=f"M{n}", status=rnd.choice(STATUSES),
                          approx_lat=lat, approx_lon=lon, starts_at=f.utcnow()))
        s.flush()
        rows = [(m.id, m.approx_lat, m.approx_lon, m.status, m.commune_id)
                for m in s.exec(select(Mission))]
    return {"rows": rows, "communes": [hood_a.commune_id, hood_b.commune_id]}


def _brute_force(rows, lat, lon, radius_m, limit, commune_id):
    inside = []
    for mission_id, mlat, mlon, status, commune in rows:
        if status != MissionStatus.OPEN or (commune_id is not None and commune != commune_id):
            continue
        d = great_circle((lat, lon), (mlat, mlon)).meters
        if d <= radius_m:
            inside.append((d, mission_id))
    inside.sort()
    return inside[:limit], len(inside) > limit


def test_indexed_results_equal_brute_force_on_1000_random_queries(db_engine, scattered):
    rnd = random.Random(7)
    rows, communes = scattered["rows"], scattered["communes"]
    compared = non_empty = widened = 0
    with Session(db_engine) as session:
        for _ in range(1000):
            lat, lon = _point(rnd)
            radius = rnd.choice([150, 400, 1000, 2500, 5000, 12000, 30000])
            limit = rnd.choice([1, 10, 50])
            commune = rnd.choice([None, None, *communes])
            got = nearby_missions(session, lat=lat, lon=lon, radius_m=radius, limit=limit,
                                  commune_id=commune)
            want, more = _brute_force(rows, lat, lon, radius, limit, commune)
            assert [i for _, i in got.hits] == [i for _, i in want], (lat, lon, radius, limit)
            assert got.more == more
            for (d_got, _), (d_want, _) in zip(got.hits, want, strict=True):
                assert abs(d_got - d_want) < 1e-3
            compared += 1
            non_empty += bool(want)
            widened += got.queries > 1
    # The sample exercises the interesting cases, not only empty answers.
    assert compared == 1000 and non_empty > 600 and widened > 100


def test_the_scan_baseline_gives_the_same_answer(db_engine, scattered):
    with Session(db_engine) as session:
        for lat, lon in [(48.1236, -1.2085), (48.2, -1.0), (48.0, -1.4)]:
            indexed = nearby_missions(session, lat=lat, lon=lon, radius_m=5000, limit=50)
            scanned = nearby_missions(session, lat=lat, lon=lon, radius_m=5000, limit=50,
                                      use_index=False)
            assert indexed.hits == scanned.hits and indexed.more == scanned.more
            assert scanned.queries == 1


def _statements_of(db_engine: Engine, search) -> list[tuple[str, object]]:
    """The (SQL, parameters) of every box query ``search()`` sends to the database."""
    sent: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.startswith("SELECT id, approx_lat, approx_lon FROM mission"):
            sent.append((statement, parameters))

    event.listen(db_engine, "before_cursor_execute", record)
    try:
        search()
    finally:
        event.remove(db_engine, "before_cursor_execute", record)
    return sent


def test_the_query_reads_the_nearby_index(db_engine, scattered):
    """The plan of the service's own box query names ix_mission_nearby.

    SQLite is told to use it (INDEXED BY, which fails if it cannot); PostgreSQL
    must choose it.
    """
    def search() -> None:
        with Session(db_engine) as session:
            nearby_missions(session, lat=48.1236, lon=-1.2085, radius_m=1500, limit=10,
                            commune_id=scattered["communes"][0])

    sent = _statements_of(db_engine, search)
    assert sent, "the search sent no box query"
    with db_engine.connect() as conn:
        if db_engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE mission")
            conn.exec_driver_sql("SET enable_seqscan = off")  # tiny table: make cost irrelevant
        for statement, parameters in sent:
            if db_engine.dialect.name == "sqlite":
                plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
                detail = " ".join(str(row[-1]) for row in plan)
                assert "COVERING INDEX ix_mission_nearby" in detail, detail
            else:
                plan = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
                detail = " ".join(row[0] for row in plan)
                assert "ix_mission_nearby" in detail, detail


def test_nonsense_input_returns_nothing(db_engine, scattered):
    with Session(db_engine) as session:
        assert nearby_missions(session, lat=95, lon=0, radius_m=1000).hits == []
        assert nearby_missions(session, lat=48.12, lon=-1.2, radius_m=0).hits == []
        assert nearby_missions(session, lat=48.12, lon=-1.2, radius_m=500, limit=0).hits == []


def test_map_reads_without_a_transaction_and_scans_leave_no_trace(db_engine, scattered):
    """The map's autocommit session gives the same answers; the baseline resets its flags."""
    with Session(db_engine) as session:
        expected = nearby_missions(session, lat=48.1236, lon=-1.2085, radius_m=3000, limit=20)
    with read_scope(db_engine) as session:
        again = nearby_missions(session, lat=48.1236, lon=-1.2085, radius_m=3000, limit=20)
        assert (again.hits, again.more) == (expected.hits, expected.more)
        scanned = nearby_missions(session, lat=48.1236, lon=-1.2085, radius_m=3000, limit=20,
                                  use_index=False)
        assert scanned.hits == expected.hits
        if db_engine.dialect.name == "postgresql":
            flag = session.connection().exec_driver_sql("SHOW enable_indexscan").scalar()
            assert flag == "on"
