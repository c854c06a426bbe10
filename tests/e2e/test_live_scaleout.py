"""Live boards in the scale-out mode: PostgreSQL, Redis and two worker processes."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
import pytest
import redis
from aio import run_in_own_loop
from conftest import ROOT, AppServer
from live_scenario import accept_shows_live_on_board_a_and_console_never_on_board_b
from scratch_db import scratch_pg_database

sys.path.insert(0, str(ROOT / "bench"))
import soak_world  # noqa: E402 - bench/ is not a package
from soak_clients import Names, crowd  # noqa: E402

REDIS_SERVER = "redis://127.0.0.1:6379"


@pytest.fixture(scope="module")
def scaleout_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with scratch_pg_database() as database_url:
        # Flushed first: HC_TEST_REDIS_DB keeps parallel runs on one Redis apart.
        redis_db = int(os.environ.get("HC_TEST_REDIS_DB", "9"))
        redis.Redis.from_url(f"{REDIS_SERVER}/{redis_db}").flushdb()
        server = AppServer(tmp_path_factory.mktemp("scaleout"), {
            "DATABASE_URL": database_url,
            "REDIS_URL": f"{REDIS_SERVER}/{redis_db}",
            "GRANIAN_WORKERS": "2",
        })
        server.seed()
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture
def scaleout_context(browser, scaleout_server):
    contexts = []

    def make(device: dict, locale: str = "fr-FR"):
        context = browser.new_context(base_url=scaleout_server.url, locale=locale, **device)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _workers(server: AppServer) -> list[psutil.Process]:
    """The granian worker processes (python children of the server)."""
    children = psutil.Process(server.process.pid).children(recursive=True)
    return [p for p in children if p.name() == "python"]


class WorkerProbe:
    """Which worker holds the connections each browser tab opened (one context per tab)."""

    def __init__(self, server: AppServer) -> None:
        self.port = server.port
        self.workers = _workers(server)
        self.served: dict[str, set[int]] = {}

    def _connections(self) -> dict[tuple, int]:
        """Each open connection to the app's port: the browser's end -> the worker's pid."""
        return {c.raddr: worker.pid for worker in self.workers
                for c in worker.net_connections(kind="tcp")
                if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == self.port}

    @contextmanager
    def tab(self, name: str) -> Iterator[None]:
        """Record the workers of the connections opened, and still open, by tab ``name``."""
        before = self._connections()
        yield
        after = self._connections()
        self.served[name] = {pid for peer, pid in after.items() if peer not in before}


def test_two_workers_are_running(scaleout_server):
    assert len(_workers(scaleout_server)) == 2  # the two granian workers


def test_an_accept_on_one_worker_reaches_viewers_on_the_other(scaleout_server,
                                                               scaleout_context):
    # The tabs (six watching, one acting) land on the two workers as the kernel
    # hands out connections; the probe records where each went, and the test
    # holds only if both workers served tabs. The Redis relay itself is tested
    # deterministically in tests/integration/test_live_relay.py.
    probe = WorkerProbe(scaleout_server)
    accept_shows_live_on_board_a_and_console_never_on_board_b(
        scaleout_context, "Visite de convivialité et partie de belote", extra_viewers=3,
        tab=probe.tab)
    assert all(probe.served.values()), probe.served  # every tab's connection was seen
    assert set().union(*probe.served.values()) == {w.pid for w in probe.workers}, probe.served


def test_a_short_soak_loses_no_accept_and_overfills_nothing(scaleout_server):
    """bench/soak.py's people for a few seconds on both workers, without faults: every
    place a volunteer was shown as theirs is in the database, no mission is overfilled,
    no hour is entered twice, no handler failed. (Last here: it adds missions to boards.)"""
    database_url = scaleout_server.env["DATABASE_URL"]
    world = soak_world.prepare(database_url, volunteers=8, referents=2)
    Names()  # the states imported on this thread first (see raw_socket.py)
    spec = {
        "stop_at": time.monotonic() + 8, "ports": [scaleout_server.port],
        "hoods": world.hoods, "first_mission": world.first_mission,
        "past_missions": world.past_missions, "think_s": 0.4, "referent_think_s": 0.4,
        "ramp_s": 1.0, "referents": world.referents,
        "volunteers": [(*person, world.past_missions[i]) for i, person
                       in enumerate(world.volunteers)],
    }
    record = run_in_own_loop(crowd(spec))
    assert record.latencies["accept"], dict(record.failures)  # accepts were answered
    assert record.handler_errors == 0
    checks = soak_world.check(database_url, record.believed, record.unanswered)
    assert (checks.lost_accepts, checks.lost_withdrawals, checks.double_booked,
            checks.overfilled, checks.count_mismatches, checks.duplicate_hours) == (
                0, 0, 0, 0, 0, 0), checks
