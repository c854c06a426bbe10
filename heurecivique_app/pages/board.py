"""/board: the volunteer's neighbourhood board and their hour this month."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T, T_steady
from heurecivique_app.components.volunteer import hour_card
from heurecivique_app.state.board import BoardState


def mission_card(row: rx.Var) -> rx.Component:
    return ui.link(
        ui.card(
            ui.vstack(
                ui.hstack(ui.text(row["category"], size="2", color_scheme="gray"),
                          ui.spacer(), status_badge(row["status"], row["status_label"]),
                          width="100%"),
                ui.heading(row["title"], as_="h3", size="4"),
                ui.text(row["when"], " · ", row["duration"], size="2"),
                ui.text(row["neighbourhood"], " · ", row["places"], size="2",
                        color_scheme="gray"),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        href=row["href"],
        underline="none",
        width="100%",
        class_name="mission-card",
    )


def hour_counter() -> rx.Component:
    return hour_card(BoardState.hour_percent, BoardState.hour_label)


def board() -> rx.Component:
    return page(
        # The title keeps the height of its longer translation and the neighbourhood's
        # name (from the state) its own line: nothing below moves when they arrive.
        ui.heading(T_steady("Missions in my neighbourhood"),
                   rx.el.span(" — ", class_name="sr-only"),
                   rx.el.span(BoardState.neighbourhood_name, class_name="title-line"),
                   as_="h1", size="6"),
        ui.link(T("Map of needs near me"), href="/map", id="map-link", reload_document=True),
        hour_counter(),
        # What the state brings, in one block: a skeleton filling the screen holds its room.
        rx.cond(BoardState.loaded, ui.vstack(
            rx.cond(BoardState.user_role == "relay",
                    ui.link(T("My relay space: reports and sharing"), href="/relay",
                            id="relay-link")),
            rx.cond(
                BoardState.my_missions.length() > 0,
                ui.vstack(
                    ui.heading(T("My upcoming missions"), as_="h2", size="5"),
                    rx.foreach(BoardState.my_missions, mission_card),
                    width="100%",
                ),
            ),
            ui.heading(T("Open missions"), as_="h2", size="5"),
            rx.cond(
                BoardState.missions.length() > 0,
                ui.vstack(rx.foreach(BoardState.missions, mission_card), width="100%",
                          id="board-missions", aria_live="polite"),
                ui.text(T("No mission right now in your neighbourhood. Come back soon!")),
            ),
            spacing="4", width="100%",
        ), ui.skeleton("7.5rem", count=6, width="100%", class_name="screen-hold",
                       id="board-loading")),
        next_path="/board", nav="volunteer", active="board",
    )
