"""/console/missions/[mission_id]: a mission for its referent.

Before its date: edit it, cancel it, take a volunteer off it. After: follow it up,
close it, duplicate it. Live: any change of the mission re-reads the page.
"""

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
    MissionEditValues,
    VolunteerAccountRow,
    followup_vars,
)
from heurecivique_app.presenters.options import Option
from heurecivique_app.realtime.channels import staff_mission_channels
from heurecivique_app.realtime.live import live
from heurecivique_app.services import followup
from heurecivique_app.services.missions import control
from heurecivique_app.state.base import AppState, page_load, staff_only

# Both forms name their reason "reason" for the service; the page shows each one's error.
CANCEL_REASON, OFF_REASON = "cancel_reason", "off_reason"


class FollowUpState(AppState):
    found: bool = False
    loaded: bool = False  # the first read is done (until then the page holds its room)
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
    # Before its date the referent may still change it (staff-only page: the address is theirs).
    under_control: bool = False
    edit: MissionEditValues = MissionEditValues(
        title="", description="", day="", hour="", duration_minutes="", capacity="",
        address="", neighbourhood_id="")
    neighbourhoods: list[Option] = []
    # The outcome of the last control action (edit, cancel, take off), and its tone.
    control_message: str = ""
    control_ok: bool = False
    live_version: str = ""
    edit_key: int = 0
    _mission_id: int = 0

    def _reload(self, actor, *, keep_forms: bool = False) -> None:
        """Read the page; ``keep_forms`` (a live change) leaves what is being typed alone,
        except the edit form when the mission itself changed."""
        tz = self._settings.timezone
        try:
            with self._unit_of_work() as session:
                view = followup.followup_view(session, actor=actor,
                                              mission_id=self._mission_id)
        except DomainError:
            self.found, self.loaded = False, True
            return
        self.found, self.loaded = True, True
        shown = dict(self.edit)
        for name, value in followup_vars(view, self.locale, tz, utcnow()).items():
            setattr(self, name, value)
        if not keep_forms:
            self.form_key += 1
        if not keep_forms or dict(self.edit) != shown:
            self.edit_key += 1
        if not self.neighbourhoods:
            self.neighbourhoods = self._neighbourhood_options(actor.commune_id)
        live.watch(self.router.session.session_id,
                   {c for c in staff_mission_channels(self._mission_id)
                    if c.startswith("followup:")}, self.locale)

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.field_errors = {}
        self.message = ""
        self.control_message = ""
        self.neighbourhoods = []
        self._mission_id = self._route_id()
        self._reload(actor)

    @rx.event
    @staff_only
    def follow_live(self, actor):
        """The mission changed (any tab, any worker): re-read the page from the session."""
        self._reload(actor, keep_forms=True)

    def _control(self, actor, action, success: str, reason_field: str = "") -> None:
        """Run one control service as the staff member; show its outcome (none written on error)."""
        done = self._run(lambda s: action(s, actor))
        errors = dict(done.fields)
        if reason_field and "reason" in errors:
            errors[reason_field] = errors.pop("reason")
        self.field_errors = errors
        if done.ok:
            self._reload(actor)
            self.control_message, self.control_ok = self._tr(success), True
            return
        self.control_message, self.control_ok = done.text, False
        if not done.fields:  # refused for another reason (NotFound, a rule): show what is now
            self._reload(actor)

    @rx.event
    @staff_only
    def save_mission(self, actor, form_data: dict):
        """Change the mission's date, time, duration, text, place or capacity."""
        form = control.MissionEdit.from_form(form_data)
        settings, adapters = self._settings, self._adapters
        self._control(
            actor, lambda s, a: control.edit_mission(
                s, actor=a, mission_id=self._mission_id, form=form,
                timezone=settings.timezone, geocoder=adapters.geocoder,
                geo_salt=settings.geo_salt),
            N_("The mission is changed. The volunteers concerned are told by e-mail."))

    @rx.event
    @staff_only
    def cancel_mission(self, actor, form_data: dict):
        """Cancel the mission with a reason; everyone taking part is told."""
        reason = form_text(form_data, "reason")
        self._control(
            actor, lambda s, a: control.cancel_mission(s, actor=a, mission_id=self._mission_id,
                                                       reason=reason,
                                                       timezone=self._settings.timezone),
            N_("The mission is cancelled. The volunteers concerned are told by e-mail."),
            CANCEL_REASON)

    @rx.event
    @staff_only
    def take_off(self, actor, form_data: dict):
        """Take one volunteer off the mission (the form names them), with a reason."""
        reason = form_text(form_data, "reason")
        volunteer = form_text(form_data, "volunteer_id")
        self._control(
            actor, lambda s, a: control.take_off(s, actor=a, mission_id=self._mission_id,
                                                 volunteer_id=volunteer, reason=reason,
                                                 timezone=self._settings.timezone),
            N_("The volunteer no longer takes part. They are told by e-mail."), OFF_REASON)

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
