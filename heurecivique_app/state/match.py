"""/console/match/[mission_id]: suggested volunteers, proposals, direct assignment, hand-over.

Live: any change of the mission (a volunteer accepting, declining…) re-reads the page.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.form_data import ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import form_text, known_id
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.presenters.pool import (
    MatchedMission,
    SuggestionRow,
    mission_summary,
    suggestion_row,
)
from heurecivique_app.realtime.channels import staff_mission_channels
from heurecivique_app.realtime.live import live
from heurecivique_app.services import matching
from heurecivique_app.services.missions import control
from heurecivique_app.state.base import Outcome, page_load, staff_only
from heurecivique_app.state.staff import StaffPageState

PICK_PREFIX = "pick_"  # checkbox names of the proposal form: pick_<volunteer id>


class MatchState(StaffPageState):
    mission: MatchedMission = {}
    rows: list[SuggestionRow] = []
    found: bool = False
    result: str = ""
    result_ok: bool = False
    form_key: int = 0
    # Who holds a place (staff-only page): the hand-over form gives one's place to another.
    holders: list[Option] = []
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
        self.holders = [option(user_id, name) for user_id, name in holders]
        self.found = True
        live.watch(self.router.session.session_id,
                   {c for c in staff_mission_channels(self._mission_id)
                    if c.startswith("match:")}, self.locale)

    @rx.event
    @staff_only
    def follow_live(self, actor):
        """The mission changed (any tab, any worker): re-read the page from the session."""
        if self._mission_id:
            self._reload(actor)

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.found, self.mission, self.rows, self.result = False, {}, [], ""
        self._open_record(actor, "mission_id", "_mission_id")

    def _answer(self, actor, done: Outcome, message: str, **params) -> None:
        """The service's answer above the list; the list read again (places, states)."""
        if done.ok:
            self.result, self.result_ok = self._tr(message, **params), True
            self.form_key += 1
        else:
            self.result, self.result_ok = done.text, False
            if not self._mission_id:
                return
        self._reload(actor)

    @rx.event
    @staff_only
    def propose(self, actor, form_data: dict):
        picked = ticked_ids(form_data, PICK_PREFIX)
        done = self._run(lambda s: matching.propose_mission(
            s, actor=actor, mission_id=self._mission_id, volunteer_ids=picked,
            timezone=self._settings.timezone))
        self._answer(actor, done, N_("Proposed to {count} volunteer(s): it is in their app."),
                     count=len(picked))

    @rx.event
    @staff_only
    def assign(self, actor, volunteer_id: str):
        done = self._run(lambda s: matching.assign_volunteer(
            s, actor=actor, mission_id=self._mission_id, volunteer_id=known_id(volunteer_id),
            timezone=self._settings.timezone))
        self._answer(actor, done, N_("The volunteer is assigned to the mission."))

    @rx.event
    @staff_only
    def hand_over(self, actor, form_data: dict):
        """Give one volunteer's place to another (who agreed on the phone), with a reason."""
        done = self._run(lambda s: control.hand_over(
            s, actor=actor, mission_id=self._mission_id,
            from_volunteer_id=form_text(form_data, "from_volunteer_id"),
            to_volunteer_id=form_text(form_data, "to_volunteer_id"),
            reason=form_text(form_data, "reason"), timezone=self._settings.timezone))
        if done.fields:  # the reason is missing or too long: nothing was read again
            self.result, self.result_ok = " ".join(done.fields.values()), False
            return
        self._answer(actor, done,
                     N_("The place is handed over. Both volunteers are told by e-mail."))
