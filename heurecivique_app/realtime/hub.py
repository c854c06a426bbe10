"""In-process live hub: which tab watches which channel, and pushing refreshes to them.

Each tab (Reflex client token) watches the channels of the page it shows. When
a transaction commits, the database adapter hands its events to
:meth:`Hub.publish`, which schedules, on the server's event loop, a refresh of
the state of every tab watching an affected channel. The refresh re-reads the
database, so a tab never trusts what it held before.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import reflex as rx
from reflex.istate.manager.token import BaseStateToken

from heurecivique_app.domain.events import DomainEvent
from heurecivique_app.realtime.channels import channels_for

log = logging.getLogger(__name__)


class Hub:
    def __init__(self) -> None:
        self._watchers: dict[str, set[str]] = defaultdict(set)  # channel -> tokens
        self._watching: dict[str, tuple[type[rx.State], frozenset[str]]] = {}  # token -> ...
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def watch(self, token: str, state_cls: type[rx.State], channels: set[str]) -> None:
        """The tab ``token`` now shows a page whose ``state_cls`` follows ``channels``."""
        self.forget(token)
        self._watching[token] = (state_cls, frozenset(channels))
        for channel in channels:
            self._watchers[channel].add(token)

    def forget(self, token: str) -> None:
        _cls, channels = self._watching.pop(token, (None, frozenset()))
        for channel in channels:
            tokens = self._watchers.get(channel)
            if tokens is not None:
                tokens.discard(token)
                if not tokens:
                    del self._watchers[channel]

    def watcher_count(self) -> int:
        return len(self._watching)

    def publish(self, events: list[DomainEvent]) -> None:
        """Called after commit, from any thread: schedule the pushes on the server loop."""
        channels: set[str] = set()
        for event in events:
            channels |= channels_for(event)
        tokens = {token for channel in channels for token in self._watchers.get(channel, ())}
        if not tokens or self._loop is None or self._loop.is_closed():
            return
        asyncio.run_coroutine_threadsafe(self._push(tokens), self._loop)

    async def _push(self, tokens: set[str]) -> None:
        from heurecivique_app.heurecivique_app import app

        connected = app.event_namespace._token_manager.token_to_socket  # noqa: SLF001
        for token in tokens:
            entry = self._watching.get(token)
            if entry is None:
                continue
            if token not in connected:
                self.forget(token)  # the tab went away: forget it, nothing grows
                continue
            state_cls = entry[0]
            try:
                async with app.modify_state(BaseStateToken(ident=token, cls=state_cls)) as root:
                    state = await root.get_state(state_cls)
                    state._live_refresh()  # noqa: SLF001
            except Exception:
                log.exception("live refresh failed for a tab")


hub = Hub()


async def bind_hub_to_loop() -> None:
    """Lifespan task: pushes are scheduled on the server's running loop."""
    hub.bind_loop(asyncio.get_running_loop())
