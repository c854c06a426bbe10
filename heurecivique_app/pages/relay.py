"""/relay: the neighbourhood relay's home (their reports, missions to share), made for a phone.

The two forms live in their own modules (pages/relay_issue.py, pages/relay_need.py):
Reflex bundles a page module's components together, and each form's fields would
otherwise weigh on every relay page (the issue form's photo picker was react-dropzone,
14.8 kB gzipped, before it became a native file input)."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T, T_steady
from heurecivique_app.domain.text import N_
from heurecivique_app.state.relay import RelayState

ERR = RelayState.field_errors

# Opens the phone's share sheet, or copies the link where there is none (compiled
# into the bundle like LOCATE_JS; ``{href}`` is the row's link expression).
SHARE_JS = ("() => {{ const u = window.location.origin + {href}; if (navigator.share) {{"
            " navigator.share({{url: u}}).catch(() => {{}}); }} else if (navigator.clipboard)"
            " {{ navigator.clipboard.writeText(u); }} }}")


def board_links() -> rx.Component:
    """The boards of the relay's neighbourhoods (placeholders of the same height until
    the state arrives: most relays watch one or two)."""
    return rx.cond(
        RelayState.loaded,
        ui.hstack(rx.foreach(RelayState.neighbourhood_options, lambda hood: ui.link(
            T("Board"), " ", hood["name"], href="/board?n=" + hood["id"],
            class_name="touch relay-board-link")), wrap="wrap", spacing="4", width="100%",
            id="relay-boards"),
        ui.skeleton("44px", width="100%"),
    )


def form_result() -> rx.Component:
    return rx.cond(
        RelayState.form_message != "",
        ui.callout(RelayState.form_message, role="status", id="form-message", width="100%",
                   color_scheme=rx.cond(RelayState.form_ok, "green", "red")),
    )


def relay_form(*fields: rx.Component, send: str, send_id: str, on_submit) -> rx.Component:
    """A relay's report form: its fields, the server's answer, and the send button."""
    return forms.form(
        ui.vstack(
            *fields,
            form_result(),
            ui.button(T(send), type="submit", size="3", id=send_id, width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        key=RelayState.form_key,
        width="100%",
    )


def report_card(row: rx.Var) -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.hstack(ui.text(row["kind"], " · ", row["category"], size="2"), ui.spacer(),
                      ui.badge(row["status_label"], size="2",
                               color_scheme=rx.match(row["status"], ("new", "amber"),
                                                     ("closed", "gray"), "green")),
                      width="100%", wrap="wrap"),
            ui.heading(row["title"], as_="h3", size="4"),
            ui.text(row["neighbourhood"], " · ", row["when"], size="2"),
            rx.cond(row["answer"] != "",
                    cheap.blockquote(row["answer"], class_name="report-answer")),
            spacing="1", width="100%",
        ),
        width="100%",
        class_name="report-card",
        data_report_id=row["id"],
    )


def share_row(row: rx.Var) -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.link(row["title"], href=row["href"], weight="medium", class_name="share-link"),
            ui.text(row["neighbourhood"], " · ", row["when"], size="2"),
            ui.button(T("Share"), type="button", variant="soft", size="2",
                      on_click=rx.call_function(
                          rx.Var(SHARE_JS.format(href=row["href"].to(str)))),
                      aria_label=T("Share this mission")),
            spacing="1", width="100%",
        ),
        width="100%",
    )


def relay_home() -> rx.Component:
    return page(
        ui.heading(T("Neighbourhood relay"), as_="h1", size="7"),
        ui.text(T_steady("Tell the town hall what goes wrong in your neighbourhood, and pass "
                         "the missions on to your neighbours.")),
        board_links(),
        ui.heading(T("My reports"), as_="h2", size="5"),
        # Both lists come with the state: until then a block filling the screen holds
        # their room, so nothing the relay sees moves when they arrive.
        rx.cond(
            RelayState.loaded,
            ui.vstack(
                rx.cond(RelayState.reports.length() > 0,
                        ui.vstack(rx.foreach(RelayState.reports, report_card), width="100%",
                                  id="my-reports"),
                        ui.text(T("No report yet."))),
                ui.heading(T("Missions to share with neighbours"), as_="h2", size="5"),
                rx.cond(RelayState.shareable.length() > 0,
                        ui.vstack(rx.foreach(RelayState.shareable, share_row), width="100%",
                                  id="shareable"),
                        ui.text(T("No open mission right now."))),
                spacing="4", width="100%",
            ),
            ui.skeleton("7rem", count=6, width="100%", class_name="screen-hold",
                        id="relay-loading"),
        ),
        next_path="/relay", nav="relay", active="reports",
    )


def neighbourhood_select() -> rx.Component:
    return forms.dynamic_select(ERR, N_("Neighbourhood"), "neighbourhood_id",
                                RelayState.neighbourhood_options)
