"""/notifications: the signed-in person's notification centre (anyone signed in)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.presenters.inbox import InboxRow, inbox_row
from heurecivique_app.services import inbox
from heurecivique_app.state.base import AppState, page_load, signed_in


class InboxState(AppState):
    rows: list[InboxRow] = []
    loaded: bool = False

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            items = inbox.latest(session, actor=actor)
            self.unread = inbox.unread_count(session, actor=actor)
            self.rows = [inbox_row(item, self.locale, tz) for item in items]
        self.loaded = True

    @rx.event
    @page_load()
    def load(self, actor):
        self._reload(actor)

    @rx.event
    @signed_in
    def follow_live(self, actor):
        """A message arrived or was read in another tab: the list again."""
        self._reload(actor)

    @rx.event
    @signed_in
    def mark_read(self, actor, item_id: str):
        done = self._run(lambda s: inbox.mark_read(s, actor=actor, item_id=item_id).id)
        if not done.ok:
            return done.toast()
        self._reload(actor)

    @rx.event
    @signed_in
    def mark_all_read(self, actor):
        self._run(lambda s: inbox.mark_all_read(s, actor=actor))
        self._reload(actor)
