"""Benchmark of the evaluation dashboards (services/stats.py): a commune's and a département's year.

Seeds one département of 50 communes (5 neighbourhoods each) with 20,000
volunteers and 100,000 missions created over the last three years: 70 % done
or closed with their volunteer's participation, hour entry and follow-up
(satisfaction of both sides, 3 % with an incident), 10 % cancelled, 8 %
expired, the rest open or full; one mission in twenty is a collective action
with three volunteers whose attendance was checked; 5,000 relay reports. Then
computes the dashboard of last calendar year (a full year of data) ``--runs``
times, each in a fresh session as the page does, for:

- scope ``commune``: one commune, as its referent (``services.stats.commune_stats``);
- scope ``departement``: the département and its 50 communes compared, as its
  coordinator (``services.stats.departement_stats``).

The rows are inserted in bulk, as an existing database holds them; then the
evaluation summaries are built from them exactly as ``manage migrate`` builds
them for an existing database (``stats_upkeep.ensure``: ``summary_build_s``), and
the dashboards read them (``services/stats_summary.py``). Same run, same data:
``raw_*`` is the same dashboard read from the raw rows (the summaries switched
off, as a custom period cutting a month is read), and ``baseline_*`` a bare scan
of the same rows (the scope's missions created in the year and the hour entries
of the year's months joined to their mission, plain columns, no aggregate). The
timed loops are interleaved run by run.

Prints one JSON object per scope (``db``, ``scope``, ``p50_ms``, ``p95_ms``,
``baseline_p95_ms``, then details: ``raw_p95_ms``…). Schema by alembic.

    python bench/stats.py                 # SQLite in a temporary folder
    python bench/stats.py --pg            # PostgreSQL (HC_BENCH_PG_URL, as bench/nearby.py)
    python bench/stats.py --runs 50
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nearby import database, percentile  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, col  # noqa: E402

from heurecivique_app.adapters.db import make_engine  # noqa: E402
from heurecivique_app.domain.community import RelayReport  # noqa: E402
from heurecivique_app.domain.enums import Category, Channel, Role  # noqa: E402
from heurecivique_app.domain.followup import MissionFollowUp  # noqa: E402
from heurecivique_app.domain.hours import month_key  # noqa: E402
from heurecivique_app.domain.models import (  # noqa: E402
    Beneficiary,
    Commune,
    Departement,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.stats import period_of  # noqa: E402
from heurecivique_app.manage import build_stats_summaries  # noqa: E402
from heurecivique_app.realtime.gc_tuning import THRESHOLDS  # noqa: E402
from heurecivique_app.services import stats, stats_summary  # noqa: E402
from heurecivique_app.services.actor import Actor  # noqa: E402

TZ = "Europe/Paris"
COMMUNES = 50
HOODS = 5
CATEGORIES = [c.value for c in Category if c.value != Category.COLLECTIVE_EVENT.value]
CHANNELS = [c.value for c in Channel]
TARGETS = {"commune": 150, "departement": 500}


def seed(url: str, *, volunteers: int, missions: int, reports: int) -> None:
    """The département, its people and three years of missions, in bulk."""
    rnd = random.Random(20)
    now = datetime.now(UTC)
    start = now - timedelta(days=3 * 365)
    span = (now - start).total_seconds()

    def moment() -> datetime:
        return start + timedelta(seconds=rnd.random() * span)

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Departement.__table__), [{"id": 1, "code": "35", "name": "I&V"}])
        conn.execute(insert(Commune.__table__), [{
            "id": c, "departement_id": 1, "insee_code": f"35{c:03d}", "name": f"Commune {c:02d}",
            "slug": f"commune-{c}", "theme_color": "#000", "contact_phone": "",
            "contact_email": ""} for c in range(1, COMMUNES + 1)])
        conn.execute(insert(Neighbourhood.__table__), [{
            "id": (c - 1) * HOODS + h, "commune_id": c, "slug": f"q{h}", "name": f"Quartier {h}",
            "lat": 48.1 + c / 100, "lon": -1.2 + h / 100, "radius_m": 600}
            for c in range(1, COMMUNES + 1) for h in range(1, HOODS + 1)])
        staff = [{"id": 1, "commune_id": 1, "email": "ref@bench", "password_hash": "x",
                  "display_name": "Référente", "role": Role.REFERENT.value, "locale": "fr",
                  "is_active": True, "email_confirmed": True, "created_at": start},
                 {"id": 2, "commune_id": 1, "email": "dep@bench", "password_hash": "x",
                  "display_name": "Coordinatrice", "role": Role.DEPARTEMENT_ADMIN.value,
                  "locale": "fr", "is_active": True, "email_confirmed": True,
                  "created_at": start}]
        conn.execute(insert(User.__table__), staff)
        people, profiles, by_commune = [], [], {c: [] for c in range(1, COMMUNES + 1)}
        for n in range(3, volunteers + 3):
            commune = rnd.randint(1, COMMUNES)
            created = moment()
            people.append({"id": n, "commune_id": commune, "email": f"v{n}@bench",
                           "password_hash": "x", "display_name": f"Volontaire {n}",
                           "role": Role.VOLUNTEER.value if n % 20 else Role.RELAY.value,
                           "neighbourhood_id": (commune - 1) * HOODS + rnd.randint(1, HOODS),
                           "locale": "fr", "is_active": True, "email_confirmed": True,
                           "created_at": created})
            validated = created + timedelta(days=rnd.randint(1, 30))
            ok = rnd.random() < 0.8 and validated < now
            profiles.append({"user_id": n, "status": "active" if ok else "pending",
                             "skills": [], "availability": {}, "skills_key": "",
                             "slots_key": "", "max_distance_km": 2.0,
                             "validated_at": validated if ok else None,
                             "validation_note": "", "skills_note": "", "home_address": ""})
            by_commune[commune].append((n, created))
        conn.execute(insert(User.__table__), people)
        conn.execute(insert(VolunteerProfile.__table__), profiles)
        conn.execute(insert(Beneficiary.__table__), [{
            "id": b, "commune_id": (b - 1) % COMMUNES + 1,
            "neighbourhood_id": ((b - 1) % COMMUNES) * HOODS + 1, "full_name": f"B {b}",
            "address": "1 rue", "access_notes": "", "consent_at": start, "created_at": start}
            for b in range(1, 10_001)])
        rows, parts, hours, follows = [], [], [], []
        for m in range(1, missions + 1):
            commune = (m - 1) % COMMUNES + 1
            created = moment()
            collective = m % 20 == 0
            roll = rnd.random()
            status = ("closed" if roll < 0.6 else "done" if roll < 0.7 else
                      "cancelled" if roll < 0.8 else "expired" if roll < 0.88 else
                      "full" if roll < 0.94 else "open")
            filled = status in ("closed", "done", "full")
            pool = [v for v, at in by_commune[commune] if at <= created] or [
                by_commune[commune][0][0]]
            taken = rnd.sample(pool, min(len(pool), 3 if collective else 1)) if filled else []
            starts = created + timedelta(days=rnd.randint(1, 10))
            rows.append({
                "id": m, "commune_id": commune,
                "neighbourhood_id": (commune - 1) * HOODS + rnd.randint(1, HOODS),
                "beneficiary_id": None if collective else rnd.randint(0, 199) * COMMUNES
                + commune, "kind": "collective" if collective else "individual",
                "category": "collective_event" if collective else rnd.choice(CATEGORIES),
                "title": f"Mission {m}", "description": "", "channel": rnd.choice(CHANNELS),
                "capacity": 3 if collective else 1, "accepted_count": len(taken),
                "status": status, "approx_lat": 48.1, "approx_lon": -1.2,
                "approx_radius_m": 250, "geo_cell": 0, "exact_address": "",
                "geo_source": "neighbourhood", "starts_at": starts, "preferred_starts": [],
                "duration_minutes": 60, "skills_wanted": [], "created_at": created,
                "updated_at": created})
            accepted_at = created + timedelta(hours=rnd.expovariate(1 / 30))
            for volunteer in taken:
                parts.append({"mission_id": m, "volunteer_id": volunteer,
                              "status": "accepted", "reason": "", "feedback": "", "problem": "",
                              "attended": (rnd.random() < 0.85) if collective and status in (
                                  "closed", "done") else None,
                              "created_at": accepted_at, "updated_at": accepted_at})
                if status in ("closed", "done") and starts < now:
                    hours.append({"volunteer_id": volunteer, "mission_id": m,
                                  "minutes": rnd.choice([45, 60, 60, 90, 120]),
                                  "month": month_key(starts, TZ), "created_at": starts})
            if status == "closed":
                follows.append({"mission_id": m, "beneficiary_called": True, "went_well": True,
                                "minutes": 60, "beneficiary_satisfaction": rnd.choice(
                                    [3, 4, 4, 5, 5, None]),
                                "volunteer_satisfaction": rnd.choice([3, 4, 5, 5, None]),
                                "incident": "Un souci" if rnd.random() < 0.03 else "",
                                "created_at": starts, "updated_at": starts})
        for table, batch in ((Mission.__table__, rows), (Participation.__table__, parts),
                             (HourEntry.__table__, hours), (MissionFollowUp.__table__, follows)):
            for i in range(0, len(batch), 10_000):
                conn.execute(insert(table), batch[i:i + 10_000])
        reports_rows = []
        for r in range(1, reports + 1):
            commune = (r - 1) % COMMUNES + 1
            created = moment()
            answered = rnd.random() < 0.8
            reports_rows.append({
                "commune_id": commune, "neighbourhood_id": (commune - 1) * HOODS + 1,
                "relay_id": by_commune[commune][0][0], "kind": "issue",
                "category": rnd.choice(["comfort", "health", "safety"]), "title": "Signalement",
                "description": "", "status": "closed" if answered else "new", "answer": "",
                "created_at": created,
                "updated_at": created + timedelta(hours=rnd.expovariate(1 / 48) if answered
                                                  else 0)})
        conn.execute(insert(RelayReport.__table__), reports_rows)
        if url.startswith("postgresql"):  # as autovacuum would have done by now
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def bare_scan(session: Session, commune_ids: list[int], filters: stats.StatsFilter) -> int:
    """The baseline: the scope's missions of the year and its hour entries, plain columns."""
    begin, end = filters.period.bounds(TZ)
    missions = session.connection().execute(
        select(Mission.id, Mission.commune_id, Mission.channel, Mission.status,
               Mission.category, Mission.accepted_count, Mission.created_at)
        .where(col(Mission.commune_id).in_(commune_ids), Mission.created_at >= begin,
               Mission.created_at < end)).all()
    entries = session.connection().execute(
        select(HourEntry.volunteer_id, HourEntry.month, HourEntry.minutes, Mission.category,
               Mission.commune_id)
        .join(Mission, Mission.id == HourEntry.mission_id)
        .where(col(HourEntry.month).in_(filters.period.months()),
               col(Mission.commune_id).in_(commune_ids))).all()
    return len(missions) + len(entries)


def timed(engine: Engine, work: Callable[[Session], object]) -> tuple[float, object]:
    with Session(engine) as session:
        started = time.perf_counter()
        result = work(session)
        return (time.perf_counter() - started) * 1000, result


def raw_timed(engine: Engine, work: Callable[[Session], object]) -> tuple[float, object]:
    """``timed``, with the summaries switched off: the dashboard read from the raw rows."""
    serves = stats_summary.serves
    stats_summary.serves = lambda *_a, **_k: False  # type: ignore[assignment]
    try:
        return timed(engine, work)
    finally:
        stats_summary.serves = serves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--missions", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    referent = Actor(user_id=1, role=Role.REFERENT, commune_id=1, display_name="Référente",
                     neighbourhood_id=None, locale="fr")
    coordinator = Actor(user_id=2, role=Role.DEPARTEMENT_ADMIN, commune_id=1,
                        display_name="Coordinatrice", neighbourhood_id=None, locale="fr")
    today = datetime.now(UTC).date()
    filters = stats.StatsFilter(period_of("year", anchor=date(today.year - 1, 6, 1)))
    with database(kind) as url:
        started = time.perf_counter()
        seed(url, volunteers=args.volunteers, missions=args.missions, reports=args.reports)
        seed_s = time.perf_counter() - started
        started = time.perf_counter()
        assert build_stats_summaries(url, timezone=TZ), "the summaries were already there"
        build_s = time.perf_counter() - started
        engine = make_engine(url)
        if args.pg:  # the new tables too, as autovacuum would have by now (see seed)
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        work = {
            "commune": (lambda s: stats.commune_stats(s, actor=referent, commune_id=1,
                                                      filters=filters, timezone=TZ),
                        lambda s: bare_scan(s, [1], filters)),
            "departement": (lambda s: stats.departement_stats(s, actor=coordinator,
                                                              filters=filters, timezone=TZ),
                            lambda s: bare_scan(s, list(range(1, COMMUNES + 1)), filters)),
        }
        for dashboard, scan in work.values():  # warm caches and statement compilation
            for _ in range(3):
                timed(engine, dashboard)
                raw_timed(engine, dashboard)
                timed(engine, scan)
        gc.collect()
        gc.freeze()
        gc.set_threshold(*THRESHOLDS)  # as the app's workers run (realtime/gc_tuning.py)
        samples = {scope: ([], [], []) for scope in work}
        results: dict[str, object] = {}
        for _ in range(args.runs):
            for scope, (dashboard, scan) in work.items():
                ms, results[scope] = timed(engine, dashboard)
                samples[scope][0].append(ms)
                ms, results[scope + "_raw"] = raw_timed(engine, dashboard)
                samples[scope][2].append(ms)
                ms, results[scope + "_rows"] = timed(engine, scan)
                samples[scope][1].append(ms)
        engine.dispose()
    for scope, (dash, base, raw) in samples.items():
        report = results[scope]
        # The summaries must give the raw rows' answer (tests/integration/test_stats_summary.py).
        assert report == results[scope + "_raw"], f"{scope}: summaries differ from the raw rows"
        print(json.dumps({
            "db": kind, "scope": scope,
            "p50_ms": round(percentile(dash, 50), 2), "p95_ms": round(percentile(dash, 95), 2),
            "baseline_p95_ms": round(percentile(base, 95), 2),
            "baseline_p50_ms": round(percentile(base, 50), 2),
            "raw_p50_ms": round(percentile(raw, 50), 2),
            "raw_p95_ms": round(percentile(raw, 95), 2),
            "target_p95_ms": TARGETS[scope], "runs": args.runs,
            "period": [filters.period.start.isoformat(), filters.period.end.isoformat()],
            "scanned_rows": results[scope + "_rows"],
            "missions_created": report.missions_created, "hours": round(report.minutes / 60),
            "communes": COMMUNES, "missions": args.missions, "volunteers": args.volunteers,
            "seed_s": round(seed_s, 1), "summary_build_s": round(build_s, 1),
            "cache": "none", "summaries": True,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }))


if __name__ == "__main__":
    main()
