"""/console: the referent's tablet console — a live dashboard of panes (today, to follow
up, still without a volunteer, awaiting validation, relay reports, the latest missions and
the live feed) that a tablet shows whole, and the links to every console page.

Each pane lists a bounded few (presenters.missions.PANE_LIMITS) and counts them all in
its heading; the full list of missions is /console/missions, page by page."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.connection import message_too_big
from heurecivique_app.components.layout import header, notice, status_badge
from heurecivique_app.components.text import T, T_steady
from heurecivique_app.domain.text import N_
from heurecivique_app.state.base import AppState
from heurecivique_app.state.console import ConsoleState


def mission_row(row: rx.Var) -> rx.Component:
    """One mission of the "latest missions" pane: its status, links and actions."""
    return rx.el.li(
        ui.hstack(
            ui.link(row["title"], href="/console/missions/" + row["id"], weight="medium",
                    class_name="manage-link"),
            ui.spacer(),
            rx.el.span(status_badge(row["status"], row["status_label"]),
                       class_name="mission-status"),
            align="center", spacing="2", wrap="wrap",
        ),
        ui.text(row["when"], " · ", row["category"], " · ", row["neighbourhood"], size="1",
                color_scheme="gray"),
        ui.hstack(
            rx.cond((row["status"] == "open") | (row["status"] == "full"),
                    ui.link(T("Find a volunteer"), href="/console/match/" + row["id"],
                            size="1", class_name="match-link")),
            # A full page load: the map page's own policy lets its tiles in.
            ui.link(T("Place on the map"), href="/place/" + row["id"], size="1",
                    class_name="place-link", custom_attrs={"reloadDocument": True}),
            rx.cond(row["can_publish"],
                    ui.button(T("Publish"), size="1",
                              on_click=ConsoleState.publish(row["id"]))),
            rx.cond(row["can_close"],
                    ui.button(T("Mark as done"), size="1", variant="soft",
                              on_click=ConsoleState.mark_done(row["id"]))),
            align="center", spacing="2", wrap="wrap", class_name="row-actions",
        ),
        data_mission_id=row["id"],
        data_status=row["status"],
        class_name="mission-row",
    )


def _pane(pane_id: str, title: str, count: str, items: rx.Var, item, empty: str,
          list_id: str, *after: rx.Component, live: bool = False) -> rx.Component:
    """A pane of the console: its heading and count, its list (or its empty state)."""
    live_props = {"aria_live": "polite"} if live else {}
    return ui.pane(
        T(title), ConsoleState.counts[count],
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, item), id=list_id, class_name="pane-list",
                         **live_props),
                rx.el.p(T(empty), class_name="pane-empty")),
        *after,
        pane_id=pane_id,
        # Same height in both languages: the panes below do not move when the state
        # switches the pre-rendered French page to English.
        shown_title=T_steady(title),
    )


def _item(title: rx.Var, href: rx.Var, *details: rx.Var) -> rx.Component:
    """A line of a pane: a link, then its details on a smaller line."""
    shown: list = []
    for detail in details:
        shown += [" · ", detail] if shown else [detail]
    return rx.el.li(ui.link(title, href=href, class_name="touch-link"),
                    ui.text(*shown, size="1", color_scheme="gray"))


def _mission_item(m: rx.Var) -> rx.Component:
    return _item(m["title"], m["href"], m["when"], m["neighbourhood"], m["status_label"])


def today_panel() -> rx.Component:
    return _pane("pane-today", N_("Today"), "today", ConsoleState.today, _mission_item,
                 N_("No mission today."), "today-list")


def followups_panel() -> rx.Component:
    return _pane("pane-followups", N_("To follow up and close"), "followups",
                 ConsoleState.followups, _mission_item,
                 N_("Every past mission is closed."), "followup-list")


def waiting_list() -> rx.Component:
    return _pane("pane-waiting", N_("Still without a volunteer"), "waiting",
                 ConsoleState.waiting,
                 lambda m: _item(m["title"], m["href"], m["neighbourhood"], m["age"]),
                 N_("Every open mission has a volunteer."), "waiting-list")


def pending_panel() -> rx.Component:
    return _pane("pane-pending", N_("Volunteers awaiting validation"), "pending",
                 ConsoleState.pending_volunteers,
                 lambda v: _item(v["name"], v["href"], v["neighbourhood"], v["since"]),
                 N_("Nobody is waiting for an interview."), "pending-volunteers")


def reports_panel() -> rx.Component:
    return _pane("pane-reports", N_("New relay reports"), "reports", ConsoleState.new_reports,
                 lambda r: _item(r["title"], r["href"], r["neighbourhood"], r["when"]),
                 N_("No new report."), "new-reports")


def missions_panel() -> rx.Component:
    """The latest missions changed, with their actions; every one is on /console/missions."""
    return _pane("pane-missions", N_("Latest missions"), "missions", ConsoleState.missions,
                 mission_row, N_("No mission yet."), "console-missions",
                 ui.link(T("Every mission, page by page"), href="/console/missions",
                         id="all-missions-link", size="2"))


def activity_feed() -> rx.Component:
    return _pane("pane-activity", N_("Live activity"), "activity_today",
                 ConsoleState.activity, lambda a: rx.el.li(
                     ui.text(a["text"], size="2"),
                     ui.text(a["when"], size="1", color_scheme="gray")),
                 N_("Nothing yet today."), "activity-feed", live=True)


def console_nav() -> rx.Component:
    # Each link as wide as its longer translation: switching the pre-rendered French
    # page to English reflows nothing (a referent's tablet set to English).
    return rx.el.nav(ui.hstack(
        ui.link(T_steady("New need"), href="/console/intake", id="intake-link",
                class_name="touch-link", weight="bold"),
        ui.link(T_steady("Volunteers"), href="/console/volunteers", id="pool-link",
                class_name="touch-link"),
        ui.link(T_steady("Awaiting validation"), href="/console/volunteers?status=pending",
                id="pending-link", class_name="touch-link"),
        ui.link(T_steady("Relay reports"), href="/console/reports", id="reports-link",
                class_name="touch-link"),
        ui.link(T_steady("Search and export"), href="/console/missions", id="missions-link",
                class_name="touch-link"),
        ui.link(T_steady("Beneficiaries"), href="/console/beneficiaries", id="beneficiaries-link",
                class_name="touch-link"),
        ui.link(T_steady("New collective action"), href="/console/collective/new",
                id="collective-link", class_name="touch-link"),
        ui.link(T_steady("Message to volunteers"), href="/console/messages",
                id="messages-link", class_name="touch-link"),
        ui.link(T_steady("Personal data"), href="/console/privacy", id="privacy-link",
                class_name="touch-link"),
        ui.link(T_steady("Audit log"), href="/console/audit", id="audit-link",
                class_name="touch-link"),
        ui.link(T_steady("Evaluation"), href="/console/stats", id="stats-link",
                class_name="touch-link"),
        rx.cond((AppState.user_role == "commune_admin")
                | (AppState.user_role == "departement_admin")
                | (AppState.user_role == "platform_admin"),
                ui.link(T_steady("The team"), href="/console/staff", id="staff-link",
                        class_name="touch-link")),
        rx.cond((AppState.user_role == "commune_admin")
                | (AppState.user_role == "departement_admin"),
                ui.link(T_steady("Communes"), href="/admin/communes", id="communes-link",
                        class_name="touch-link")),
        spacing="4", wrap="wrap",
    ), aria_label=T("Console"), class_name="console-nav")


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


def dashboard_page(*children: rx.Component, next_path: str) -> rx.Component:
    """The page's header, then a main that a tablet's screen holds without scrolling
    (``.dash-page`` in ui.css): what does not fit scrolls inside its pane."""
    return rx.el.div(
        header(next_path),
        rx.el.main(message_too_big(), notice(), *children, class_name="dash-main"),
        class_name="dash-page",
    )


def console() -> rx.Component:
    return dashboard_page(
        ui.hstack(
            ui.heading(T("Referent console"), as_="h1", size="6"),
            commune_selector(),
            align="center", spacing="5", wrap="wrap",
        ),
        console_nav(),
        rx.el.div(
            today_panel(), waiting_list(), missions_panel(), activity_feed(),
            followups_panel(), pending_panel(), reports_panel(),
            class_name="dash", id="console-dashboard",
        ),
        next_path="/console",
    )
