"""The volunteer's board: their neighbourhood's open missions and their hour this month."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import CATEGORY_LABELS, STATUS_LABELS, Role
from heurecivique_app.i18n import format_duration, format_when
from heurecivique_app.realtime.channels import board_channel
from heurecivique_app.realtime.hub import hub
from heurecivique_app.services import selectors
from heurecivique_app.services.selectors import MissionCard
from heurecivique_app.state.base import AppState

VOLUNTEER_ROLES = {Role.VOLUNTEER.value, Role.RELAY.value}


class BoardState(AppState):
    neighbourhood_name: str = ""
    missions: list[dict[str, str]] = []
    my_missions: list[dict[str, str]] = []
    hour_minutes: int = 0
    hour_percent: int = 0
    hour_label: str = ""
    loaded: bool = False

    def _row(self, card: MissionCard) -> dict[str, str]:
        tz = self._settings.timezone
        return {
            "id": str(card.id),
            "title": card.title,
            "category": self._tr(CATEGORY_LABELS.get(card.category, card.category)),
            "status": card.status,
            "status_label": self._tr(STATUS_LABELS[card.status]),
            "when": format_when(card.starts_at, self.locale, tz),
            "duration": format_duration(card.duration_minutes, self.locale),
            "neighbourhood": card.neighbourhood_name,
            "places": self._tr("{count} place(s) left", count=card.places_left),
            "href": f"/missions/{card.id}",
        }

    def _reload(self, actor) -> None:
        with self._unit_of_work() as session:
            hour = selectors.monthly_hour(session, volunteer_id=actor.user_id,
                                          timezone=self._settings.timezone)
            mine = selectors.my_missions(session, actor=actor)
            cards = []
            if actor.neighbourhood_id is not None:
                cards = selectors.board(session, actor=actor,
                                        neighbourhood_id=actor.neighbourhood_id)
                hood = next((h for h in selectors.neighbourhoods(session, actor.commune_id)
                             if h.id == actor.neighbourhood_id), None)
                self.neighbourhood_name = hood.name if hood else ""
        self.hour_minutes = hour.minutes
        self.hour_percent = hour.percent_of_pledge
        self.hour_label = self._tr(
            "{given} given this month out of your hour",
            given=format_duration(hour.minutes, self.locale),
        )
        self.my_missions = [self._row(c) for c in mine]
        self.missions = [self._row(c) for c in cards]
        self.loaded = True

    def _live_refresh(self) -> None:
        actor = self._actor()
        if actor is not None:
            self._reload(actor)

    @rx.event
    def load(self):
        actor, redirect = self._load_identity(VOLUNTEER_ROLES)
        if redirect is not None:
            return redirect
        self._reload(actor)
        channels = {board_channel(actor.neighbourhood_id)} if actor.neighbourhood_id else set()
        hub.watch(self.router.session.client_token, BoardState, channels)
