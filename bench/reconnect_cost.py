"""What one tab's reconnection costs a worker: one tab reconnecting again and again.

    python bench/reconnect_cost.py [--reconnects 300]

A scratch PostgreSQL database with the soak test's world (bench/soak_world.py), a
redis-server of its own and one backend worker of the production build, as
bench/soak.py runs them. One volunteer's tab (bench/soak_clients.py) connects to
the board page as the browser does (the page's ``hydrate_and_load`` in the
socket.io CONNECT packet; the worker then runs Reflex's ``on_load_internal``, the
page's load and ``set_is_hydrated``), waits for the page's data, closes its socket
and connects again with the same token, as a tab does after a drop.

Prints one JSON object: the wall time of a reconnect (p50, p90, max: from the socket's
opening to the page's data) and the worker's CPU per reconnect. A tail of 10 s was
Reflex's lock left behind by a cancelled ``set_is_hydrated`` (realtime/lock_safety.py).
The CPU per reconnect is what a herd of reconnecting tabs costs the worker they land
on, one after the other (the README's "Soak test with faults").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import soak  # noqa: E402
from fanout import pct  # noqa: E402
from soak_clients import Names, Record, Tab, board_page  # noqa: E402
from soak_world import prepare  # noqa: E402


async def reconnect(port: int, cookie: str, times: int) -> list[float]:
    """Milliseconds of each of ``times`` reconnections of one tab (same token)."""
    names = Names()
    tab = Tab(names, [port], 0, cookie, Record(), time.monotonic() + 3600)
    page = board_page(names)
    took = []
    for _ in range(times):
        started = time.perf_counter()
        await tab.connect(page)
        took.append((time.perf_counter() - started) * 1000)
        tab._closing = True  # noqa: SLF001 - a drop this tab does not reconnect from itself
        await tab.ws.close()
        tab._reader.cancel()  # noqa: SLF001
        tab._closing = False  # noqa: SLF001
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reconnects", type=int, default=300)
    args = parser.parse_args()
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-reconnect-")))
        database_url = soak.scratch_postgres(stack)
        world = prepare(database_url, 10, 1)
        redis = soak.Redis(work)
        redis.start()
        stack.callback(redis.stop)
        worker = soak.Worker("A", work, soak.server_env(work, database_url, redis.url))
        stack.callback(worker.stop)
        worker.start()
        process = psutil.Process(worker.process.pid).children(recursive=True)[0]
        cookie = world.volunteers[0][1]
        asyncio.run(reconnect(worker.port, cookie, 20))  # warm-up
        cpu_before = sum(process.cpu_times()[:2])
        took = asyncio.run(reconnect(worker.port, cookie, args.reconnects))
        cpu = sum(process.cpu_times()[:2]) - cpu_before
    print(json.dumps({
        "reconnects": args.reconnects,
        "wall_p50_ms": pct(took, 50), "wall_p90_ms": pct(took, 90),
        "wall_max_ms": round(max(took), 1),
        "worker_cpu_ms_per_reconnect": round(cpu / args.reconnects * 1000, 2),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }))


if __name__ == "__main__":
    main()
