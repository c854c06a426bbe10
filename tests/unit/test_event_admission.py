"""A worker runs a few events at a time, first come first in (realtime/admission.py):
under a burst the first events are answered first and none holds its tab's lock while
it waits."""

from __future__ import annotations

import asyncio

from aio import run_in_own_loop

from heurecivique_app.realtime.admission import admit_in_turn


class FakeProcessor:
    """Reflex's event processor as far as admission sees it: ``_execute_event`` takes the
    tab's lock, runs the handler, lets go."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self.locked: list[int] = []  # events holding their lock, in order of taking it
        self.finished: list[int] = []

    async def _execute_event(self, *, entry, registered_handler) -> None:
        self.locked.append(entry)
        self.running += 1
        self.most = max(self.most, self.running)
        await asyncio.sleep(0.01)  # a Redis round trip, the handler
        self.running -= 1
        self.finished.append(entry)


def test_a_burst_runs_a_few_at_a_time_in_arrival_order() -> None:
    processor = FakeProcessor()
    admit_in_turn(processor, at_once=3)

    async def burst() -> None:
        tasks = []
        for n in range(12):  # as Reflex does: a task per event, all started at once
            tasks.append(asyncio.create_task(
                processor._execute_event(entry=n, registered_handler=None)))
        await asyncio.sleep(0)
        assert processor.locked == [0, 1, 2]  # the others wait without any lock
        await asyncio.gather(*tasks)

    run_in_own_loop(burst())
    assert processor.most == 3
    assert processor.locked == list(range(12))
    assert processor.finished[:3] == [0, 1, 2]


def test_an_event_that_fails_gives_its_turn_back() -> None:
    processor = FakeProcessor()

    async def failing(*, entry, registered_handler) -> None:
        raise RuntimeError("handler failed")

    processor._execute_event = failing
    admit_in_turn(processor, at_once=1)

    async def two() -> None:
        for _ in range(2):
            try:
                await processor._execute_event(entry=0, registered_handler=None)
            except RuntimeError:
                pass

    run_in_own_loop(asyncio.wait_for(two(), timeout=2))
