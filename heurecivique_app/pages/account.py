"""/account: edit my profile, pause, notifications, download my data, delete my account.

The page's own ids are plain attributes (``custom_attrs``): Reflex gives every ``id=`` a
React ref (a hook and a line of JavaScript each) and no script reads these; the page is
the heaviest volunteer page under issue 16's budget (bench/frontend.py).
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.native_form import auto_post
from heurecivique_app.components.text import T, T_each, both
from heurecivique_app.components.volunteer import (
    availability_fieldset,
    departement_pool_tick,
    distance_select,
    place_fields,
    skills_fieldset,
    tick,
)
from heurecivique_app.domain.alerts import ALERT_MODES
from heurecivique_app.domain.notifications import OPTIONAL_KINDS, RELAY_KINDS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.account import AccountState

ERR = AccountState.field_errors


def profile_form() -> rx.Component:
    return forms.form(
        ui.vstack(
            forms.text_input(ERR, N_("Name"), "display_name", auto_complete="name",
                             default_value=AccountState.display_name),
            ui.text(T("Email"), ": ", AccountState.email, size="2",
                    custom_attrs={"id": "account-email"}),
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
                    ui.callout(AccountState.form_message, role="status",
                               custom_attrs={"id": "form-message"}, width="100%",
                               high_contrast=True,
                               color_scheme=rx.cond(AccountState.form_ok, "green", "red"))),
            ui.button(T("Save my profile"), type="submit", size="3", width="100%",
                      custom_attrs={"id": "save-profile"}),
            spacing="4", width="100%",
        ),
        on_submit=AccountState.save,
        key=AccountState.form_key,
        width="100%",
    )


def pause_section() -> rx.Component:
    return rx.el.section(ui.vstack(
        ui.heading(T("Holidays"), as_="h2", size="5"),
        rx.cond(
            AccountState.volunteer_status == "paused",
            ui.vstack(
                ui.text(T("Your participation is paused."), custom_attrs={"id": "paused-status"}),
                ui.button(T("Resume my participation"), on_click=AccountState.set_paused(False),
                          size="3", custom_attrs={"id": "resume"}),
            ),
            ui.vstack(
                ui.text(T("Away for a while? Pause: no mission will be proposed to you.")),
                ui.button(T("Pause my participation"), on_click=AccountState.set_paused(True),
                          size="3", variant="soft", custom_attrs={"id": "pause"}),
            ),
        ),
    ), style={"width": "100%"})


def _channels() -> rx.Var:
    """Each channel's column of boxes as a static list (legends and labels in both
    languages): one rx.foreach template for every box instead of one component each."""
    return rx.Var.create([
        {**both(legend), "boxes": [{"name": f"{prefix}_{kind}", "kind": kind, **both(
            OPTIONAL_KINDS[kind])} for kind in RELAY_KINDS]}
        for legend, prefix in ((N_("The e-mails I receive:"), "mail"),
                               (N_("The notifications I receive:"), "push"))])


def mail_section() -> rx.Component:
    """Which messages the volunteer receives, per channel: e-mail, and push beside it
    (each e-mail can also be stopped from its own link)."""
    return rx.el.section(ui.vstack(
        # The same word in both languages: T() compiles it once, without a condition.
        ui.heading(T("Messages"), as_="h2", size="5"),
        forms.form(
            ui.vstack(
                rx.el.div(rx.foreach(_channels(), lambda channel: rx.el.fieldset(
                    rx.el.legend(T_each(channel)),
                    # Only the kinds this account receives (a relay also gets answers).
                    rx.foreach(channel["boxes"].to(list[dict[str, str]]), lambda box: rx.cond(
                        AccountState.mail_offered.contains(box["kind"]), tick(
                            box["name"], T_each(box),
                            AccountState.choices_on.contains(box["name"])))),
                )), class_name="side-by-side"),
                ui.button(T("Save my choices"), type="submit", size="3",
                          custom_attrs={"id": "save-mail"}),
            ),
            on_submit=AccountState.save_mail_choices,
            key=AccountState.mail_key,
        ),
    ), style={"width": "100%"}, custom_attrs={"id": "mail-choices"})


def alerts_section() -> rx.Component:
    """Opt-in: e-mails about new missions near home that match my gestures, and a nudge."""
    return rx.el.section(ui.vstack(
        ui.heading(T("Alerts"), as_="h2", size="5"),
        forms.form(
            ui.vstack(
                rx.el.fieldset(
                    rx.el.legend(T("New missions near home that match what I like doing:")),
                    *[rx.el.label(
                        rx.el.input(type="radio", name="alert_mode", value=mode,
                                    custom_attrs={"id": f"alert_{mode}"}, class_name="touch-check",
                                    default_checked=AccountState.alert_mode == mode),
                        rx.el.span(T(label)), html_for=f"alert_{mode}",
                        class_name="check-label") for mode, label in ALERT_MODES.items()],
                ),
                # The figure is domain.alerts.ALERTS_PER_DAY (the test of the page checks it).
                ui.text(T("At most 3 alert e-mails a day: the others wait for the next "
                          "day's digest."), size="2"),
                tick("nudge", N_("A gentle reminder on the 20th when this month's hour is "
                                 "not given yet"), AccountState.nudge),
                ui.button(T("Save my alerts"), type="submit", size="3",
                          custom_attrs={"id": "save-alerts"}),
            ),
            on_submit=AccountState.save_alerts,
            key=AccountState.alert_key,
        ),
    ), style={"width": "100%"}, custom_attrs={"id": "alert-choices"})


def push_section() -> rx.Component:
    """Notifications on this device, turned on by a tap that says why (never on page load).

    The buttons are plain: assets/pwa.js loads assets/push.js on the first tap, which
    asks the browser's permission, subscribes and tells the server; it marks the
    outcome on ``<html data-push=…>`` and writes its message, taken from the status
    line's ``data-texts`` (one attribute: five components would weigh on the page's
    JavaScript budget, bench/frontend.py).
    """
    return rx.el.section(ui.vstack(
        ui.heading(T("Notifications"), as_="h2", size="5"),
        ui.text(AccountState.push_texts["why"]),
        # No ids on these three: an id costs each a React ref in the page's JavaScript.
        rx.el.p(class_name="push-status", role="status",
                custom_attrs={"data-texts": AccountState.push_status_texts}),
        rx.el.div(
            ui.button(AccountState.push_texts["turn_on"], type="button", size="3",
                      custom_attrs={"data-push-action": "on"}),
            ui.button(AccountState.push_texts["turn_off"], type="button", size="3",
                      variant="soft", custom_attrs={"data-push-action": "off"}),
            class_name="side-by-side",
        ),
    ), style={"width": "100%"}, custom_attrs={"id": "push"})


def data_section() -> rx.Component:
    return rx.el.section(ui.vstack(
        ui.heading(T("My data"), as_="h2", size="5"),
        rx.el.a(T("Download my data (JSON)"), href="/api/me/export", download=True,
                class_name="touch lang-link",
                custom_attrs={"id": "export", "reloadDocument": True}),
        forms.form(
            ui.vstack(
                ui.text(T("Deleting your account erases your name, email, phone, address "
                          "and messages. The hours you gave stay in the town's statistics, "
                          "anonymously.")),
                tick("confirm_delete", N_("I want to delete my account for good.")),
                rx.cond(AccountState.delete_error != "",
                        ui.text(AccountState.delete_error, color_scheme="red", role="alert",
                                custom_attrs={"id": "confirm_delete-error"})),
                ui.button(T("Delete my account"), type="submit", color_scheme="red",
                          high_contrast=True, size="3", custom_attrs={"id": "delete-account"}),
            ),
            on_submit=AccountState.delete_account,
        ),
        auto_post("leave-form", "/api/auth/logout", AccountState.deleted),
    ), style={"width": "100%"})


def account() -> rx.Component:
    return page(
        ui.heading(T("My account"), as_="h1", size="7"),
        profile_form(),
        pause_section(),
        push_section(),
        mail_section(),
        alerts_section(),
        data_section(),
        next_path="/account", nav="volunteer", active="account",
    )
