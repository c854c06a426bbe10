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

    @rx.event
    def load(self):
        self.load_locale()
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.next_path = safe_next((query.get("next") or ["/"])[0])
        failed = (query.get("error") or [""])[0] == "credentials"
        self.error = self._tr(N_("Wrong email or password.")) if failed else ""
