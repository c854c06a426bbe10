"""Keep Redis telling the workers when a tab's state lock is let go, across Redis restarts.

Reflex's Redis state manager waits for a tab's lock that another worker holds by
listening to Redis keyspace notifications (``notify-keyspace-events``), which it
switches on with ``CONFIG SET`` once per process and never again. A Redis restarted
empty (production's holds nothing durable, bench/soak.py restarts it) has forgotten
that setting, while the workers' pub/sub connections come back by themselves: from
then on no notification ever comes, and an event whose tab's lock another worker
holds (every tab that moves during a rolling restart: the stopping worker finishes
that tab's last event) sleeps the lock's whole expiration (10 s) before looking
again, instead of taking the lock the moment it is free.

Each worker checks the setting once a second and switches it on again when it is
missing: one ``CONFIG GET`` a second per worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from redis.exceptions import RedisError

from heurecivique_app.realtime.lifespan import in_background, redis_state_manager

log = logging.getLogger(__name__)

CHECK_S = 1.0
# What "A" stands for in notify-keyspace-events (Redis 7; new-key and miss events apart).
ALL_CLASSES = set("g$lshzxetd")
SETTING = "notify-keyspace-events"


def missing(wanted: str, current: str) -> set[str]:
    """The flags of ``wanted`` that Redis's ``current`` setting lacks."""
    have = set(current)
    if "A" in have:
        have |= ALL_CLASSES
    return set(wanted) - have


async def keep_enabled(redis, wanted: str, *, every: float = CHECK_S,
                       stop: asyncio.Event | None = None) -> None:
    """Check Redis's ``notify-keyspace-events`` every ``every`` s; set ``wanted`` again
    when Redis has lost any of it. Redis being away is not an error: checked again later."""
    stop = stop or asyncio.Event()
    seen_on = False  # a fresh Redis has them off until the first worker sets them: no news
    while not stop.is_set():
        try:
            reply = await redis.config_get(SETTING)  # str or bytes, as the client decodes
            current = reply.get(SETTING, reply.get(SETTING.encode(), ""))
            if isinstance(current, bytes):
                current = current.decode()
            if missing(wanted, current):
                await redis.config_set(SETTING, "".join(
                    sorted(set(current) | set(wanted))))
                if seen_on:
                    log.warning("Redis had lost its keyspace notifications (restarted?): "
                                "switched on again (%s)", wanted)
            seen_on = True
        except (OSError, RedisError):
            pass
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=every)


@contextlib.asynccontextmanager
async def lock_notices(app) -> AsyncIterator[None]:
    """Lifespan task: with the Redis state manager, keep its lock notifications on."""
    from reflex.istate.manager.redis import NOTIFY_KEYSPACE_EVENTS

    manager = redis_state_manager(app)
    if manager is None:
        yield
        return
    wanted = getattr(manager, "_redis_notify_keyspace_events", NOTIFY_KEYSPACE_EVENTS)
    async with in_background(keep_enabled(manager.redis, wanted)):
        yield
