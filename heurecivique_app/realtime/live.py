"""Live boards: one computed payload per board and language, broadcast to a room.

Why not a state refresh per viewer (or rx.SharedState): that costs a state
load, a delta and a save for every viewer on every change. Here a change
costs one database read per affected channel and language, then a single
socket.io emit to the room of that channel: the transport's own cost.

How it works:
- The app module calls :meth:`LiveBoards.attach` once: it keeps the app (its
  socket.io server), runs :meth:`LiveBoards.run` as a lifespan task and
  subscribes :meth:`LiveBoards.publish` to committed events. Nothing here
  imports the app module, so importing a state never loads every page.
- A page's ``on_load`` calls :meth:`LiveBoards.watch` with the channels it
  shows; the tab's socket joins the rooms ``<channel>:<locale>`` (and leaves
  the rooms of the page it showed before). socket.io forgets a socket's rooms
  when it disconnects, so nothing here grows with past viewers.
- After a commit, the database adapter hands the domain events to
  :meth:`publish` (any thread). One task per worker takes them in order,
  coalesces bursts and stamps each change with a version.
- For each affected channel and language that has viewers on this worker,
  the registered presenter computes the public vars once, and they go to
  the room as one Reflex state delta.
- In scale-out mode (REDIS_URL) the change (channels and version, not the
  payload) goes through a Redis pub/sub channel, and every worker renders it
  for its own viewers: the cost follows the workers, not the viewers.
  Redis may restart (it holds nothing durable): while it is away a worker
  renders its own changes for its own viewers, subscribes again with a growing
  pause, and once back renders every channel its viewers watch, since what the
  other workers published meanwhile was lost (bench/soak.py restarts Redis).
- A person's own channel (``inbox:<user id>``, ``personal``) is joined by their
  tabs only, on every page load (:meth:`LiveBoards.follow_person`), and kept
  when the page changes its boards; its broadcast is a version and nothing
  else: each tab then reads its own data from its session cookie.
- The payload holds only public, viewer-independent data (presenters), and
  each state keeps its private vars out of it. Server-side copies of the
  broadcast vars in viewers' states go stale; they are rebuilt from the
  database by ``on_load`` on any (re)connect, which is what a tab trusts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import reflex as rx
from redis.exceptions import RedisError
from reflex_base.constants.state import FIELD_MARKER

from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.i18n import SUPPORTED_LOCALES
from heurecivique_app.realtime.channels import channels_for, parse
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import add_event_publisher, metrics, session_scope

log = logging.getLogger(__name__)

ROOM_PREFIX = "hc:"
RELAY_RETRY_S = (0.2, 5.0)  # the first and the longest pause before subscribing again
Presenter = Callable[..., dict[str, Any]]  # (session, key, locale, timezone) -> vars


@dataclass(frozen=True)
class ChannelKind:
    state: type[rx.State]
    presenter: Presenter
    # At most one broadcast per channel of this kind every so many seconds (0: no limit);
    # changes in between are coalesced into one broadcast at the end of the interval.
    min_interval: float = 0.0
    # The var stamped with each change's version (a page's ``on_live_version`` hook).
    version_var: str = "live_version"
    # A person's own channel (their notifications): a tab keeps it across pages, its
    # page's ``watch`` does not drop it; ``follow_person`` sets it.
    personal: bool = False


def room_name(channel: str, locale: str) -> str:
    return f"{ROOM_PREFIX}{channel}:{locale}"


def redis_channel(redis_url: str) -> str:
    """The pub/sub channel, per Redis database: pub/sub ignores database numbers,
    so two deployments sharing one Redis server must not hear each other."""
    database = urlsplit(redis_url).path.strip("/") or "0"
    return f"heurecivique:{database}:live"


class LiveBoards:
    def __init__(self) -> None:
        self._kinds: dict[str, ChannelKind] = {}
        self._app: rx.App | None = None
        self._outbox: asyncio.Queue[set[str]] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redis = None
        self._redis_channel = ""
        self._last_render: dict[str, float] = {}
        self._deferred: set[str] = set()
        # sid -> the rooms of ours _move put it in: socket.io's own get_rooms() scans
        # every room of the worker (one per socket), twice per page load.
        self._joined: dict[str, set[str]] = {}

    # --- wiring -------------------------------------------------------------------------

    def register(self, kind: str, state: type[rx.State], presenter: Presenter,
                 min_interval: float = 0.0, *, version_var: str = "live_version",
                 personal: bool = False) -> None:
        """Channels "<kind>:<id>" update the vars ``presenter`` returns on ``state``.

        ``min_interval`` (seconds) limits a channel of this kind to one broadcast per
        interval, for boards whose viewers each answer a broadcast with a costly read
        (the evaluation dashboards). ``version_var`` names the var that carries each
        change's version; ``personal`` marks a person's own channel (``follow_person``).
        """
        self._kinds[kind] = ChannelKind(state, presenter, min_interval, version_var, personal)

    def attach(self, app: rx.App) -> None:
        """Serve ``app``'s sockets: start with it, hear every commit (call once, at startup)."""
        self._app = app
        app.register_lifespan_task(self.run)
        add_event_publisher(self.publish)
        metrics.count_websockets(self.socket_count)

    def socket_count(self) -> int:
        """How many sockets this worker holds (socket.io puts each one in the room None)."""
        app = self._app
        if app is None or app.sio is None:
            return 0
        namespace = rx.config.get_config().get_event_namespace()
        return len(app.sio.manager.rooms.get(namespace, {}).get(None, {}))

    # --- viewers ------------------------------------------------------------------------

    def watch(self, sid: str, channels: set[str], locale: str) -> None:
        """The socket ``sid`` now shows ``channels`` in ``locale`` (and nothing else but
        its person's own channel)."""
        if sid:
            self._move(sid, {room_name(channel, locale) for channel in channels},
                       personal=False)

    def follow_person(self, sid: str, channel: str | None, locale: str) -> None:
        """The socket ``sid`` now belongs to this person's channel (None: to nobody's).

        Called on every page load with the signed-in user's channel, so a tab whose
        session ended or changed leaves the previous person's room at its next load.
        """
        if not sid:
            return
        self._move(sid, {room_name(channel, locale)} if channel else set(), personal=True)

    def _personal_room(self, room: str) -> bool:
        kind = self._kinds.get(room[len(ROOM_PREFIX):].split(":", 1)[0])
        return kind is not None and kind.personal

    def _move(self, sid: str, wanted: set[str], *, personal: bool) -> None:
        """Put ``sid`` in exactly ``wanted`` among its personal (or its other) rooms."""
        app = self._app
        if app is None or app.sio is None:
            return
        manager = app.sio.manager
        namespace = rx.config.get_config().get_event_namespace()
        if sid not in manager.rooms.get(namespace, {}).get(None, {}):
            # The socket that sent the event is gone from this worker: a tab that reloaded,
            # or a worker stopping that finishes the events it received after closing its
            # sockets (realtime/drain.py). Nothing to watch: the tab joins its rooms from
            # its new socket when it loads its page again. (socket.io raised KeyError here,
            # and the event failed after its work was done: the soak test's tracebacks.)
            return
        rooms = manager.rooms[namespace]
        # Only the rooms socket.io still has it in (it empties them at a disconnect).
        joined = {room for room in self._joined.get(sid, ()) if sid in rooms.get(room, ())}
        self._joined[sid] = joined
        current = {room for room in joined if self._personal_room(room) == personal}
        for room in current - wanted:
            manager.basic_leave_room(sid, namespace, room)
            joined.discard(room)
        for room in wanted - current:
            manager.basic_enter_room(sid, namespace, room)
            joined.add(room)
        self._forget_gone_sockets(rooms.get(None, {}))

    def _forget_gone_sockets(self, connected) -> None:
        """Drop the closed sockets' entries from ``_joined`` (socket.io has already taken
        them out of their rooms), once they outnumber the connected ones."""
        if len(self._joined) > 2 * len(connected) + 100:
            self._joined = {sid: rooms for sid, rooms in self._joined.items()
                            if sid in connected}

    # --- publishing -----------------------------------------------------------------------

    def publish(self, events: list[DomainEvent]) -> None:
        """Database publisher: called after each commit, from any thread."""
        channels: set[str] = set()
        for event in events:
            channels |= {c for c in channels_for(event) if parse(c)[0] in self._kinds}
        if not channels or self._outbox is None or self._loop is None:
            return
        try:
            self._loop.call_soon_threadsafe(self._outbox.put_nowait, channels)
        except RuntimeError:  # loop closed at shutdown
            pass

    async def _forward(self) -> None:
        """Take committed changes in order; hand them to every worker (or just this one)."""
        assert self._outbox is not None
        while True:
            channels = await self._outbox.get()
            # Coalesce a burst: one payload per channel, however many commits.
            while not self._outbox.empty():
                channels |= self._outbox.get_nowait()
            version = str(time.time_ns())  # one per change, the same on every worker
            try:
                if self._redis is not None:
                    message = json.dumps({"channels": sorted(channels), "version": version})
                    try:
                        await self._redis.publish(self._redis_channel, message)
                        continue
                    except (OSError, RedisError):  # Redis away: our own viewers at least
                        log.warning("live relay: publish failed, rendering locally")
                await self._render(channels, version)
            except Exception:
                log.exception("live broadcast failed")

    async def _relay_from_redis(self) -> None:
        """Scale-out: render, for this worker's own viewers, what any worker committed;
        subscribe again whenever the connection to Redis is lost."""
        pause, lost = RELAY_RETRY_S[0], False
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(self._redis_channel)
                if lost:  # what was published while we were away is gone
                    lost = False
                    await self._render(self._watched_channels(), str(time.time_ns()),
                                       throttle=False)
                pause = RELAY_RETRY_S[0]
                await self._relay_messages(pubsub)
                lost = True  # the subscription ended without an error: subscribe again
            except (OSError, RedisError) as error:
                log.warning("live relay: Redis connection lost (%s); again in %.1f s",
                            error, pause)
                lost = True
            except Exception:  # the catch-up render (a database error): try again later
                log.exception("live relay failed")
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()
            await asyncio.sleep(pause)
            pause = min(pause * 2, RELAY_RETRY_S[1])

    async def _relay_messages(self, pubsub) -> None:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            try:
                change = json.loads(message["data"])
                await self._render(set(change["channels"]), change["version"])
            except Exception:
                log.exception("live relay failed")

    def _watched_channels(self) -> set[str]:
        """Every channel a socket of this worker watches, in any language."""
        app = self._app
        if app is None or app.sio is None:
            return set()
        namespace = rx.config.get_config().get_event_namespace()
        rooms = app.sio.manager.rooms.get(namespace, {})
        channels = {room[len(ROOM_PREFIX):].rsplit(":", 1)[0] for room in rooms
                    if isinstance(room, str) and room.startswith(ROOM_PREFIX)}
        return {c for c in channels if parse(c)[0] in self._kinds}

    def _has_viewers(self, room: str) -> bool:
        """Whether a socket of this worker is in ``room`` (socket.io drops empty rooms)."""
        app = self._app
        if app is None or app.sio is None:
            return False
        namespace = rx.config.get_config().get_event_namespace()
        return room in app.sio.manager.rooms.get(namespace, {})

    def _throttled(self, channels: set[str]) -> set[str]:
        """The channels due now; the others are deferred to the end of their interval."""
        now = time.monotonic()
        due = set()
        for channel in channels:
            interval = self._kinds[parse(channel)[0]].min_interval
            last = self._last_render.get(channel)
            if interval and last is not None and now - last < interval:
                if channel not in self._deferred:
                    self._deferred.add(channel)
                    asyncio.get_running_loop().call_later(
                        interval - (now - last), self._render_deferred, channel)
                continue
            if interval:
                self._last_render[channel] = now
            due.add(channel)
        return due

    def _render_deferred(self, channel: str) -> None:
        self._deferred.discard(channel)
        self._last_render[channel] = time.monotonic()
        task = asyncio.ensure_future(self._render({channel}, str(time.time_ns()),
                                                  throttle=False))
        task.add_done_callback(lambda t: t.cancelled() or t.exception() and log.error(
            "deferred live broadcast failed", exc_info=t.exception()))

    async def _render(self, channels: set[str], version: str, *, throttle: bool = True
                      ) -> None:
        """Compute each watched (channel, language) once and emit it to its room."""
        if throttle:
            channels = self._throttled(channels)
        wanted = [(channel, locale) for channel in sorted(channels)
                  for locale in SUPPORTED_LOCALES if self._has_viewers(room_name(channel, locale))]
        if not wanted:
            return
        payloads = await asyncio.to_thread(self._payloads, wanted, version)
        for room, update in payloads:
            await self._emit_local(room, update)
            metrics.live_delivered(room[len(ROOM_PREFIX):].split(":", 1)[0])

    def _payloads(self, wanted: list[tuple[str, str]], version: str) -> list[tuple[str, dict]]:
        """(room, Reflex state update) for each (channel, language); one DB session for all."""
        timezone = get_settings().timezone
        out = []
        with session_scope() as session:
            for channel, locale in wanted:
                kind_name, key = parse(channel)
                kind = self._kinds[kind_name]
                values = kind.presenter(session, key, locale, timezone)
                if not values:
                    continue
                values[kind.version_var] = version
                delta = {kind.state.get_full_name(): {
                    f"{name}{FIELD_MARKER}": value for name, value in values.items()
                }}
                out.append((room_name(channel, locale), {"delta": delta}))
        return out

    async def _emit_local(self, room: str, update: dict) -> None:
        app = self._app
        if app is None or app.sio is None:
            return
        namespace = rx.config.get_config().get_event_namespace()
        await app.sio.emit("event", update, room=room, namespace=namespace)

    async def run(self) -> None:
        """Lifespan task: forward committed changes (and relay them, in scale-out mode)."""
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue()
        redis_url = get_settings().redis_url
        tasks = [asyncio.create_task(self._forward())]
        if redis_url:
            import redis.asyncio as aioredis

            self._redis = aioredis.from_url(redis_url)
            self._redis_channel = redis_channel(redis_url)
            tasks.append(asyncio.create_task(self._relay_from_redis()))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            if self._redis is not None:
                await self._redis.aclose()


live = LiveBoards()
