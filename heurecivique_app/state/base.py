"""The root state of the app: who is logged in (from the cookie) and in which language.

Thin by design: identity is decided here on the server from the HttpOnly
session cookie on every call, never from an event argument.

A handler's skeleton, in three parts (see :func:`staff_only` and ``AppState._run``)::

    @rx.event
    @staff_only                       # or @signed_in, @relay_only, @page_load(ROLES)
    def publish(self, actor, mission_id: str):
        done = self._run(lambda s: lifecycle.publish_mission(
            s, actor=actor, mission_id=known_id(mission_id)))
        if not done.ok:
            return done.toast()       # or: self.message, self.field_errors = done.text, done.fields
        self._reload(actor)

The decorator reads the actor from the session cookie (never from the event's
arguments) and sends anyone else to the login page; the browser still calls
``publish(mission_id)``: the ``actor`` parameter is not part of the event.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import reflex as rx

from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import DomainError, NotFound, ValidationFailed
from heurecivique_app.i18n import DEFAULT_LOCALE, negotiate, read_cookie, translate
from heurecivique_app.presenters.options import Option, neighbourhood_options
from heurecivique_app.presenters.pwa import theme_colour
from heurecivique_app.realtime.channels import inbox_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import auth, inbox, public, selectors
from heurecivique_app.services.actor import Actor
from heurecivique_app.settings import Settings
from heurecivique_app.wiring import Wiring, read_scope, session_scope, wiring

if TYPE_CHECKING:
    from reflex_base.event import EventSpec

T = TypeVar("T")

# The actor the current event's identity check (state/identity.py, just before the
# handler, in the event's own task) read for the cookie's token: (token, actor). The
# handler's gate takes it instead of asking the database a second time for the same
# thing; the check runs again for every event.
EVENT_ACTOR: ContextVar[tuple[str | None, Actor | None] | None] = ContextVar(
    "hc_event_actor", default=None)


def actor_for_cookie(raw_token: str | None) -> Actor | None:
    """The live actor behind a session cookie's token, read from the database now."""
    with read_scope() as session:  # a read: no transaction, fewer round trips
        return auth.actor_for_token(session, raw_token)


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one service call gave (``AppState._run``): its value, or its refusal, translated.

    Attributes:
        value: what the service returned (None when it refused).
        error: the refusal (None when the call went through).
        text: the refusal's message in the tab's language ("" when it went through).
        fields: a ``ValidationFailed``'s messages by form field, translated; else empty.
    """

    value: T | None = None
    error: DomainError | None = None
    text: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the service did what was asked."""
        return self.error is None

    def toast(self) -> EventSpec:
        """The refusal as a toast, for handlers whose page has no place for a message."""
        return rx.toast.error(self.text)


def _gated(handler: Callable, gate: Callable[[Any], tuple[Any, Any]], kind: str) -> Callable:
    """``handler(self, actor, *args)`` as an event handler ``(self, *args)`` behind ``gate``.

    ``gate(state)`` returns ``(actor, None)`` to let the call through, or ``(None, event)``
    to answer with ``event`` (a redirect) instead. The wrapper keeps the handler's kind
    (plain, generator, coroutine, async generator: Reflex tells them apart by the
    function), its name, and its signature and annotations minus ``actor``: Reflex
    reads the event's arguments (and an upload's ``list[rx.UploadFile]``) from them.
    ``kind`` is recorded as ``__gate__`` (tests/unit/test_state_guards.py lists them).
    """
    signature = inspect.signature(handler)
    params = list(signature.parameters.values())
    if len(params) < 2 or params[1].name != "actor":
        raise TypeError(f"{handler.__qualname__}: the parameter after self must be `actor`")

    if inspect.isasyncgenfunction(handler):
        @functools.wraps(handler)
        async def wrapper(self, *args, **kwargs):
            actor, refusal = gate(self)
            if refusal is not None:
                yield refusal
                return
            async for event in handler(self, actor, *args, **kwargs):
                yield event
    elif inspect.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def wrapper(self, *args, **kwargs):
            actor, refusal = gate(self)
            if refusal is not None:
                return refusal
            return await handler(self, actor, *args, **kwargs)
    elif inspect.isgeneratorfunction(handler):
        @functools.wraps(handler)
        def wrapper(self, *args, **kwargs):
            actor, refusal = gate(self)
            if refusal is not None:
                return refusal
            return (yield from handler(self, actor, *args, **kwargs))
    else:
        @functools.wraps(handler)
        def wrapper(self, *args, **kwargs):
            actor, refusal = gate(self)
            if refusal is not None:
                return refusal
            return handler(self, actor, *args, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=[params[0], *params[2:]])
    wrapper.__annotations__ = {name: hint for name, hint in handler.__annotations__.items()
                               if name != "actor"}
    wrapper.__gate__ = kind
    return wrapper


def _requiring(who: str, handler: Callable | None, login: str) -> Callable:
    def gate(state: AppState) -> tuple[Any, Any]:
        actor = getattr(state, who)()
        return (actor, None) if actor is not None else (None, rx.redirect(login))

    def decorate(fn: Callable) -> Callable:
        return _gated(fn, gate, who.lstrip("_"))

    return decorate(handler) if handler is not None else decorate


def signed_in(handler: Callable | None = None, *, login: str = "/login") -> Callable:
    """An action for anyone logged in: ``actor`` from the session cookie, else to ``login``.

    ``@signed_in`` or ``@signed_in(login="/login?next=/map")``; put it under ``@rx.event``.
    """
    return _requiring("_actor", handler, login)


def staff_only(handler: Callable | None = None, *, login: str = "/login") -> Callable:
    """An action for the commune's staff (referent, admin); anyone else goes to ``login``."""
    return _requiring("_staff", handler, login)


def relay_only(handler: Callable | None = None, *, login: str = "/login") -> Callable:
    """An action for a neighbourhood relay; anyone else goes to ``login``."""
    return _requiring("_relay", handler, login)


def page_load(roles: Iterable[str] | None = None) -> Callable[[Callable], Callable]:
    """A page's ``on_load``: language and user refreshed, ``actor`` passed if their role is
    one of ``roles`` (None: any logged-in user); else to the login page (then back here),
    or home for a role the page is not for (``AppState._load_identity``)."""
    wanted = set(roles) if roles is not None else None

    def decorate(handler: Callable) -> Callable:
        return _gated(handler, lambda state: state._load_identity(wanted),
                      "page:" + ",".join(sorted(wanted)) if wanted is not None else "page")

    return decorate


class AppState(rx.State):
    """Session and language, shared by every page."""

    # The page's language; components/text.py T() picks each label's translation by it.
    locale: str = DEFAULT_LOCALE
    user_name: str = ""
    user_role: str = ""
    # A flash message for the whole page (translated), and its tone.
    notice: str = ""
    notice_tone: str = "info"
    # The bell: how many of the user's notifications are unread, and the version of
    # the last change of their centre (realtime: their own channel only, no data in it).
    unread: int = 0
    inbox_version: str = ""
    # The header band: the commune the user works on, its name and colour (a dark hex
    # colour, checked by domain.territory.clean_colour: white text reads on it).
    commune_name: str = ""
    commune_colour: str = ""
    # The login session this tab's states were built for (state/identity.py empties
    # them all when the cookie opens another one, or none).
    _bound_session: str = ""
    _header_commune: int = 0

    # --- helpers for substates (not events) -------------------------------------------

    def _cookie(self, name: str) -> str | None:
        return read_cookie(self.router.headers.cookie, name)

    def _actor(self) -> Actor | None:
        """The logged-in actor, checked against the database for every event."""
        raw = self._cookie(auth.SESSION_COOKIE)
        checked = EVENT_ACTOR.get()
        if checked is not None and checked[0] == raw:
            return checked[1]
        return actor_for_cookie(raw)

    def _staff(self) -> Actor | None:
        """The actor if they are the commune's staff, re-checked from the cookie."""
        actor = self._actor()
        return actor if actor is not None and actor.is_staff else None

    def _relay(self) -> Actor | None:
        """The actor if they are a neighbourhood relay, re-checked from the cookie."""
        actor = self._actor()
        return actor if actor is not None and actor.role == Role.RELAY else None

    def _route_id(self, param: str = "mission_id") -> int:
        """The page's numeric route parameter (``/missions/[mission_id]``); 0 if not a number."""
        try:
            return int(self.router.page.params.get(param, "0"))
        except ValueError:
            return 0

    def _neighbourhood_options(self, commune_id: int) -> list[Option]:
        """The commune's neighbourhoods, as the forms' select options."""
        with session_scope() as session:
            return neighbourhood_options(selectors.neighbourhoods(session, commune_id))

    def _tr(self, message: str, **params) -> str:
        return translate(message, self.locale, **params)

    def _error_text(self, error: DomainError) -> str:
        return self._tr(error.message, **error.params)

    def _field_errors(self, error: ValidationFailed) -> dict[str, str]:
        return error.translated(self._tr)

    def _say(self, message: str, tone: str = "info", **params) -> None:
        self.notice = self._tr(message, **params)
        self.notice_tone = tone

    def _run(self, call: Callable[[Any], T]) -> Outcome[T]:
        """Call one service, ``call(session)``, in its own unit of work.

        Its value, or its ``DomainError`` (the unit of work rolled back) with the message
        and a ``ValidationFailed``'s field messages translated; the handler shows them
        where its page has room (``done.text``, ``done.fields``, ``done.toast()``).
        Read what the page needs from the value inside ``call``: ``lambda s:
        intake.create_need(s, ...).id``.
        """
        try:
            with self._unit_of_work() as session:
                return Outcome(value=call(session))
        except DomainError as error:
            fields = self._field_errors(error) if isinstance(error, ValidationFailed) else {}
            return Outcome(error=error, text=self._error_text(error), fields=fields)

    async def _store_photo(self, upload) -> tuple[str | None, str]:
        """Check, clean (EXIF removed) and store an uploaded photo: (its name, or an error)."""
        limit = self._settings.max_photo_bytes
        data = await upload.read(limit + 1)
        try:
            return self._adapters.photos.save(data, max_bytes=limit), ""
        except DomainError as error:
            return None, self._error_text(error)

    @contextmanager
    def _unit_of_work(self):
        with session_scope() as session:
            yield session

    @contextmanager
    def _reading(self):
        """A session for a page's reads only: no transaction (no BEGIN, no COMMIT: two
        round trips fewer on PostgreSQL, where each statement sees the latest commit)."""
        with read_scope() as session:
            yield session

    @property
    def _adapters(self) -> Wiring:
        """The process's adapters (geocoder, mail, photos), from the composition root."""
        return wiring()

    @property
    def _settings(self) -> Settings:
        return wiring().settings

    def _load_identity(self, required_roles: set[str] | None = None):
        """Refresh locale and user; returns the actor, or a redirect event if not allowed."""
        locale = negotiate(self.router.headers.cookie, self.router.headers.accept_language)
        if locale != self.locale:
            self.locale = locale
        self.notice = ""
        actor = self._actor()
        self._follow_inbox(actor)
        if actor is None:
            self.user_name = ""
            self.user_role = ""
            return None, rx.redirect(f"/login?next={self.router.url.path}")
        self.user_name = actor.display_name
        self.user_role = actor.role
        self._load_commune(actor)
        if required_roles is not None and actor.role not in required_roles:
            return None, rx.redirect("/")
        return actor, None

    def _load_commune(self, actor: Actor) -> None:
        """The header's commune name and colour (read again only when the commune changes)."""
        if self._header_commune == actor.commune_id:
            return
        commune = None
        if actor.commune_id is not None:
            try:
                with self._reading() as session:
                    commune = public.commune_by_id(session, actor.commune_id)
            except NotFound:
                pass  # a staff member without a commune: the plain header
        self._header_commune = actor.commune_id
        self.commune_name = commune.name if commune is not None else ""
        self.commune_colour = theme_colour(commune)

    def _follow_inbox(self, actor: Actor | None) -> None:
        """The bell's figure, and this tab in the actor's own live channel (or none)."""
        live.follow_person(self.router.session.session_id,
                           inbox_channel(actor.user_id) if actor else None, self.locale)
        if actor is None:
            self.unread = 0
            return
        with read_scope() as session:
            self.unread = inbox.unread_count(session, actor=actor)

    # --- events -----------------------------------------------------------------------

    @rx.event
    @signed_in
    def refresh_inbox(self, actor):
        """The user's notification centre changed (their channel said so): the bell again."""
        self._follow_inbox(actor)

    @rx.event
    def load_locale(self):
        """For public pages (login): only the language."""
        locale = negotiate(self.router.headers.cookie, self.router.headers.accept_language)
        if locale != self.locale:
            self.locale = locale

    @rx.event
    @page_load()
    def go_home(self, actor):
        """Send the user to their role's home page."""
        if actor.role == Role.PLATFORM_ADMIN:
            return rx.redirect("/admin/communes")
        return rx.redirect("/console" if actor.is_staff
                           else "/relay" if actor.role == "relay" else "/home")
