"""/home: the volunteer's home on a phone."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.components.volunteer import hour_card
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.pages.board import mission_card
from heurecivique_app.state.home import HomeState


def my_hour() -> rx.Component:
    return hour_card(
        HomeState.hour_percent, HomeState.hour_label,
        ui.text(HomeState.streak_label, size="2", id="streak", class_name="hold"),
        rx.el.details(
            rx.el.summary(T("My history"), class_name="touch summary"),
            rx.el.ul(rx.foreach(HomeState.history, lambda h: rx.el.li(
                h["month"], " : ", h["given"],
                rx.cond(h["met"] == "1", rx.fragment(" ✓ ", T("hour given"))))),
                id="history", style={"paddingLeft": "1.25rem"}),
        ),
    )


def banners() -> rx.Component:
    return ui.vstack(
        rx.cond(HomeState.welcome, ui.callout(
            T("Welcome! Your account is created. A referent will call you to meet; "
              "meanwhile you can join collective actions."),
            high_contrast=True, color_scheme="green", id="welcome", width="100%")),
        rx.cond(HomeState.volunteer_status == "pending", ui.callout(
            T("A referent must meet you before you can help someone at home. "
              "Meanwhile you can join collective actions."), id="pending-note", width="100%")),
        rx.cond(HomeState.volunteer_status == "paused", ui.callout(
            T("Your participation is paused."), " ",
            ui.link(T("Resume it in my account"), href="/account", underline="always"),
            high_contrast=True, color_scheme="amber", id="paused-note", width="100%")),
        rx.cond(~HomeState.charter_ok, ui.callout(
            T("The charter has changed: read it and approve it again before accepting a "
              "mission."), " ",
            ui.link(T("Read the charter"), href="/charter?next=/home", underline="always"),
            high_contrast=True, color_scheme="amber", id="charter-note", width="100%")),
        width="100%",
    )


def proposal(row: rx.Var) -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.link(ui.heading(row["title"], as_="h3", size="4"), href=row["href"]),
            ui.text(row["category"], " · ", row["when"], " · ", row["duration"], size="2"),
            ui.text(row["neighbourhood"], size="2", color_scheme="gray"),
            ui.hstack(
                ui.button(T("I accept"), on_click=HomeState.accept_proposal(row["id"]),
                          size="3", class_name="accept-proposal"),
                ui.button(T("Not for me"), on_click=HomeState.decline_proposal(row["id"]),
                          size="3", variant="soft", class_name="decline-proposal"),
                wrap="wrap",
            ),
            spacing="2", width="100%",
        ),
        width="100%", class_name="proposal-card",
    )


def filters() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("Filters")),
        rx.el.label(T("Category"), html_for="filter-category"),
        rx.el.select(
            rx.el.option(T("All categories"), value=""),
            *[rx.el.option(T(text), value=value) for value, text in CATEGORY_LABELS.items()],
            id="filter-category", class_name="native-select", value=HomeState.filter_category,
            on_change=HomeState.set_category,
        ),
        rx.el.label(T("When"), html_for="filter-when"),
        rx.el.select(
            rx.el.option(T("Any date"), value=""),
            rx.el.option(T("Today"), value="today"),
            rx.el.option(T("Within a week"), value="week"),
            rx.el.option(T("Within a month"), value="month"),
            id="filter-when", class_name="native-select", value=HomeState.filter_when,
            on_change=HomeState.set_when,
        ),
        rx.el.label(
            rx.el.input(type="checkbox", id="filter-mine", default_checked=HomeState.filter_mine,
                        on_change=HomeState.set_mine, class_name="touch-check"),
            rx.el.span(T("Only what I like doing")),
            html_for="filter-mine", class_name="check-label",
        ),
        class_name="plain-fieldset",
    )


def section(title: str, rows: rx.Var, render, empty: str, id: str) -> rx.Component:
    return rx.el.section(
        ui.vstack(
            ui.heading(T(title), as_="h2", size="5"),
            rx.cond(rows.length() > 0,
                    ui.vstack(rx.foreach(rows, render), width="100%", id=id),
                    ui.text(T(empty))),
            width="100%",
        ),
        style={"width": "100%"},
    )


def lists() -> rx.Component:
    """Proposals, my missions and the missions near me: a block that fills the screen
    until the state arrives, so nothing the visitor sees moves when they replace it."""
    return rx.cond(
        HomeState.loaded,
        ui.vstack(
            rx.cond(HomeState.proposed.length() > 0,
                    section(N_("Proposed to you"), HomeState.proposed, proposal, "",
                            "proposed")),
            section(N_("My upcoming missions"), HomeState.upcoming, mission_card,
                    N_("No mission planned yet: pick one below!"), "upcoming"),
            nearby(),
            spacing="4", width="100%",
        ),
        ui.skeleton("7.5rem", count=6, width="100%", class_name="screen-hold",
                    id="home-loading"),
    )


def nearby() -> rx.Component:
    return rx.el.section(
        ui.vstack(
            ui.heading(T("Missions near me"), as_="h2", size="5"),
            ui.text(T("My neighbourhood's board and the neighbouring ones."), size="2"),
            filters(),
            rx.cond(HomeState.nearby.length() > 0,
                    ui.vstack(rx.foreach(HomeState.nearby, mission_card), width="100%",
                              id="nearby"),
                    ui.text(T("No mission matches right now. Come back soon!"),
                            id="nearby-empty")),
            width="100%",
        ),
        style={"width": "100%"},
    )


def home() -> rx.Component:
    return page(
        # A message to me (a referent's proposal…) re-reads the page: it shows at once.
        on_live_version(version=HomeState.inbox_version, when=HomeState.loaded,
                        then=HomeState.follow_live),
        # Two lines kept on a phone for the name that the state brings.
        ui.heading(T("Hello"), " ", HomeState.user_name, as_="h1", size="7",
                   class_name="hold hold-2"),
        banners(),
        my_hour(),
        lists(),
        next_path="/home", nav="volunteer", active="home",
    )
