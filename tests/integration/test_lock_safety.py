"""An event cancelled while its ``SET NX`` for the tab's lock is on its way leaves no
lock behind (realtime/lock_safety.py): Reflex's Redis state manager on a redis-server
of the test's own, the reply of the ``SET`` held back so that the cancellation lands
after Redis has set the key, as it does when a tab reconnects right after its page
loaded."""

from __future__ import annotations

import asyncio
import contextlib

from aio import run_in_own_loop
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis

from heurecivique_app.realtime.lock_safety import make_cancellation_safe

LOCK_MS = 30_000  # a lock left behind would hold the next event this long
LOCK_KEY = b"tab-token_lock"
NEXT_EVENT_WITHIN_S = 5.0
REPLY_LATE_S = 0.5


def _worker(url: str) -> StateManagerRedis:
    manager = StateManagerRedis(redis=Redis.from_url(url), token_expiration=60,
                                lock_expiration=LOCK_MS, lock_warning_threshold=1000,
                                oplock_hold_time_ms=1)
    # Redis has done the SET; its answer reaches the event only REPLY_LATE_S later.
    real_set = manager.redis.set

    async def slow_reply(*args, **kwargs):
        reply = await real_set(*args, **kwargs)
        await asyncio.sleep(REPLY_LATE_S)
        return reply

    manager.redis.set = slow_reply
    return manager


async def _cancelled_then_next(manager: StateManagerRedis) -> tuple[float | None, bool]:
    """An event cancelled while taking the lock, then the tab's next event: how long the
    cancelled event's lock stayed in Redis (None: still there after NEXT_EVENT_WITHIN_S),
    and whether the next event got the lock within NEXT_EVENT_WITHIN_S (a fresh manager
    first waits up to 2 s for its own lock subscription)."""
    loop = asyncio.get_running_loop()
    taking = asyncio.create_task(manager._try_get_lock(LOCK_KEY, b"cancelled"))  # noqa: SLF001
    async with asyncio.timeout(5):
        while await manager.redis.get(LOCK_KEY) != b"cancelled":  # the SET reached Redis,
            await asyncio.sleep(0.01)
    assert not taking.done()  # and its answer has not come back
    taking.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await taking
    started = loop.time()
    next_event = asyncio.create_task(asyncio.wait_for(
        manager._wait_lock(LOCK_KEY, b"next"), NEXT_EVENT_WITHIN_S))  # noqa: SLF001
    released = None
    while loop.time() - started < NEXT_EVENT_WITHIN_S:
        if await manager.redis.get(LOCK_KEY) != b"cancelled":
            released = loop.time() - started
            break
        await asyncio.sleep(0.02)
    try:
        await next_event
        got_it = True
    except TimeoutError:
        got_it = False
    await manager.redis.delete(LOCK_KEY)
    return released, got_it


def test_a_cancelled_event_lets_go_of_the_lock_it_took(own_redis):
    manager = _worker(own_redis.url)
    make_cancellation_safe(manager)
    released, got_it = run_in_own_loop(_cancelled_then_next(manager))
    assert released is not None and released < REPLY_LATE_S + 1.0
    assert got_it


def test_without_it_the_lock_is_left_behind(own_redis):
    """What the wrapper mends: Reflex alone leaves the key until it expires."""
    released, got_it = run_in_own_loop(_cancelled_then_next(_worker(own_redis.url)))
    assert released is None
    assert not got_it


def test_the_wrapper_is_put_on_once(own_redis):
    manager = _worker(own_redis.url)
    make_cancellation_safe(manager)
    wrapped = manager._try_get_lock  # noqa: SLF001
    make_cancellation_safe(manager)
    assert manager._try_get_lock is wrapped  # noqa: SLF001
