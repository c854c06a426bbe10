"""/charter: the citizen's charter in full; a volunteer approves the version in force."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.charter import CHARTER_VERSION
from heurecivique_app.domain.enums import VOLUNTEER_ROLES
from heurecivique_app.domain.validation import safe_next
from heurecivique_app.presenters.charter import CharterArticle, charter_articles
from heurecivique_app.services import volunteering
from heurecivique_app.state.base import AppState, page_load, signed_in


class CharterState(AppState):
    version: str = CHARTER_VERSION
    approved: bool = False
    next_path: str = "/home"
    # The articles in the user's language (components/volunteer.py charter_text).
    charter_articles: list[CharterArticle] = []

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        self.charter_articles = charter_articles(self.locale)
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.next_path = safe_next((query.get("next") or [""])[0], "/home")
        with self._unit_of_work() as session:
            self.approved = volunteering.charter_current(session, actor=actor)

    @rx.event
    @signed_in
    def approve(self, actor):
        done = self._run(lambda s: volunteering.approve_charter(s, actor=actor))
        if not done.ok:
            self.notice = done.text
            return None
        self.approved = True
        return rx.redirect(self.next_path)
