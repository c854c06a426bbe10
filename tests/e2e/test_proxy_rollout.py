"""The deployment recipe (deploy/): nginx with TLS in front of two workers on
PostgreSQL and Redis, the live-board journey and a login through it, and a rolling
restart of both workers while tabs are open."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from conftest import PHONE, ROOT, TABLET, login
from live_scenario import (
    accept_shows_live_on_board_a_and_console_never_on_board_b,
    console_row,
    open_mission,
)
from playwright.sync_api import expect
from proxy_stack import HAND_OFF_TOKEN, Nginx, Worker, build_frontend, fetch, proxy_env
from scratch_db import scratch_pg_database
from sqlalchemy import create_engine, text

REDIS_SERVER = "redis://127.0.0.1:6379"


@dataclass
class Stack:
    nginx: Nginx
    workers: list[Worker]
    database_url: str

    @property
    def url(self) -> str:
        return self.nginx.public_url


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    folder = tmp_path_factory.mktemp("proxy")
    nginx = Nginx(folder)
    with scratch_pg_database() as database_url:
        redis_db = int(os.environ.get("HC_TEST_REDIS_DB", "9"))
        redis.Redis.from_url(f"{REDIS_SERVER}/{redis_db}").flushdb()
        env = proxy_env(folder, nginx.public_url, database_url, f"{REDIS_SERVER}/{redis_db}")
        workers = [Worker("a", folder, env), Worker("b", folder, env)]
        try:
            subprocess.run([sys.executable, "-m", "heurecivique_app.manage", "seed"], cwd=ROOT,
                           env=env, check=True, stdout=subprocess.DEVNULL)
            build_frontend(env, folder / "build.log")
            for worker in workers:  # both at once: CI's time
                worker.launch()
            for worker in workers:
                worker.wait_until_ready()
            nginx.start(nginx.configure(workers, ROOT / ".web/build/client"))
            yield Stack(nginx, workers, database_url)
        finally:
            nginx.stop()
            for worker in workers:
                worker.stop()


@pytest.fixture
def proxy_context(browser, stack):
    contexts = []

    def make(device: dict, locale: str = "fr-FR"):
        context = browser.new_context(base_url=stack.url, locale=locale,
                                      ignore_https_errors=True, **device)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def test_the_proxy_redirects_to_https_and_serves_the_build(stack: Stack) -> None:
    status, headers, _ = fetch(f"http://127.0.0.1:{stack.nginx.http_port}/login?x=1")
    assert status == 301 and headers["Location"] == f"{stack.url}/login?x=1"

    # A page at its own address: no redirect to /login/ (api/page_paths.py).
    status, headers, _ = fetch(stack.url + "/login")
    assert status == 200 and "Location" not in headers, status
    status, headers, _ = fetch(stack.url + "/login/")
    assert status == 200
    assert headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"]
    assert "script-src" in headers["Content-Security-Policy"]  # the app's own, passed on

    asset = next(p for p in (ROOT / ".web/build/client/assets").glob("*.js")
                 if p.stat().st_size > 2048)
    status, headers, body = fetch(f"{stack.url}/assets/{asset.name}",
                                  {"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == asset.read_bytes()
    assert headers.get_all("Strict-Transport-Security") == [
        "max-age=31536000; includeSubDomains"]
    # A name not (or no longer) built: not kept, so it works once it is there again.
    status, headers, _ = fetch(f"{stack.url}/assets/missing-AbCdEf12.js")
    assert status == 404 and headers.get_all("Cache-Control") == ["no-store"]
    # What the workers answer keeps their Cache-Control: the service worker and the
    # pages revalidated at each load, so a deploy shows at once.
    for path in ("/sw.js", "/login/"):
        status, headers, _ = fetch(stack.url + path)
        assert status == 200 and headers.get_all("Cache-Control") == ["no-cache"], path

    assert fetch(stack.url + "/metrics")[0] == 404
    assert fetch(stack.url + "/readyz")[0] == 200


def test_live_board_journey_and_login_through_the_proxy(stack: Stack, proxy_context) -> None:
    # Through nginx: the login form, the tabs' websockets (upgraded, sticky by session
    # cookie, so spread over both workers) and the live relay between the workers.
    accept_shows_live_on_board_a_and_console_never_on_board_b(
        proxy_context, "Visite de convivialité et partie de belote", extra_viewers=1)

    relay = proxy_context(PHONE).new_page()
    login(relay, "relais@vitre.demo", "/relay")
    cookie = next(c for c in relay.context.cookies() if c["name"] == "hc_session")
    assert cookie["secure"] and cookie["httpOnly"]  # HC_PUBLIC_URL is https://
    assert sum(worker.websockets() for worker in stack.workers) >= 1


def _sockets(workers: list[Worker]) -> list[int]:
    return [worker.websockets() for worker in workers]


def _wait_for_sockets(workers: list[Worker], wanted: list[int], seconds: float) -> None:
    """Wait until each worker holds ``wanted`` sockets; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while (found := _sockets(workers)) != wanted:
        assert time.monotonic() < deadline, f"sockets {found}, wanted {wanted}"
        time.sleep(0.1)


def _accepts(database_url: str, mission_id: str) -> tuple[int, int]:
    """The mission's participations and its "accepted" audit entries."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("select count(*) from participation where mission_id = :m"),
                             {"m": int(mission_id)}).scalar_one(),
                conn.execute(text("select count(*) from audit_entry where entity_id = :m "
                                  "and action = 'mission.accepted'"),
                             {"m": int(mission_id)}).scalar_one(),
            )
    finally:
        engine.dispose()


def _restart(stack: Stack, worker: Worker, tabs: int) -> None:
    """deploy/rolling-restart.sh for one worker: out of the pool, asked to hand its tabs
    over (they reconnect to the other within 5 s), stopped; started, back in the pool."""
    other = next(w for w in stack.workers if w is not worker)
    stack.nginx.take_out(worker)
    open_here = _sockets([worker])[0]
    request = urllib.request.Request(f"{worker.url}/hand-off", method="POST",
                                     headers={"Authorization": f"Bearer {HAND_OFF_TOKEN}"})
    with urllib.request.urlopen(request, timeout=40) as answer:
        # Every socket it held (the count may also take in one that was just closing).
        assert json.loads(answer.read())["handed_off"] >= open_here
    _wait_for_sockets([other], [tabs], 5)
    worker.stop()
    worker.start()
    stack.nginx.take_out()


def test_a_rolling_restart_loses_no_update_and_no_accept(stack: Stack, proxy_context) -> None:
    a, b = stack.workers
    title = "Prise en main de la tablette"
    console = proxy_context(TABLET).new_page()
    login(console, "referent@vitre.demo", "/console")
    board = proxy_context(PHONE).new_page()
    login(board, "voisine@vitre.demo", "/board")
    card = board.locator(".mission-card", has_text=title)
    expect(card).to_contain_text("Ouverte")
    volunteer = proxy_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    mission_id = open_mission(volunteer, title)
    expect(volunteer.locator("#accept")).to_be_enabled()
    assert _accepts(stack.database_url, mission_id) == (0, 0)
    tabs = 3
    deadline = time.monotonic() + 10
    while sum(_sockets(stack.workers)) != tabs:  # the tabs spread over A and B
        assert time.monotonic() < deadline, _sockets(stack.workers)
        time.sleep(0.1)

    # B first: its tabs move to A. Then every tab is on A.
    _restart(stack, b, tabs)
    assert _sockets(stack.workers) == [tabs, 0]

    # Then A; while it is down (its tabs back on B), Camille accepts. A click in the
    # second between the socket's closing and the tab's reconnection is not covered:
    # it was lost in some runs (deploy/README.md, "What can still be lost").
    stack.nginx.take_out(a)
    a.terminate()
    _wait_for_sockets([b], [tabs], 5)  # every tab is back within 5 s of the SIGTERM
    a.wait()
    volunteer.locator("#accept").click()

    # The accept is recorded once, and every tab shows it.
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")
    expect(card).to_contain_text("Bénévole trouvé")
    expect(console_row(console, mission_id)).to_contain_text("Bénévole trouvé")
    assert _accepts(stack.database_url, mission_id) == (1, 1)

    # A back in the pool: a change made now reaches the tabs, all on B.
    a.start()
    stack.nginx.take_out()
    other = "Courses au marché"
    helper = proxy_context(PHONE).new_page()
    login(helper, "voisine@vitre.demo", "/board")
    other_id = open_mission(helper, other)
    helper.locator("#accept").click()
    expect(helper.locator("#outcome")).to_contain_text("Merci")
    expect(board.locator(".mission-card", has_text=other)).to_contain_text("Bénévole trouvé")
    expect(console_row(console, other_id)).to_contain_text("Bénévole trouvé")


def test_tabs_a_restart_moved_are_sent_back_and_stay_live(stack: Stack, proxy_context) -> None:
    """After a rolling restart every tab sits on the worker restarted first; once the
    other is back, that one sends tabs back a few at a time (realtime/rebalance.py,
    threshold lowered to 0 here): each moved tab's browser reconnects by itself, through
    nginx, and shows live changes again."""
    a, b = stack.workers
    for worker in (a, b):
        worker.env["HC_REBALANCE_SLACK"] = "0"
    console = proxy_context(TABLET).new_page()
    login(console, "referent@vitre.demo", "/console")
    boards = []
    # People of Rachapt, whose missions the other tests of this module leave alone.
    for person in ("volontaire2@vitre.demo", "olivier.texier@vitre.demo",
                   "marie.legoff@vitre.demo"):
        boards.append(proxy_context(PHONE).new_page())
        login(boards[-1], person, "/board")
    tabs = 4
    deadline = time.monotonic() + 10
    while sum(_sockets(stack.workers)) != tabs:
        assert time.monotonic() < deadline, _sockets(stack.workers)
        time.sleep(0.1)
    moves_before = a.log.read_text().count("rebalance: ")
    _restart(stack, a, tabs)
    _restart(stack, b, tabs)  # every tab on A, and B back in the pool

    deadline = time.monotonic() + 40  # a tab settles 10 s before it is moved
    while a.log.read_text().count("rebalance: ") == moves_before:
        assert time.monotonic() < deadline, a.log.read_text()[-2000:]
        time.sleep(0.2)
    time.sleep(1)
    _wait_for_sockets_total(stack.workers, tabs, 5)  # the moved tabs are back

    # A change made now reaches every tab, moved or not.
    title = "Tailler une petite haie"
    helper = proxy_context(PHONE).new_page()
    login(helper, "volontaire2@vitre.demo", "/board")
    mission_id = open_mission(helper, title)
    expect(helper.locator("#accept")).to_be_enabled()
    helper.locator("#accept").click()
    expect(helper.locator("#outcome")).to_contain_text("Merci")
    for board in boards:
        expect(board.locator(".mission-card", has_text=title)).to_contain_text("Bénévole trouvé")
    expect(console_row(console, mission_id)).to_contain_text("Bénévole trouvé")


def _wait_for_sockets_total(workers: list[Worker], wanted: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while sum(found := _sockets(workers)) != wanted:
        assert time.monotonic() < deadline, f"sockets {found}, wanted {wanted} in all"
        time.sleep(0.1)
