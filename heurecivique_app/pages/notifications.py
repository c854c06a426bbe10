"""/notifications: the list behind the bell; mark one or all as read."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.state.inbox import InboxState


def item(row: rx.Var) -> rx.Component:
    return rx.el.li(
        # Following the link marks the message read (client routing: the event goes first).
        ui.link(row["title"], href=row["href"], class_name="inbox-title touch-link",
                on_click=InboxState.mark_read(row["id"])),
        rx.cond(row["text"] != "", rx.el.p(row["text"], style={"margin": 0})),
        rx.el.small(row["when"], style={"color": "var(--gray-11)"}),
        rx.cond(row["unread"] == "1", rx.el.button(
            T("Mark as read"), type="button", on_click=InboxState.mark_read(row["id"]),
            class_name="rt-reset rt-BaseButton rt-r-size-2 rt-variant-soft rt-Button "
                       "mark-read")),
        class_name=rx.cond(row["unread"] == "1", "inbox-item unread", "inbox-item"),
    )


def notifications_page() -> rx.Component:
    return page(
        on_live_version(version=InboxState.inbox_version, when=InboxState.loaded,
                        then=InboxState.follow_live),
        ui.heading(T("Notifications"), as_="h1", size="7"),
        rx.cond(InboxState.unread > 0, rx.el.button(
            T("Mark all as read"), type="button", on_click=InboxState.mark_all_read,
            id="mark-all-read",
            class_name="rt-reset rt-BaseButton rt-r-size-2 rt-variant-solid rt-Button")),
        rx.cond(InboxState.rows.length() > 0,
                rx.el.ul(rx.foreach(InboxState.rows, item), class_name="inbox-list",
                         id="inbox"),
                rx.cond(InboxState.loaded, ui.text(T("No notification yet."), id="inbox-empty"))),
        next_path="/notifications",
    )
