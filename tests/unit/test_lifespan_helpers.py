"""realtime/lifespan.py: the background task lives as long as its block, no longer."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from aio import run_in_own_loop

from heurecivique_app.realtime.lifespan import in_background, redis_state_manager


def test_the_work_runs_during_the_block_and_is_cancelled_at_its_end() -> None:
    ticks: list[int] = []
    cancelled = asyncio.Event()

    async def work() -> None:
        try:
            while True:
                ticks.append(1)
                await asyncio.sleep(0.01)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    async def scenario() -> int:
        async with in_background(work()):
            await asyncio.sleep(0.05)
        after = len(ticks)
        await asyncio.sleep(0.05)
        assert cancelled.is_set()
        return len(ticks) - after

    assert run_in_own_loop(scenario()) == 0  # nothing more ran once the block ended
    assert ticks


def test_one_worker_without_redis_has_no_redis_manager() -> None:
    assert redis_state_manager(SimpleNamespace(state_manager=object())) is None
