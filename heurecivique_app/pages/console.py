"""/console: the referent's tablet console — intake of needs, missions, live activity."""

import reflex as rx

from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS, CHANNEL_LABELS
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.console import ConsoleState


def error_for(name: str) -> rx.Component:
    return rx.cond(
        ConsoleState.field_errors.contains(name),
        rx.text(ConsoleState.field_errors[name], color_scheme="red", size="2",
                id=f"{name}-error", role="alert"),
    )


def labelled(label: str, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.el.label(T(label), html_for=name), control, error_for(name),
                     spacing="1", width="100%")


def text_input(label: str, name: str, **props) -> rx.Component:
    return labelled(label, name, rx.input(id=name, name=name, width="100%", **props))


def select(label: str, name: str, options: dict[str, str]) -> rx.Component:
    return labelled(label, name, rx.el.select(
        rx.el.option(T("Choose…"), value=""),
        *[rx.el.option(T(text), value=value) for value, text in options.items()],
        id=name, name=name, class_name="native-select",
    ))


def checkbox(label: str, name: str, default: bool = False) -> rx.Component:
    return rx.vstack(
        rx.el.label(
            rx.el.input(type="checkbox", name=name, id=name, default_checked=default,
                        class_name="touch-check"),
            " ", T(label),
            html_for=name,
        ),
        error_for(name),
        spacing="1",
    )


def intake_form() -> rx.Component:
    neighbourhood_select = labelled(N_("Neighbourhood"), "neighbourhood_id", rx.el.select(
        rx.el.option(T("Choose…"), value=""),
        rx.foreach(ConsoleState.neighbourhood_options,
                   lambda h: rx.el.option(h["name"], value=h["id"])),
        id="neighbourhood_id", name="neighbourhood_id", class_name="native-select",
    ))
    return rx.card(rx.form(
        rx.vstack(
            rx.heading(T("New need"), as_="h2", size="5"),
            select(N_("How did the need reach you?"), "channel", CHANNEL_LABELS),
            select(N_("Category"), "category", CATEGORY_LABELS),
            text_input(N_("Short title"), "title"),
            labelled(N_("Description"), "description",
                     rx.text_area(id="description", name="description", width="100%")),
            neighbourhood_select,
            rx.heading(T("Beneficiary"), as_="h3", size="3"),
            text_input(N_("Full name"), "beneficiary_name"),
            text_input(N_("Phone"), "beneficiary_phone", type="tel"),
            text_input(N_("Address"), "address", auto_complete="off"),
            text_input(N_("Access notes (door code, floor…)"), "access_notes"),
            checkbox(N_("The person agrees that we store these details"), "consent"),
            rx.heading(T("When"), as_="h3", size="3"),
            rx.hstack(text_input(N_("Preferred date"), "preferred_date", type="date"),
                      text_input(N_("Time"), "preferred_time", type="time", default_value="10:00"),
                      text_input(N_("Duration (minutes)"), "duration_minutes", type="number",
                                 default_value="60"),
                      width="100%"),
            rx.el.fieldset(
                rx.el.legend(T("The rules of L'Heure Civique")),
                rx.vstack(*[rx.text("• ", T(text), size="2") for text in RULE_TEXTS.values()],
                          spacing="1"),
                checkbox(N_("It would replace a professional"), "replaces_professional"),
                checkbox(N_("It is a recurring need"), "recurring"),
                checkbox(N_("It is urgent"), "urgent"),
                checkbox(N_("I told the person that each party's civil-liability insurance "
                            "applies"), "insurance_acknowledged"),
                style={"border": "1px solid var(--gray-6)", "borderRadius": "8px",
                       "padding": "0.75rem"},
            ),
            checkbox(N_("Publish on the neighbourhood board now"), "publish", default=True),
            rx.cond(ConsoleState.form_message != "",
                    rx.callout(ConsoleState.form_message, role="status", id="form-message",
                               width="100%")),
            rx.button(T("Save the need"), type="submit", size="3", id="save-need"),
            spacing="3",
            width="100%",
        ),
        on_submit=ConsoleState.submit_need,
        reset_on_submit=False,
        key=ConsoleState.form_key,
    ), width="100%")


def mission_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["title"], weight="medium"),
                      rx.text(row["category"], " · ", row["neighbourhood"], size="1",
                              color_scheme="gray"),
                      rx.link(T("Place on the map"), href="/place/" + row["id"], size="1",
                              class_name="place-link")),
        rx.table.cell(row["when"]),
        rx.table.cell(status_badge(row["status"], row["status_label"]),
                      class_name="mission-status"),
        rx.table.cell(
            rx.cond(row["can_publish"] != "",
                    rx.button(T("Publish"), size="2",
                              on_click=ConsoleState.publish(row["id"]))),
            rx.cond(row["can_close"] != "",
                    rx.button(T("Mark as done"), size="2", variant="soft",
                              on_click=ConsoleState.mark_done(row["id"]))),
        ),
        data_mission_id=row["id"],
        class_name="mission-row",
    )


def missions_table() -> rx.Component:
    return rx.vstack(
        rx.heading(T("Missions"), as_="h2", size="5"),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(T("Mission")),
                rx.table.column_header_cell(T("When")),
                rx.table.column_header_cell(T("Status")),
                rx.table.column_header_cell(T("Actions")),
            )),
            rx.table.body(rx.foreach(ConsoleState.missions, mission_row)),
            width="100%",
            id="console-missions",
        ),
        width="100%",
    )


def waiting_list() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T("Still without a volunteer"), as_="h2", size="4"),
        rx.cond(
            ConsoleState.waiting.length() > 0,
            rx.el.ul(rx.foreach(ConsoleState.waiting, lambda m: rx.el.li(
                rx.link(m["title"], href=m["href"]),
                rx.text(m["neighbourhood"], " · ", m["age"], size="1", color_scheme="gray"),
            )), id="waiting-list", style={"paddingLeft": "1rem"}),
            rx.text(T("Every open mission has a volunteer.")),
        ),
        width="100%",
    ), width="100%")


def _panel(title: str, items: rx.Var, item, empty: str, list_id: str) -> rx.Component:
    """A card of the live dashboard: a heading, a list (or an empty state)."""
    return rx.card(rx.vstack(
        rx.heading(T(title), as_="h2", size="4"),
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, item), id=list_id, style={"paddingLeft": "1rem"}),
                rx.text(T(empty), size="2")),
        width="100%",
    ), width="100%")


def _mission_item(m: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(m["title"], href=m["href"], class_name="touch-link"),
        rx.text(m["when"], " · ", m["neighbourhood"], " · ", m["status_label"], size="1",
                color_scheme="gray"),
    )


def today_panel() -> rx.Component:
    return _panel(N_("Today"), ConsoleState.today, _mission_item,
                  N_("No mission today."), "today-list")


def followups_panel() -> rx.Component:
    return _panel(N_("To follow up and close"), ConsoleState.followups, _mission_item,
                  N_("Every past mission is closed."), "followup-list")


def pending_panel() -> rx.Component:
    return _panel(N_("Volunteers awaiting validation"), ConsoleState.pending_volunteers,
                  lambda v: rx.el.li(
                      rx.link(v["name"], href=v["href"], class_name="touch-link"),
                      rx.text(v["neighbourhood"], " · ", v["since"], size="1",
                              color_scheme="gray")),
                  N_("Nobody is waiting for an interview."), "pending-volunteers")


def reports_panel() -> rx.Component:
    return _panel(N_("New relay reports"), ConsoleState.new_reports,
                  lambda r: rx.el.li(
                      rx.link(r["title"], href=r["href"], class_name="touch-link"),
                      rx.text(r["neighbourhood"], " · ", r["when"], size="1",
                              color_scheme="gray")),
                  N_("No new report."), "new-reports")


def console_nav() -> rx.Component:
    return rx.el.nav(rx.hstack(
        rx.link(T("Relay reports"), href="/console/reports", id="reports-link",
                class_name="touch-link"),
        rx.link(T("Search and export"), href="/console/missions", id="missions-link",
                class_name="touch-link"),
        rx.link(T("Beneficiaries"), href="/console/beneficiaries", id="beneficiaries-link",
                class_name="touch-link"),
        rx.link(T("New collective action"), href="/console/collective/new",
                id="collective-link", class_name="touch-link"),
        spacing="4", wrap="wrap",
    ), aria_label=T("Console"))


def activity_feed() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T("Live activity"), as_="h2", size="4"),
        rx.cond(
            ConsoleState.activity.length() > 0,
            rx.el.ul(rx.foreach(ConsoleState.activity, lambda a: rx.el.li(
                rx.text(a["text"], size="2"), rx.text(a["when"], size="1", color_scheme="gray"),
            )), id="activity-feed", aria_live="polite", style={"paddingLeft": "1rem"}),
            rx.text(T("Nothing yet today.")),
        ),
        width="100%",
    ), width="100%")


def console() -> rx.Component:
    return page(
        rx.heading(T("Referent console"), as_="h1", size="7"),
        console_nav(),
        rx.grid(
            today_panel(), followups_panel(), pending_panel(), reports_panel(),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        rx.grid(
            rx.vstack(missions_table(), waiting_list(), activity_feed(), width="100%"),
            intake_form(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        next_path="/console",
        max_width="80rem",
    )
