"""Benchmark of the nearby query (services.geography.nearby_missions), indexed vs full scan.

Missions are spread uniformly over a département-sized box (Ille-et-Vilaine, about
96 km x 120 km); 80 % are open. Each query: open missions within 5 km of a random
point, the 50 nearest. Both strategies run in the same process on the same data:

- indexed: the service as the map calls it (covering index, growing circle, on an
  autocommit session: ``adapters.db.read_scope``);
- scan: the same service with ``use_index=False``: one pass over the whole table
  (SQLite ``NOT INDEXED``; PostgreSQL with index scans switched off).

Prints one JSON object per database and size. Schema by alembic (the real index).

    python bench/nearby.py                      # sqlite and postgresql, 10k 100k 1M
    python bench/nearby.py --db sqlite --sizes 10000 100000
    HC_BENCH_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres python bench/nearby.py
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from alembic.config import Config  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from alembic import command  # noqa: E402
from heurecivique_app.adapters.db import make_engine  # noqa: E402
from heurecivique_app.domain.geo import geo_cell  # noqa: E402
from heurecivique_app.services.geography import nearby_missions  # noqa: E402

LAT0, LAT1 = 47.63, 48.71
LON0, LON1 = -2.29, -1.00
RADIUS_M = 5000.0
LIMIT = 50
PG_ADMIN_URL = os.environ.get("HC_BENCH_PG_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
COLUMNS = ("commune_id", "neighbourhood_id", "kind", "category", "title", "description",
           "channel", "capacity", "accepted_count", "status", "approx_lat", "approx_lon",
           "approx_radius_m", "geo_cell", "exact_address", "geo_source", "starts_at",
           "duration_minutes", "created_at", "updated_at")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def migrate(url: str) -> None:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


@contextmanager
def database(kind: str):
    """A fresh, migrated database URL, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/nearby.db"
            migrate(url)
            yield url
        return
    name = f"hc_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrate(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def mission_rows(n: int):
    rnd = random.Random(42)
    now = datetime.now(UTC)
    starts = now + timedelta(days=3)
    statuses = ["open"] * 8 + ["done", "closed"]
    for i in range(n):
        lat, lon = rnd.uniform(LAT0, LAT1), rnd.uniform(LON0, LON1)
        yield (1, 1, "individual", "visit", f"Mission {i}", "", "phone", 1, 0,
               statuses[i % 10], lat, lon, 250, geo_cell(lat), "", "address", starts, 60,
               now, now)


def load(url: str, n: int) -> None:
    """Parents through SQL, then the missions in bulk (sqlite3 executemany / PostgreSQL COPY)."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO departement (id, code, name) VALUES (1, '35', 'I&V')"))
        conn.execute(text("INSERT INTO commune (id, departement_id, insee_code, name, slug, "
                          "theme_color) VALUES (1, 1, '35360', 'Vitré', 'vitre', '#000')"))
        conn.execute(text("INSERT INTO neighbourhood (id, commune_id, slug, name, lat, lon, "
                          "radius_m) VALUES (1, 1, 'centre', 'Centre', 48.12, -1.2, 500)"))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            marks = ", ".join("?" for _ in COLUMNS)
            rows = ((*r[:16], r[16].isoformat(sep=" "), r[17], r[18].isoformat(sep=" "),
                     r[19].isoformat(sep=" ")) for r in mission_rows(n))
            cursor.executemany(f"INSERT INTO mission ({', '.join(COLUMNS)}) VALUES ({marks})",
                               rows)
            raw.commit()
            cursor.execute("ANALYZE")
        else:
            with cursor.copy(f"COPY mission ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in mission_rows(n):
                    copy.write_row(row)
            raw.commit()
            driver = raw.driver_connection
            driver.autocommit = True
            driver.execute("VACUUM ANALYZE mission")  # visibility map: index-only scans
            driver.execute("CHECKPOINT")  # measure the steady state, not the bulk load's flush
            driver.autocommit = False
    finally:
        raw.close()
    engine.dispose()


boxes: list[int] = []


def timed(session: Session, points, use_index: bool) -> tuple[list[float], list[int]]:
    times, found = [], []
    boxes.clear()
    for lat, lon in points:
        # Check-out (and PostgreSQL's pre-ping) happen once per request, whatever it does:
        # not part of the query.
        session.connection()
        start = time.perf_counter()
        result = nearby_missions(session, lat=lat, lon=lon, radius_m=RADIUS_M, limit=LIMIT,
                                 use_index=use_index)
        times.append((time.perf_counter() - start) * 1000)
        found.append(len(result.hits))
        boxes.append(result.queries)
        session.close()  # back to the pool, as at the end of each request
    return times, found


def run(kind: str, n: int, indexed_queries: int) -> dict:
    with database(kind) as url:
        started = time.perf_counter()
        load(url, n)
        load_s = time.perf_counter() - started
        # As the map reads: autocommit, no BEGIN/ROLLBACK round trips (adapters.db.read_scope).
        base = make_engine(url)
        engine = base.execution_options(isolation_level="AUTOCOMMIT")
        rnd = random.Random(7)
        points = [(rnd.uniform(LAT0 + 0.05, LAT1 - 0.05), rnd.uniform(LON0 + 0.07, LON1 - 0.07))
                  for _ in range(indexed_queries)]
        scans = 20 if n >= 1_000_000 else 60
        with Session(engine) as session:
            # Same answers first (a benchmark of a wrong query is worthless).
            for lat, lon in points[:5]:
                a = nearby_missions(session, lat=lat, lon=lon, radius_m=RADIUS_M, limit=LIMIT)
                b = nearby_missions(session, lat=lat, lon=lon, radius_m=RADIUS_M, limit=LIMIT,
                                    use_index=False)
                assert a.hits == b.hits, "indexed and scan answers differ"
                session.close()
            gc.collect()
            gc.freeze()
            timed(session, points[:200], True)  # warm caches
            indexed, found = timed(session, points, True)
            boxes_mean = statistics.mean(boxes)
            timed(session, points[:3], False)
            scan, _ = timed(session, points[:scans], False)
            gc.unfreeze()
        base.dispose()
    p50 = statistics.median(indexed)
    return {
        "db": kind,
        "missions": n,
        "radius_km": RADIUS_M / 1000,
        "limit": LIMIT,
        "indexed_p50_ms": round(p50, 3),
        "indexed_p99_ms": round(percentile(indexed, 99), 3),
        "scan_p50_ms": round(statistics.median(scan), 3),
        "speedup": round(statistics.median(scan) / p50, 1),
        "indexed_queries": len(indexed),
        "scan_queries": len(scan),
        "hits_p50": statistics.median(found),
        "boxes_per_query": round(boxes_mean, 3),
        "load_s": round(load_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=1000, help="indexed queries per size")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    for kind in kinds:
        for n in args.sizes:
            print(json.dumps(run(kind, n, args.queries)), flush=True)


if __name__ == "__main__":
    main()
