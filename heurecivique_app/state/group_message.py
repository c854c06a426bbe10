"""/console/messages: a referent writes to a group of volunteers of their commune.

The number of recipients is read again on every change of the group, before sending.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.group_messages import MAX_LENGTH, PER_HOUR, Audience
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.services import group_messages
from heurecivique_app.state.base import page_load, staff_only
from heurecivique_app.state.staff import StaffPageState


class GroupMessageState(StaffPageState):
    audience: str = Audience.POOL.value
    target_id: str = ""
    # The choices of the chosen audience (missions, collective actions, neighbourhoods).
    targets: list[Option] = []
    recipients: int = 0
    # True once the group is fully chosen (a pool, or an audience and its target).
    chosen: bool = False
    field_errors: dict[str, str] = {}
    pace_note: str = ""
    result: str = ""
    result_ok: bool = False
    form_key: int = 0
    max_length: int = MAX_LENGTH
    _choices: dict[str, list[Option]] = {}

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            found = group_messages.targets(session, actor=actor)
        self._choices = {kind: [option(i, name) for i, name in rows]
                         for kind, rows in found.items()}
        self._count(actor)

    def _count(self, actor) -> None:
        """The choices of the audience, and how many people the chosen group holds."""
        self.targets = self._choices.get(self.audience, [])
        if self.audience != Audience.POOL and self.target_id not in {
                o["id"] for o in self.targets}:
            self.target_id = ""
        self.chosen = self.audience == Audience.POOL or self.target_id != ""
        if not self.chosen:
            self.recipients = 0
            return
        done = self._run(lambda s: len(group_messages.group(
            s, actor=actor, audience=self.audience, target_id=self.target_id).user_ids))
        self.recipients = done.value or 0
        self.chosen = done.ok

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.audience, self.target_id, self.result, self.field_errors = Audience.POOL, "", "", {}
        self.pace_note = self._tr(
            N_("Each volunteer receives it by e-mail (outside the quiet hours, 21:00–08:00) "
               "and in the app. At most {count} group messages per hour."), count=PER_HOUR)
        self._reload(actor)

    @rx.event
    @staff_only
    def choose_audience(self, actor, value: str):
        self.audience = value if value in set(Audience) else Audience.POOL.value
        self.target_id = ""
        self._count(actor)

    @rx.event
    @staff_only
    def choose_target(self, actor, value: str):
        self.target_id = value if isinstance(value, str) else ""
        self._count(actor)

    @rx.event
    @staff_only
    def send(self, actor, form_data: dict):
        done = self._run(lambda s: group_messages.send(
            s, actor=actor, audience=self.audience, target_id=self.target_id,
            text=form_text(form_data, "text"), timezone=self._settings.timezone))
        self.field_errors = done.fields
        if done.ok:
            self.result, self.result_ok = self._tr(
                N_("Sent to {count} volunteer(s): by e-mail and in their app."),
                count=done.value), True
            self.form_key += 1
        else:
            self.result, self.result_ok = ("" if done.fields else done.text), False
        self._count(actor)
