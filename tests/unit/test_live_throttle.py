"""A live kind with a minimum interval: one broadcast per channel per interval, the
changes in between coalesced into one broadcast at the end of it (the dashboards)."""

from __future__ import annotations

import asyncio
import contextlib

from aio import run_in_own_loop

from heurecivique_app.realtime import live as live_module
from heurecivique_app.realtime.live import LiveBoards
from heurecivique_app.settings import Settings


class FakeStatsState:
    @classmethod
    def get_full_name(cls) -> str:
        return "state.stats_state"


def test_changes_within_the_interval_make_one_more_broadcast_at_its_end(monkeypatch):
    monkeypatch.setattr(live_module, "get_settings", lambda: Settings.from_env({}))
    monkeypatch.setattr(live_module, "session_scope", contextlib.nullcontext)
    worker = LiveBoards()
    worker.register("stats", FakeStatsState, lambda s, key, locale, tz: {"live_commune": key},
                    min_interval=0.3)
    worker._has_viewers = {"hc:stats:1:fr"}.__contains__  # noqa: SLF001
    sent: list[tuple[float, str]] = []

    async def record(room, update):
        sent.append((asyncio.get_running_loop().time(), room))

    worker._emit_local = record  # noqa: SLF001

    async def scenario() -> None:
        start = asyncio.get_running_loop().time()
        for n in range(5):  # five changes in 0.2 s
            await worker._render({"stats:1"}, str(n))  # noqa: SLF001
            await asyncio.sleep(0.04)
        await asyncio.sleep(0.5)
        times = [round(t - start, 1) for t, _ in sent]
        assert len(sent) == 2, times
        assert times[0] < 0.1 and 0.25 <= times[1] <= 0.45
        assert {room for _, room in sent} == {"hc:stats:1:fr"}

    run_in_own_loop(scenario())
