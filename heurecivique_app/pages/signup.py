"""/signup?c=<commune>: sign up as a volunteer on a phone, from the poster's QR code."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import OTHER_LOCALE, T
from heurecivique_app.components.volunteer import (
    charter_text,
    departement_pool_tick,
    distance_select,
    place_inputs,
    skills_boxes,
    tick,
    week_grid,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import DEFAULT_LOCALE, translate
from heurecivique_app.state.base import AppState
from heurecivique_app.state.signup import SignupState

ERR = SignupState.field_errors
STEP = SignupState.step

# The steps' titles, in the order of services/signup.py SIGNUP_STEPS.
STEP_TITLES = (N_("About me"), N_("Where I live"), N_("What I like doing"),
               N_("When I am usually free"), N_("The citizen's charter"))
STEP_OF = N_("Step {number} of {count}")


def _step_count(number: int) -> rx.Var:
    """« Étape 2 sur 5 », both languages compiled in (the numbers are fixed per step)."""
    return rx.cond(AppState.locale == OTHER_LOCALE,
                   translate(STEP_OF, OTHER_LOCALE, number=number, count=len(STEP_TITLES)),
                   translate(STEP_OF, DEFAULT_LOCALE, number=number, count=len(STEP_TITLES)))


def _focus_heading(number: int) -> rx.Component:
    # Mounted when Next or Back shows this step: the focus goes to its heading, so a
    # screen reader says where the user is and Tab goes on from the step's top. A
    # function compiled into the bundle (rx.call_script would need eval: the CSP).
    return rx.cond(
        SignupState.step_changed & (STEP == number),
        rx.el.span(on_mount=rx.call_function(
            f"() => document.getElementById('step-{number}-heading')?.focus()")),
    )


def step(number: int, *children: rx.Component, hint: rx.Component | None = None) -> rx.Component:
    """One step: a fieldset named by its heading, hidden (its values kept) when not shown."""
    return rx.el.fieldset(
        rx.el.legend(rx.el.h2(
            rx.el.span(_step_count(number), class_name="step-count"), " ",
            rx.el.span(T(STEP_TITLES[number - 1])),
            tab_index=-1, class_name="step-heading",
            custom_attrs={"id": f"step-{number}-heading"},
        )),
        *([hint] if hint is not None else []),
        *children,
        _focus_heading(number),
        class_name="plain-fieldset signup-step",
        # An attribute, not a style: the browser keeps the hidden steps' values, and
        # their fields are sent with each step's check (only its own are looked at).
        custom_attrs={"id": f"step-{number}", "hidden": STEP != number},
    )


def about_me() -> rx.Component:
    return step(
        1,
        forms.text_input(ERR, N_("Name"), "display_name", auto_complete="name"),
        forms.text_input(ERR, N_("Email"), "email", input_mode="email", auto_complete="email"),
        forms.text_input(ERR, N_("Phone"), "phone", type="tel", auto_complete="tel"),
        forms.text_input(ERR, N_("Password (at least 10 characters)"), "password",
                         type="password", auto_complete="new-password"),
    )


def where_i_live() -> rx.Component:
    return step(
        2,
        *place_inputs(ERR, SignupState.neighbourhood_options),
        distance_select(ERR),
        departement_pool_tick(),
    )


def what_i_like_doing() -> rx.Component:
    return step(
        3,
        skills_boxes(ERR),
        forms.text_area(ERR, N_("Other things I can do (optional)"), "skills_note"),
    )


def when_i_am_free() -> rx.Component:
    return step(
        4,
        week_grid(ERR),
        hint=ui.text(T("Tick the times you are usually free. You can change them later "
                       "on your account page."), size="2"),
    )


def charter_step() -> rx.Component:
    return step(
        5,
        charter_text(SignupState.charter_articles),
        ui.link(T("Insurance: who covers what"), href="/insurance", class_name="touch",
                is_external=True),
        tick("charter", N_("I have read the charter and I approve it.")),
        forms.error_for(ERR, "charter"),
    )


def step_buttons() -> rx.Component:
    """Back (nothing checked, nothing lost) and Next, or Sign up on the last step."""
    last = STEP == len(STEP_TITLES)
    busy = SignupState.sending | ~SignupState.loaded
    return ui.hstack(
        rx.cond(STEP > 1, ui.button(T("Back"), type="button", variant="outline", size="3",
                                    id="signup-back", on_click=SignupState.back,
                                    disabled=SignupState.sending)),
        ui.spacer(),
        # The only submit button: Enter in a field goes on, as the visible button would.
        # Disabled in the pre-rendered page (SignupState.loaded), so neither a tap nor
        # Enter submits the form before the app handles it.
        rx.cond(last,
                ui.button(rx.cond(SignupState.sending, T("Sending…"), T("Sign up")),
                          type="submit", size="3", id="signup-submit", disabled=busy),
                ui.button(T("Next"), type="submit", size="3", id="signup-next",
                          disabled=busy)),
        width="100%", align="center",
    )


def signup_form() -> rx.Component:
    return forms.form(
        ui.vstack(
            ui.step_list([T(title) for title in STEP_TITLES], STEP, T("Sign-up steps"),
                         T("done"), id="signup-steps"),
            about_me(),
            where_i_live(),
            what_i_like_doing(),
            when_i_am_free(),
            charter_step(),
            forms.error_for(ERR, "commune"),
            rx.cond(SignupState.form_message != "",
                    ui.callout(SignupState.form_message, color_scheme="red", role="alert",
                               id="form-message", width="100%")),
            step_buttons(),
            spacing="4", width="100%",
        ),
        on_submit=SignupState.submit,
        width="100%",
        id="signup-form",
        # No field carries `required` or a checked type today; should one, the browser's
        # own bubble must not stop a step before the server's translated message.
        no_validate=True,
    )


def signup_done() -> rx.Component:
    return ui.callout(T("Thank you. We have sent you an email: follow it to go on."),
                      color_scheme="blue", role="status", id="mail-sent", width="100%")


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
        rx.cond(SignupState.commune_found,
                rx.cond(SignupState.mail_sent, signup_done(), signup_form()),
                rx.cond(SignupState.commune_choices.length() > 0, commune_choice(),
                        ui.callout(T("This commune's sign-up link is not valid."),
                                   color_scheme="red"))),
        ui.text(T("Already signed up?"), " ",
                ui.link(T("Log in"), href="/login", underline="always")),
        next_path="/signup",
    )
