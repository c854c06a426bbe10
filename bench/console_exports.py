"""Cost of the console's live payload and of the exports, on the Vitré demo plus N missions.

For each size N (extra past missions with a volunteer and an hour entry, spread over a
year) it prints one JSON line:

- console_ms (median of 20, each in a fresh session as the console's state does) and
  console_bytes: one ``console_vars`` computation, the work done once per commune and
  language for every change (not per viewer);
- search_ms, csv_ms/csv_bytes, xlsx_ms/xlsx_bytes: the missions export with no filter
  (capped at ``search.MAX_ROWS`` rows);
- baseline_ms (median of 20, fresh sessions): the bare SELECT of the commune's missions
  (id, title, status, date), the read beneath both, measured in the same run.

    python bench/console_exports.py                 # SQLite, N = 0 1000 5000
    python bench/console_exports.py --sizes 0 20000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from scratch_db import migrate  # noqa: E402
from sqlmodel import select  # noqa: E402

from heurecivique_app.adapters.db import make_engine, session_scope  # noqa: E402
from heurecivique_app.adapters.spreadsheets import to_csv, to_xlsx  # noqa: E402
from heurecivique_app.demo.seed import load_demo_data  # noqa: E402
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus, Role  # noqa: E402
from heurecivique_app.domain.models import (  # noqa: E402
    Beneficiary,
    HourEntry,
    Mission,
    Participation,
    User,
)
from heurecivique_app.domain.types import utcnow  # noqa: E402
from heurecivique_app.presenters.exports import missions_table  # noqa: E402
from heurecivique_app.presenters.missions import console_vars  # noqa: E402
from heurecivique_app.services import search  # noqa: E402
from heurecivique_app.services.actor import Actor  # noqa: E402

TZ = "Europe/Paris"


def _grow(engine, extra: int) -> None:
    with session_scope(engine) as s:
        person = s.exec(select(Beneficiary)).first()
        volunteer = s.exec(select(User).where(User.role == Role.VOLUNTEER)).first()
        now = utcnow()
        for i in range(extra):
            starts = now - timedelta(hours=3 + (i * 37) % (365 * 24))
            mission = Mission(commune_id=person.commune_id,
                              neighbourhood_id=person.neighbourhood_id,
                              beneficiary_id=person.id, category="shopping",
                              title=f"Courses n° {i}", status=MissionStatus.CLOSED,
                              capacity=1, accepted_count=1, approx_lat=48.12, approx_lon=-1.2,
                              exact_address=person.address, starts_at=starts)
            s.add(mission)
            s.flush()
            s.add(Participation(mission_id=mission.id, volunteer_id=volunteer.id,
                                status=ParticipationStatus.ACCEPTED))
            s.add(HourEntry(volunteer_id=volunteer.id, mission_id=mission.id, minutes=60,
                            month=starts.strftime("%Y-%m")))


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def run(extra: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate(url)
        engine = make_engine(url)
        with session_scope(engine) as s:
            load_demo_data(s, timezone=TZ)
        _grow(engine, extra)
        with session_scope(engine) as s:
            referent = s.exec(select(User).where(User.role == Role.REFERENT)).first()
            actor = Actor.from_user(referent)

        def in_session(work):
            with session_scope(engine) as session:
                return work(session)

        console_ms, payload = _timed(lambda: in_session(
            lambda s: console_vars(s, actor.commune_id, "fr", TZ)), repeat=20)
        baseline_ms, _ = _timed(lambda: in_session(lambda s: s.exec(
            select(Mission.id, Mission.title, Mission.status, Mission.starts_at)
            .where(Mission.commune_id == actor.commune_id)).all()), repeat=20)
        with session_scope(engine) as s:
            search_ms, lines = _timed(lambda: search.missions(
                s, actor=actor, filters=search.Filters(), timezone=TZ))
        headers, rows = missions_table(lines, "fr", TZ)
        csv_ms, csv_data = _timed(lambda: to_csv(headers, rows))
        xlsx_ms, xlsx_data = _timed(lambda: to_xlsx(headers, rows, title="missions"))
        engine.dispose()
    return {"db": "sqlite", "extra_missions": extra, "rows_exported": len(rows),
            "console_ms": round(console_ms, 2), "baseline_ms": round(baseline_ms, 2),
            "console_bytes": len(json.dumps(payload, ensure_ascii=False).encode()),
            "search_ms": round(search_ms, 1), "csv_ms": round(csv_ms, 1),
            "csv_bytes": len(csv_data), "xlsx_ms": round(xlsx_ms, 1),
            "xlsx_bytes": len(xlsx_data)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000, 5000])
    for extra in parser.parse_args().sizes:
        print(json.dumps(run(extra)), flush=True)


if __name__ == "__main__":
    main()
