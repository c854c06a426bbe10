"""realtime/lock_notices.keep_enabled against a fake Redis: sets the notifications
Reflex needs whenever they are missing, and warns only when they were on before (a
restarted Redis), not at the first start (Reflex sets them lazily)."""

from __future__ import annotations

import asyncio
import logging

from aio import run_in_own_loop
from redis.exceptions import ConnectionError as RedisConnectionError

from heurecivique_app.realtime.lock_notices import SETTING, keep_enabled


class FakeRedis:
    def __init__(self, replies: list) -> None:
        self.replies = replies  # what each CONFIG GET finds (an exception: Redis away)
        self.setting = ""
        self.sets: list[str] = []
        self.stop = asyncio.Event()

    async def config_get(self, name: str) -> dict:
        assert name == SETTING
        if not self.replies:
            self.stop.set()
            return {name: self.setting}
        found = self.replies.pop(0)
        if isinstance(found, Exception):
            raise found
        self.setting = found
        return {name.encode(): found.encode()}  # a client that does not decode

    async def config_set(self, name: str, value: str) -> None:
        self.setting = value
        self.sets.append(value)


def test_missing_notifications_are_set_again_and_a_loss_is_reported(caplog) -> None:
    # First start (none), on, Redis away, back empty (restarted), on.
    redis = FakeRedis(["", "$gsxeK", RedisConnectionError("down"), "", "K$gsxe"])
    with caplog.at_level(logging.WARNING, logger="heurecivique_app.realtime.lock_notices"):
        run_in_own_loop(asyncio.wait_for(
            keep_enabled(redis, "K$sgxe", every=0.01, stop=redis.stop), timeout=5))
    assert [set(value) for value in redis.sets] == [set("K$sgxe")] * 2
    assert [r.getMessage() for r in caplog.records] == [
        "Redis had lost its keyspace notifications (restarted?): switched on again (K$sgxe)"]
