"""/console/missions/[mission_id]: follow a mission up after its date, close it, duplicate it."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.form_data import ticked
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.followup import (
    FollowUpFormValues,
    VolunteerAccountRow,
    followup_vars,
)
from heurecivique_app.services import followup
from heurecivique_app.state.base import AppState, page_load, staff_only


class FollowUpState(AppState):
    found: bool = False
    mission_id: str = ""
    title: str = ""
    status: str = ""
    status_label: str = ""
    category: str = ""
    when: str = ""
    duration: str = ""
    neighbourhood: str = ""
    is_collective: bool = False
    can_follow_up: bool = False
    # Staff-only page: the beneficiary's contact is there to call them back.
    beneficiary_name: str = ""
    beneficiary_phone: str = ""
    beneficiary_phone_label: str = ""
    volunteers: list[VolunteerAccountRow] = []
    recurring_text: str = ""
    # The form, prefilled from an earlier follow-up or the planned duration.
    form: FollowUpFormValues = FollowUpFormValues(
        minutes="", went_well="", called="", beneficiary_satisfaction="",
        volunteer_satisfaction="", incident="")
    form_key: int = 0
    field_errors: dict[str, str] = {}
    message: str = ""
    duplicate_default: str = ""
    _mission_id: int = 0

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        try:
            with self._unit_of_work() as session:
                view = followup.followup_view(session, actor=actor,
                                              mission_id=self._mission_id)
        except DomainError:
            self.found = False
            return
        self.found = True
        for name, value in followup_vars(view, self.locale, tz, utcnow()).items():
            setattr(self, name, value)
        self.form_key += 1

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.field_errors = {}
        self.message = ""
        self._mission_id = self._route_id()
        self._reload(actor)

    @rx.event
    @staff_only
    def submit(self, actor, form_data: dict):
        """Save the follow-up; close the mission too when "close" is ticked."""
        close = ticked(form_data, "close")
        form = followup.FollowUpForm.from_form(form_data)
        done = self._run(lambda s: followup.record_followup(
            s, actor=actor, mission_id=self._mission_id, form=form,
            timezone=self._settings.timezone, close=close))
        self.field_errors = done.fields
        if not done.ok:
            self.message = done.text
            return
        self._reload(actor)
        self.message = self._tr(N_("The mission is closed. Thank you!") if close
                                else N_("The follow-up is saved."))

    @rx.event
    @staff_only
    def duplicate(self, actor, form_data: dict):
        done = self._run(lambda s: followup.duplicate_need(
            s, actor=actor, mission_id=self._mission_id,
            day=form_text(form_data, "duplicate_date"),
            hour=form_text(form_data, "duplicate_time"),
            timezone=self._settings.timezone).id)
        if isinstance(done.error, ValidationFailed):
            self.field_errors = done.fields
            return None
        if not done.ok:  # NotFound included
            self.message = done.text
            return None
        self.field_errors = {}
        return rx.redirect(f"/console/missions/{done.value}")
