"""/console/missions and /console/beneficiaries: filtered lists and their export links."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from heurecivique_app.domain.enums import STAFF_ROLES
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.counts import count_line
from heurecivique_app.presenters.lists import (
    BeneficiaryListRow,
    MissionListRow,
    PageLink,
    beneficiary_list_row,
    mission_list_row,
    page_href,
    page_links,
)
from heurecivique_app.presenters.options import Option
from heurecivique_app.services import search
from heurecivique_app.state.base import AppState, page_load, staff_only

SHOWN = 200  # beneficiaries on screen; the export holds every match
PATH = "/console/missions"


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

    def _search(self, actor, filters: search.Filters, page: int = 1) -> None:
        raise NotImplementedError  # each list page runs its own search

    # The pages' event handlers call these two: handlers stay on each page's own state.
    def _load(self, actor) -> None:
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)
        params = dict(self.router.page.params)
        self._search(actor, self._filters_from(params) or search.Filters(),
                     page=_page_number(params.get("page")))

    def _apply(self, actor, form_data: dict) -> None:
        filters = self._filters_from(form_data)
        if filters is not None:
            self._search(actor, filters)


def _page_number(value: object) -> int:
    """The page a link asks for (``?page=3``); anything else is the first."""
    text = value if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) <= 6 else 1


class MissionListState(ListState):
    """/console/missions: one page of the commune's missions at a time (services.search)."""

    rows: list[MissionListRow] = []
    page_text: str = ""
    page_links: list[PageLink] = []
    prev_href: str = ""
    next_href: str = ""
    filtered: bool = False  # the empty state says "no match" rather than "no mission yet"
    loaded: bool = False  # until the first answer, room is kept (no empty state flashes)

    def _search(self, actor, filters: search.Filters, page: int = 1) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            found = search.missions_page(session, actor=actor, filters=filters, timezone=tz,
                                         page=page)
        self.count_text = count_line(N_("{count} mission(s) found"), found.total,
                                     found.total, self.locale)
        self.rows = [mission_list_row(line, self.locale, tz) for line in found.lines]
        self.loaded = True
        self.page_text = translate(N_("Page {page} of {pages}"), self.locale,
                                   page=found.page, pages=found.pages)
        query = filters.as_query()
        self.filtered = bool(query)
        self.page_links = (page_links(PATH, query, found.page, found.pages)
                           if found.pages > 1 else [])
        self.prev_href = page_href(PATH, query, found.page - 1) if found.page > 1 else ""
        self.next_href = (page_href(PATH, query, found.page + 1)
                          if found.page < found.pages else "")

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

    def _search(self, actor, filters: search.Filters, page: int = 1) -> None:
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
