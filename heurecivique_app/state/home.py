"""/home: the volunteer's home — my hour this month, proposals, my missions, missions near me."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.enums import CATEGORY_LABELS, VOLUNTEER_ROLES
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import known_id
from heurecivique_app.presenters.hours import MonthRow, hour_label, month_row, streak_label
from heurecivique_app.presenters.missions import MissionRow, card_row
from heurecivique_app.services import selectors, volunteer_home
from heurecivique_app.services.missions import participation
from heurecivique_app.state.base import AppState, page_load, signed_in


class HomeState(AppState):
    hour_percent: int = 0
    hour_label: str = ""
    streak_label: str = ""
    history: list[MonthRow] = []
    proposed: list[MissionRow] = []
    upcoming: list[MissionRow] = []
    nearby: list[MissionRow] = []
    # pending / active / paused, and whether the approved charter is the one in force.
    volunteer_status: str = ""
    charter_ok: bool = True
    welcome: bool = False
    filter_category: str = ""
    filter_when: str = ""
    filter_mine: bool = False
    loaded: bool = False

    def _reload_nearby(self, actor, session) -> None:
        """The boards near me, as the filters say (all a filter change needs to read)."""
        tz = self._settings.timezone
        filters = volunteer_home.NearbyFilter(self.filter_category, self.filter_when,
                                              self.filter_mine)
        nearby = volunteer_home.missions_near_me(session, actor=actor, timezone=tz,
                                                 filters=filters)
        self.nearby = [card_row(c, self.locale, tz) for c in nearby]

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            summary = volunteer_home.hour_summary(session, volunteer_id=actor.user_id,
                                                  timezone=tz)
            proposed = volunteer_home.proposed_to_me(session, actor=actor)
            upcoming = selectors.my_missions(session, actor=actor)
            standing = volunteer_home.standing(session, actor=actor)
            self._reload_nearby(actor, session)
        self.hour_percent = summary.this_month.percent_of_pledge
        self.hour_label = hour_label(summary.this_month.minutes, self.locale)
        self.streak_label = streak_label(summary.streak, self.locale)
        self.history = [month_row(h, self.locale) for h in summary.history]
        self.proposed = [card_row(c, self.locale, tz) for c in proposed]
        self.upcoming = [card_row(c, self.locale, tz) for c in upcoming]
        self.volunteer_status = standing.status if standing else ""
        self.charter_ok = standing.charter_current if standing else True
        self.loaded = True

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.welcome = (query.get("welcome") or [""])[0] == "1"
        self._reload(actor)

    @rx.event
    @signed_in
    def follow_live(self, actor):
        """Something was sent to me (a proposal…): the page again, from my session."""
        self._reload(actor)

    def _refresh(self, actor) -> None:
        """After a filter change: only the boards near me are read again."""
        with self._unit_of_work() as session:
            self._reload_nearby(actor, session)

    @rx.event
    @signed_in
    def set_category(self, actor, value: str):
        self.filter_category = value if value in CATEGORY_LABELS else ""
        self._refresh(actor)

    @rx.event
    @signed_in
    def set_when(self, actor, value: str):
        self.filter_when = value if value in volunteer_home.DATE_WINDOWS else ""
        self._refresh(actor)

    @rx.event
    @signed_in
    def set_mine(self, actor, checked: bool):
        self.filter_mine = bool(checked)
        self._refresh(actor)

    def _answer(self, actor, action, done_text: str) -> None:
        done = self._run(action)
        if done.ok:
            self._say(done_text, "success")
        else:
            self.notice, self.notice_tone = done.text, "error"
        self._reload(actor)

    @rx.event
    @signed_in
    def accept_proposal(self, actor, mission_id: str):
        # Any open mission of the actor's commune may be accepted by id: the service checks.
        self._answer(actor, lambda s: participation.accept_mission(
            s, actor=actor, mission_id=known_id(mission_id), timezone=self._settings.timezone),
            N_("Thank you! The mission is yours. The contact details are on its page."))

    @rx.event
    @signed_in
    def decline_proposal(self, actor, mission_id: str):
        self._answer(actor, lambda s: participation.decline_mission(
            s, actor=actor, mission_id=known_id(mission_id), reason="",
            timezone=self._settings.timezone),
            N_("Noted. The referent will see your answer."))
