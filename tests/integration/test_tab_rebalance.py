"""After a worker restart the tabs that moved to the other worker come back, a few at a
time, the most recent first (realtime/rebalance.py): two workers' rounds on a
redis-server of the test's own, with the tabs' moves played as the proxy would."""

from __future__ import annotations

import asyncio
import time

from aio import run_in_own_loop
from redis.asyncio import Redis

from heurecivique_app.realtime import rebalance
from heurecivique_app.realtime.rebalance import KEY, Rebalancer, live_counts, tabs_to_move


def test_only_a_worker_well_above_its_share_moves_tabs_and_a_few_at_a_time() -> None:
    per_round = round(rebalance.MOVE_PER_S * rebalance.SHARE_EVERY_S)
    assert tabs_to_move(1000, {"a": 0, "b": 1000}) == per_round
    assert tabs_to_move(0, {"a": 0, "b": 1000}) == 0
    assert tabs_to_move(1000, {"b": 1000}) == 0  # alone: nowhere to go
    assert tabs_to_move(530, {"a": 470, "b": 530}) == 0  # within the margin
    assert tabs_to_move(14, {"a": 6, "b": 14}) == 0  # a few tabs: no imbalance
    assert tabs_to_move(700, {"a": 300, "b": 700}) == per_round
    assert tabs_to_move(510, {"a": 0, "b": 510, "c": 490}) == per_round


def test_a_worker_not_heard_of_is_gone() -> None:
    now = 1000.0
    live, gone = live_counts({"a": "12 999.0", "b": f"30 {now - rebalance.LIVE_FOR_S - 1}",
                              "c": "garbage"}, now)
    assert live == {"a": 12}
    assert sorted(gone) == ["b", "c"]


def test_the_moved_tabs_go_back_to_the_restarted_worker(own_redis, monkeypatch) -> None:
    """Worker A came back empty; B holds its own 100 tabs (connected first) and the 100
    that failed over from A (connected last). Each round B closes a few of its newest
    tabs; the proxy sends each closed tab to the worker its session hashes to (A for
    the ones that moved). The rounds stop once B is within its share's margin; none of
    B's own tabs moves."""

    clock = [1000.0]  # each round SHARE_EVERY_S later
    monkeypatch.setattr(rebalance.time, "time", lambda: clock[0])

    async def scenario() -> None:
        redis = Redis.from_url(own_redis.url)
        home = {**{f"b{n}": "B" for n in range(100)}, **{f"a{n}": "A" for n in range(100)}}
        tabs = {"A": {}, "B": {f"sid-{t}": t for t in home}}  # sid -> token, connect order

        def mover(worker: str) -> Rebalancer:
            async def close(sids: list[str]) -> None:
                for sid in sids:
                    token = tabs[worker].pop(sid)
                    tabs[home[token]][f"sid2-{token}"] = token  # back through the proxy
            return Rebalancer(redis, close)

        workers = {"A": mover("A"), "B": mover("B")}
        moved = rounds_moving = 0
        for _ in range(60):  # two minutes of rounds
            clock[0] += rebalance.SHARE_EVERY_S
            closed = sum([await workers[w].share_once(w, dict(tabs[w])) for w in "AB"])
            moved += closed
            rounds_moving += bool(closed)
        on_b = set(tabs["B"].values())
        assert {f"b{n}" for n in range(100)} <= on_b, "B's own tabs stayed"
        assert len(on_b) <= 100 * (1 + rebalance.MARGIN), "B is back within its share"
        assert moved == len(tabs["A"]) >= 90  # each move took one tab home, none bounced
        assert rounds_moving >= moved / (rebalance.MOVE_PER_S * rebalance.SHARE_EVERY_S)
        assert {k.decode() for k in await redis.hgetall(KEY)} == {"A", "B"}
        await redis.aclose()

    run_in_own_loop(scenario())


def test_a_tab_that_comes_back_is_not_moved_again(own_redis, monkeypatch) -> None:
    """Tabs whose sessions the proxy hashes to B itself (B is simply the busier one):
    each is moved at most once, so an imbalance the hash makes cannot keep them
    reconnecting."""

    monkeypatch.setattr(rebalance, "SETTLED_S", 0.0)

    async def scenario() -> None:
        redis = Redis.from_url(own_redis.url)
        tabs = {f"s{n}": f"t{n}" for n in range(200)}
        closes: list[str] = []

        async def close(sids: list[str]) -> None:
            for sid in sids:
                closes.append(tabs[sid])
                token = tabs.pop(sid)
                tabs[f"again-{sid}"] = token  # the proxy sends it back to B

        b = Rebalancer(redis, close)
        for _ in range(40):
            await redis.hset(KEY, "A", f"100 {time.time()}")  # A stays at 100
            await b.share_once("B", dict(tabs))
        assert len(closes) == len(set(closes)), "no tab moved twice"
        assert len(tabs) == 200
        await redis.aclose()

    run_in_own_loop(scenario())


def test_a_stale_entry_is_forgotten_and_counts_for_nothing(own_redis) -> None:
    async def scenario() -> None:
        redis = Redis.from_url(own_redis.url)
        # A worker stopped without cleaning up (killed): its entry is old.
        await redis.hset(KEY, "killed", f"0 {time.time() - 60}")
        closed: list[str] = []

        async def close(sids: list[str]) -> None:
            closed.extend(sids)

        b = Rebalancer(redis, close)
        assert await b.share_once("B", {f"s{n}": f"t{n}" for n in range(300)}) == 0
        assert closed == []
        assert set(await redis.hgetall(KEY)) == {b"B"}
        await redis.aclose()

    run_in_own_loop(scenario())


def test_a_tab_just_connected_is_left_to_load_its_page(own_redis, monkeypatch) -> None:
    """Right after a restart the newest tabs are still being hydrated: moving one would
    cancel that and send it reconnecting again. They are moved once settled."""
    clock = [1000.0]
    monkeypatch.setattr(rebalance.time, "time", lambda: clock[0])

    async def scenario() -> None:
        redis = Redis.from_url(own_redis.url)
        closed: list[str] = []

        async def close(sids: list[str]) -> None:
            closed.extend(sids)

        b = Rebalancer(redis, close)
        old = {f"old{n}": f"t{n}" for n in range(100)}
        await redis.hset(KEY, "A", f"0 {clock[0]}")
        assert await b.share_once("B", old) == 0  # the first round sees them arrive
        clock[0] += rebalance.SETTLED_S
        new = {**old, **{f"new{n}": f"u{n}" for n in range(100)}}
        await redis.hset(KEY, "A", f"0 {clock[0]}")
        moved = await b.share_once("B", new)
        assert moved > 0 and all(sid.startswith("old") for sid in closed)
        clock[0] += rebalance.SETTLED_S
        await redis.hset(KEY, "A", f"0 {clock[0]}")
        await b.share_once("B", {k: v for k, v in new.items() if k not in closed})
        assert any(sid.startswith("new") for sid in closed)  # the newest, once settled
        await redis.aclose()

    run_in_own_loop(scenario())


def test_tabs_still_on_their_way_count_in_the_share() -> None:
    """The others' counts are up to a round old: the tabs moved last round are not in
    them yet, and moving as if they were lost would overshoot the other way."""
    assert tabs_to_move(69, {"a": 28, "b": 69}, in_transit=10) == 15  # share 54
    assert tabs_to_move(59, {"a": 32, "b": 59}) == 13  # without them: one round too many
    assert tabs_to_move(59, {"a": 32, "b": 59}, in_transit=10) == 0


def test_a_tab_with_an_event_under_way_stays(own_redis, monkeypatch) -> None:
    """Its answer would go to the closed socket: the tab would wait for it in vain."""
    monkeypatch.setattr(rebalance, "SETTLED_S", 0.0)

    async def scenario() -> None:
        redis = Redis.from_url(own_redis.url)
        closed: list[str] = []

        async def close(sids: list[str]) -> None:
            closed.extend(sids)

        busy = {f"t{n}" for n in range(150, 200)}  # the newest fifty are acting
        b = Rebalancer(redis, close, idle=lambda token: token not in busy)
        await redis.hset(KEY, "A", f"0 {time.time()}")
        assert await b.share_once("B", {f"s{n}": f"t{n}" for n in range(200)}) > 0
        assert closed and all(int(sid[1:]) < 150 for sid in closed)
        await redis.aclose()

    run_in_own_loop(scenario())


def test_a_stopping_worker_hands_its_tabs_over_in_waves_idle_ones_first() -> None:
    """``hand_off``: every socket closed once, in waves spread over the time given, the
    tabs with an event under way last."""
    sockets = {f"sid{n}": f"tab{n}" for n in range(100)}
    busy = {"tab0", "tab1"}
    waves: list[list[str]] = []

    async def close(sids: list[str]) -> None:
        waves.append(list(sids))
        for sid in sids:
            sockets.pop(sid)  # as Reflex's on_disconnect does

    async def scenario() -> tuple[int, float]:
        started = asyncio.get_running_loop().time()
        closed = await rebalance.hand_off(sockets, close, lambda token: token not in busy,
                                          spread_s=0.5, every_s=0.05)
        return closed, asyncio.get_running_loop().time() - started

    closed, took = run_in_own_loop(scenario())
    assert closed == 100 and not sockets
    assert len(waves) == 10 and {len(w) for w in waves} == {10}
    assert waves[-1][-2:] == ["sid0", "sid1"], "the busy tabs go last"
    assert 0.4 <= took < 2.0
