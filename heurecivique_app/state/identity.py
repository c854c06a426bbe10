"""A tab's server-side state belongs to one login session; another one finds it empty.

Why: Reflex keys a tab's whole state tree on a token kept in the tab's
``sessionStorage``, which outlives our session cookie, and sends the whole tree
when a page connects. On the town hall's shared tablet, the ``/login`` page
that follows a referent's logout, and the volunteer who logs in next on the
same tab, would otherwise receive the beneficiaries the referent had open.

How: :class:`AppState` records which login session its tree was built for
(``_bound_session``, a backend-only var). Before every event is processed,
:class:`SessionBinding` compares it with the session the request's cookie
opens *now* (revoked, expired or another user's session all count as a
change) and, when they differ, resets every state under ``AppState`` — public
and backend-only vars, loaded or still in Redis — before the event runs, so
the first thing the tab receives (the hydrate snapshot) holds only defaults.
Each page's ``on_load`` then rebuilds what the new user may see.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import TYPE_CHECKING

import reflex as rx
from reflex.middleware import Middleware

from heurecivique_app.services import auth
from heurecivique_app.state.base import EVENT_ACTOR, AppState, actor_for_cookie
from heurecivique_app.wiring import logs, metrics

if TYPE_CHECKING:
    from reflex_base.event import Event

def current_session_key(state: AppState) -> str:
    """The live login session behind the request's cookie ("" for none).

    The key is the session's stored digest, never the raw cookie value, so the
    state (pickled to Redis in scale-out mode) holds nothing that logs anyone in.
    """
    return current_session(state)[0]


def current_session(state: AppState) -> tuple[str, int | None]:
    """:func:`current_session_key` and its user's id (None when nobody is signed in).

    The actor read on the way is kept for the rest of this event (``EVENT_ACTOR``):
    the handler's gate then needs no second query for the same cookie.
    """
    raw = state._cookie(auth.SESSION_COOKIE)
    actor = actor_for_cookie(raw)
    EVENT_ACTOR.set((raw, actor))
    if raw and actor is not None:
        return auth.session_digest(raw), actor.user_id
    return "", None


async def _load_whole_tree(state: rx.State) -> None:
    """Attach every substate of ``state`` to the tree, top down.

    The in-memory manager always holds the whole tree; the Redis manager loads
    only the states an event needs, and an unloaded one would come back with
    the previous user's data on the next page.
    """
    for substate_class in state.get_substates():
        substate = await state.get_state(substate_class)
        await _load_whole_tree(substate)


async def rebind(state: AppState) -> bool:
    """Empty the tab's app states if its login session changed; True if it did."""
    key, user_id = current_session(state)
    logs.bind(user_id=user_id)  # this event's log lines name the user (by id only)
    if key == state._bound_session:
        return False
    await _load_whole_tree(state)
    state.reset()  # every var of AppState and of each substate, backend-only ones too
    state._bound_session = key
    return True


def _event_done(handler: str, started: float, task: asyncio.Task) -> None:
    """Count a finished event (its task's done callback)."""
    failed = not task.cancelled() and task.exception() is not None
    metrics.observe_event(handler, time.perf_counter() - started, failed=failed)


class SessionBinding(Middleware):
    """Checks, before each event, that the tab's states belong to its current session.

    It sees every event, so it also opens the event's observability: a fresh id
    for the log lines of the event (and its user's id, in :func:`rebind`), and a
    timer that the event's task stops when it ends (Reflex runs each event in a
    task of its own, and calls no middleware after the handler).
    """

    async def preprocess(self, app: rx.App, state: rx.State, event: Event) -> None:
        """Reset the app's states when the session changed; never answers the event itself.

        Args:
            app: The app.
            state: The tab's root state, with the states this event needs loaded.
            event: The event about to be processed.
        """
        started = time.perf_counter()
        EVENT_ACTOR.set(None)  # nothing carried over from the event that chained this one
        logs.bind(request_id=logs.new_id())
        task = asyncio.current_task()
        if task is not None:
            task.add_done_callback(partial(_event_done, event.name, started))
        app_state = state.substates.get(AppState.get_name())
        # Not loaded (an event of Reflex's own internal states, in Redis mode): no
        # state of ours can reach the client in this event's answer.
        if isinstance(app_state, AppState):
            await rebind(app_state)
        return None
