"""Benchmark of the nightly retention purge (services/retention.py).

Seeds one commune with ``--people`` beneficiaries (phone, address, access notes,
notes) and ``--missions`` individual missions done between 10 days and 2½ years
ago, each with an accepted participation carrying feedback, then times the
purge's first run (most missions and contacts due) and a second run on the same
day (nothing left: the nightly cost once caught up). Schema by alembic.

Prints one JSON object (``db``, ``people``, ``missions``, ``first_run_s``,
``second_run_s``, and what each run erased).

    python bench/retention.py                 # SQLite in a temporary folder
    python bench/retention.py --pg            # PostgreSQL (HC_BENCH_PG_URL, as bench/nearby.py)
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from nearby import database  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from heurecivique_app.adapters.db import make_engine  # noqa: E402
from heurecivique_app.domain.models import (  # noqa: E402
    Beneficiary,
    Commune,
    Departement,
    Mission,
    Neighbourhood,
    Participation,
    User,
)
from heurecivique_app.services import retention  # noqa: E402


def seed(url: str, *, people: int, missions: int) -> None:
    engine = make_engine(url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        dep = conn.execute(insert(Departement).values(code="035", name="Ille-et-Vilaine")
                           .returning(Departement.id)).scalar_one()
        town = conn.execute(insert(Commune).values(
            departement_id=dep, insee_code="35360", name="Vitré", slug="vitre",
            theme_color="#1d4ed8", contact_phone="", contact_email="")
            .returning(Commune.id)).scalar_one()
        hood = conn.execute(insert(Neighbourhood).values(
            commune_id=town, slug="centre", name="Centre", lat=48.12, lon=-1.21, radius_m=600)
            .returning(Neighbourhood.id)).scalar_one()
        helper = conn.execute(insert(User).values(
            commune_id=town, email="v@example.org", password_hash="x", display_name="V",
            role="volunteer", locale="fr", is_active=True, email_confirmed=True, created_at=now)
            .returning(User.id)).scalar_one()
        conn.execute(insert(Beneficiary), [{
            "commune_id": town, "neighbourhood_id": hood, "full_name": f"Mme Personne {i}",
            "phone": "+33299750000", "address": f"{i} rue de la Poterie, 35500 Vitré",
            "access_notes": "Code 1234, 2e étage", "notes": "Entend mal", "consent_at": now,
            "notice_version": "2026-12", "created_at": now - timedelta(days=1000),
        } for i in range(people)])
        ids = [row[0] for row in conn.execute(select(Beneficiary.id))]
        rows = []
        for i in range(missions):
            start = now - timedelta(days=10 + i % 900)
            rows.append({
                "commune_id": town, "neighbourhood_id": hood, "beneficiary_id": ids[i % people],
                "kind": "individual", "category": "shopping", "title": f"Mission {i}",
                "description": "", "channel": "phone", "capacity": 1, "accepted_count": 1,
                "status": "done", "approx_lat": 48.12, "approx_lon": -1.21,
                "approx_radius_m": 300, "geo_cell": 0, "exact_address": f"{i} rue X",
                "exact_lat": 48.1201, "exact_lon": -1.2101, "geo_source": "address",
                "starts_at": start, "preferred_starts": [], "duration_minutes": 60,
                "skills_wanted": [], "insurance_version": "2026-12",
                "created_at": start, "updated_at": start})
        for chunk in range(0, len(rows), 5000):
            conn.execute(insert(Mission), rows[chunk:chunk + 5000])
        mission_ids = [row[0] for row in conn.execute(select(Mission.id))]
        conn.execute(insert(Participation), [{
            "mission_id": m, "volunteer_id": helper, "status": "accepted", "reason": "",
            "feedback": "Madame était fatiguée", "problem": "", "created_at": now,
            "updated_at": now} for m in mission_ids])
    engine.dispose()


def timed_purge(url: str) -> tuple[float, dict[str, int]]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            started = time.perf_counter()
            run = retention.purge(session, now=datetime.now(UTC))
            counts = {"missions": run.missions_purged, "contacts": run.contacts_erased,
                      "pseudonymised": run.beneficiaries_pseudonymised}
            session.commit()
            return time.perf_counter() - started, counts
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--missions", type=int, default=20_000)
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    with database(kind) as url:
        seed(url, people=args.people, missions=args.missions)
        first, erased_first = timed_purge(url)
        second, erased_second = timed_purge(url)
    print(json.dumps({"db": kind, "people": args.people, "missions": args.missions,
                      "first_run_s": round(first, 2), "second_run_s": round(second, 2),
                      "first_run": erased_first, "second_run": erased_second}))


if __name__ == "__main__":
    main()
