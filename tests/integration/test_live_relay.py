"""The live broadcaster's routing and its Redis relay between workers, without a browser."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import redis
from own_redis import own_redis_server

from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.realtime import live as live_module
from heurecivique_app.realtime.live import LiveBoards, redis_channel
from heurecivique_app.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/8"


class FakeBoardState:
    @classmethod
    def get_full_name(cls) -> str:
        return "state.board_state"


def fake_presenter(session, key, locale, timezone):
    return {"missions": [f"board {key} in {locale}"]}


def _worker(received: list, watched_rooms: set[str]) -> LiveBoards:
    """A worker whose sockets watch ``watched_rooms``; it records what it would emit."""
    worker = LiveBoards()
    worker.register("board", FakeBoardState, fake_presenter)
    worker._has_viewers = watched_rooms.__contains__  # noqa: SLF001

    async def record(room, update):
        received.append((room, update))

    worker._emit_local = record  # noqa: SLF001 - the socket.io side is the browser tests' job
    return worker


@pytest.fixture
def redis_settings(monkeypatch):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not running")
    settings = replace(Settings.from_env({}), redis_url=REDIS_URL)
    monkeypatch.setattr(live_module, "get_settings", lambda: settings)
    monkeypatch.setattr(live_module, "session_scope", contextlib.nullcontext)


async def _wait_for(predicate, seconds: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


def test_an_event_committed_on_one_worker_is_emitted_by_every_worker(redis_settings):
    async def scenario():
        on_a, on_b = [], []
        # Worker A has French and English viewers of board 3; worker B only French ones.
        worker_a = _worker(on_a, {"hc:board:3:fr", "hc:board:3:en"})
        worker_b = _worker(on_b, {"hc:board:3:fr", "hc:board:5:fr"})
        tasks = [asyncio.create_task(w.run()) for w in (worker_a, worker_b)]
        probe = redis.Redis.from_url(REDIS_URL)
        await _wait_for(lambda: probe.pubsub_numsub(redis_channel(REDIS_URL))[0][1] >= 2)

        # A board change (the console and mission channels are not registered here).
        worker_a.publish([DomainEvent(kind="mission.accepted", commune_id=1,
                                      neighbourhood_id=3, mission_id=7)])
        await _wait_for(lambda: len(on_a) == 2 and len(on_b) == 1)
        await asyncio.sleep(0.2)
        assert {room for room, _ in on_a} == {"hc:board:3:fr", "hc:board:3:en"}
        assert [room for room, _ in on_b] == ["hc:board:3:fr"]  # no English viewer there
        french_a, french_b = dict(on_a)["hc:board:3:fr"], dict(on_b)["hc:board:3:fr"]
        assert french_b["delta"]["state.board_state"]["missions_rx_state_"] == ["board 3 in fr"]
        # Both workers stamp the change with the same version.
        assert (french_a["delta"]["state.board_state"]["live_version_rx_state_"]
                == french_b["delta"]["state.board_state"]["live_version_rx_state_"])

        # A change no board shows fans out to nobody.
        worker_b.publish([DomainEvent(kind="volunteer.profile_updated", commune_id=1)])
        await asyncio.sleep(0.3)
        assert len(on_a) == 2 and len(on_b) == 1

        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    _run_in_own_thread(scenario())


def _run_in_own_thread(coroutine) -> None:
    """asyncio.run, in a thread: Playwright's sync API may own this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


def test_pub_sub_channels_are_separated_by_redis_database():
    assert redis_channel("redis://127.0.0.1:6379/8") == "heurecivique:8:live"
    assert redis_channel("redis://127.0.0.1:6379") == "heurecivique:0:live"


@pytest.fixture
def own_redis(tmp_path, monkeypatch):
    """A redis-server of this test's own, which the test may restart (never the shared one)."""
    server = own_redis_server(tmp_path)
    settings = replace(Settings.from_env({}), redis_url=server.url)
    monkeypatch.setattr(live_module, "get_settings", lambda: settings)
    monkeypatch.setattr(live_module, "session_scope", contextlib.nullcontext)
    yield server
    server.stop()


def test_the_relay_subscribes_again_after_redis_restarts_and_catches_up(own_redis):
    async def scenario():
        on_a, on_b = [], []
        worker_a = _worker(on_a, {"hc:board:3:fr"})
        worker_b = _worker(on_b, {"hc:board:3:fr"})
        worker_b._watched_channels = lambda: {"board:3"}  # noqa: SLF001 - no socket.io here
        tasks = [asyncio.create_task(w.run()) for w in (worker_a, worker_b)]
        probe = redis.Redis.from_url(own_redis.url)

        def subscribed() -> bool:
            with contextlib.suppress(redis.ConnectionError):
                return probe.pubsub_numsub(redis_channel(own_redis.url))[0][1] >= 2
            return False

        await _wait_for(subscribed)
        await asyncio.to_thread(own_redis.stop)
        # Redis away: A's change still reaches A's own viewers (B's are lost for now).
        worker_a.publish([DomainEvent(kind="mission.accepted", commune_id=1,
                                      neighbourhood_id=3, mission_id=7)])
        await _wait_for(lambda: len(on_a) == 1)
        await asyncio.to_thread(own_redis.start)
        await _wait_for(subscribed, seconds=15)
        # Back: B renders what its viewers watch, having missed A's change.
        await _wait_for(lambda: [room for room, _ in on_b] == ["hc:board:3:fr"])
        worker_a.publish([DomainEvent(kind="mission.withdrawn", commune_id=1,
                                      neighbourhood_id=3, mission_id=7)])
        await _wait_for(lambda: len(on_a) == 2 and len(on_b) == 2)

        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    _run_in_own_thread(scenario())
