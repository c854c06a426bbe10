"""The root state of the app: who is logged in (from the cookie) and in which language.

Thin by design: identity is decided here on the server from the HttpOnly
session cookie on every call, never from an event argument.
"""

from __future__ import annotations

from contextlib import contextmanager

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.i18n import DEFAULT_LOCALE, negotiate, read_cookie, translate
from heurecivique_app.services import auth, selectors
from heurecivique_app.services.actor import Actor
from heurecivique_app.settings import Settings
from heurecivique_app.wiring import Wiring, session_scope, wiring

# The roles that open the console pages (``_load_identity(STAFF)``).
STAFF = {role.value for role in STAFF_ROLES}


class AppState(rx.State):
    """Session and language, shared by every page."""

    # The page's language; components/text.py T() picks each label's translation by it.
    locale: str = DEFAULT_LOCALE
    user_name: str = ""
    user_role: str = ""
    # A flash message for the whole page (translated), and its tone.
    notice: str = ""
    notice_tone: str = "info"
    # The login session this tab's states were built for (state/identity.py empties
    # them all when the cookie opens another one, or none).
    _bound_session: str = ""

    # --- helpers for substates (not events) -------------------------------------------

    def _cookie(self, name: str) -> str | None:
        return read_cookie(self.router.headers.cookie, name)

    def _actor(self) -> Actor | None:
        """The logged-in actor, re-checked against the database on every call."""
        with session_scope() as session:
            return auth.actor_for_token(session, self._cookie(auth.SESSION_COOKIE))

    def _staff(self) -> Actor | None:
        """The actor if they are the commune's staff, re-checked from the cookie."""
        actor = self._actor()
        return actor if actor is not None and actor.is_staff else None

    def _route_id(self, param: str = "mission_id") -> int:
        """The page's numeric route parameter (``/missions/[mission_id]``); 0 if not a number."""
        try:
            return int(self.router.page.params.get(param, "0"))
        except ValueError:
            return 0

    def _neighbourhood_options(self, commune_id: int) -> list[dict[str, str]]:
        """The commune's neighbourhoods, as the forms' select options."""
        with session_scope() as session:
            hoods = selectors.neighbourhoods(session, commune_id)
        return [{"id": str(h.id), "name": h.name} for h in hoods]

    def _tr(self, message: str, **params) -> str:
        return translate(message, self.locale, **params)

    def _error_text(self, error: DomainError) -> str:
        return self._tr(error.message, **error.params)

    def _field_errors(self, error: ValidationFailed) -> dict[str, str]:
        return error.translated(self._tr)

    def _say(self, message: str, tone: str = "info", **params) -> None:
        self.notice = self._tr(message, **params)
        self.notice_tone = tone

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
        if actor is None:
            self.user_name = ""
            self.user_role = ""
            return None, rx.redirect(f"/login?next={self.router.url.path}")
        self.user_name = actor.display_name
        self.user_role = actor.role
        if required_roles is not None and actor.role not in required_roles:
            return None, rx.redirect("/")
        return actor, None

    # --- events -----------------------------------------------------------------------

    @rx.event
    def load_locale(self):
        """For public pages (login): only the language."""
        locale = negotiate(self.router.headers.cookie, self.router.headers.accept_language)
        if locale != self.locale:
            self.locale = locale

    @rx.event
    def go_home(self):
        """Send the user to their role's home page."""
        actor, redirect = self._load_identity()
        if redirect is not None:
            return redirect
        return rx.redirect("/console" if actor.is_staff
                           else "/relay" if actor.role == "relay" else "/home")
