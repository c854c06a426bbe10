"""/console/staff: the commune's administrators invite and deactivate staff accounts."""

from __future__ import annotations

from urllib.parse import urlsplit

import reflex as rx

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text, known_id
from heurecivique_app.presenters.staff import StaffRow, staff_row
from heurecivique_app.services import staff
from heurecivique_app.state.base import AppState, Outcome, page_load, staff_only


class StaffAdminState(AppState):
    """The staff list and the invitation form (services/staff.py checks the role)."""

    rows: list[StaffRow] = []
    field_errors: dict[str, str] = {}
    message: str = ""
    message_ok: bool = False
    form_key: int = 0

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            members = staff.staff_of(session, actor=actor)
        self.rows = [staff_row(m, self.locale, tz, actor.user_id) for m in members]

    def _answer(self, actor, done: Outcome, success: str) -> None:
        self.field_errors = done.fields
        self.message, self.message_ok = (self._tr(success), True) if done.ok else (done.text,
                                                                                   False)
        if done.ok:
            self._reload(actor)

    @rx.event
    @page_load(staff.ADMIN_ROLES)
    def load(self, actor):
        self.field_errors, self.message = {}, ""
        self._reload(actor)

    @rx.event
    @staff_only
    def invite(self, actor, form_data: dict):
        site = self._settings.public_url or "{0.scheme}://{0.netloc}".format(
            urlsplit(str(self.router.url)))
        done = self._run(lambda s: staff.invite(
            s, actor=actor, email=form_text(form_data, "email"),
            name=form_text(form_data, "name"), role=form_text(form_data, "role"),
            site_url=site))
        self._answer(actor, done, N_("The invitation is on its way by e-mail."))
        if done.ok:
            self.form_key += 1

    @rx.event
    @staff_only
    def deactivate(self, actor, user_id: str):
        self._answer(actor, self._run(lambda s: staff.set_active(
            s, actor=actor, user_id=known_id(user_id), active=False)),
            N_("The account is deactivated: it can no longer log in."))

    @rx.event
    @staff_only
    def reactivate(self, actor, user_id: str):
        self._answer(actor, self._run(lambda s: staff.set_active(
            s, actor=actor, user_id=known_id(user_id), active=True)),
            N_("The account is active again."))

    @rx.event
    @staff_only
    def withdraw(self, actor, invitation_id: str):
        self._answer(actor, self._run(lambda s: staff.cancel_invitation(
            s, actor=actor, invitation_id=known_id(invitation_id))),
            N_("The invitation is withdrawn: its link no longer works."))
