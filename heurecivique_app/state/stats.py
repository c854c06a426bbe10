"""/console/stats and /console/stats/departement: the evaluation dashboards.

Thin: the filters go to ``services.stats.parse_query`` (which refuses what it
does not know), one call to ``services.stats.for_query`` (which checks who may
see what), and ``presenters.stats`` turns the report into text, tables and the
charts' numbers.
"""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import urlencode

import reflex as rx
from sqlmodel import Session

from heurecivique_app.domain.enums import MANY_COMMUNE_ROLES
from heurecivique_app.domain.types import utcnow
from heurecivique_app.presenters import stats as view
from heurecivique_app.presenters.options import Option, option
from heurecivique_app.realtime.channels import stats_channel
from heurecivique_app.realtime.live import live
from heurecivique_app.services import stats
from heurecivique_app.services.actor import Actor
from heurecivique_app.state.base import AppState, page_load, signed_in

# Which columns of the communes' comparison sort as numbers (the others as text).
NUMERIC_COLUMNS = {1: "minutes", 2: "volunteers_active", 3: "volunteers_signed_up",
                   4: "missions_created", 5: "missions_filled", 6: "fill_rate"}


class TableView(TypedDict):
    """A chart's data table, as the page draws it."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]


class FigureView(TypedDict):
    """One key figure."""

    label: str
    value: str


class StatsState(AppState):
    """The dashboard of one commune, or of the département (its coordinator)."""

    title: str = ""
    figures: list[FigureView] = []
    tables: list[TableView] = []
    communes: TableView = {"key": "communes", "title": "", "headers": [], "rows": []}
    chart_months: list[dict[str, Any]] = []
    chart_channels: list[dict[str, Any]] = []
    chart_satisfaction: list[dict[str, Any]] = []
    chart_communes: list[dict[str, Any]] = []
    departement: bool = False
    is_coordinator: bool = False
    neighbourhood_options: list[Option] = []
    query: dict[str, str] = {}
    export_query: str = ""
    error: str = ""
    sort_column: int = 1
    sort_descending: bool = True
    # How many times the figures were read (the e2e and the live refresh watch it).
    version: int = 0
    # Set by the live broadcast (realtime/live.py): a change landed in that commune.
    live_version: str = ""
    live_commune: int = 0
    _commune_rows: list[dict[str, Any]] = []
    # The département's map: a dot per commune shaded by hours, over these tiles.
    map_markers: list[dict[str, Any]] = []
    map_centre: list[float] = [48.12, -1.2]
    tile_url: str = ""
    attribution: str = ""

    def _read(self, actor: Actor, data: dict[str, Any]) -> None:
        self.is_coordinator = actor.role in MANY_COMMUNE_ROLES
        tz = self._settings.timezone

        def read(session: Session) -> tuple[stats.StatsQuery, stats.StatsReport, list, dict]:
            query = stats.parse_query(data, today=utcnow().date())
            report = stats.for_query(session, actor=actor, query=query, timezone=tz)
            points = (stats.commune_points(session, scope=report.scope)
                      if query.departement else {})
            return (query, report, stats.neighbourhoods(session, scope=report.scope),
                    points)

        done = self._run(read)
        if not done.ok or done.value is None:
            self.error = done.text
            return
        query, report, hoods, points = done.value
        self.error = ""
        self.departement = query.departement
        self.query = query.as_query()
        self.export_query = urlencode(self.query)
        self.neighbourhood_options = [option(i, n) for i, n in hoods]
        live.watch(self.router.session.session_id,
                   {stats_channel(c) for c in report.scope.commune_ids}, self.locale)
        board = view.dashboard(report, self.locale)
        self.title = board.title
        self.figures = [{"label": f.label, "value": f.value} for f in board.figures]
        self.tables = [{"key": t.key, "title": t.title, "headers": t.headers, "rows": t.rows}
                       for t in board.tables.values() if t.key != "communes"]
        self.chart_months = board.table("months").chart
        self.chart_channels = board.table("channels").chart
        self.chart_satisfaction = board.table("satisfaction").chart
        if "communes" in board.tables:
            table = board.tables["communes"]
            self._commune_rows = [
                {"cells": cells, "minutes": row.minutes,
                 "volunteers_active": row.volunteers_active,
                 "volunteers_signed_up": row.volunteers_signed_up,
                 "missions_created": row.missions_created,
                 "missions_filled": row.missions_filled, "fill_rate": row.fill_rate or 0}
                for cells, row in zip(table.rows, report.communes, strict=True)]
            self.communes = {"key": table.key, "title": table.title,
                             "headers": table.headers, "rows": []}
            self.chart_communes = table.chart
            self.map_markers = view.commune_markers(report, points, self.locale)
            if self.map_markers:
                centres = [m["center"] for m in self.map_markers]
                self.map_centre = [sum(c[0] for c in centres) / len(centres),
                                   sum(c[1] for c in centres) / len(centres)]
            self.tile_url = self._settings.map_tile_url
            self.attribution = self._settings.map_attribution
            self._sort()
        self.version += 1

    def _sort(self) -> None:
        key = NUMERIC_COLUMNS.get(self.sort_column)
        rows = sorted(self._commune_rows,
                      key=(lambda r: r[key]) if key else (lambda r: r["cells"][0].lower()),
                      reverse=self.sort_descending)
        self.communes = {**self.communes, "rows": [r["cells"] for r in rows]}

    # Any signed-in user may open the pages: services.stats.for_query decides what they see.
    @rx.event
    @page_load()
    def load(self, actor):
        """The commune's dashboard (its staff, or the coordinator naming one)."""
        self._read(actor, {**dict(self.router.page.params), "scope": "commune"})

    @rx.event
    @page_load()
    def load_departement(self, actor):
        """The département's dashboard (its coordinator only)."""
        self._read(actor, {**dict(self.router.page.params), "scope": "departement"})

    @rx.event
    @signed_in
    def apply(self, actor, form_data: dict):
        """New filters from the form."""
        scope = "departement" if self.departement else "commune"
        data = {**form_data, "scope": scope}
        if "commune" in self.query:
            data["commune"] = self.query["commune"]
        self._read(actor, data)

    @rx.event
    @signed_in
    def refresh(self, actor):
        """Read the figures again with the same filters (a change landed)."""
        self._read(actor, dict(self.query))

    @rx.event
    @signed_in
    def sort_by(self, actor, column: int):
        """Sort the communes' comparison by a column; again reverses the order."""
        if not isinstance(column, int) or not 0 <= column <= max(NUMERIC_COLUMNS):
            return
        if column == self.sort_column:
            self.sort_descending = not self.sort_descending
        else:
            self.sort_column, self.sort_descending = column, column != 0
        self._sort()
