"""Login answer time for unknown and known e-mails, side by side, in the same run.

Each try is a real ``POST /api/auth/login`` with a wrong password, through the
Starlette route and the throttle, on a scratch database; unknown and known
e-mails alternate so load on the machine hits both alike. Every try comes from
its own client address and known e-mails are spread over many accounts, so the
throttle never refuses a try unchecked: what is timed is the answer to a
checked password, the case an enumeration script would measure.

Prints one JSON object: median and p95 (ms) of each kind, their ratio, and the
load average of the machine.

    python bench/login_timing.py                # 40 of each, SQLite
    python bench/login_timing.py --tries 100 --database-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import factories as f  # noqa: E402
from scratch_db import migrate  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from heurecivique_app.adapters.db import make_engine, session_scope  # noqa: E402
from heurecivique_app.api import session as api_session  # noqa: E402
from heurecivique_app.settings import get_settings  # noqa: E402


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(database_url: str, tries: int) -> dict:
    migrate(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as s:
        hood = f.neighbourhood(s)
        known = [f.volunteer(s, neighbourhood_=hood, email=f"known{i}@example.org").email
                 for i in range(tries)]

    @contextmanager
    def scope():
        with session_scope(engine) as session:
            yield session

    # The route's own session and settings, pointed at the scratch database and
    # trusting X-Forwarded-For so each try has its own address.
    api_session.session_scope = scope
    settings = dataclasses.replace(get_settings(), trust_forwarded_for=True)
    api_session.get_settings = lambda: settings
    client = TestClient(Starlette(routes=api_session.routes), follow_redirects=False)

    def timed(email: str, n: int) -> float:
        address = f"10.{n // 65536}.{n // 256 % 256}.{n % 256}"
        start = time.perf_counter()
        answer = client.post("/api/auth/login", data={"email": email, "password": "wrong"},
                             headers={"x-forwarded-for": address})
        elapsed = (time.perf_counter() - start) * 1000
        assert answer.status_code == 303 and "error=credentials" in answer.headers["location"]
        return elapsed

    timed("warm-up@example.org", 0)  # the dummy hash is made once per process
    unknown_ms, known_ms = [], []
    for i in range(tries):
        unknown_ms.append(timed(f"unknown{i}@example.org", 2 * i + 1))
        known_ms.append(timed(known[i], 2 * i + 2))
    engine.dispose()
    result = {"tries_each": tries, "database": engine.url.get_backend_name()}
    for name, values in (("unknown", unknown_ms), ("known", known_ms)):
        result[f"{name}_median_ms"] = round(statistics.median(values), 1)
        result[f"{name}_p95_ms"] = round(_p95(values), 1)
    result["median_ratio_known_over_unknown"] = round(
        result["known_median_ms"] / result["unknown_median_ms"], 3)
    result["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=40)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        print(json.dumps(run(url, args.tries)))


if __name__ == "__main__":
    main()
