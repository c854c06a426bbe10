"""Live boards in the scale-out mode: PostgreSQL, Redis and two worker processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis
from conftest import AppServer
from live_scenario import accept_shows_live_on_board_a_and_console_never_on_board_b
from scratch_db import scratch_pg_database

REDIS_SERVER = "redis://127.0.0.1:6379"


@pytest.fixture(scope="module")
def scaleout_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    with scratch_pg_database() as database_url:
        redis_db = 9
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


def test_two_workers_are_running(scaleout_server):
    import psutil

    workers = psutil.Process(scaleout_server.process.pid).children(recursive=True)
    assert sum(p.name() == "python" for p in workers) == 2  # the two granian workers


def test_an_accept_on_one_worker_reaches_viewers_on_the_other(scaleout_context):
    # Six watching tabs and the acting one spread over two workers at random; the
    # probability that all seven land on the same worker is 2 x (1/2)^7, under 2 %.
    # The Redis relay itself is tested deterministically in
    # tests/integration/test_live_relay.py.
    accept_shows_live_on_board_a_and_console_never_on_board_b(
        scaleout_context, "Visite de convivialité et partie de belote", extra_viewers=3)
