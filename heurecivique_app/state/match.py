"""/console/match/[mission_id]: suggested volunteers, proposals, direct assignment, hand-over.

Live: any change of the mission (a volunteer accepting, declining…) re-reads the page.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.form_data import ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text
from heurecivique_app.presenters.pool import mission_summary, suggestion_row
from heurecivique_app.realtime.channels import staff_mission_channels
from heurecivique_app.realtime.live import live
from heurecivique_app.services import matching
from heurecivique_app.services.missions import control
from heurecivique_app.state.staff import StaffPageState

PICK_PREFIX = "pick_"  # checkbox names of the proposal form: pick_<volunteer id>


class MatchState(StaffPageState):
    mission: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    found: bool = False
    result: str = ""
    result_ok: bool = False
    form_key: int = 0
    # Who holds a place (staff-only page): the hand-over form gives one's place to another.
    holders: list[dict[str, str]] = []
    live_version: str = ""
    _mission_id: int = 0

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            found = matching.suggest(session, actor=actor, mission_id=self._mission_id,
                                     timezone=tz)
            self.mission = mission_summary(found.mission, len(found.need.slots), self.locale, tz)
            holders = control.place_holders(session, actor=actor, mission_id=self._mission_id)
        self.rows = [suggestion_row(fit, found.need, self.locale) for fit in found.fits]
        self.holders = [{"id": str(user_id), "name": name} for user_id, name in holders]
        self.found = True
        live.watch(self.router.session.session_id,
                   {c for c in staff_mission_channels(self._mission_id)
                    if c.startswith("match:")}, self.locale)

    @rx.event
    def follow_live(self):
        """The mission changed (any tab, any worker): re-read the page from the session."""
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        if self._mission_id:
            self._reload(actor)
        return None

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(STAFF_ROLES)
        if redirect is not None:
            return redirect
        self.found, self.mission, self.rows, self.result = False, {}, [], ""
        self._open_record(actor, "mission_id", "_mission_id")

    def _done(self, actor, message: str, **params) -> None:
        self.result, self.result_ok = self._tr(message, **params), True
        self.form_key += 1
        self._reload(actor)

    def _failed(self, actor, error: DomainError) -> None:
        self.result, self.result_ok = self._error_text(error), False
        if self._mission_id:
            self._reload(actor)

    @rx.event
    def propose(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        picked = ticked_ids(form_data, PICK_PREFIX)
        try:
            with self._unit_of_work() as session:
                matching.propose_mission(session, actor=actor, mission_id=self._mission_id,
                                         volunteer_ids=picked, timezone=self._settings.timezone)
        except DomainError as error:
            self._failed(actor, error)
            return
        self._done(actor, N_("Proposed to {count} volunteer(s): it is in their app."),
                   count=len(picked))

    @rx.event
    def assign(self, volunteer_id: str):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                matching.assign_volunteer(session, actor=actor, mission_id=self._mission_id,
                                          volunteer_id=int(volunteer_id),
                                          timezone=self._settings.timezone)
        except ValueError:
            self._failed(actor, DomainError(N_("This item no longer exists.")))
            return
        except DomainError as error:
            self._failed(actor, error)
            return
        self._done(actor, N_("The volunteer is assigned to the mission."))

    @rx.event
    def hand_over(self, form_data: dict):
        """Give one volunteer's place to another (who agreed on the phone), with a reason."""
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                control.hand_over(session, actor=actor, mission_id=self._mission_id,
                                  from_volunteer_id=form_text(form_data, "from_volunteer_id"),
                                  to_volunteer_id=form_text(form_data, "to_volunteer_id"),
                                  reason=form_text(form_data, "reason"),
                                  timezone=self._settings.timezone)
        except ValidationFailed as error:  # the reason is missing or too long
            self.result, self.result_ok = " ".join(self._field_errors(error).values()), False
            return None
        except DomainError as error:  # NotFound included
            self._failed(actor, error)
            return None
        self._done(actor, N_("The place is handed over. Both volunteers are told by e-mail."))
        return None
