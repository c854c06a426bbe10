"""The page shell: header with language choice and logout, a main landmark, a notice area."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.connection import message_too_big
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.native_form import native_form
from heurecivique_app.components.pwa import install_button
from heurecivique_app.components.text import T
from heurecivique_app.state.base import AppState


def language_links(next_path: str) -> rx.Component:
    return ui.hstack(
        # Full page loads (not client routing): the server sets the language cookie.
        rx.el.a("FR", href=f"/api/locale?lang=fr&next={next_path}", lang="fr",
                aria_label="FR (Français)", class_name="touch lang-link",
                custom_attrs={"reloadDocument": True}),
        rx.el.a("EN", href=f"/api/locale?lang=en&next={next_path}", lang="en",
                aria_label="EN (English)", class_name="touch lang-link",
                custom_attrs={"reloadDocument": True}),
        spacing="2",
        role="group",
    )


# Forgets the tab's Reflex token (TOKEN_KEY in Reflex's web/utils/state.js) just before
# the browser posts the logout form: the page that follows is a full load, so the tab
# starts over with a new token and an empty state tree. The server does not rely on it
# (state/identity.py empties a tree whose session changed); it only stops the old
# token from being reused by this tab.
_FORGET_TAB_TOKEN = rx.Var(
    "(() => { try { window.sessionStorage.removeItem('token'); } catch (e) {} })"
)


def logout_button() -> rx.Component:
    # A native POST: the server revokes the session and clears the HttpOnly cookie.
    return native_form(
        ui.button(T("Log out"), type="submit", variant="soft", size="2", id="logout"),
        action="/api/auth/logout",
        method="post",
        custom_attrs={"onSubmit": _FORGET_TAB_TOKEN},
    )


def bell() -> rx.Component:
    """The notification centre's link with the unread count.

    A fixed 44 × 44 box whose count sits over the bell's corner: the figure
    appearing or growing never moves anything else in the header. The icon and
    the hiding until someone is signed in are CSS (``.bell`` in styles.css): no
    script for them on every page. Its room is kept in the pre-rendered HTML,
    so showing it shifts nothing.
    """
    return ui.link(
        rx.el.span(T("Notifications"), class_name="sr-only"),
        rx.cond(AppState.unread > 0,
                rx.el.span(AppState.unread, class_name="bell-count", id="bell-count")),
        # The user's own live channel said their centre changed: read the figure again.
        on_live_version(version=AppState.inbox_version, when=AppState.user_name != "",
                        then=AppState.refresh_inbox),
        href="/notifications", id="bell", underline="none", class_name="bell",
    )


def header(next_path: str, show_user: bool = True) -> rx.Component:
    return rx.el.header(
        ui.hstack(
            ui.link(ui.text("HeureCivique", size="5", weight="bold"), href="/",
                    underline="none", class_name="brand"),
            ui.spacer(),
            rx.cond(show_user & (AppState.user_name != ""),
                    ui.text(AppState.user_name, size="2", id="user-name")),
            bell() if show_user else rx.fragment(),
            install_button(),
            language_links(next_path),
            # A full page load (reloadDocument): the password page is the server's, not a
            # client route (client routing drew the 404 page).
            rx.cond(show_user & (AppState.user_name != ""),
                    ui.link(T("Password"), href="/api/auth/password", id="password-link",
                            size="2", class_name="touch-link",
                            custom_attrs={"reloadDocument": True})),
            rx.cond(show_user & (AppState.user_name != ""), logout_button()),
            align="center",
            spacing="3",
            width="100%",
            wrap="wrap",
        ),
        style={"padding": "0.75rem 1rem", "borderBottom": "1px solid var(--gray-5)"},
    )


def notice() -> rx.Component:
    # The tone the state chose (AppState._say): an error no longer looks like a success.
    return rx.cond(
        AppState.notice != "",
        ui.callout(AppState.notice, tone=AppState.notice_tone, role="status", width="100%"),
    )


def page(*children: rx.Component, next_path: str = "/", show_user: bool = True,
         max_width: str = "40rem") -> rx.Component:
    return ui.box(
        header(next_path, show_user),
        rx.el.main(
            ui.vstack(message_too_big(), notice(), *children, spacing="4", width="100%"),
            style={"maxWidth": max_width, "margin": "0 auto", "padding": "1rem"},
        ),
    )


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return ui.badge(
        label,
        color_scheme=rx.match(status, ("open", "green"), ("full", "blue"), ("done", "gray"),
                              ("draft", "amber"), ("cancelled", "red"), "gray"),
        size="2",
        high_contrast=True,  # the soft green at 12 px falls short of 4.5:1
    )
