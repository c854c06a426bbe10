"""What the workers' Redis-side lifespan tasks share (lock_notices.py, rebalance.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


def redis_state_manager(app):
    """The app's state manager if it is Redis's (several workers), else None."""
    from reflex.istate.manager.redis import StateManagerRedis

    manager = app.state_manager
    return manager if isinstance(manager, StateManagerRedis) else None


@contextlib.asynccontextmanager
async def in_background(work: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run ``work`` as a task for as long as the block lasts; cancel it at the end."""
    task = asyncio.create_task(work)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
