"""/signup?c=<commune>: sign up as a volunteer on a phone, from the poster's QR code."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui

from heurecivique_app.components import forms
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.components.volunteer import (
    availability_fieldset,
    charter_text,
    departement_pool_tick,
    distance_select,
    place_fields,
    skills_fieldset,
    tick,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.state.signup import SignupState

ERR = SignupState.field_errors


def about_me() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("About me")),
        forms.text_input(ERR, N_("Name"), "display_name", auto_complete="name"),
        forms.text_input(ERR, N_("Email"), "email", input_mode="email", auto_complete="email"),
        forms.text_input(ERR, N_("Phone"), "phone", type="tel", auto_complete="tel"),
        forms.text_input(ERR, N_("Password (at least 10 characters)"), "password",
                         type="password", auto_complete="new-password"),
        class_name="plain-fieldset",
    )


def charter_fieldset() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("The citizen's charter")),
        charter_text(SignupState.charter_articles),
        ui.link(T("Insurance: who covers what"), href="/insurance", class_name="touch",
                is_external=True),
        tick("charter", N_("I have read the charter and I approve it.")),
        forms.error_for(ERR, "charter"),
        class_name="plain-fieldset",
    )


def signup_form() -> rx.Component:
    return forms.form(
        ui.vstack(
            about_me(),
            place_fields(ERR, SignupState.neighbourhood_options),
            skills_fieldset(ERR),
            forms.text_area(ERR, N_("Other things I can do (optional)"), "skills_note"),
            availability_fieldset(ERR),
            distance_select(ERR),
            departement_pool_tick(),
            charter_fieldset(),
            forms.error_for(ERR, "commune"),
            rx.cond(SignupState.mail_sent,
                    ui.callout(T("Thank you. We have sent you an email: follow it to go on."),
                               color_scheme="blue", role="status", id="mail-sent",
                               width="100%")),
            rx.cond(SignupState.form_message != "",
                    ui.callout(SignupState.form_message, color_scheme="red", role="alert",
                               id="form-message", width="100%")),
            ui.button(rx.cond(SignupState.sending, T("Sending…"), T("Sign up")), type="submit",
                      size="3", width="100%", id="signup-submit",
                      disabled=SignupState.sending),
            spacing="4", width="100%",
        ),
        on_submit=SignupState.submit,
        width="100%",
        id="signup-form",
    )


def commune_choice() -> rx.Component:
    """Several communes run the scheme here: each link opens its own sign-up form."""
    return ui.vstack(
        ui.heading(T("Where do you live?"), as_="h2", size="5"),
        forms.form(ui.vstack(
            forms.text_input(ERR, N_("My address"), "home_address", auto_complete="street-address"),
            ui.button(T("Find my commune"), type="submit", variant="soft", id="find-commune"),
            spacing="2", width="100%"), on_submit=SignupState.find_commune, id="address-form"),
        ui.text(T("Or choose it:")),
        rx.el.ul(rx.foreach(SignupState.commune_choices, lambda c: rx.el.li(ui.link(
            c["name"], href="/signup?c=" + c["id"], class_name="touch-link",
            custom_attrs={"reloadDocument": True}))),
            id="commune-choices", style={"paddingLeft": "1.25rem", "lineHeight": "2"}),
        width="100%",
    )


def signup() -> rx.Component:
    return page(
        ui.heading(T("Become a volunteer"), as_="h1", size="7"),
        rx.cond(SignupState.commune_name != "",
                ui.text(T("L'Heure Civique in"), " ", SignupState.commune_name, weight="bold")),
        ui.text(T("One hour a month for your neighbours. A referent of the town hall will "
                  "meet you; until then you can join collective actions.")),
        rx.cond(SignupState.commune_found, signup_form(),
                rx.cond(SignupState.commune_choices.length() > 0, commune_choice(),
                        ui.callout(T("This commune's sign-up link is not valid."),
                                   color_scheme="red"))),
        ui.text(T("Already signed up?"), " ",
                ui.link(T("Log in"), href="/login", underline="always")),
        next_path="/signup",
    )
