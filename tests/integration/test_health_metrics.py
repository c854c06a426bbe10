"""/healthz, /readyz and /metrics (api/health.py), and what feeds the metrics."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
import redis
from aio import run_in_own_loop
from prometheus_client import REGISTRY
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient
from test_login_route import client, post  # noqa: F401 - the fixture, and its helper

from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.api import health
from heurecivique_app.api.headers import SecurityHeaders
from heurecivique_app.jobs import queue
from heurecivique_app.realtime import live as live_module
from heurecivique_app.realtime import stop_hooks
from heurecivique_app.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/9"
NOWHERE_REDIS = "redis://127.0.0.1:1/0"
TOKEN = "s3cret-scraper-token"


def client_for(monkeypatch, engine: Engine, **settings) -> TestClient:
    """The health routes behind the security headers, on ``engine`` with these settings."""
    chosen = replace(Settings.from_env({}), **settings)
    monkeypatch.setattr(health, "get_settings", lambda: chosen)
    monkeypatch.setattr(health, "get_engine", lambda: engine)
    app = SecurityHeaders(Starlette(routes=health.routes), settings=chosen,
                          build_dir=Path("/nonexistent"))
    return TestClient(app)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def redis_running() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


# --- /healthz ---------------------------------------------------------------------------

def test_healthz_answers_without_any_io(monkeypatch) -> None:
    def no_database():
        raise AssertionError("/healthz must not touch the database")

    http = client_for(monkeypatch, None)
    monkeypatch.setattr(health, "get_engine", no_database)
    answer = http.get("/healthz")
    assert answer.status_code == 200 and answer.json() == {"status": "alive"}
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["x-content-type-options"] == "nosniff"


# --- /readyz ----------------------------------------------------------------------------

def test_ready_on_a_migrated_database(monkeypatch, db_engine: Engine) -> None:
    answer = client_for(monkeypatch, db_engine).get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready",
                             "checks": {"database": "ok", "migrations": "ok"}}
    assert answer.headers["cache-control"] == "no-store"


def test_not_ready_before_the_migrations(monkeypatch, sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)  # an empty database: never migrated
    try:
        answer = client_for(monkeypatch, engine).get("/readyz")
    finally:
        engine.dispose()
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "unavailable" and body["failing"] == ["migrations"]
    assert body["checks"]["migrations"].startswith("not migrated")
    assert answer.headers["cache-control"] == "no-store"


@pytest.mark.postgres
def test_not_ready_behind_the_code(monkeypatch, pg_url: str) -> None:
    from scratch_db import migrate

    migrate(pg_url, "0001")  # an old schema: the new code was deployed, migrate was not
    engine = make_engine(pg_url)
    try:
        answer = client_for(monkeypatch, engine).get("/readyz")
    finally:
        engine.dispose()
    assert answer.status_code == 503 and answer.json()["failing"] == ["migrations"]
    assert answer.json()["checks"]["migrations"].startswith("not at head")


def test_not_ready_without_the_database_and_no_secret_in_the_answer(monkeypatch) -> None:
    engine = make_engine("postgresql+psycopg://hc_user:hunter2@127.0.0.1:1/heurecivique")
    try:
        answer = client_for(monkeypatch, engine).get("/readyz")
    finally:
        engine.dispose()
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["database"]
    assert "migrations" not in answer.json()["checks"]  # not read without a database
    assert "hunter2" not in answer.text and "hc_user" not in answer.text


def test_redis_is_checked_when_configured(monkeypatch, sqlite_engine: Engine) -> None:
    down = client_for(monkeypatch, sqlite_engine, redis_url=NOWHERE_REDIS).get("/readyz")
    assert down.status_code == 503
    assert down.json()["failing"] == ["redis"]
    assert down.json()["checks"]["database"] == "ok"
    if not redis_running():
        pytest.skip("Redis is not running")
    up = client_for(monkeypatch, sqlite_engine, redis_url=REDIS_URL).get("/readyz")
    assert up.status_code == 200 and up.json()["checks"]["redis"] == "ok"


# --- /metrics ---------------------------------------------------------------------------

@pytest.mark.parametrize("token,header", [
    ("", f"Bearer {TOKEN}"),       # metrics off: no route at all, whatever is sent
    (TOKEN, ""),                  # no credentials
    (TOKEN, "Bearer wrong"),
    (TOKEN, f"bearer{TOKEN}"),
    (TOKEN, f"Basic {TOKEN}"),
])
def test_metrics_hidden_without_the_token(monkeypatch, sqlite_engine: Engine, token: str,
                                          header: str) -> None:
    http = client_for(monkeypatch, sqlite_engine, metrics_token=token)
    answer = http.get("/metrics", headers={"Authorization": header} if header else {})
    assert answer.status_code == 404 and "hc_" not in answer.text
    assert answer.headers["cache-control"] == "no-store"


def test_metrics_with_the_token_read_the_outbox_backlog(monkeypatch,
                                                        db_engine: Engine) -> None:
    with session_scope(db_engine) as session:
        for n in range(3):
            queue.enqueue(session, kind="mail", key=f"metrics-test-{n}")
    http = client_for(monkeypatch, db_engine, metrics_token=TOKEN)
    answer = http.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["cache-control"] == "no-store"
    assert 'hc_outbox_jobs{status="pending"} 3.0' in answer.text
    assert 'hc_outbox_jobs{status="running"} 0.0' in answer.text
    for family in ("hc_event_seconds", "hc_live_deliveries_total", "hc_websocket_connections",
                   "hc_login_failures_total", "process_resident_memory_bytes"):
        assert f"# TYPE {family.removesuffix('_total')}" in answer.text, family


def test_login_failures_are_counted(client: TestClient) -> None:  # noqa: F811
    # ``client``: test_login_route's fixture, Claire's account on a scratch database.
    def refused(password: str) -> str:
        return post(client, password)[1]["error"][0]

    def failures() -> tuple[float, float]:
        return (sample("hc_login_failures_total", reason="wrong"),
                sample("hc_login_failures_total", reason="throttled"))

    wrong, throttled = failures()
    assert refused("wrong-1") == "credentials"
    assert failures() == (wrong + 1, throttled)
    errors = [refused(f"wrong-{n}") for n in range(2, 12)]  # faster than the throttle allows
    assert "wait" in errors or "locked" in errors
    assert failures()[1] > throttled
    assert sum(failures()) == wrong + throttled + 11  # every refused try, counted once


# --- what feeds the metrics -------------------------------------------------------------

def test_every_event_is_timed_per_handler_and_errors_counted() -> None:
    from heurecivique_app.state.identity import SessionBinding

    binding = SessionBinding()
    no_app_state = SimpleNamespace(substates={})

    async def event(name: str, fail: bool) -> None:
        await binding.preprocess(app=None, state=no_app_state, event=SimpleNamespace(name=name))
        await asyncio.sleep(0.02)  # the handler's work
        if fail:
            raise RuntimeError("handler failed")

    async def run() -> None:
        # Reflex runs each event in a task of its own: the timer stops when it ends.
        await asyncio.create_task(event("test_state.ok_handler", False))
        with pytest.raises(RuntimeError):
            await asyncio.create_task(event("test_state.bad_handler", True))
        await asyncio.sleep(0)  # done callbacks run on the next turn of the loop

    ok = sample("hc_event_seconds_count", handler="test_state.ok_handler")
    run_in_own_loop(run())
    assert sample("hc_event_seconds_count", handler="test_state.ok_handler") == ok + 1
    assert sample("hc_event_seconds_sum", handler="test_state.ok_handler") >= 0.02
    assert sample("hc_event_seconds_bucket", handler="test_state.ok_handler", le="+Inf") >= 1
    assert sample("hc_event_errors_total", handler="test_state.bad_handler") >= 1
    assert sample("hc_event_errors_total", handler="test_state.ok_handler") == 0


class FakeBoardState:
    @classmethod
    def get_full_name(cls) -> str:
        return "state.board_state"


def test_live_deliveries_and_sockets_are_counted(monkeypatch) -> None:
    import reflex as rx

    monkeypatch.setattr(live_module, "session_scope", contextlib.nullcontext)
    worker = live_module.LiveBoards()
    worker.register("board", FakeBoardState, lambda *_: {"missions": ["one"]})
    watched = {live_module.room_name("board:1", "fr"), live_module.room_name("board:1", "en")}
    worker._has_viewers = watched.__contains__  # noqa: SLF001
    sent: list[str] = []

    async def record(room, _update):
        sent.append(room)

    worker._emit_local = record  # noqa: SLF001
    before = sample("hc_live_deliveries_total", kind="board")
    run_in_own_loop(worker._render({"board:1", "board:2"}, "v1"))  # noqa: SLF001
    assert sorted(sent) == sorted(watched)
    assert sample("hc_live_deliveries_total", kind="board") == before + 2

    namespace = rx.config.get_config().get_event_namespace()
    worker._app = SimpleNamespace(sio=SimpleNamespace(manager=SimpleNamespace(  # noqa: SLF001
        rooms={namespace: {None: {"sid-1": "e1", "sid-2": "e2", "sid-3": "e3"}}})))
    assert worker.socket_count() == 3


# --- /hand-off --------------------------------------------------------------------------

@pytest.mark.parametrize("token, sent", [("", ""), ("s3cret", ""), ("s3cret", "wrong")])
def test_hand_off_hidden_without_the_token(monkeypatch, sqlite_engine: Engine, token: str,
                                           sent: str) -> None:
    called: list[bool] = []

    async def hand_off() -> int:
        called.append(True)
        return 3

    monkeypatch.setattr(stop_hooks, "hand_off", hand_off)
    http = client_for(monkeypatch, sqlite_engine, hand_off_token=token)
    answer = http.post("/hand-off", headers={"Authorization": f"Bearer {sent}"} if sent else {})
    assert answer.status_code == 404 and not called
    assert http.get("/hand-off").status_code == 405  # never on a GET (a link, a crawler)


def test_hand_off_with_the_token_closes_the_tabs_and_says_how_many(monkeypatch,
                                                                   sqlite_engine: Engine) -> None:
    async def hand_off() -> int:
        return 3

    http = client_for(monkeypatch, sqlite_engine, hand_off_token="s3cret")
    auth = {"Authorization": "Bearer s3cret"}
    monkeypatch.setattr(stop_hooks, "hand_off", None)  # one worker, no Redis: nothing to do
    assert http.post("/hand-off", headers=auth).status_code == 404
    monkeypatch.setattr(stop_hooks, "hand_off", hand_off)
    answer = http.post("/hand-off", headers=auth)
    assert answer.status_code == 200 and answer.json() == {"handed_off": 3}
    assert answer.headers["Cache-Control"] == "no-store"
