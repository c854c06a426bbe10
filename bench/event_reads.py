"""What one event's database work costs a worker, outside Reflex: the soak test's reads and writes.

The soak test (bench/soak.py) measures the whole system; this bench isolates the
part of a worker's CPU spent in the services an event calls, on the soak test's
own data (``bench/soak_world.py``: the Vitré demo plus 1,000 volunteers and
their missions, on a scratch PostgreSQL database), to compare changes to it
quickly. Each call runs in its own session, as the states do:

- ``identity``: the cookie check every event makes (``auth.actor_for_token``);
- ``bell``: the unread count every page reads (``inbox.unread_count``);
- ``board``: a volunteer's board page (month's minutes, own missions, the board);
- ``mission``: a volunteer's mission page (detail, own part, standing);
- ``console``: one render of a referent's console (``console_vars``);
- ``accept_withdraw``: a volunteer accepts a mission, then withdraws (two units of
  work, each with the evaluation upkeep at its commit).

The baseline, measured in the same run on the same data: ``accept_withdraw``
with the evaluation upkeep switched off (``baseline_accept_withdraw``), so the
upkeep's own cost is the difference.

Prints one JSON object: for each, ``cpu_ms`` (process CPU per call, the mean of
``--calls``), ``wall_ms`` and ``statements`` per call.

    python bench/event_reads.py                # a scratch database on HC_TEST_PG_URL's server
    python bench/event_reads.py --calls 500
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]
TZ = "Europe/Paris"


def measure(call: Callable[[int], object], calls: int, statements: list[int]) -> dict:
    """CPU and wall time per call, and statements per call, after a warm-up."""
    for i in range(20):
        call(i)
    statements[0] = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(calls):
        call(i)
    return {"cpu_ms": round((time.process_time() - cpu) / calls * 1000, 2),
            "wall_ms": round((time.perf_counter() - wall) / calls * 1000, 2),
            "statements": round(statements[0] / calls, 1)}


def main() -> None:  # noqa: PLR0915 - the calls, then their timing, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--volunteers", type=int, default=1000)
    args = parser.parse_args()
    with ExitStack() as stack:
        from scratch_db import scratch_pg_database

        url = stack.enter_context(scratch_pg_database())
        os.environ["DATABASE_URL"] = url
        import soak_world

        world = soak_world.prepare(url, args.volunteers, 5)

        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        from heurecivique_app.adapters.db import get_engine, read_scope, session_scope
        from heurecivique_app.domain.models import Neighbourhood
        from heurecivique_app.presenters.missions import board_vars, console_vars
        from heurecivique_app.services import (
            auth,
            inbox,
            selectors,
            stats_upkeep,
            volunteer_home,
        )
        from heurecivique_app.services.missions import participation

        get_engine(url)
        statements = [0]

        @event.listens_for(Engine, "before_cursor_execute")
        def _count(*_args: object) -> None:
            statements[0] += 1

        cookies = [cookie for _, cookie in world.volunteers]

        def identity(i: int) -> object:
            with read_scope() as s:
                return auth.actor_for_token(s, cookies[i % len(cookies)])

        actors = [identity(i) for i in range(len(cookies))]
        missions = list(range(world.first_mission, world.first_mission + 60))

        def bell(i: int) -> None:
            with read_scope() as s:
                inbox.unread_count(s, actor=actors[i % len(actors)])

        def board(i: int) -> None:
            actor = actors[i % len(actors)]
            with read_scope() as s:
                selectors.monthly_hour(s, volunteer_id=actor.user_id, timezone=TZ)
                selectors.my_missions(s, actor=actor)
                hood = s.get(Neighbourhood, actor.neighbourhood_id)
                board_vars(s, hood.id, "fr", TZ)

        def mission(i: int) -> None:
            actor = actors[i % len(actors)]
            with read_scope() as s:
                detail = selectors.mission_detail(s, actor=actor,
                                                  mission_id=missions[i % len(missions)],
                                                  contact_hours_after=24)
                volunteer_home.my_part(s, actor=actor, mission_id=detail.card.id,
                                       cutoff_hours=24)
                volunteer_home.standing(s, actor=actor)

        commune_id = actors[0].commune_id

        def console(_i: int) -> None:
            with read_scope() as s:
                console_vars(s, commune_id, "fr", TZ)

        def accept_withdraw(i: int) -> None:
            actor = actors[(i * 7) % len(actors)]
            mission_id = missions[(i * 13) % len(missions)]
            with session_scope() as s:
                participation.accept_mission(s, actor=actor, mission_id=mission_id, timezone=TZ)
            with session_scope() as s:
                participation.decline_mission(s, actor=actor, mission_id=mission_id,
                                              reason="Empêchement", timezone=TZ)

        result = {"volunteers": args.volunteers, "calls": args.calls}
        for name, call in (("identity", identity), ("bell", bell), ("board", board),
                           ("mission", mission), ("console", console),
                           ("accept_withdraw", accept_withdraw)):
            result[name] = measure(call, args.calls, statements)
        kept = stats_upkeep.summary_timezone
        stats_upkeep.summary_timezone = lambda _session: None  # the upkeep switched off
        try:
            result["baseline_accept_withdraw"] = measure(accept_withdraw, args.calls,
                                                         statements)
        finally:
            stats_upkeep.summary_timezone = kept
        print(json.dumps(result))


if __name__ == "__main__":
    main()
