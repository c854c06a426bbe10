"""/relay, /relay/issue, /relay/need: the neighbourhood relay's pages, made for a phone."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.relay import RelayState

ERR = RelayState.field_errors

# Opens the phone's share sheet, or copies the link where there is none (compiled
# into the bundle like LOCATE_JS; ``{href}`` is the row's link expression).
SHARE_JS = ("() => {{ const u = window.location.origin + {href}; if (navigator.share) {{"
            " navigator.share({{url: u}}).catch(() => {{}}); }} else if (navigator.clipboard)"
            " {{ navigator.clipboard.writeText(u); }} }}")


def relay_nav() -> rx.Component:
    return rx.el.nav(
        ui.hstack(
            ui.link(T("My reports"), href="/relay", class_name="touch"),
            ui.link(T("Report an issue"), href="/relay/issue", class_name="touch",
                    id="nav-issue"),
            ui.link(T("Report a need"), href="/relay/need", class_name="touch", id="nav-need"),
            rx.foreach(RelayState.neighbourhood_options, lambda hood: ui.link(
                T("Board"), " ", hood["name"], href="/board?n=" + hood["id"],
                class_name="touch relay-board-link")),
            wrap="wrap", spacing="4",
        ),
        aria_label=T("Relay menu"),
    )


def form_result() -> rx.Component:
    return rx.cond(
        RelayState.form_message != "",
        ui.callout(RelayState.form_message, role="status", id="form-message", width="100%",
                   color_scheme=rx.cond(RelayState.form_ok, "green", "red")),
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
        relay_nav(),
        ui.heading(T("My reports"), as_="h2", size="5"),
        rx.cond(
            RelayState.reports.length() > 0,
            ui.vstack(rx.foreach(RelayState.reports, report_card), width="100%",
                      id="my-reports"),
            rx.cond(RelayState.loaded, ui.text(T("No report yet."))),
        ),
        ui.heading(T("Missions to share with neighbours"), as_="h2", size="5"),
        rx.cond(
            RelayState.shareable.length() > 0,
            ui.vstack(rx.foreach(RelayState.shareable, share_row), width="100%",
                      id="shareable"),
            rx.cond(RelayState.loaded, ui.text(T("No open mission right now."))),
        ),
        next_path="/relay",
    )


def neighbourhood_select() -> rx.Component:
    return forms.dynamic_select(ERR, N_("Neighbourhood"), "neighbourhood_id",
                                RelayState.neighbourhood_options)


def need_form() -> rx.Component:
    return forms.form(
        ui.vstack(
            forms.select(ERR, N_("Category"), "category", CATEGORY_LABELS),
            forms.text_input(ERR, N_("Short title"), "title"),
            forms.text_area(ERR, N_("Description"), "description"),
            neighbourhood_select(),
            ui.heading(T("The neighbour"), as_="h2", size="3"),
            forms.text_input(ERR, N_("Full name"), "beneficiary_name"),
            forms.text_input(ERR, N_("Phone"), "beneficiary_phone", type="tel"),
            forms.text_input(ERR, N_("Address"), "address", auto_complete="off"),
            forms.text_input(ERR, N_("Access notes (door code, floor…)"), "access_notes"),
            forms.checkbox(ERR, N_("The person agrees that we store these details"),
                           "consent"),
            ui.heading(T("When"), as_="h2", size="3"),
            forms.text_input(ERR, N_("Preferred date"), "preferred_date", type="date"),
            ui.hstack(
                forms.text_input(ERR, N_("Time"), "preferred_time", type="time",
                                 default_value="10:00"),
                forms.text_input(ERR, N_("Duration (minutes)"), "duration_minutes",
                                 type="number", default_value="60"),
                width="100%",
            ),
            ui.checkbox_group(
                T("The rules of L'Heure Civique"),
                ui.vstack(*[ui.text("• ", T(text), size="2") for text in RULE_TEXTS.values()],
                          spacing="1"),
                forms.checkbox(ERR, N_("It would replace a professional"),
                               "replaces_professional"),
                forms.checkbox(ERR, N_("It is a recurring need"), "recurring"),
                forms.checkbox(ERR, N_("It is urgent"), "urgent"),
                forms.checkbox(ERR, N_("I told the person that each party's civil-liability "
                                       "insurance applies"), "insurance_acknowledged"),
            ),
            form_result(),
            ui.button(T("Send to the referent"), type="submit", size="3", id="send-need",
                      width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=RelayState.submit_need,
        reset_on_submit=False,
        key=RelayState.form_key,
        width="100%",
    )


def relay_need() -> rx.Component:
    return page(
        ui.heading(T("Report a neighbour's need"), as_="h1", size="6"),
        relay_nav(),
        ui.text(T("The referent checks the need and calls your neighbour back before it "
                  "goes on the board.")),
        need_form(),
        next_path="/relay/need",
    )
