"""/console/missions and /console/beneficiaries: filtered lists and their export links."""

from __future__ import annotations

from urllib.parse import urlencode

import reflex as rx

from heurecivique_app.domain.enums import CATEGORY_LABELS, STATUS_LABELS
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_when
from heurecivique_app.presenters.counts import count_line
from heurecivique_app.services import search
from heurecivique_app.state.base import STAFF, AppState

SHOWN = 200  # rows on screen; the export holds every match


class ListState(AppState):
    """Shared by both list pages: the filters, the neighbourhoods, the export query."""

    neighbourhood_options: list[dict[str, str]] = []
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
    def _load(self):
        actor, redirect = self._load_identity(STAFF)
        if redirect is not None:
            return redirect
        self.neighbourhood_options = self._neighbourhood_options(actor.commune_id)
        self._search(actor, self._filters_from(dict(self.router.page.params)) or search.Filters())
        return None

    def _apply(self, form_data: dict):
        actor = self._staff()
        if actor is None:
            return rx.redirect("/login")
        filters = self._filters_from(form_data)
        if filters is not None:
            self._search(actor, filters)
        return None


class MissionListState(ListState):
    rows: list[dict[str, str]] = []

    def _search(self, actor, filters: search.Filters) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            lines = search.missions(session, actor=actor, filters=filters, timezone=tz)
        self.count_text = count_line(N_("{count} mission(s) found"), len(lines),
                                     min(len(lines), SHOWN), self.locale)
        self.rows = [{
            "id": str(line.id), "title": line.title, "status": line.status,
            "status_label": self._tr(STATUS_LABELS.get(line.status, line.status)),
            "category": self._tr(CATEGORY_LABELS.get(line.category, line.category)),
            "neighbourhood": line.neighbourhood, "when": format_when(line.starts_at,
                                                                     self.locale, tz),
            "beneficiary": line.beneficiary, "volunteers": line.volunteers,
            "href": f"/console/missions/{line.id}",
        } for line in lines[:SHOWN]]

    @rx.event
    def load(self):
        return self._load()

    @rx.event
    def apply(self, form_data: dict):
        return self._apply(form_data)


class BeneficiaryListState(ListState):
    rows: list[dict[str, str]] = []

    def _search(self, actor, filters: search.Filters) -> None:
        tz = self._settings.timezone
        with self._unit_of_work() as session:
            lines = search.beneficiaries(session, actor=actor, filters=filters)
        self.count_text = count_line(N_("{count} person(s) found"), len(lines),
                                     min(len(lines), SHOWN), self.locale)
        self.rows = [{
            "id": str(line.id), "name": line.full_name, "neighbourhood": line.neighbourhood,
            "needs": str(line.needs),
            "last": format_when(line.last_need, self.locale, tz) if line.last_need else "",
            "recurring": self._tr(CATEGORY_LABELS.get(line.recurring_category,
                                                      line.recurring_category))
            if line.recurring_category else "",
            "href": "/console/missions?" + urlencode({"q": line.full_name}),
        } for line in lines[:SHOWN]]

    @rx.event
    def load(self):
        return self._load()

    @rx.event
    def apply(self, form_data: dict):
        return self._apply(form_data)
