"""/console/match/[mission_id]: suggested volunteers, proposals, direct assignment."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.form_data import ticked_ids
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import known_id
from heurecivique_app.presenters.pool import (
    MatchedMission,
    SuggestionRow,
    mission_summary,
    suggestion_row,
)
from heurecivique_app.services import matching
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
    _mission_id: int = 0

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            found = matching.suggest(session, actor=actor, mission_id=self._mission_id,
                                     timezone=tz)
            self.mission = mission_summary(found.mission, len(found.need.slots), self.locale, tz)
        self.rows = [suggestion_row(fit, found.need, self.locale) for fit in found.fits]
        self.found = True

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
