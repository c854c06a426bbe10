"""/console/missions/[mission_id]: follow a mission up after its date, close it, duplicate it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import reflex as rx

from heurecivique_app.components.forms import ticked
from heurecivique_app.domain.enums import CATEGORY_LABELS, STATUS_LABELS
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.followup import RECURRING_EXPLANATION
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_text
from heurecivique_app.i18n import format_duration, format_phone, format_when
from heurecivique_app.services import followup
from heurecivique_app.state.base import STAFF, AppState

PARTICIPATION_LABELS = {"accepted": N_("Holds a place"), "waitlisted": N_("On the waiting list"),
                        "declined": N_("Declined"), "cancelled": N_("Withdrew"),
                        "proposed": N_("Proposed")}


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
    volunteers: list[dict[str, str]] = []
    recurring_text: str = ""
    # The form, prefilled from an earlier follow-up or the planned duration.
    form: dict[str, str] = {}
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
        mission = view.mission
        self.found = True
        self.mission_id = str(mission.id)
        self.title = mission.title
        self.status = mission.status
        self.status_label = self._tr(STATUS_LABELS[mission.status])
        self.category = self._tr(CATEGORY_LABELS.get(mission.category, mission.category))
        self.when = format_when(mission.starts_at, self.locale, tz)
        self.duration = format_duration(mission.duration_minutes, self.locale)
        self.neighbourhood = view.neighbourhood_name
        self.is_collective = view.is_collective
        self.can_follow_up = view.can_follow_up
        self.beneficiary_name = view.beneficiary_name
        self.beneficiary_phone = view.beneficiary_phone
        self.beneficiary_phone_label = (format_phone(view.beneficiary_phone)
                                        if view.beneficiary_phone else "")
        self.volunteers = [{
            "id": str(v.user_id), "name": v.name,
            "status": self._tr(PARTICIPATION_LABELS.get(v.status, v.status)),
            "reported": (format_duration(v.reported_minutes, self.locale)
                         if v.reported_minutes else ""),
            "credited": (format_duration(v.credited_minutes, self.locale)
                         if v.credited_minutes else ""),
            "feedback": v.feedback, "problem": v.problem,
            "attended": "" if v.attended is None else (
                self._tr("Present") if v.attended else self._tr("Absent")),
        } for v in view.volunteers]
        flag = view.recurring
        self.recurring_text = (self._tr(RECURRING_EXPLANATION, count=flag.count, days=flag.days)
                               if flag else "")
        record = view.record
        reported = next((v.reported_minutes for v in view.volunteers if v.reported_minutes), None)
        self.form = {
            "minutes": str(record.minutes if record else reported or mission.duration_minutes),
            "went_well": ("yes" if record.went_well else "no") if record else "",
            "called": "1" if record and record.beneficiary_called else "",
            "beneficiary_satisfaction": str(record.beneficiary_satisfaction or "")
            if record else "",
            "volunteer_satisfaction": str(record.volunteer_satisfaction or "") if record else "",
            "incident": record.incident if record else "",
        }
        self.form_key += 1
        next_week = max(mission.starts_at, utcnow()) + timedelta(days=7)
        self.duplicate_default = next_week.astimezone(ZoneInfo(tz)).date().isoformat()

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.field_errors = {}
        self.message = ""
        self._mission_id = self._route_id()
        self._reload(actor)

    def _save(self, form_data: dict, close: bool):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        form = followup.FollowUpForm.from_form(form_data)
        try:
            with self._unit_of_work() as session:
                followup.record_followup(session, actor=actor, mission_id=self._mission_id,
                                         form=form, timezone=self._settings.timezone,
                                         close=close)
        except ValidationFailed as error:
            self.field_errors = self._field_errors(error)
            self.message = self._error_text(error)
            return
        except DomainError as error:
            self.field_errors = {}
            self.message = self._error_text(error)
            return
        self.field_errors = {}
        self._reload(actor)
        self.message = self._tr(N_("The mission is closed. Thank you!") if close
                                else N_("The follow-up is saved."))

    @rx.event
    def submit(self, form_data: dict):
        """Save the follow-up; close the mission too when "close" is ticked."""
        return self._save(form_data, close=ticked(form_data, "close"))

    @rx.event
    def duplicate(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                copy = followup.duplicate_need(
                    session, actor=actor, mission_id=self._mission_id,
                    day=form_text(form_data, "duplicate_date"),
                    hour=form_text(form_data, "duplicate_time"),
                    timezone=self._settings.timezone)
                copy_id = copy.id
        except ValidationFailed as error:
            self.field_errors = self._field_errors(error)
            return
        except DomainError as error:  # NotFound included
            self.message = self._error_text(error)
            return
        self.field_errors = {}
        return rx.redirect(f"/console/missions/{copy_id}")
