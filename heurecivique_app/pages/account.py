"""/account: edit my profile, pause, notifications, download my data, delete my account."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms
from heurecivique_app.components.layout import page
from heurecivique_app.components.native_form import auto_post
from heurecivique_app.components.text import T
from heurecivique_app.components.volunteer import (
    availability_fieldset,
    departement_pool_tick,
    distance_select,
    place_fields,
    skills_fieldset,
    tick,
    volunteer_nav,
)
from heurecivique_app.domain.notifications import OPTIONAL_KINDS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.account import AccountState

ERR = AccountState.field_errors


def profile_form() -> rx.Component:
    return forms.form(
        rx.vstack(
            forms.text_input(ERR, N_("Name"), "display_name", auto_complete="name",
                             default_value=AccountState.display_name),
            rx.text(T("Email"), ": ", AccountState.email, size="2", id="account-email"),
            forms.text_input(ERR, N_("Phone"), "phone", type="tel", auto_complete="tel",
                             default_value=AccountState.phone),
            place_fields(ERR, AccountState.neighbourhood_options, AccountState.neighbourhood_id,
                         AccountState.address),
            skills_fieldset(ERR, AccountState.ticked),
            forms.text_area(ERR, N_("Other things I can do (optional)"), "skills_note",
                            default_value=AccountState.skills_note),
            availability_fieldset(ERR, AccountState.ticked),
            distance_select(ERR, AccountState.max_distance_km),
            departement_pool_tick(AccountState.ticked),
            rx.cond(AccountState.form_message != "",
                    rx.callout(AccountState.form_message, role="status", id="form-message",
                               width="100%",
                               high_contrast=True,
                               color_scheme=rx.cond(AccountState.form_ok, "green", "red"))),
            rx.button(T("Save my profile"), type="submit", size="3", width="100%",
                      id="save-profile"),
            spacing="4", width="100%",
        ),
        on_submit=AccountState.save,
        key=AccountState.form_key,
        width="100%",
    )


def pause_section() -> rx.Component:
    return rx.el.section(rx.vstack(
        rx.heading(T("Holidays"), as_="h2", size="5"),
        rx.cond(
            AccountState.volunteer_status == "paused",
            rx.vstack(
                rx.text(T("Your participation is paused."), id="paused-status"),
                rx.button(T("Resume my participation"), on_click=AccountState.set_paused(False),
                          size="3", id="resume"),
            ),
            rx.vstack(
                rx.text(T("Away for a while? Pause: no mission will be proposed to you.")),
                rx.button(T("Pause my participation"), on_click=AccountState.set_paused(True),
                          size="3", variant="soft", id="pause"),
            ),
        ),
    ), style={"width": "100%"})


def _choices(legend: str, prefix: str, on: rx.Var) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T(legend)),
        *[tick(f"{prefix}_{kind}", label, on.contains(f"{prefix}_{kind}"))
          for kind, label in OPTIONAL_KINDS.items()],
    )


def mail_section() -> rx.Component:
    """Which messages the volunteer receives, per channel: e-mail, and push beside it
    (each e-mail can also be stopped from its own link)."""
    return rx.el.section(rx.vstack(
        rx.heading(T("E-mails and notifications"), as_="h2", size="5"),
        forms.form(
            rx.vstack(
                rx.flex(_choices(N_("The e-mails I receive:"), "mail", AccountState.mail_on),
                        _choices(N_("The notifications I receive:"), "push",
                                 AccountState.push_on),
                        wrap="wrap", spacing="4"),
                rx.button(T("Save my choices"), type="submit", size="3", id="save-mail"),
            ),
            on_submit=AccountState.save_mail_choices,
            key=AccountState.mail_key,
        ),
    ), style={"width": "100%"}, id="mail-choices")


def _push_message(state: str, text: str) -> rx.Component:
    return rx.text(T(text), class_name=f"push-msg push-msg-{state}", role="status")


def push_section() -> rx.Component:
    """Notifications on this device, turned on by a tap that says why (never on page load).

    The buttons are plain: assets/pwa.js loads assets/push.js on the first tap, which
    asks the browser's permission, subscribes and tells the server; it marks the
    outcome on ``<html data-push=…>`` and styles.css shows the matching message.
    """
    return rx.el.section(rx.vstack(
        rx.heading(T("Notifications on this device"), as_="h2", size="5"),
        rx.text(T("Get a notification on this phone or computer when a referent proposes "
                  "you a mission, the day before a mission, or when a mission you take part "
                  "in changes. It says no more than the app, and you can turn it off here.")),
        _push_message("on", N_("Notifications are on for this device.")),
        _push_message("off", N_("Notifications are off for this device.")),
        _push_message("denied", N_("Your browser blocks notifications from this site: allow "
                                   "them in its settings, then try again.")),
        _push_message("unsupported", N_("This browser cannot receive notifications. On an "
                                        "iPhone, add the app to the home screen first.")),
        _push_message("error", N_("That did not work: notifications are unchanged. Try "
                                  "again later.")),
        rx.flex(
            rx.button(T("Turn on notifications"), type="button", size="3", id="push-on",
                      custom_attrs={"data-push-action": "on"}),
            rx.button(T("Turn them off on this device"), type="button", size="3",
                      variant="soft", id="push-off", custom_attrs={"data-push-action": "off"}),
            wrap="wrap", spacing="3",
        ),
    ), style={"width": "100%"}, id="push")


def data_section() -> rx.Component:
    return rx.el.section(rx.vstack(
        rx.heading(T("My data"), as_="h2", size="5"),
        rx.el.a(T("Download my data (JSON)"), href="/api/me/export", download=True,
                class_name="touch lang-link", id="export",
                custom_attrs={"reloadDocument": True}),
        forms.form(
            rx.vstack(
                rx.text(T("Deleting your account erases your name, email, phone, address "
                          "and messages. The hours you gave stay in the town's statistics, "
                          "anonymously.")),
                tick("confirm_delete", N_("I want to delete my account for good.")),
                rx.cond(AccountState.delete_error != "",
                        rx.text(AccountState.delete_error, color_scheme="red", role="alert",
                                id="confirm_delete-error")),
                rx.button(T("Delete my account"), type="submit", color_scheme="red",
                          high_contrast=True, size="3", id="delete-account"),
            ),
            on_submit=AccountState.delete_account,
        ),
        auto_post("leave-form", "/api/auth/logout", AccountState.deleted),
    ), style={"width": "100%"})


def account() -> rx.Component:
    return page(
        volunteer_nav(),
        rx.heading(T("My account"), as_="h1", size="7"),
        profile_form(),
        pause_section(),
        push_section(),
        mail_section(),
        data_section(),
        next_path="/account",
    )
