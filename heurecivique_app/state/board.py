"""The volunteer's board: their neighbourhood's open missions and their hour this month."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import reflex as rx

from heurecivique_app.domain.enums import VOLUNTEER_ROLES, Role
from heurecivique_app.domain.models import Neighbourhood
from heurecivique_app.presenters.hours import hour_label
from heurecivique_app.presenters.missions import MissionRow, board_vars, card_row
from heurecivique_app.realtime.channels import board_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import relays, selectors
from heurecivique_app.state.base import AppState, page_load


class BoardState(AppState):
    neighbourhood_name: str = ""
    # Broadcast to every viewer of the board (see realtime/live.py): public data only.
    missions: list[MissionRow] = []
    live_version: str = ""
    # This volunteer's own data.
    my_missions: list[MissionRow] = []
    hour_minutes: int = 0
    hour_percent: int = 0
    hour_label: str = ""
    loaded: bool = False

    _board_id: int | None = None

    def _requested_board(self) -> int | None:
        """The board asked for in the URL (?n=<neighbourhood id>), if any."""
        query = parse_qs(urlsplit(str(self.router.url)).query)
        try:
            return int((query.get("n") or [""])[0])
        except ValueError:
            return None

    def _choose_board(self, session, actor) -> Neighbourhood | None:
        """The requested board if it is in the user's commune (boards are public there),
        else their own neighbourhood's, else (a relay without one) their first relay area."""
        requested = self._requested_board()
        for candidate in (requested, actor.neighbourhood_id):
            hood = session.get(Neighbourhood, candidate) if candidate else None
            if hood is not None and actor.sees(hood.commune_id):
                return hood
        if actor.role == Role.RELAY:
            areas = relays.relay_neighbourhoods(session, relay_id=actor.user_id)
            return areas[0] if areas else None
        return None

    def _reload(self, actor) -> None:
        tz = self._settings.timezone
        with self._reading() as session:
            hour = selectors.monthly_hour(session, volunteer_id=actor.user_id, timezone=tz)
            mine = selectors.my_missions(session, actor=actor)
            hood = self._choose_board(session, actor)
            board = board_vars(session, hood.id, self.locale, tz) if hood else {"missions": []}
        self._board_id = hood.id if hood else None
        self.neighbourhood_name = hood.name if hood else ""
        self.missions = board["missions"]
        self.hour_minutes = hour.minutes
        self.hour_percent = hour.percent_of_pledge
        self.hour_label = hour_label(hour.minutes, self.locale)
        self.my_missions = [card_row(c, self.locale, tz) for c in mine]
        self.loaded = True

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        self._reload(actor)
        channels = {board_channel(self._board_id)} if self._board_id else set()
        live.watch(self.router.session.session_id, channels, self.locale)
