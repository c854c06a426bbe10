"""/login: a plain HTML form posted to the server, which sets the HttpOnly cookie."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.native_form import native_form
from heurecivique_app.components.text import T
from heurecivique_app.state.login import LoginState


def field(label: rx.Var, name: str, kind: str, autocomplete: str) -> rx.Component:
    return ui.vstack(
        rx.el.label(label, html_for=name),
        ui.input(id=name, name=name, type=kind, required=True, auto_complete=autocomplete,
                 size="3", width="100%"),
        spacing="1",
        width="100%",
    )


def login() -> rx.Component:
    return page(
        ui.heading(T("Log in"), as_="h1", size="7"),
        ui.text(T("One hour a month for your neighbours.")),
        rx.cond(LoginState.error != "",
                ui.callout(LoginState.error, color_scheme="red", role="alert", id="login-error")),
        rx.cond(LoginState.password_reset,
                ui.callout(T("Your new password is saved: log in with it."),
                           color_scheme="green", role="status", id="login-reset-done")),
        native_form(
            ui.vstack(
                field(T("Email"), "email", "email", "username"),
                field(T("Password"), "password", "password", "current-password"),
                rx.el.input(type="hidden", name="next", value=LoginState.next_path),
                ui.button(T("Log in"), type="submit", size="3", width="100%", id="login-submit"),
                spacing="3",
                width="100%",
            ),
            action="/api/auth/login",
            method="post",
            width="100%",
        ),
        ui.link(T("Forgotten password?"), href="/api/auth/forgot", id="forgot-link",
                display="inline-flex", align_items="center", min_height="44px"),
        next_path="/login",
        show_user=False,
    )
