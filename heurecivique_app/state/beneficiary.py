"""/console/beneficiaries/[beneficiary_id]: one beneficiary's record (staff only)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.beneficiaries import BeneficiaryFacts, NeedRow, record_vars
from heurecivique_app.presenters.options import Option
from heurecivique_app.services import beneficiaries, retention
from heurecivique_app.state.base import page_load, staff_only
from heurecivique_app.state.staff import StaffPageState


class BeneficiaryState(StaffPageState):
    """The record; filled only after the service checked the actor's commune and role."""

    person: BeneficiaryFacts = {}
    needs: list[NeedRow] = []
    neighbourhood_options: list[Option] = []
    field_errors: dict[str, str] = {}
    # Which form the last message belongs to ("edit", "notice", "merge", "erase").
    message_for: str = ""
    message: str = ""
    message_tone: str = "info"
    found: bool = False
    _beneficiary_id: int = 0

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            record = beneficiaries.beneficiary_record(session, actor=actor,
                                                      beneficiary_id=self._beneficiary_id)
        shown = record_vars(record, self.locale, self._settings.timezone)
        self.person, self.needs = shown["person"], shown["needs"]
        self.found = True

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.found, self.person, self.needs = False, {}, []
        self.field_errors, self.message_for, self.message = {}, "", ""
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)
        self._open_record(actor, "beneficiary_id", "_beneficiary_id")

    def _act(self, actor, which: str, call, done_text: str) -> None:
        """Call one service; its message goes to the form ``which``, its errors to the fields."""
        done = self._run(call)
        self.field_errors = done.fields
        self.message_for = which
        if not done.ok:
            self.message, self.message_tone = done.text, "error"
            return
        self.message, self.message_tone = self._tr(done_text), "success"
        self._reload(actor)

    @rx.event
    @staff_only
    def save(self, actor, form_data: dict):
        self._act(actor, "edit", lambda s: beneficiaries.update_beneficiary(
            s, actor=actor, beneficiary_id=self._beneficiary_id, form=form_data),
            N_("The record is saved."))

    @rx.event
    @staff_only
    def notice_read(self, actor):
        self._act(actor, "notice", lambda s: beneficiaries.record_notice_read(
            s, actor=actor, beneficiary_id=self._beneficiary_id),
            N_("Noted: you read the information notice to the person."))

    @rx.event
    @staff_only
    def merge(self, actor, form_data: dict):
        self._act(actor, "merge", lambda s: beneficiaries.merge_beneficiaries(
            s, actor=actor, keep_id=self._beneficiary_id,
            duplicate_id=form_text(form_data, "duplicate_id")),
            N_("The two records are merged; the history is kept here."))

    @rx.event
    @staff_only
    def erase(self, actor, form_data: dict):
        self._act(actor, "erase", lambda s: retention.erase_on_request(
            s, actor=actor, beneficiary_id=self._beneficiary_id,
            channel=form_text(form_data, "channel"),
            received_on=form_text(form_data, "received_on")),
            N_("The person's details are erased; the request is in the register."))
