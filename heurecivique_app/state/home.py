"""/home: the volunteer's home — my hour this month, proposals, my missions, missions near me."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import reflex as rx
from babel.dates import format_date

from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_duration
from heurecivique_app.presenters.missions import card_row
from heurecivique_app.services import selectors, volunteer_home
from heurecivique_app.services.missions import participation
from heurecivique_app.state.base import AppState
from heurecivique_app.state.board import VOLUNTEER_ROLES


class HomeState(AppState):
    hour_percent: int = 0
    hour_label: str = ""
    streak_label: str = ""
    history: list[dict[str, str]] = []
    proposed: list[dict[str, str]] = []
    upcoming: list[dict[str, str]] = []
    nearby: list[dict[str, str]] = []
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
        hour = summary.this_month
        self.hour_percent = hour.percent_of_pledge
        self.hour_label = self._tr("{given} given this month out of your hour",
                                   given=format_duration(hour.minutes, self.locale))
        self.streak_label = self._tr("{count} month(s) in a row with your hour given",
                                     count=summary.streak)
        self.history = [
            {"month": format_date(date(int(h.month[:4]), int(h.month[5:]), 1), "LLLL yyyy",
                                  locale=self.locale),
             "given": format_duration(h.minutes, self.locale),
             "met": "1" if h.pledge_met else ""}
            for h in summary.history
        ]
        self.proposed = [card_row(c, self.locale, tz) for c in proposed]
        self.upcoming = [card_row(c, self.locale, tz) for c in upcoming]
        self.volunteer_status = standing.status if standing else ""
        self.charter_ok = standing.charter_current if standing else True
        self.loaded = True

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(VOLUNTEER_ROLES)
        if redirect is not None:
            return redirect
        query = parse_qs(urlsplit(str(self.router.url)).query)
        self.welcome = (query.get("welcome") or [""])[0] == "1"
        self._reload(actor)

    def _refresh(self):
        """After a filter change: only the boards near me are read again."""
        actor = self._actor()
        if actor is None:
            return rx.redirect("/login")
        with self._unit_of_work() as session:
            self._reload_nearby(actor, session)
        return None

    @rx.event
    def set_category(self, value: str):
        self.filter_category = value if value in CATEGORY_LABELS else ""
        return self._refresh()

    @rx.event
    def set_when(self, value: str):
        self.filter_when = value if value in volunteer_home.DATE_WINDOWS else ""
        return self._refresh()

    @rx.event
    def set_mine(self, checked: bool):
        self.filter_mine = bool(checked)
        return self._refresh()

    def _answer(self, action, done_text: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect("/login")
        try:
            with self._unit_of_work() as session:
                action(session, actor)
        except DomainError as error:
            self._say(error.message, "error", **error.params)
        else:
            self._say(done_text, "success")
        self._reload(actor)
        return None

    @staticmethod
    def _id(value: str) -> int:
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0

    @rx.event
    def accept_proposal(self, mission_id: str):
        # Any open mission of the actor's commune may be accepted by id: the service checks.
        return self._answer(lambda s, a: participation.accept_mission(s, actor=a,
                                                             mission_id=self._id(mission_id)),
                            N_("Thank you! The mission is yours. The contact details are on "
                               "its page."))

    @rx.event
    def decline_proposal(self, mission_id: str):
        return self._answer(lambda s, a: participation.decline_mission(s, actor=a,
                                                              mission_id=self._id(mission_id),
                                                              reason=""),
                            N_("Noted. The referent will see your answer."))
