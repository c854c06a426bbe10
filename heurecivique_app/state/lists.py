"""/console/missions and /console/beneficiaries: filtered lists and their export links."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.counts import count_line
from heurecivique_app.presenters.lists import (
    BeneficiaryListRow,
    MissionListRow,
    beneficiary_list_row,
    mission_list_row,
)
from heurecivique_app.presenters.options import Option
from heurecivique_app.services import search
from heurecivique_app.state.base import AppState, page_load, staff_only

SHOWN = 200  # rows on screen; the export holds every match


class ListState(AppState):
    """Shared by both list pages: the filters, the neighbourhoods, the export query."""

    neighbourhood_options: list[Option] = []
    filter_errors: dict[str, str] = {}
    export_query: str = ""
    filters: dict[str, str] = {}
    count_text: str = ""

    def _filters_from(self, data: dict) -> search.Filters | None:
        try:
            filters = search.parse_filters(data)
        except ValidationFailed as error:
            self.filter_errors = self._field_errors(error)
            return None
        self.filter_errors = {}
        self.filters = filters.as_query()
        self.export_query = urlencode(self.filters)
        return filters

    def _search(self, actor, filters: search.Filters) -> None:
        raise NotImplementedError  # each list page runs its own search

    # The pages' event handlers call these two: handlers stay on each page's own state.
    def _load(self, actor) -> None:
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)
        self._search(actor, self._filters_from(dict(self.router.page.params)) or search.Filters())

    def _apply(self, actor, form_data: dict) -> None:
        filters = self._filters_from(form_data)
        if filters is not None:
            self._search(actor, filters)


class MissionListState(ListState):
    rows: list[MissionListRow] = []

    def _search(self, actor, filters: search.Filters) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            lines = search.missions(session, actor=actor, filters=filters, timezone=tz)
        self.count_text = count_line(N_("{count} mission(s) found"), len(lines),
                                     min(len(lines), SHOWN), self.locale)
        self.rows = [mission_list_row(line, self.locale, tz) for line in lines[:SHOWN]]

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self._load(actor)

    @rx.event
    @staff_only
    def apply(self, actor, form_data: dict):
        self._apply(actor, form_data)


class BeneficiaryListState(ListState):
    rows: list[BeneficiaryListRow] = []

    def _search(self, actor, filters: search.Filters) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            lines = search.beneficiaries(session, actor=actor, filters=filters)
        self.count_text = count_line(N_("{count} person(s) found"), len(lines),
                                     min(len(lines), SHOWN), self.locale)
        self.rows = [beneficiary_list_row(line, self.locale, tz)
                     for line in lines[:SHOWN]]

    @rx.event
    @page_load(STAFF_ROLES)
    def load(self, actor):
        self._load(actor)

    @rx.event
    @staff_only
    def apply(self, actor, form_data: dict):
        self._apply(actor, form_data)
