"""/map: open missions near the volunteer, on a map and as a list sorted by distance.

Only public data reaches the browser: each mission's approximate area (offset
centre and radius), never its address or private point. The searcher's own
position comes from their browser and is only used to sort and filter.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import VOLUNTEER_ROLES
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.geo import distance_m
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_distance
from heurecivique_app.presenters.map import (
    LegendEntry,
    MapMarker,
    MapRow,
    map_legend,
    map_marker,
    map_row,
)
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.services import geography
from heurecivique_app.state.base import AppState, page_load, signed_in
from heurecivique_app.wiring import read_scope

RADIUS_CHOICES = (500, 1000, 2000, 5000, 10000)
# More markers than this and the map says so instead of drawing them all.
MAX_MARKERS = 100
# A position farther than this from home is taken as a mistake (or a holiday).
MAX_DISTANCE_FROM_HOME_M = 30_000

def _nearest_choice(metres: int) -> int:
    return min(RADIUS_CHOICES, key=lambda choice: abs(choice - metres))


def _zoom_for(radius_m: int) -> int:
    """A zoom at which the search circle fills a phone screen."""
    return {500: 16, 1000: 15, 2000: 14, 5000: 13, 10000: 12}.get(radius_m, 14)


class MapState(AppState):
    centre: list[float] = [48.1236, -1.2085]
    radius_m: int = 2000
    zoom: int = 14
    origin_label: str = ""
    located: bool = False  # centred on the browser's position (else home)
    missions: list[MapRow] = []
    markers: list[MapMarker] = []
    legend: list[LegendEntry] = []
    more_text: str = ""
    empty_text: str = ""
    neighbours: list[Option] = []
    tile_url: str = ""
    attribution: str = ""
    loaded: bool = False
    _home: list[float] = []
    _home_name: str = ""
    _neighbour_points: dict[str, list[float]] = {}

    @rx.var
    def map_key(self) -> str:
        # react-leaflet reads center and zoom once: a new key re-mounts the map.
        return f"{self.centre[0]:.5f},{self.centre[1]:.5f},{self.zoom}"

    @rx.var
    def radius_value(self) -> str:
        return str(self.radius_m)

    def _search(self, actor) -> None:
        lat, lon = self.centre
        with read_scope() as session:  # reads only: no transaction, fewer round trips
            cards, more = geography.nearby_cards(session, actor=actor, lat=lat, lon=lon,
                                                 radius_m=self.radius_m, limit=MAX_MARKERS)
        rows = [map_row(card, self.locale, self._settings.timezone) for card in cards]
        self.missions = rows
        self.markers = [map_marker(card, row) for card, row in zip(cards, rows, strict=True)]
        self.legend = map_legend(cards, self.locale)
        self.more_text = self._tr(
            "Only the {count} nearest missions are shown: choose a smaller radius to see "
            "the others.", count=MAX_MARKERS) if more else ""
        self.empty_text = "" if cards else self._tr(
            "No open mission within {distance}. Try a larger radius.",
            distance=format_distance(self.radius_m, self.locale))
        self.zoom = _zoom_for(self.radius_m)
        self.loaded = True

    def _origin_home(self) -> None:
        self.centre = list(self._home)
        self.located = False
        self.origin_label = (self._tr("Around your neighbourhood: {name}", name=self._home_name)
                             if self._home_name else self._tr("Around your commune"))

    @rx.event
    @page_load(VOLUNTEER_ROLES)
    def load(self, actor):
        settings = self._settings
        self.tile_url = settings.map_tile_url
        self.attribution = settings.map_attribution
        try:
            with self._unit_of_work() as session:
                origin = geography.map_origin(session, actor=actor)
        except NotFound:
            self.loaded = True
            self.empty_text = self._tr("Your commune has no neighbourhood on the map yet.")
            return
        self._home = [origin.lat, origin.lon]
        self._home_name = origin.neighbourhood_name
        self._neighbour_points = {str(b.id): [b.lat, b.lon] for b in origin.neighbours}
        self.neighbours = [option(b.id, b.name) for b in origin.neighbours]
        self.radius_m = _nearest_choice(origin.radius_m)
        self._origin_home()
        self._search(actor)

    @rx.event
    @signed_in(login="/login?next=/map")
    def set_radius(self, actor, value: str):
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            wanted = self.radius_m
        self.radius_m = _nearest_choice(wanted)
        self._search(actor)

    @rx.event
    @signed_in(login="/login?next=/map")
    def got_location(self, actor, answer: dict):
        """The browser's position, posted by the page's hidden form (pages/map.py)."""
        try:
            lat, lon = float(answer["lat"]), float(answer["lon"])
            valid = -85 <= lat <= 85 and -180 <= lon <= 180
        except (KeyError, TypeError, ValueError):
            valid = False
        if not valid:
            self._origin_home()
            self._say(N_("Your position is not available: the map shows your neighbourhood."))
        elif self._home and distance_m(lat, lon, *self._home) > MAX_DISTANCE_FROM_HOME_M:
            self._origin_home()
            self._say(N_("You seem far from your commune: the map shows your neighbourhood."))
        else:
            self.centre = [lat, lon]
            self.located = True
            self.origin_label = self._tr("Around your position")
            self.notice = ""
        self._search(actor)

    @rx.event
    @signed_in(login="/login?next=/map")
    def show_home(self, actor):
        self.notice = ""
        self._origin_home()
        self._search(actor)

    @rx.event
    @signed_in(login="/login?next=/map")
    def show_board(self, actor, neighbourhood_id: str):
        """Centre on a neighbouring board (looked up server-side, not taken from the client)."""
        point = self._neighbour_points.get(str(neighbourhood_id))
        if point is None:
            return
        name = next((n["name"] for n in self.neighbours if n["id"] == str(neighbourhood_id)), "")
        self.centre = list(point)
        self.located = False
        self.origin_label = self._tr("Around the neighbourhood: {name}", name=name)
        self._search(actor)
