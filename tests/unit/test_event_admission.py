"""A worker runs a few events at a time, first come first in (realtime/admission.py):
under a burst the first events are answered first and none holds its tab's lock while
it waits."""

from __future__ import annotations

import asyncio

from aio import run_in_own_loop

from heurecivique_app.realtime.admission import SENT, Turns, admit_in_turn


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


class Entry:
    """Reflex's queue entry as far as admission reads it: the event's name, and the
    context's parent (set when a handler chained the event)."""

    def __init__(self, name: str, parent: str | None = None) -> None:
        self.event = type("Event", (), {"name": name})()
        self.ctx = type("Context", (), {"parent_txid": parent})()

    def __repr__(self) -> str:
        return self.event.name


def test_work_begun_goes_before_new_work_and_the_hydrated_flag_waits_its_turn() -> None:
    processor = FakeProcessor()
    admit_in_turn(processor, at_once=1)
    busy = Entry("busy")
    # A herd: three tabs' hydrate events (sent), then the page load chained by the first
    # hydrate, Reflex's closing set_is_hydrated (chained too), a tab's own accept.
    hydrates = [Entry(f"state.hydrate_and_load#{n}") for n in range(3)]
    page_load = Entry("state.board_state.load", parent="tx-hydrate-0")
    hydrated = Entry("state.on_load_internal_state.set_is_hydrated", parent="tx-load-0")
    accept = Entry("state.mission_state.accept")

    async def herd() -> None:
        tasks = [asyncio.create_task(processor._execute_event(entry=busy,
                                                              registered_handler=None))]
        await asyncio.sleep(0)
        for entry in (*hydrates, hydrated, accept, page_load):
            tasks.append(asyncio.create_task(
                processor._execute_event(entry=entry, registered_handler=None)))
            await asyncio.sleep(0)
        await asyncio.gather(*tasks)

    run_in_own_loop(herd())
    assert processor.most == 1
    assert processor.locked == [busy, page_load, *hydrates, hydrated, accept]


def test_a_waiter_cancelled_while_waiting_or_just_admitted_does_not_keep_a_turn() -> None:
    async def scenario() -> list[bool]:
        turns = Turns(1)
        await turns.take(SENT)  # held
        gone, handed, third, fourth = (asyncio.create_task(turns.take(SENT))
                                       for _ in range(4))
        await asyncio.sleep(0)
        gone.cancel()  # cancelled while waiting: skipped
        await asyncio.sleep(0)
        turns.give()  # to `handed`, which is cancelled before it runs: passed on
        handed.cancel()
        await asyncio.sleep(0.01)
        done = [gone.cancelled(), handed.cancelled(), third.done(), fourth.done()]
        turns.give()
        await asyncio.wait_for(fourth, timeout=2)
        turns.give()
        assert turns.free == 1
        return done

    assert run_in_own_loop(scenario()) == [True, True, True, False]


def test_a_tab_is_idle_only_once_its_events_have_ended_a_while_ago(monkeypatch) -> None:
    from heurecivique_app.realtime import admission

    clock = [100.0]
    monkeypatch.setattr(admission.time, "monotonic", lambda: clock[0])
    activity = admission.TabActivity()
    activity.start("tab")  # off (one worker, no rebalancer): nothing kept
    activity.end("tab")
    assert activity.running == {} and activity.active_at == {}
    activity.enabled = True
    assert activity.idle("tab", quiet_s=2)  # never seen
    activity.start("tab")
    activity.start("tab")  # a chained event queued behind the first
    activity.end("tab")
    assert not activity.idle("tab", quiet_s=2)  # one still under way
    activity.end("tab")
    clock[0] += 1
    assert not activity.idle("tab", quiet_s=2)  # its answer may still be on its way
    clock[0] += 1
    assert activity.idle("tab", quiet_s=2)
    activity.arrived("tab")  # an event just reached the socket, not yet running
    assert not activity.idle("tab", quiet_s=2)
    clock[0] += 2
    activity.forget_before(2)
    assert activity.active_at == {}


def test_the_turns_record_which_tabs_have_events_under_way(monkeypatch) -> None:
    from types import SimpleNamespace

    from heurecivique_app.realtime.admission import ACTIVITY

    monkeypatch.setattr(ACTIVITY, "enabled", True)  # as the rebalancer switches it on

    processor = FakeProcessor()
    admit_in_turn(processor, at_once=1)
    entry = SimpleNamespace(ctx=SimpleNamespace(token="tab-1", parent_txid=None))

    async def one() -> None:
        task = asyncio.create_task(processor._execute_event(entry=entry,
                                                            registered_handler=None))
        await asyncio.sleep(0)
        assert not ACTIVITY.idle("tab-1", quiet_s=0)
        await task
        assert ACTIVITY.idle("tab-1", quiet_s=0)

    run_in_own_loop(one())
