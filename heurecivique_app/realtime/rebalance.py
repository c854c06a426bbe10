"""Once a restarted worker is back, the tabs that moved away during its restart come back.

A tab's websocket stays on the worker it opened on. When a worker stops (a rolling
restart), its tabs reconnect to the others (the proxy's failover) and stay there
after it is back: in the soak test the surviving worker then served nearly all the
1,000 tabs on its one core for the rest of the run while the restarted one idled
(README "Soak test with faults": accept p95 8.8 s after the restart, 0.4 s before).

Each worker writes in Redis, every ``SHARE_EVERY_S``, how many tabs it holds. One
that holds more than its share (the tabs of the live workers, divided by their
number) by more than ``MARGIN`` closes the transport of a few of its tabs each
time, at most ``MOVE_PER_S`` a second: for the frontend a closed transport is a
drop (as a worker stop), so it reconnects at once, through the proxy, which sends
the tab to its own worker (the session's hash) now that this one is up. Tabs are
moved slowly on purpose: each reconnect costs its new worker a hydrate and a page
load, and a herd would stall it as the restart did. The most recently connected
first (once connected for ``SETTLED_S``: not a tab still loading its page): on a
worker that took over another's tabs, those are the ones that moved. Only an idle
tab (no event of its own waiting or running here, none arrived or ended in the
last ``QUIET_S``): the answer of an event under way would go to the closed socket and
be lost, the tab left waiting. A tab is moved once: one the proxy sends back here
belongs here.

The same closing serves a planned stop (deploy/rolling-restart.sh): asked first
(``POST /hand-off``, api/health.py), the worker closes its sockets in waves over
``HAND_OFF_S``, idle tabs first, instead of all of them dropping together at its
SIGTERM (granian closes every websocket at once then, before any lifespan code
runs). Each tab is back on another worker soon after its own drop, and those not
yet closed go on being served here meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Mapping

from redis.exceptions import RedisError

from heurecivique_app.realtime import stop_hooks
from heurecivique_app.realtime.admission import ACTIVITY
from heurecivique_app.realtime.lifespan import in_background, redis_state_manager
from heurecivique_app.settings import get_settings

log = logging.getLogger(__name__)

KEY = "hc:worker_tabs"  # hash: a worker's instance id -> "<tabs> <unix time>"
SHARE_EVERY_S = 2.0
LIVE_FOR_S = 3 * SHARE_EVERY_S  # a worker not heard of for this long is gone
MARGIN = 0.1  # above its share by more than this fraction, and
SLACK = 10  # by more than this many tabs (a few tabs more is no imbalance; settings)
MOVE_PER_S = 15  # a move costs the idle, restarted worker ~17 ms of CPU
REMEMBER_S = 600.0  # a tab moved is not moved again for this long
SETTLED_S = 10.0  # a tab is moved once connected here for this long
QUIET_S = 2.0  # and once no event of its own arrived or ended here for this long
# A stopping worker's tabs leave in waves (hand_off): each reconnect costs the others a
# hydrate and a page load, and all at once made a herd there (the soak test: 500 tabs
# back in 11-15 s, each waiting for the whole herd's work). The last leaves this long
# after the request (deploy/rolling-restart.sh waits up to 40 s, before the stop): 500
# tabs in 15 s still queued up to 5 s on the other worker of a 2-core machine.
HAND_OFF_S = 25.0
WAVE_EVERY_S = 0.25


def tabs_to_move(mine: int, counts: Mapping[str, int], in_transit: int = 0,
                 slack: int = SLACK) -> int:
    """How many of its ``mine`` tabs a worker moves now, given every live worker's count
    (``counts``, this one's included) and the tabs it moved that the others may not
    have counted yet (``in_transit``: their counts are up to a round old)."""
    if len(counts) < 2:
        return 0
    share = math.ceil((sum(counts.values()) + in_transit) / len(counts))
    if mine <= share * (1 + MARGIN) or mine - share <= slack:
        return 0
    return min(mine - share, math.ceil(MOVE_PER_S * SHARE_EVERY_S))


def live_counts(entries: Mapping[str, str], now: float) -> tuple[dict[str, int], list[str]]:
    """The hash's entries: the live workers' tab counts, and the ids of gone workers."""
    live, gone = {}, []
    for worker, value in entries.items():
        try:
            tabs, at = value.split()
            if now - float(at) <= LIVE_FOR_S:
                live[worker] = int(tabs)
                continue
        except ValueError:
            pass
        gone.append(worker)
    return live, gone


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Rebalancer:
    """One worker's side: its count in Redis, and the tabs it moved (never moved twice).

    A tab that comes back here after being moved is one whose session the proxy
    hashes to this worker: moving it again would only cost it another reconnect.
    """

    def __init__(self, redis, close, slack: int = SLACK,
                 idle: Callable[[str], bool] = lambda _token: True) -> None:
        self.redis = redis
        self.close = close  # close(sids): closes these sockets' transports
        self.slack = slack
        self.idle = idle  # idle(token): no event of that tab's under way here
        self.moved: dict[str, float] = {}  # token -> when it was moved
        self.seen: dict[str, float] = {}  # socket id -> the round that first saw it
        self.rounds: list[tuple[float, int]] = []  # (when, tabs moved) of recent rounds

    async def share_once(self, me: str, sockets: Mapping[str, str]) -> int:
        """Write this worker's count, read the others'; move the newest tabs above its share.

        ``sockets``: this worker's connected socket ids -> their tabs' tokens, in the
        order they connected. Returns how many tabs were moved.
        """
        mine = len(sockets)
        now = time.time()
        await self.redis.hset(KEY, me, f"{mine} {now:.3f}")
        entries = {_text(k): _text(v) for k, v in (await self.redis.hgetall(KEY)).items()}
        counts, gone = live_counts(entries, now)
        if gone:
            await self.redis.hdel(KEY, *gone)
        self.moved = {t: at for t, at in self.moved.items() if now - at < REMEMBER_S}
        self.seen = {sid: self.seen.get(sid, now) for sid in sockets}
        self.rounds = [(at, n) for at, n in self.rounds if now - at < 2 * SHARE_EVERY_S]
        wanted = tabs_to_move(mine, counts, sum(n for _, n in self.rounds), self.slack)
        moving = []
        for sid, token in reversed(list(sockets.items()) if wanted else ()):
            if len(moving) == wanted:
                break
            # Not a tab still loading its page here (its hydrate would be cancelled),
            # nor one with an event under way (its answer would go to a closed socket).
            if (token not in self.moved and now - self.seen[sid] >= SETTLED_S
                    and self.idle(token)):
                moving.append((sid, token))
        self.rounds.append((now, len(moving)))
        for _sid, token in moving:
            self.moved[token] = now
        if moving:
            await self.close([sid for sid, _token in moving])
            log.info("rebalance: %d tab(s) of %d moved to the other workers (%s)",
                     len(moving), mine, counts)
        return len(moving)


def _transport_read(task: asyncio.Task) -> object | None:
    """The transport whose next message ``task`` waits for, if it is engine.io's reader."""
    coroutine = task.get_coro()
    frame = getattr(coroutine, "cr_frame", None)
    if getattr(coroutine, "__name__", "") != "websocket_wait" or frame is None:
        return None
    return frame.f_locals.get("self")


async def hand_off(sockets: Mapping[str, str], close, idle: Callable[[str], bool],
                   spread_s: float = HAND_OFF_S, every_s: float = WAVE_EVERY_S) -> int:
    """A stopping worker closes its sockets in waves over ``spread_s``, the idle tabs first.

    ``sockets``: this worker's socket ids -> tokens (closed ones leave it); ``close(sids)``
    as the rebalancer's. Returns how many were closed.
    """
    closed: set[str] = set()
    waves = max(1, round(spread_s / every_s))
    for waves_left in range(waves, 0, -1):
        left = [sid for sid in list(sockets) if sid not in closed]
        if not left:
            break
        left.sort(key=lambda sid: not idle(sockets.get(sid, "")))  # stable: idle first
        wave = left[:math.ceil(len(left) / waves_left)]
        closed.update(wave)
        await close(wave)
        if waves_left > 1:
            await asyncio.sleep(every_s)
    return len(closed)


@contextlib.asynccontextmanager
async def rebalance_tabs(app) -> AsyncIterator[None]:
    """Lifespan task: with the Redis state manager (several workers), share the tabs."""
    manager = redis_state_manager(app)
    if manager is None:
        yield
        return
    namespace = app.event_namespace
    server = app.sio

    async def close(sids: list[str]) -> None:
        transports = set()
        for sid in sids:
            token = namespace.sid_to_token.get(sid)
            if token is not None:
                # The tab's link to this worker goes first, in Redis too: the tab is back
                # on another worker within milliseconds, and one that still found its
                # token linked here would be given a new token (a new, empty state).
                await namespace._token_manager.disconnect_token(token, sid)
            with contextlib.suppress(Exception):  # gone meanwhile: nothing to close
                eio_sid = server.manager.eio_sid_from_sid(sid, namespace.namespace)
                transports.add(id(server.eio._get_socket(eio_sid)))
                # The session ends here (Reflex's on_disconnect) and engine.io queues its
                # CLOSE packet, which a websocket client ignores; engine.io then closes the
                # websocket only when its reader wakes up (the client's next message, or
                # the ping timeout, 45 s).
                await server.eio.disconnect(eio_sid)
        # Cancelling the readers' waits makes them close the websockets now, and the
        # frontend reconnects after a closed transport (it would not after socket.io's
        # own "disconnect" message). One look at the tasks for all of them.
        for task in asyncio.all_tasks():
            if id(_transport_read(task)) in transports:
                task.cancel()

    receive = namespace.on_event

    async def on_event(sid: str, data) -> None:
        # An event arriving marks its tab active before it is queued: on a busy worker
        # it may wait a while before it runs (and counts as running).
        ACTIVITY.arrived(namespace.sid_to_token.get(sid))
        await receive(sid, data)

    namespace.on_event = on_event
    ACTIVITY.enabled = True

    handing_off = asyncio.Event()

    def idle(token: str) -> bool:
        return ACTIVITY.idle(token, QUIET_S)

    async def run() -> None:
        rebalancer = Rebalancer(manager.redis, close, get_settings().rebalance_slack, idle)
        while not handing_off.is_set():  # then out of the counts: no tab is sent here
            try:
                await rebalancer.share_once(namespace._token_manager.instance_id,
                                            namespace.sid_to_token)
            except (OSError, RedisError):
                pass  # Redis away: tried again next time
            except Exception:  # never let the task die: the next round may do better
                log.exception("rebalance round failed")
            ACTIVITY.forget_before(QUIET_S)
            await asyncio.sleep(SHARE_EVERY_S)

    async def hand_off_all() -> int:
        # Out of the others' counts first (none sends tabs here meanwhile), then in waves.
        handing_off.set()
        with contextlib.suppress(OSError, RedisError):
            await manager.redis.hdel(KEY, namespace._token_manager.instance_id)
        moved = await hand_off(namespace.sid_to_token, close, idle)
        log.info("hand-off: %d tab(s) closed in waves for the other workers", moved)
        return moved

    stop_hooks.hand_off = hand_off_all
    try:
        async with in_background(run()):
            yield
    finally:
        stop_hooks.hand_off = None
        with contextlib.suppress(OSError, RedisError):
            await manager.redis.hdel(KEY, namespace._token_manager.instance_id)
