"""/console: the referent's tablet console — missions, live activity, links to intake,
the volunteer pool and matching."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
from heurecivique_app.state.base import AppState
from heurecivique_app.state.console import ConsoleState


def mission_row(row: rx.Var) -> rx.Component:
    return ui.tr(
        ui.td(ui.text(row["title"], weight="medium"),
                      ui.text(row["category"], " · ", row["neighbourhood"], size="1",
                              color_scheme="gray"),
                      ui.link(T("Place on the map"), href="/place/" + row["id"], size="1",
                              class_name="place-link"),
                      rx.cond((row["status"] == "open") | (row["status"] == "full"),
                              ui.link(T("Find a volunteer"), href="/console/match/" + row["id"],
                                      size="1", class_name="match-link")),
                      ui.link(T("Manage"), href="/console/missions/" + row["id"], size="1",
                              class_name="manage-link",
                              aria_label=T("Manage") + " " + row["title"])),
        ui.td(row["when"]),
        ui.td(status_badge(row["status"], row["status_label"]),
                      class_name="mission-status"),
        ui.td(
            rx.cond(row["can_publish"],
                    ui.button(T("Publish"), size="2",
                              on_click=ConsoleState.publish(row["id"]))),
            rx.cond(row["can_close"],
                    ui.button(T("Mark as done"), size="2", variant="soft",
                              on_click=ConsoleState.mark_done(row["id"]))),
        ),
        data_mission_id=row["id"],
        data_status=row["status"],
        class_name="mission-row",
    )


def missions_table() -> rx.Component:
    return ui.vstack(
        ui.heading(T("Missions"), as_="h2", size="5"),
        ui.table(
            ui.thead(ui.tr(
                ui.th(T("Mission")),
                ui.th(T("When")),
                ui.th(T("Status")),
                ui.th(T("Actions")),
            )),
            ui.tbody(rx.foreach(ConsoleState.missions, mission_row)),
            width="100%",
            id="console-missions",
        ),
        width="100%",
    )


def waiting_list() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Still without a volunteer"), as_="h2", size="4"),
        rx.cond(
            ConsoleState.waiting.length() > 0,
            rx.el.ul(rx.foreach(ConsoleState.waiting, lambda m: rx.el.li(
                ui.link(m["title"], href=m["href"]),
                ui.text(m["neighbourhood"], " · ", m["age"], size="1", color_scheme="gray"),
            )), id="waiting-list", style={"paddingLeft": "1rem"}),
            ui.text(T("Every open mission has a volunteer.")),
        ),
        width="100%",
    ), width="100%")


def _panel(title: str, items: rx.Var, item, empty: str, list_id: str) -> rx.Component:
    """A card of the live dashboard: a heading, a list (or an empty state)."""
    return ui.card(ui.vstack(
        ui.heading(T(title), as_="h2", size="4"),
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, item), id=list_id, style={"paddingLeft": "1rem"}),
                ui.text(T(empty), size="2")),
        width="100%",
    ), width="100%")


def _mission_item(m: rx.Var) -> rx.Component:
    return rx.el.li(
        ui.link(m["title"], href=m["href"], class_name="touch-link"),
        ui.text(m["when"], " · ", m["neighbourhood"], " · ", m["status_label"], size="1",
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
                      ui.link(v["name"], href=v["href"], class_name="touch-link"),
                      ui.text(v["neighbourhood"], " · ", v["since"], size="1",
                              color_scheme="gray")),
                  N_("Nobody is waiting for an interview."), "pending-volunteers")


def reports_panel() -> rx.Component:
    return _panel(N_("New relay reports"), ConsoleState.new_reports,
                  lambda r: rx.el.li(
                      ui.link(r["title"], href=r["href"], class_name="touch-link"),
                      ui.text(r["neighbourhood"], " · ", r["when"], size="1",
                              color_scheme="gray")),
                  N_("No new report."), "new-reports")


def console_nav() -> rx.Component:
    return rx.el.nav(ui.hstack(
        ui.link(T("New need"), href="/console/intake", id="intake-link",
                class_name="touch-link", weight="bold"),
        ui.link(T("Volunteers"), href="/console/volunteers", id="pool-link",
                class_name="touch-link"),
        ui.link(T("Awaiting validation"), href="/console/volunteers?status=pending",
                id="pending-link", class_name="touch-link"),
        ui.link(T("Relay reports"), href="/console/reports", id="reports-link",
                class_name="touch-link"),
        ui.link(T("Search and export"), href="/console/missions", id="missions-link",
                class_name="touch-link"),
        ui.link(T("Beneficiaries"), href="/console/beneficiaries", id="beneficiaries-link",
                class_name="touch-link"),
        ui.link(T("New collective action"), href="/console/collective/new",
                id="collective-link", class_name="touch-link"),
        ui.link(T("Message to volunteers"), href="/console/messages",
                id="messages-link", class_name="touch-link"),
        ui.link(T("Personal data"), href="/console/privacy", id="privacy-link",
                class_name="touch-link"),
        ui.link(T("Audit log"), href="/console/audit", id="audit-link",
                class_name="touch-link"),
        ui.link(T("Evaluation"), href="/console/stats", id="stats-link",
                class_name="touch-link"),
        rx.cond((AppState.user_role == "commune_admin")
                | (AppState.user_role == "departement_admin")
                | (AppState.user_role == "platform_admin"),
                ui.link(T("The team"), href="/console/staff", id="staff-link",
                        class_name="touch-link")),
        rx.cond((AppState.user_role == "commune_admin")
                | (AppState.user_role == "departement_admin"),
                ui.link(T("Communes"), href="/admin/communes", id="communes-link",
                        class_name="touch-link")),
        spacing="4", wrap="wrap",
    ), aria_label=T("Console"))


def activity_feed() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Live activity"), as_="h2", size="4"),
        rx.cond(
            ConsoleState.activity.length() > 0,
            rx.el.ul(rx.foreach(ConsoleState.activity, lambda a: rx.el.li(
                ui.text(a["text"], size="2"), ui.text(a["when"], size="1", color_scheme="gray"),
            )), id="activity-feed", aria_live="polite", style={"paddingLeft": "1rem"}),
            ui.text(T("Nothing yet today.")),
        ),
        width="100%",
    ), width="100%")


def commune_selector() -> rx.Component:
    """Coordinators (several communes): the commune the console works on, chosen on the
    server (the service checks it is one of theirs)."""
    return rx.cond(
        ConsoleState.commune_choices.length() > 0,
        rx.el.form(
            ui.hstack(
                rx.el.label(T("Commune"), html_for="commune-choice"),
                rx.el.select(
                    rx.foreach(ConsoleState.commune_choices,
                               lambda o: rx.el.option(o["name"], value=o["id"])),
                    # Uncontrolled; the key remounts it once the load says which commune.
                    id="commune-choice", name="commune", default_value=ConsoleState.commune_id,
                    key=ConsoleState.commune_id, class_name="native-select"),
                ui.button(T("Work on this commune"), type="submit", size="3",
                          id="commune-choose"),
                rx.cond(ConsoleState.commune_error != "",
                        ui.text(ConsoleState.commune_error, color_scheme="red", role="alert")),
                align="center", wrap="wrap", spacing="3",
            ),
            on_submit=ConsoleState.choose_commune, id="commune-selector",
        ),
    )


def console() -> rx.Component:
    return page(
        ui.heading(T("Referent console"), as_="h1", size="7"),
        commune_selector(),
        console_nav(),
        ui.grid(
            today_panel(), followups_panel(), pending_panel(), reports_panel(),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        ui.grid(
            missions_table(),
            ui.vstack(waiting_list(), activity_feed(), width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        next_path="/console",
        max_width="80rem",
    )
