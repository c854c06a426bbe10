"""Live boards in the scale-out mode: PostgreSQL, Redis and two worker processes."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import psutil
import pytest
import redis
from conftest import AppServer
from live_scenario import accept_shows_live_on_board_a_and_console_never_on_board_b
from scratch_db import scratch_pg_database

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
