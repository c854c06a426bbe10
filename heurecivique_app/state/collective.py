"""/console/collective/new and /console/attendance/[mission_id]: collective actions."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components.forms import ticked
from heurecivique_app.domain.enums import STATUS_LABELS
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_when
from heurecivique_app.presenters.collective import roster_vars
from heurecivique_app.realtime.channels import roster_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import collective
from heurecivique_app.state.base import STAFF, AppState


class CollectiveFormState(AppState):
    neighbourhood_options: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    message: str = ""

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.field_errors = {}
        self.message = ""
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)

    @rx.event
    def submit(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        form = collective.CollectiveForm.from_form(form_data)
        try:
            with self._unit_of_work() as session:
                action = collective.create_collective(
                    session, actor=actor, form=form, timezone=self._settings.timezone,
                    geocoder=self._adapters.geocoder, geo_salt=self._settings.geo_salt,
                    publish=ticked(form_data, "publish"))
                action_id = action.id
        except DomainError as error:  # a ValidationFailed names its fields
            self.field_errors = (self._field_errors(error)
                                 if isinstance(error, ValidationFailed) else {})
            self.message = self._error_text(error)
            return
        self.field_errors = {}
        return rx.redirect(f"/console/attendance/{action_id}")


class AttendanceState(AppState):
    found: bool = False
    title: str = ""
    when: str = ""
    place: str = ""
    status: str = ""
    status_label: str = ""
    capacity: str = ""
    minutes: str = "60"
    skills: str = ""
    # Broadcast to the referents on this page (the channel is joined by staff only).
    present_rows: list[dict[str, str]] = []
    waiting_rows: list[dict[str, str]] = []
    live_version: str = ""
    message: str = ""
    message_ok: bool = False
    form_key: int = 0
    _mission_id: int = 0

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        try:
            with self._unit_of_work() as session:
                mission = collective.action_for_staff(session, actor=actor,
                                                      mission_id=self._mission_id)
                shared = roster_vars(session, self._mission_id, self.locale, tz)
        except DomainError:
            self.found = False
            return
        self.found = True
        self.title = mission.title
        self.when = format_when(mission.starts_at, self.locale, tz)
        self.place = mission.exact_address
        self.status = mission.status
        self.status_label = self._tr(STATUS_LABELS[mission.status])
        self.capacity = shared["capacity"]
        self.minutes = str(mission.duration_minutes)
        self.skills = ", ".join(self._tr(collective.SKILL_OPTIONS.get(s, s))
                                for s in mission.skills_wanted or [])
        self.present_rows = shared["present_rows"]
        self.waiting_rows = shared["waiting_rows"]
        self.form_key += 1
        live.watch(self.router.session.session_id, {roster_channel(self._mission_id)},
                   self.locale)

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.message = ""
        self._mission_id = self._route_id()
        self._reload(actor)

    @rx.event
    def submit(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        present = [int(name.removeprefix("present_")) for name in form_data
                   if name.startswith("present_") and name.removeprefix("present_").isdigit()
                   and ticked(form_data, name)]
        try:
            minutes = int(str(form_data.get("minutes", "")).strip())
        except ValueError:
            minutes = 0
        try:
            with self._unit_of_work() as session:
                collective.record_attendance(session, actor=actor, mission_id=self._mission_id,
                                             present=present, minutes=minutes,
                                             timezone=self._settings.timezone)
        except DomainError as error:
            self.message, self.message_ok = self._error_text(error), False
            return
        self._reload(actor)
        self.message, self.message_ok = self._tr(
            N_("Attendance saved: {count} volunteer(s) credited."), count=len(present)), True
