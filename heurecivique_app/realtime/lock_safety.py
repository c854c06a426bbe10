"""A tab's state lock is never left behind by an event cancelled while it takes it.

Reflex takes a tab's lock in Redis with ``SET <tab>_lock <id> NX PX 10000`` before
each event. Reflex also cancels a tab's unfinished page-load chain when the tab
connects again or its socket closes: typically the closing ``set_is_hydrated`` of
the page the tab had just loaded. When that cancellation lands while the ``SET`` is on
its way, Redis sets the key but the event never learns that it holds the lock, so
nobody lets it go: the tab's next event (its reconnection's hydrate) waits for the
lock to expire, 10 s. One tab reconnecting again and again right after its page
loaded waited 10 s once in three times; a rebalanced tab (realtime/rebalance.py)
could too.

Here the ``SET`` is shielded from the cancellation. If it took the lock for an event
that was cancelled meanwhile, a task of its own lets the lock go at once, only if it
still holds that event's id, and tells this worker's waiters (the others learn it
from Redis's keyspace notification, as for any release).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from redis.exceptions import RedisError

from heurecivique_app.realtime.lifespan import redis_state_manager

# Delete the lock only if it still holds this id (another event may own it by now).
RELEASE_IF_OURS = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
                   "return redis.call('del', KEYS[1]) end return 0")


def make_cancellation_safe(manager) -> None:
    """Wrap ``manager._try_get_lock`` (a Reflex ``StateManagerRedis``) as described above."""
    take = manager._try_get_lock  # noqa: SLF001 - the one step Reflex leaves unguarded
    if getattr(take, "cancellation_safe", False):
        return
    cleanups: set[asyncio.Task] = set()  # referenced until done

    async def let_go_if_taken(attempt: asyncio.Future, lock_key: bytes, lock_id: bytes) -> None:
        try:
            if not await attempt:
                return
            await manager.redis.eval(RELEASE_IF_OURS, 1, lock_key, lock_id)
        except (OSError, RedisError, asyncio.CancelledError):
            return  # Redis away or worker stopping: the lock expires by itself
        manager._notify_next_waiter(lock_key)  # noqa: SLF001

    async def try_get_lock(lock_key: bytes, lock_id: bytes) -> bool | None:
        attempt = asyncio.ensure_future(take(lock_key, lock_id))
        try:
            return await asyncio.shield(attempt)
        except asyncio.CancelledError:
            cleanup = asyncio.ensure_future(let_go_if_taken(attempt, lock_key, lock_id))
            cleanups.add(cleanup)
            cleanup.add_done_callback(cleanups.discard)
            raise

    try_get_lock.cancellation_safe = True
    manager._try_get_lock = try_get_lock  # noqa: SLF001


@contextlib.asynccontextmanager
async def safe_state_locks(app) -> AsyncIterator[None]:
    """Lifespan task: with the Redis state manager, make its lock taking cancellation-safe."""
    manager = redis_state_manager(app)
    if manager is not None:
        make_cancellation_safe(manager)
    yield
