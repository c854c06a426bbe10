"""/console/collective/new and /console/attendance/[mission_id]: collective actions."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.form_data import ticked, ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_when
from heurecivique_app.presenters.collective import PresentRow, WaitingRow, roster_vars
from heurecivique_app.presenters.labels import categories_text, status_label
from heurecivique_app.presenters.options import Option
from heurecivique_app.realtime.channels import roster_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import collective
from heurecivique_app.state.base import AppState, page_load, staff_only


class CollectiveFormState(AppState):
    neighbourhood_options: list[Option] = []
    field_errors: dict[str, str] = {}
    message: str = ""

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.field_errors = {}
        self.message = ""
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)

    @rx.event
    @staff_only
    def submit(self, actor, form_data: dict):
        form = collective.CollectiveForm.from_form(form_data)
        done = self._run(lambda s: collective.create_collective(
            s, actor=actor, form=form, timezone=self._settings.timezone,
            geocoder=self._adapters.geocoder, geo_salt=self._settings.geo_salt,
            publish=ticked(form_data, "publish")).id)
        self.field_errors = done.fields  # a ValidationFailed names its fields
        if not done.ok:
            self.message = done.text
            return None
        return rx.redirect(f"/console/attendance/{done.value}")


class AttendanceState(AppState):
    found: bool = False
    loaded: bool = False  # the first read is done (until then the page holds its room)
    title: str = ""
    when: str = ""
    place: str = ""
    status: str = ""
    status_label: str = ""
    capacity: str = ""
    minutes: str = "60"
    skills: str = ""
    # Broadcast to the referents on this page (the channel is joined by staff only).
    present_rows: list[PresentRow] = []
    waiting_rows: list[WaitingRow] = []
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
            self.found, self.loaded = False, True
            return
        self.found, self.loaded = True, True
        self.title = mission.title
        self.when = format_when(mission.starts_at, self.locale, tz)
        self.place = mission.exact_address
        self.status = mission.status
        self.status_label = status_label(mission.status, self.locale)
        self.capacity = shared["capacity"]
        self.minutes = str(mission.duration_minutes)
        self.skills = categories_text(mission.skills_wanted or [], self.locale)
        self.present_rows = shared["present_rows"]
        self.waiting_rows = shared["waiting_rows"]
        self.form_key += 1
        live.watch(self.router.session.session_id, {roster_channel(self._mission_id)},
                   self.locale)

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.message = ""
        self._mission_id = self._route_id()
        self._reload(actor)

    @rx.event
    @staff_only
    def submit(self, actor, form_data: dict):
        present = ticked_ids(form_data, "present_")
        try:
            minutes = int(str(form_data.get("minutes", "")).strip())
        except ValueError:
            minutes = 0
        done = self._run(lambda s: collective.record_attendance(
            s, actor=actor, mission_id=self._mission_id, present=present, minutes=minutes,
            timezone=self._settings.timezone))
        if not done.ok:
            self.message, self.message_ok = done.text, False
            return
        self._reload(actor)
        self.message, self.message_ok = self._tr(
            N_("Attendance saved: {count} volunteer(s) credited."), count=len(present)), True
