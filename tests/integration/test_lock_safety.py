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
NEXT_EVENT_WITHIN_S = 3.0
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


async def _cancelled_then_next(manager: StateManagerRedis) -> tuple[bool, float | None]:
    """An event cancelled while taking the lock, then the tab's next event: whether the
    key was left in Redis a second later, and how long the next event waited (None: it
    did not get the lock within NEXT_EVENT_WITHIN_S)."""
    taking = asyncio.create_task(manager._try_get_lock(LOCK_KEY, b"cancelled"))  # noqa: SLF001
    async with asyncio.timeout(5):
        while await manager.redis.get(LOCK_KEY) != b"cancelled":  # the SET reached Redis,
            await asyncio.sleep(0.01)
    assert not taking.done()  # and its answer has not come back
    taking.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await taking
    started = asyncio.get_running_loop().time()
    try:
        await asyncio.wait_for(manager._wait_lock(LOCK_KEY, b"next"),  # noqa: SLF001
                               NEXT_EVENT_WITHIN_S)
        waited = asyncio.get_running_loop().time() - started
    except TimeoutError:
        waited = None
    await asyncio.sleep(1.0)
    left = await manager.redis.get(LOCK_KEY) == b"cancelled"
    await manager.redis.delete(LOCK_KEY)
    return left, waited


def test_a_cancelled_event_lets_go_of_the_lock_it_took(own_redis):
    manager = _worker(own_redis.url)
    make_cancellation_safe(manager)
    left, waited = run_in_own_loop(_cancelled_then_next(manager))
    assert not left
    assert waited is not None and waited < REPLY_LATE_S + 1.0


def test_without_it_the_lock_is_left_behind(own_redis):
    """What the wrapper mends: Reflex alone leaves the key until it expires."""
    left, waited = run_in_own_loop(_cancelled_then_next(_worker(own_redis.url)))
    assert left
    assert waited is None


def test_the_wrapper_is_put_on_once(own_redis):
    manager = _worker(own_redis.url)
    make_cancellation_safe(manager)
    wrapped = manager._try_get_lock  # noqa: SLF001
    make_cancellation_safe(manager)
    assert manager._try_get_lock is wrapped  # noqa: SLF001
