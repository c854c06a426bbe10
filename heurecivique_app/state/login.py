"""The login page's state: only what the URL says (error flag, where to go next)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import safe_next
from heurecivique_app.state.base import AppState


class LoginState(AppState):
    next_path: str = "/"
    error: str = ""
    # Back from a forgotten password's link (api/recovery.py): say the new one is saved.
    password_reset: bool = False

    @rx.event
    def load(self):
        self.load_locale()
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.next_path = safe_next((query.get("next") or ["/"])[0])
        self.error = self._error_of(
            (query.get("error") or [""])[0], (query.get("wait") or ["0"])[0])
        self.password_reset = (query.get("reset") or [""])[0] == "1"

    def _error_of(self, code: str, wait: str) -> str:
        """The message for the login route's refusal (the same for known and unknown e-mails)."""
        seconds = int(wait) if wait.isdigit() else 0
        if code == "credentials":
            return self._tr(N_("Wrong email or password."))
        if code == "wait":
            return self._tr(N_("Too many attempts. Try again in {seconds} s."),
                            seconds=max(seconds, 1))
        if code == "locked":
            return self._tr(N_("Too many attempts: logging in with this email is paused for "
                               "{minutes} min."), minutes=max(-(-seconds // 60), 1))
        return ""
