"""/console/missions and /console/beneficiaries: filtered lists, exported as CSV and XLSX."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import dynamic_select, select, text_input
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS, STATUS_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.lists import BeneficiaryListState, ListState, MissionListState

KIND_OPTIONS = {"individual": N_("Individual"), "collective": N_("Collective action")}


def _export_link(label: str, kind: str, fmt: str, query: rx.Var, link_id: str) -> rx.Component:
    # A plain download: the server reads the session cookie and refuses non-staff.
    return rx.el.a(T(label), href=f"/api/exports/{kind}.{fmt}?" + query, id=link_id,
                   class_name="touch-link", download="",
                   custom_attrs={"reloadDocument": True})


def exports(kind: str, state: type[ListState]) -> rx.Component:
    return rx.el.nav(ui.hstack(
        ui.text(T("Export this list:"), weight="medium"),
        _export_link(N_("CSV (spreadsheet)"), kind, "csv", state.export_query,
                     f"export-{kind}-csv"),
        _export_link(N_("Excel (XLSX)"), kind, "xlsx", state.export_query,
                     f"export-{kind}-xlsx"),
        spacing="4", align="center", wrap="wrap",
    ), aria_label=T("Exports"))


def _filters(state: type[ListState], with_mission_fields: bool) -> rx.Component:
    errors = state.filter_errors
    fields = [text_input(errors, N_("Search"), "q", placeholder="", type="search")]
    if with_mission_fields:
        fields += [
            select(errors, N_("Status"), "status", STATUS_LABELS),
            select(errors, N_("Category"), "category", CATEGORY_LABELS),
            select(errors, N_("Kind"), "kind", KIND_OPTIONS),
            text_input(errors, N_("From"), "date_from", type="date"),
            text_input(errors, N_("To"), "date_to", type="date"),
        ]
    fields.append(dynamic_select(errors, N_("Neighbourhood"), "neighbourhood_id",
                                 state.neighbourhood_options))
    return ui.card(forms.form(
        ui.vstack(
            ui.grid(*fields, columns=rx.breakpoints(initial="1", sm="3"), spacing="3",
                    width="100%"),
            ui.button(T("Filter"), type="submit", size="3", id="apply-filters"),
            spacing="3", width="100%",
        ),
        on_submit=state.apply, reset_on_submit=False,
    ), width="100%")


def _nav() -> rx.Component:
    return ui.hstack(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        ui.link(T("Missions"), href="/console/missions", class_name="touch-link"),
        ui.link(T("Beneficiaries"), href="/console/beneficiaries", class_name="touch-link"),
        spacing="4", wrap="wrap",
    )


def _mission_row(row: rx.Var) -> rx.Component:
    return ui.tr(
        ui.td(ui.link(row["title"], href=row["href"], class_name="touch-link"),
                      ui.text(row["category"], " · ", row["neighbourhood"], size="1",
                              color_scheme="gray")),
        ui.td(row["when"]),
        ui.td(row["beneficiary"]),
        ui.td(row["volunteers"]),
        ui.td(status_badge(row["status"], row["status_label"])),
        class_name="list-row",
    )


def _page_link(link: rx.Var) -> rx.Component:
    return rx.el.li(rx.cond(
        link["number"] == "",
        rx.el.span("…", aria_hidden="true", class_name="pager-gap"),
        ui.link(link["number"], href=link["href"], class_name="pager-link",
                aria_current=rx.cond(link["current"], "page", "false"),
                aria_label=T("Page") + " " + link["number"]),
    ))


def pager() -> rx.Component:
    """The pages of the missions list: previous, numbered pages, next (plain links: the
    Tab key reaches them, Enter follows; each page has its own address)."""
    S = MissionListState
    return rx.cond(
        S.page_links.length() > 0,
        rx.el.nav(
            rx.el.ul(
                rx.el.li(rx.cond(S.prev_href != "",
                                 ui.link(T("Previous page"), href=S.prev_href, id="page-prev",
                                         class_name="pager-link", rel="prev"))),
                rx.foreach(S.page_links, _page_link),
                rx.el.li(rx.cond(S.next_href != "",
                                 ui.link(T("Next page"), href=S.next_href, id="page-next",
                                         class_name="pager-link", rel="next"))),
                class_name="pager",
            ),
            aria_label=T("Pages of the list"), id="missions-pager",
        ),
    )


def missions_list() -> rx.Component:
    return page(
        ui.heading(T("Missions: search and export"), as_="h1", size="7"),
        _nav(),
        _filters(MissionListState, with_mission_fields=True),
        exports("missions", MissionListState),
        ui.card(ui.vstack(
            ui.heading(T("Volunteers"), as_="h2", size="4"),
            ui.text(T("Every volunteer of the commune, with their time given (personal data: "
                      "keep the file safe)."), size="2"),
            ui.hstack(
                _export_link(N_("CSV (spreadsheet)"), "volunteers", "csv",
                             rx.Var.create(""), "export-volunteers-csv"),
                _export_link(N_("Excel (XLSX)"), "volunteers", "xlsx", rx.Var.create(""),
                             "export-volunteers-xlsx"),
                spacing="4", wrap="wrap"),
            width="100%"), width="100%"),
        ui.hstack(
            ui.text(MissionListState.count_text, role="status", id="list-count"),
            rx.cond(MissionListState.page_links.length() > 0,
                    ui.text(MissionListState.page_text, id="page-number", color_scheme="gray")),
            spacing="4", wrap="wrap", align="baseline",
        ),
        rx.cond(
            MissionListState.rows.length() > 0,
            ui.table(
                ui.thead(ui.tr(
                    ui.th(T("Mission")),
                    ui.th(T("When")),
                    ui.th(T("Beneficiary")),
                    ui.th(T("Volunteers")),
                    ui.th(T("Status")),
                )),
                ui.tbody(rx.foreach(MissionListState.rows, _mission_row)),
                width="100%", id="missions-list", label=T("Missions found"),
            ),
            rx.cond(MissionListState.loaded,
                    ui.text(rx.cond(MissionListState.filtered,
                                    T("No mission matches these filters."),
                                    T("The commune has no mission yet.")), id="missions-empty"),
                    ui.skeleton(height="2.75rem", count=6, width="100%")),
        ),
        pager(),
        next_path="/console/missions",
        max_width="80rem",
    )


def _beneficiary_row(row: rx.Var) -> rx.Component:
    return ui.tr(
        ui.td(ui.link(row["name"], href=row["href"], class_name="touch-link")),
        ui.td(row["neighbourhood"]),
        ui.td(row["needs"]),
        ui.td(row["last"]),
        ui.td(rx.cond(row["recurring"] != "",
                              ui.badge(T("Recurring: "), row["recurring"], color_scheme="amber",
                                       high_contrast=True, size="2"))),
        class_name="list-row",
    )


def beneficiaries_list() -> rx.Component:
    return page(
        ui.heading(T("Beneficiaries"), as_="h1", size="7"),
        _nav(),
        ui.text(T("A person is flagged when 3 or more needs of the same kind fall within 90 "
                  "days: L'Heure Civique is for one-off help."), size="2"),
        _filters(BeneficiaryListState, with_mission_fields=False),
        exports("beneficiaries", BeneficiaryListState),
        ui.text(BeneficiaryListState.count_text, role="status", id="list-count"),
        rx.cond(
            BeneficiaryListState.rows.length() > 0,
            ui.table(
                ui.thead(ui.tr(
                    ui.th(T("Full name")),
                    ui.th(T("Neighbourhood")),
                    ui.th(T("Needs")),
                    ui.th(T("Last need")),
                    ui.th(T("Recurring request")),
                )),
                ui.tbody(rx.foreach(BeneficiaryListState.rows, _beneficiary_row)),
                width="100%", id="beneficiaries-list",
            ),
            ui.text(T("Nobody matches these filters.")),
        ),
        next_path="/console/beneficiaries",
        max_width="80rem",
    )


__all__ = ["beneficiaries_list", "missions_list"]
