"""A worker takes a tab's state for at most ``EVENTS_AT_ONCE`` events at a time; the
others wait their turn first.

Reflex starts every event it receives at once (one task each, one at a time per tab):
each takes its tab's state lock in Redis, then runs. Our handlers read the database
synchronously, on the event loop, so beyond a few events at once nothing goes faster:
under a burst (hundreds of tabs reconnecting after a worker restart, a crowd at the
limit of the machine) every event holds its lock while all the others share the loop,
and all finish late together. Past ``redis_lock_expiration`` (10 s) the lock expires
under the event: Reflex then refuses to save the state it changed
(``LockExpiredError``, the soak test's backend tracebacks), the tab gets an error
answer, and its next event runs on the state of before (a page load lost: the
mission page's state still on the previous mission, see MissionState._still_shown).

In turn, an event holds its lock only while it runs: the first come are answered
first, and a lock no longer expires because of the queue. A few at once still
overlap one event's Redis round trips with another's work. Not too few: an event
whose tab's lock another worker holds (a stopping worker finishing that tab's
event, up to 10 s) waits for it in its turn, and enough of those at once would hold
up every other tab of this worker meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

EVENTS_AT_ONCE = 16


def admit_in_turn(processor, at_once: int = EVENTS_AT_ONCE) -> None:
    """Make ``processor`` run at most ``at_once`` events at a time (first come, first in).

    The wait is before ``_execute_event`` (the event processor's step that takes the
    tab's state lock), so a waiting event holds nothing.
    """
    turn = asyncio.Semaphore(at_once)
    execute = processor._execute_event

    async def in_turn(**kwargs) -> None:
        async with turn:
            await execute(**kwargs)

    processor._execute_event = in_turn


@contextlib.asynccontextmanager
async def events_in_turn(app) -> AsyncIterator[None]:
    """Lifespan task: once the app's event processor exists."""
    admit_in_turn(app.event_processor)
    yield
