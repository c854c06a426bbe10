"""A worker takes a tab's state for at most ``EVENTS_AT_ONCE`` events at a time; the
others wait their turn first, the next steps of work already begun before new work.

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

Work begun first: an event that a handler chained (Reflex's ``parent_txid``) goes
before the events tabs sent. A tab that (re)connects sends one event,
``hydrate_and_load``; the page's data comes two chained events later
(``on_load_internal``, then the page's ``on_load``). In arrival order alone, each of
those went to the back of the queue: when a worker restart sent a hundred tabs to
this worker at once, every tab got its whole state early and its page's data only
once the whole herd had been hydrated, near the end (bench/soak.py --trace: the
page load waited 1.7 s for its turn, p50, against 0.65 s for the hydrate). Chained
first, the tabs are served one after the other, each getting its page's data soon
after its hydrate (the README's soak runs: the page load phase 0.8–1.5 s p50,
against 3.6–11.3 s); the last one is back no sooner (the herd's work is the same).
Chains are short (Reflex's steps of a page load; no handler of the app chains
another), so an event a tab sends waits at most for the chains already begun.
Reflex's closing ``set_is_hydrated`` is chained too but shows nothing (the app
never reads ``is_hydrated``): it waits in arrival order, as the tabs' own events do.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator

EVENTS_AT_ONCE = 16
CHAINED, SENT = 0, 1  # turns: the lower first, then first come first in
NOT_SHOWN = (".set_is_hydrated",)  # chained steps that show nothing: in arrival order


def priority(entry) -> int:
    """CHAINED for an event a handler chained (the rest of work begun), else SENT."""
    context = getattr(entry, "ctx", None)
    if getattr(context, "parent_txid", None) is None:
        return SENT
    name = getattr(getattr(entry, "event", None), "name", "")
    return SENT if name.endswith(NOT_SHOWN) else CHAINED


class Turns:
    """At most ``at_once`` holders; the waiters in order of (priority, arrival)."""

    def __init__(self, at_once: int) -> None:
        self.free = at_once
        self._waiting: list[tuple[int, int, asyncio.Future]] = []
        self._arrival = itertools.count()

    async def take(self, rank: int) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        turn = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (rank, next(self._arrival), turn))
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.give()  # handed over just as it was cancelled: pass it on
            raise  # (a waiter cancelled meanwhile is skipped by give())

    def give(self) -> None:
        while self._waiting:
            _, _, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                return
        self.free += 1


class TabActivity:
    """The tabs with an event waiting or running on this worker, and when each tab was
    last active (an event arrived or ended): a tab is moved to another worker only
    while idle (realtime/rebalance.py), so that no answer is on its way to a closed
    socket."""

    def __init__(self) -> None:
        # Off until a rebalancer reads it (several workers): one worker alone would
        # only keep a time for every tab it ever saw.
        self.enabled = False
        self.running: Counter[str] = Counter()
        self.active_at: dict[str, float] = {}  # token -> monotonic time

    def arrived(self, token: str | None) -> None:
        """An event of ``token`` reached the socket (it runs a little later)."""
        if token is not None and self.enabled:
            self.active_at[token] = time.monotonic()

    def start(self, token: str | None) -> None:
        if token is not None and self.enabled:
            self.running[token] += 1

    def end(self, token: str | None) -> None:
        if token is None or token not in self.running:  # or started before enabled
            return
        self.running[token] -= 1
        if self.running[token] <= 0:
            del self.running[token]
        self.active_at[token] = time.monotonic()

    def idle(self, token: str, quiet_s: float) -> bool:
        """No event of ``token``'s running or queued here, none active in ``quiet_s``."""
        if token in self.running:
            return False
        active = self.active_at.get(token)
        return active is None or time.monotonic() - active >= quiet_s

    def forget_before(self, quiet_s: float) -> None:
        """Drop the times older than ``quiet_s`` (they no longer matter)."""
        now = time.monotonic()
        self.active_at = {t: at for t, at in self.active_at.items() if now - at < quiet_s}


ACTIVITY = TabActivity()


def admit_in_turn(processor, at_once: int = EVENTS_AT_ONCE) -> None:
    """Make ``processor`` run at most ``at_once`` events at a time: chained events
    first, then first come, first in.

    The wait is before ``_execute_event`` (the event processor's step that takes the
    tab's state lock), so a waiting event holds nothing.
    """
    turns = Turns(at_once)
    execute = processor._execute_event

    async def in_turn(**kwargs) -> None:
        entry = kwargs.get("entry")
        token = getattr(getattr(entry, "ctx", None), "token", None)
        ACTIVITY.start(token)
        try:
            await turns.take(priority(entry))
            try:
                await execute(**kwargs)
            finally:
                turns.give()
        finally:
            ACTIVITY.end(token)

    processor._execute_event = in_turn


@contextlib.asynccontextmanager
async def events_in_turn(app) -> AsyncIterator[None]:
    """Lifespan task: once the app's event processor exists."""
    admit_in_turn(app.event_processor)
    yield
