"""The page shell: header with language choice and logout, a main landmark, a notice area."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.connection import message_too_big
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.native_form import native_form
from heurecivique_app.components.pwa import install_button
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
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
        ui.button(T("Log out"), type="submit", variant="soft", size="2", id="logout",
                  width="100%"),
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


def user_menu() -> rx.Component:
    """The signed-in user's menu (their name, password, log out) behind one 44 px button.

    A native disclosure (``<details>``): no script, keyboard and screen readers know it.
    The button keeps its room in the pre-rendered page and shows (CSS) once the page
    knows who is signed in, so the header never moves when the state arrives.
    """
    return rx.el.details(
        rx.el.summary(rx.el.span(T("Menu"), class_name="sr-only"), class_name="menu-button",
                      id="menu-button"),
        rx.el.div(
            rx.cond(AppState.user_name != "", rx.fragment(
                ui.text(AppState.user_name, id="user-name", weight="bold"),
                # A full page load (reloadDocument): the password page is the server's,
                # not a client route (client routing drew the 404 page).
                ui.link(T("Password"), href="/api/auth/password", id="password-link",
                        class_name="touch-link", custom_attrs={"reloadDocument": True}),
                logout_button(),
            )),
            class_name="menu-panel stack gap-2",
        ),
        class_name="user-menu", id="user-menu",
    )


def header(next_path: str, show_user: bool = True) -> rx.Component:
    """The app's header: a band in the commune's colour with its name, on every page.

    Its pieces are the same before and after the state arrives (the commune's name
    fills a line whose height is fixed, the bell and the menu keep their room), so
    nothing below it moves. The commune's colour is dark enough for white text
    (``domain.territory.clean_colour``).
    """
    return rx.el.header(
        rx.el.div(
            ui.link(
                rx.el.span("HeureCivique", class_name="brand-name"),
                rx.el.span(AppState.commune_name, class_name="brand-commune",
                           id="commune-name"),
                href="/", underline="none", class_name="brand",
            ),
            install_button(),
            bell() if show_user else rx.fragment(),
            language_links(next_path),
            user_menu() if show_user else rx.fragment(),
            class_name="app-header-row",
        ),
        class_name="app-header",
        style={"--brand": rx.cond(AppState.commune_colour != "", AppState.commune_colour,
                                  "#1d4ed8")},
    )


# The bottom bar's items: (key, label, path, id); the map is a new document (its own CSP,
# api/headers.py), the others client routes.
VOLUNTEER_ITEMS = (
    ("home", N_("My missions"), "/home", "nav-home"),
    ("board", N_("Board"), "/board", "nav-board"),
    ("map", N_("Map"), "/map", "nav-map"),
    ("account", N_("Account"), "/account", "nav-account"),
)
RELAY_ITEMS = (
    ("reports", N_("Reports"), "/relay", "nav-reports"),
    ("issue", N_("Issue"), "/relay/issue", "nav-issue"),
    ("need", N_("Need"), "/relay/need", "nav-need"),
    ("account", N_("Account"), "/account", "nav-account"),
)
NAVS = {"volunteer": (N_("Volunteer menu"), VOLUNTEER_ITEMS),
        "relay": (N_("Relay menu"), RELAY_ITEMS)}


def bottom_nav(kind: str, active: str = "") -> rx.Component:
    """The app's navigation: a bar fixed at the bottom of a phone, a row under the header
    on a wide screen (CSS). Icons are CSS masks; the current page's item carries
    ``aria-current="page"``. Static: the same in the pre-rendered page."""
    label, items = NAVS[kind]
    entries = []
    for key, text, path, item_id in items:
        attrs: dict = {"aria-current": "page"} if key == active else {}
        if key == "map":
            attrs["reloadDocument"] = True
        entries.append(rx.el.li(ui.link(
            rx.el.span(T(text)), href=path, id=item_id, underline="none",
            class_name=f"nav-item nav-{key}", custom_attrs=attrs)))
    return rx.el.nav(rx.el.ul(*entries), aria_label=T(label), class_name="bottom-nav",
                     id="app-nav")


def _nav(nav: str, active: str) -> rx.Component:
    """The page's bar; a relay on a volunteer page (a board, their account) keeps theirs."""
    if nav != "volunteer":
        return bottom_nav(nav, active) if nav else rx.fragment()
    relay_active = active if active in {key for key, *_ in RELAY_ITEMS} else ""
    return rx.cond(AppState.user_role == "relay", bottom_nav("relay", relay_active),
                   bottom_nav("volunteer", active))


def notice() -> rx.Component:
    # The tone the state chose (AppState._say): an error no longer looks like a success.
    return rx.cond(
        AppState.notice != "",
        ui.callout(AppState.notice, tone=AppState.notice_tone, role="status", width="100%"),
    )


def page(*children: rx.Component, next_path: str = "/", show_user: bool = True,
         max_width: str = "40rem", nav: str = "", active: str = "") -> rx.Component:
    """A page: the header, the navigation of ``nav`` ("volunteer", "relay" or none) with
    ``active`` marked, and the main block (room kept at its bottom for the phone's bar)."""
    return ui.box(
        header(next_path, show_user),
        _nav(nav, active),
        rx.el.main(
            ui.vstack(message_too_big(), notice(), *children, spacing="4", width="100%"),
            style={"maxWidth": max_width}, class_name="app-main",
        ),
        class_name="app-shell with-nav" if nav else "app-shell",
    )


def missing_item(loaded: rx.Var, loading_id: str) -> rx.Component:
    """What a page about one item shows when it has none: skeletons while its first
    read is under way, then "This item no longer exists." (never before it knows)."""
    return rx.cond(loaded, ui.text(T("This item no longer exists.")),
                   ui.skeleton("5rem", count=4, width="100%", id=loading_id))


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return ui.badge(
        label,
        color_scheme=rx.match(status, ("open", "green"), ("full", "blue"), ("done", "gray"),
                              ("draft", "amber"), ("cancelled", "red"), "gray"),
        size="2",
        high_contrast=True,  # the soft green at 12 px falls short of 4.5:1
    )
