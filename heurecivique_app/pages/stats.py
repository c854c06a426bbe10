"""/console/stats (a commune's staff) and /console/stats/departement (its coordinator).

Each chart (Recharts, imported by this page only) is followed by its data table
for screen readers and anyone who prefers figures, and a CSV download of it.
The chart itself is ``inert`` (out of the accessibility tree and the tab
order): the table says the same thing.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, leaflet, ui
from heurecivique_app.components.forms import dynamic_select, select, text_input
from heurecivique_app.components.layout import page
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.domain.community import ISSUE_CATEGORY_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.stats import PeriodKind
from heurecivique_app.domain.text import N_
from heurecivique_app.state.stats import StatsState

PERIOD_LABELS = {PeriodKind.MONTH.value: N_("Month"), PeriodKind.QUARTER.value: N_("Quarter"),
                 PeriodKind.YEAR.value: N_("Year"),
                 PeriodKind.CUSTOM.value: N_("Custom (from… to…)")}
# Colour-blind-safe palette (Okabe–Ito), one per category in the stacked bars.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#999999"]


def _filters() -> rx.Component:
    errors = rx.Var.create({})
    return ui.card(forms.form(
        ui.vstack(
            ui.grid(
                select(errors, N_("Period"), "period", PERIOD_LABELS),
                text_input(errors, N_("A day in the period"), "anchor", type="date"),
                text_input(errors, N_("From"), "start", type="date"),
                text_input(errors, N_("To"), "end", type="date"),
                dynamic_select(errors, N_("Neighbourhood"), "n",
                               StatsState.neighbourhood_options),
                select(errors, N_("Category"), "category",
                       {**CATEGORY_LABELS, **ISSUE_CATEGORY_LABELS}),
                columns=rx.breakpoints(initial="1", sm="3"), spacing="3", width="100%"),
            ui.button(T("Filter"), type="submit", size="3", id="apply-stats-filters"),
            spacing="3", width="100%"),
        on_submit=StatsState.apply, reset_on_submit=False,
    ), width="100%")


def _figure(figure: rx.Var) -> rx.Component:
    return rx.el.div(
        rx.el.dt(figure["label"], class_name="stats-label"),
        rx.el.dd(figure["value"], class_name="stats-value", style={"fontWeight": "700",
                                                                    "fontSize": "1.4rem",
                                                                    "margin": "0"}),
        style={"padding": "0.5rem", "border": "1px solid #d0d5dd", "borderRadius": "8px"},
    )


def _csv_link(key: rx.Var) -> rx.Component:
    # A plain download: the server reads the session cookie and checks who may see it.
    return rx.el.a(T("Export as CSV"), href="/api/stats/" + key + ".csv?" + StatsState.export_query,
                   class_name="touch-link", download="",
                   custom_attrs={"reloadDocument": True})


def _table(table: rx.Var) -> rx.Component:
    return rx.el.section(
        ui.heading(table["title"], as_="h2", size="4"),
        ui.box(ui.table(
            ui.thead(ui.tr(rx.foreach(
                table["headers"].to(list[str]),
                lambda h: ui.th(h, scope="col")))),
            ui.tbody(rx.foreach(table["rows"].to(list[list[str]]), lambda row: ui.tr(
                rx.foreach(row, lambda cell: ui.td(cell))))),
            width="100%", size="1"), overflow_x="auto", width="100%"),
        _csv_link(table["key"].to(str)),
        id="stats-table-" + table["key"].to(str), width="100%",
    )


def _chart(title: str, chart: rx.Component) -> rx.Component:
    # The table below says the same: the drawing is ``inert``, out of the accessibility
    # tree and of the tab order (Recharts makes its surface focusable for a keyboard
    # layer that would only repeat the table).
    return rx.el.figure(
        rx.el.figcaption(T(title), style={"fontWeight": "600"}),
        ui.box(chart, width="100%", custom_attrs={"inert": True}),
        style={"margin": "0", "width": "100%"},
    )


def _months_chart() -> rx.Component:
    bars = [rx.recharts.bar(data_key=str(code), stack_id="hours", fill=PALETTE[i % 9],
                            name=T(label), is_animation_active=False)
            for i, (code, label) in enumerate(CATEGORY_LABELS.items())]
    return _chart(N_("Hours given per month, by category"), rx.recharts.bar_chart(
        *bars, rx.recharts.x_axis(data_key="label"), rx.recharts.y_axis(),
        rx.recharts.legend(),
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        data=StatsState.chart_months, width="100%", height=280))


def _channels_chart() -> rx.Component:
    return _chart(N_("Fill rate by intake channel"), rx.recharts.bar_chart(
        rx.recharts.bar(data_key="rate", fill=PALETTE[0], is_animation_active=False),
        rx.recharts.x_axis(data_key="label"), rx.recharts.y_axis(domain=[0, 100]),
        data=StatsState.chart_channels, width="100%", height=220))


def _satisfaction_chart() -> rx.Component:
    return _chart(N_("Satisfaction of both sides"), rx.recharts.bar_chart(
        rx.recharts.bar(data_key="beneficiaries", fill=PALETTE[0], is_animation_active=False),
        rx.recharts.bar(data_key="volunteers", fill=PALETTE[1], is_animation_active=False),
        rx.recharts.x_axis(data_key="label"), rx.recharts.y_axis(),
        data=StatsState.chart_satisfaction, width="100%", height=220))


def _communes_chart() -> rx.Component:
    return _chart(N_("Hours given by commune"), rx.recharts.bar_chart(
        rx.recharts.bar(data_key="hours", fill=PALETTE[2], is_animation_active=False),
        rx.recharts.x_axis(data_key="label"), rx.recharts.y_axis(),
        data=StatsState.chart_communes, width="100%", height=260))


def _communes_map() -> rx.Component:
    # Leaflet (NoSSR) on this page only; the table beside it says the same, so the map
    # is inert like the charts: out of the accessibility tree and the tab order.
    return _chart(N_("Map of the communes, shaded by the hours given"), ui.box(
        leaflet.map_container(
            leaflet.tile_layer(url=StatsState.tile_url, attribution=StatsState.attribution),
            rx.foreach(StatsState.map_markers, lambda m: leaflet.circle_marker(
                leaflet.popup(m["label"]), center=m["center"], radius=12,
                path_options={"color": "#1f2937", "weight": 1, "fillColor": m["colour"],
                              "fillOpacity": 0.9})),
            center=StatsState.map_centre, zoom=9, scroll_wheel_zoom=False,
            style={"height": "22rem", "width": "100%"}),
        id="stats-map", width="100%"))


def _sort_header(index: int, header: rx.Var) -> rx.Component:
    return ui.th(
        rx.el.button(header, on_click=StatsState.sort_by(index), type="button",
                     class_name="touch-link",
                     style={"background": "none", "border": "none", "padding": "0",
                            "font": "inherit", "cursor": "pointer",
                            "textDecoration": "underline"}),
        scope="col",
        aria_sort=rx.cond(StatsState.sort_column == index,
                          rx.cond(StatsState.sort_descending, "descending", "ascending"),
                          "none"),
    )


def _communes() -> rx.Component:
    table = StatsState.communes
    return rx.el.section(
        ui.heading(table["title"], as_="h2", size="4"),
        _communes_map(),
        _communes_chart(),
        ui.text(T("Sort by a column: choose its title; again to reverse."), size="2"),
        ui.box(ui.table(
            ui.thead(ui.tr(rx.foreach(
                table["headers"].to(list[str]), lambda h, i: _sort_header(i, h)))),
            ui.tbody(rx.foreach(table["rows"].to(list[list[str]]), lambda row: ui.tr(
                rx.foreach(row, lambda cell: ui.td(cell))))),
            width="100%", size="1", id="stats-communes"), overflow_x="auto", width="100%"),
        _csv_link(rx.Var.create("communes")),
        width="100%",
    )


def _nav() -> rx.Component:
    return ui.hstack(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        # Full document loads: the département's page has a map, and its own
        # Content-Security-Policy (the tile host) applies only to a document it serves.
        rx.cond(StatsState.is_coordinator, ui.hstack(
            rx.el.a(T("My commune"), href="/console/stats", class_name="touch-link",
                    custom_attrs={"reloadDocument": True}),
            rx.el.a(T("The département"), href="/console/stats/departement",
                    class_name="touch-link", custom_attrs={"reloadDocument": True}),
            spacing="4")),
        spacing="4", wrap="wrap")


def stats_page() -> rx.Component:
    return page(
        ui.heading(rx.cond(StatsState.title != "", StatsState.title,
                           T("Evaluation")), as_="h1", size="7"),
        _nav(),
        rx.cond(StatsState.error != "", ui.callout(StatsState.error, color_scheme="red",
                                                     role="alert")),
        _filters(),
        rx.el.a(T("Report for the municipal council (PDF)"),
                href="/api/stats/report.pdf?" + StatsState.export_query, id="stats-report",
                class_name="touch-link", download="", custom_attrs={"reloadDocument": True}),
        rx.el.dl(rx.foreach(StatsState.figures, _figure), id="stats-figures",
                 style={"display": "grid", "gap": "0.5rem",
                        "gridTemplateColumns": "repeat(auto-fill, minmax(12rem, 1fr))",
                        "width": "100%", "margin": "0"}),
        ui.text(StatsState.version, id="stats-version", hidden=True),
        # A change landed in a commune shown: this tab reads its own figures again.
        on_live_version(version=StatsState.live_version, when=StatsState.version > 0,
                        then=StatsState.refresh),
        rx.cond(StatsState.departement, _communes()),
        _months_chart(),
        _channels_chart(),
        _satisfaction_chart(),
        rx.foreach(StatsState.tables, _table),
        next_path="/console/stats",
        max_width="80rem",
    )
