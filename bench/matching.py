"""Benchmark of matching (services.matching.suggest): one mission ranked over a commune's pool.

Seeds one commune with N volunteers (10,000 by default) in seven neighbourhoods:
90 % active, 5 % waiting for validation, 5 % paused; one to three skills, a few
availability slots, 30 % with a private home point; 40 % gave time this month,
10 % declined a mission lately. Then ranks one open shopping mission ``--runs``
times, each in a fresh session as the console page does: ``suggest`` (the
shortlist read in widening levels, candidates built for the best 20 only;
services/shortlist.py). There is no cache anywhere: every run does all its
reads, so p50_ms / p95_ms are what the page costs after any change; the target
(p95 <= 50 ms, issue 5) refers to p95_ms.

Same run, same data, for comparison:
- rare_skill_*: ``suggest`` for an individual clean-up need, a skill no volunteer
  listed, so the first level finds no one and the shortlist reads a wider one
  (the slow case; its fits are checked against ranking everyone too);
- level_rows / rare_skill_level_rows: how many rows each level the shortlist
  read returned (one untimed call each); pool_rows: the whole pool's;
- straightforward_*: ranking every candidate (``load_candidates`` then
  ``domain.matching.rank``), the path ``suggest`` replaced (same fits);
- baseline_*: the bare SELECT of the pool's plain columns (reading every
  volunteer once, before any count or scoring);
- rank_only_p50_ms: the pure ranking over candidates already in memory.
The three timed loops are interleaved run by run, so a burst of load from
other jobs on the machine hits them alike.

Prints one JSON object. Runs under the app workers' garbage-collector settings
(``--default-gc`` for CPython's). Schema by alembic.

    python bench/matching.py                 # SQLite in a temporary folder
    python bench/matching.py --pg            # PostgreSQL (HC_BENCH_PG_URL, as bench/nearby.py)
    python bench/matching.py --volunteers 2000 --runs 100
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nearby import database, percentile  # noqa: E402
from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from heurecivique_app.adapters.db import make_engine  # noqa: E402
from heurecivique_app.domain import matching as ranking  # noqa: E402
from heurecivique_app.domain.availability import (  # noqa: E402
    DAY_PARTS,
    WEEKDAYS,
    skills_key,
    slots_key,
)
from heurecivique_app.domain.enums import Category, Role  # noqa: E402
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
from heurecivique_app.realtime.gc_tuning import THRESHOLDS  # noqa: E402
from heurecivique_app.services import matching, shortlist  # noqa: E402
from heurecivique_app.services.actor import Actor  # noqa: E402
from heurecivique_app.services.shortlist import in_pool  # noqa: E402

TZ = "Europe/Paris"
HOODS = [(f"q{i}", f"Quartier {i}", 48.1236 + 0.004 * (i % 3), -1.2085 + 0.005 * (i // 3))
         for i in range(7)]
RARE = Category.CLEANUP.value  # listed by no one: the rare-skill mission's category
SKILLS = [c.value for c in Category if c.value != RARE]


def seed(url: str, volunteers: int) -> tuple[int, int]:
    """The commune, its pool and one open mission; returns (referent id, mission id)."""
    rnd = random.Random(7)
    now = datetime.now(UTC)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(Departement.__table__), [{"id": 1, "code": "35", "name": "I&V"}])
        conn.execute(insert(Commune.__table__), [{
            "id": 1, "departement_id": 1, "insee_code": "35360", "name": "Vitré",
            "slug": "vitre", "theme_color": "#000", "contact_phone": "", "contact_email": ""}])
        conn.execute(insert(Neighbourhood.__table__), [
            {"id": i + 1, "commune_id": 1, "slug": slug, "name": name, "lat": lat, "lon": lon,
             "radius_m": 600} for i, (slug, name, lat, lon) in enumerate(HOODS)])
        people = [{"id": 1, "commune_id": 1, "email": "ref@bench", "password_hash": "x",
                   "display_name": "Référente", "role": Role.REFERENT.value, "locale": "fr",
                   "is_active": True, "created_at": now}]
        profiles, hours, declines = [], [], []
        for n in range(2, volunteers + 2):
            people.append({"id": n, "commune_id": 1, "email": f"v{n}@bench",
                           "password_hash": "x", "display_name": f"Volontaire {n}",
                           "role": Role.VOLUNTEER.value, "neighbourhood_id": rnd.randint(1, 7),
                           "locale": "fr", "is_active": True, "created_at": now})
            roll = rnd.random()
            home = rnd.random() < 0.3
            skills = rnd.sample(SKILLS, rnd.randint(1, 3))
            availability = {day: rnd.sample(DAY_PARTS, rnd.randint(1, 2))
                            for day in rnd.sample(WEEKDAYS, rnd.randint(1, 3))}
            profiles.append({  # bulk insert: no mapper event, so the keys are set here
                "user_id": n,
                "status": "active" if roll < 0.9 else "pending" if roll < 0.95 else "paused",
                "skills": skills, "availability": availability,
                "skills_key": skills_key(skills), "slots_key": slots_key(availability),
                "max_distance_km": rnd.choice([1.0, 2.0, 3.0, 5.0]),
                "home_lat": 48.1236 + rnd.uniform(-0.02, 0.02) if home else None,
                "home_lon": -1.2085 + rnd.uniform(-0.03, 0.03) if home else None,
                "validation_note": "", "skills_note": "", "home_address": "",
            })
            if rnd.random() < 0.4:
                hours.append(n)
            if rnd.random() < 0.1:
                declines.append(n)
        conn.execute(insert(User.__table__), people)
        conn.execute(insert(VolunteerProfile.__table__), profiles)
        conn.execute(insert(Beneficiary.__table__), [{
            "id": 1, "commune_id": 1, "neighbourhood_id": 1, "full_name": "Mme B",
            "address": "1 rue", "access_notes": "", "consent_at": now, "created_at": now}])
        mission = {"commune_id": 1, "neighbourhood_id": 1, "beneficiary_id": 1,
                   "kind": "individual", "category": "shopping", "description": "",
                   "channel": "phone", "capacity": 1, "accepted_count": 0,
                   "approx_lat": 48.1236, "approx_lon": -1.2085, "approx_radius_m": 250,
                   "geo_cell": 0, "exact_address": "1 rue", "exact_lat": 48.1240,
                   "exact_lon": -1.2080, "geo_source": "address", "duration_minutes": 60,
                   "created_at": now, "updated_at": now}
        starts = [now + timedelta(days=3), now + timedelta(days=5, hours=7)]
        conn.execute(insert(Mission.__table__), [
            {**mission, "id": 1, "title": "Courses", "status": "open", "starts_at": starts[0],
             "preferred_starts": [s.isoformat() for s in starts]},
            {**mission, "id": 2, "title": "Faites", "status": "done", "starts_at": now,
             "preferred_starts": []},
            {**mission, "id": 3, "title": "Nettoyage", "status": "open", "category": RARE,
             "starts_at": starts[1], "preferred_starts": [starts[1].isoformat()]}])
        if hours:
            conn.execute(insert(HourEntry.__table__), [
                {"volunteer_id": n, "mission_id": 2, "minutes": 60, "created_at": now,
                 "month": month_key(now, TZ)} for n in hours])
        if declines:
            conn.execute(insert(Participation.__table__), [
                {"mission_id": 2, "volunteer_id": n, "status": "declined", "reason": "",
                 "feedback": "", "problem": "", "created_at": now, "updated_at": now}
                for n in declines])
        if url.startswith("postgresql"):  # as autovacuum would have done by now
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return 1, 1


def bare_select(session: Session) -> int:
    """The baseline: every volunteer's plain columns, once, no count, no scoring."""
    return len(session.connection().execute(
        select(User.id, User.display_name, VolunteerProfile.status, VolunteerProfile.skills_key,
               VolunteerProfile.slots_key, VolunteerProfile.max_distance_km,
               VolunteerProfile.home_lat, VolunteerProfile.home_lon, User.neighbourhood_id)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(*in_pool(1))).all())


def rows_per_level(engine, actor: Actor, mission_id: int) -> list[int]:
    """How many rows each level of the shortlist read for the mission: one call, untimed,
    through a counting wrapper of ``shortlist.best_rows``."""
    counts, real = [], shortlist.best_rows

    def counting(rows, *rest, **kw):
        rows = list(rows)
        counts.append(len(rows))
        return real(rows, *rest, **kw)

    shortlist.best_rows = counting
    try:
        with Session(engine) as session:
            matching.suggest(session, actor=actor, mission_id=mission_id, timezone=TZ)
    finally:
        shortlist.best_rows = real
    return counts


def straightforward_fits(session: Session, mission_id: int) -> list:
    """Ranking every candidate (``load_candidates`` then ``domain.matching.rank``)."""
    need = matching.need_of(session, session.get(Mission, mission_id), TZ)
    return ranking.rank(matching.load_candidates(
        session, commune_id=1, mission_id=mission_id, timezone=TZ), need)


def timed(engine, runs: int, work) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(runs):
        with Session(engine) as session:
            started = time.perf_counter()
            result = work(session)
            samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--default-gc", action="store_true",
                        help="CPython's collector thresholds, not the app workers' tuning")
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    with database(kind) as url:
        referent_id, mission_id = seed(url, args.volunteers)
        engine = make_engine(url)
        actor = Actor(user_id=referent_id, role=Role.REFERENT, commune_id=1,
                      display_name="Référente", neighbourhood_id=None, locale="fr")

        def rank(session: Session):
            return matching.suggest(session, actor=actor, mission_id=mission_id, timezone=TZ)

        def rare_skill(session: Session):
            return matching.suggest(session, actor=actor, mission_id=3, timezone=TZ)

        def straightforward(session: Session):
            return straightforward_fits(session, mission_id)

        # Warm the caches and the statement compilation first.
        for work in (rank, rare_skill, straightforward, bare_select):
            timed(engine, 3, work)
        if not args.default_gc:  # as the app's workers run (realtime/gc_tuning.py)
            gc.collect()
            gc.freeze()
            gc.set_threshold(*THRESHOLDS)
        samples, rare, baseline, plain = [], [], [], []
        for _ in range(args.runs):
            run, found = timed(engine, 1, rank)
            samples += run
            run, rare_found = timed(engine, 1, rare_skill)
            rare += run
            run, read = timed(engine, 1, bare_select)
            baseline += run
            run, every = timed(engine, 1, straightforward)
            plain += run
        assert every == found.fits, "the shortlist must give the straightforward fits"
        with Session(engine) as session:
            assert rare_found.fits == straightforward_fits(session, 3), "same, rare skill"
        levels = rows_per_level(engine, actor, mission_id)
        rare_levels = rows_per_level(engine, actor, 3)
        with Session(engine) as session:  # the pure ranking alone, on candidates in memory
            candidates = matching.load_candidates(session, commune_id=1,
                                                  mission_id=mission_id, timezone=TZ)
        scoring = []
        for _ in range(args.runs):
            started = time.perf_counter()
            ranking.rank(candidates, found.need)
            scoring.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    print(json.dumps({
        "database": kind, "volunteers": args.volunteers, "runs": args.runs,
        "gc": "default" if args.default_gc else "app",
        "pool_rows": read, "suggestions": len(found.fits),
        "level_rows": levels, "rare_skill_level_rows": rare_levels,
        "p50_ms": round(percentile(samples, 50), 2), "p95_ms": round(percentile(samples, 95), 2),
        "rare_skill_p50_ms": round(percentile(rare, 50), 2),
        "rare_skill_p95_ms": round(percentile(rare, 95), 2),
        "straightforward_p50_ms": round(percentile(plain, 50), 2),
        "straightforward_p95_ms": round(percentile(plain, 95), 2),
        "baseline_p50_ms": round(percentile(baseline, 50), 2),
        "baseline_p95_ms": round(percentile(baseline, 95), 2),
        "rank_only_p50_ms": round(percentile(scoring, 50), 2),
        "target_p95_ms": 50, "cache": "none",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
