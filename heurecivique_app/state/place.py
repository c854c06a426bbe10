"""/place/[mission_id]: the referent taps the map to place a need the geocoder missed.

Staff only: the page shows the private point, which staff may see (they took the
address down). Every tap is checked on the server (commune, neighbourhood).
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import DomainError, NotFound, ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.services import geography
from heurecivique_app.state.base import AppState, page_load, signed_in

SOURCE_LABELS = {
    "address": N_("Located from the address"),
    "map": N_("Placed on the map"),
    "neighbourhood": N_("Not located: the neighbourhood's centre stands in"),
}


class PlaceState(AppState):
    found: bool = False
    loaded: bool = False  # the first read is done (until then the page holds its room)
    title: str = ""
    address: str = ""
    neighbourhood: str = ""
    point: list[float] = [48.1236, -1.2085]
    source_label: str = ""
    message: str = ""
    tile_url: str = ""
    attribution: str = ""

    def _show(self, view: geography.Placement) -> None:
        self.found = True
        self.title = view.title
        self.address = view.address
        self.neighbourhood = view.neighbourhood_name
        self.point = [view.lat, view.lon]
        self.source_label = self._tr(SOURCE_LABELS.get(view.source, view.source))

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self.tile_url = self._settings.map_tile_url
        self.attribution = self._settings.map_attribution
        self.message = ""
        try:
            with self._unit_of_work() as session:
                view = geography.placement(session, actor=actor, mission_id=self._route_id())
        except DomainError:  # no such mission (0: not a number), or another commune's
            self.found, self.loaded = False, True
            return
        self._show(view)
        self.loaded = True

    @rx.event
    @signed_in
    def pick(self, actor, point: list):
        try:
            lat, lon = float(point[0]), float(point[1])
        except (TypeError, ValueError, IndexError):
            return
        # The mission is the page's own, read from this event's route: a tap that comes
        # before the page's on_load (a map still showing the previous mission) must not
        # move the previous mission's point.
        mission_id = self._route_id()
        done = self._run(lambda s: geography.set_mission_point(
            s, actor=actor, mission_id=mission_id, lat=lat, lon=lon,
            salt=self._settings.geo_salt))
        if done.ok:  # saved: read it back as the page shows it
            done = self._run(lambda s: geography.placement(s, actor=actor,
                                                           mission_id=mission_id))
        if isinstance(done.error, ValidationFailed):
            self.message = self._tr("This point is not inside the commune.")
        elif isinstance(done.error, NotFound):
            self.found = False
        elif not done.ok:
            self.message = done.text
        else:
            self._show(done.value)
            self.message = self._tr("Point saved ({name}).", name=done.value.neighbourhood_name)
