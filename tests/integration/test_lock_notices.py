"""A tab's state lock let go by one worker wakes the worker waiting for it, also after
Redis restarted empty (realtime/lock_notices.py): two Reflex Redis state managers, as
two workers, on a redis-server of the test's own."""

from __future__ import annotations

import asyncio
import contextlib

import redis
from aio import run_in_own_loop
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis

from heurecivique_app.realtime.lock_notices import keep_enabled, missing

# Long enough that a waiter that was not told the lock is free cannot pass for one that was.
LOCK_MS = 30_000
WOKEN_WITHIN_S = 5.0
LOCK_KEY = b"tab-token_lock"


def _worker(url: str) -> StateManagerRedis:
    return StateManagerRedis(redis=Redis.from_url(url), token_expiration=60,
                             lock_expiration=LOCK_MS, lock_warning_threshold=1000,
                             oplock_hold_time_ms=1)


async def _handover(holder: StateManagerRedis, waiter: StateManagerRedis) -> bool:
    """``holder`` takes the tab's lock, ``waiter`` waits for it, ``holder`` lets it go
    (as Reflex does: a delete, seen by other processes only through Redis). Whether the
    waiter got it within WOKEN_WITHIN_S."""
    assert await holder._try_get_lock(LOCK_KEY, b"holder")  # noqa: SLF001
    waiting = asyncio.create_task(waiter._wait_lock(LOCK_KEY, b"waiter"))  # noqa: SLF001
    # Until it waits to be told (Reflex looks again only after up to 2 s of making sure
    # its own subscription is up: a lock let go before that is simply found free).
    while not waiter._n_lock_waiters(LOCK_KEY):  # noqa: SLF001
        assert not waiting.done()
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)
    await holder.redis.delete(LOCK_KEY)
    try:
        await asyncio.wait_for(asyncio.shield(waiting), WOKEN_WITHIN_S)
        woken = True
    except TimeoutError:
        woken = False
    waiting.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await waiting
    await holder.redis.delete(LOCK_KEY)
    return woken


async def _until(predicate, seconds: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


def test_a_waiting_worker_is_told_the_lock_is_free_after_redis_restarts(own_redis):
    async def scenario() -> None:
        holder, waiter = _worker(own_redis.url), _worker(own_redis.url)
        probe = Redis.from_url(own_redis.url, decode_responses=True)

        async def notifications() -> str:
            with contextlib.suppress(redis.RedisError, OSError):
                return (await probe.config_get("notify-keyspace-events"))[
                    "notify-keyspace-events"]
            return "?"

        async def answers() -> bool:
            with contextlib.suppress(redis.RedisError, OSError):
                return await probe.ping()
            return False

        assert await _handover(holder, waiter)  # Reflex switched the notifications on
        wanted = waiter._redis_notify_keyspace_events  # noqa: SLF001
        assert not missing(wanted, await notifications())

        await asyncio.to_thread(own_redis.stop)
        await asyncio.to_thread(own_redis.start)
        await _until(answers)
        # Reflex does not switch them on again: the waiter is not told, and would sleep
        # the lock's whole expiration (30 s here, 10 s in production).
        assert missing(wanted, await notifications())
        assert not await _handover(holder, waiter)

        stop = asyncio.Event()
        keeper = asyncio.create_task(keep_enabled(waiter.redis, wanted, every=0.1, stop=stop))

        async def back_on() -> bool:
            return not missing(wanted, await notifications())

        await _until(back_on)
        assert await _handover(holder, waiter)

        stop.set()
        await keeper
        for manager in (holder, waiter):
            await manager.close()
        await probe.aclose()

    run_in_own_loop(scenario())


def test_the_flags_redis_keeps_are_read_as_redis_writes_them():
    assert missing("K$sgxe", "") == set("K$sgxe")
    assert missing("K$sgxe", "$sgxeK") == set()
    assert missing("K$sgxe", "AK") == set()  # "A": every class of command
    assert missing("K$sgxe", "AE") == {"K"}
