"""/missions/[mission_id]: details, accept or decline, contact after acceptance, mark done."""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
from heurecivique_app.state.mission import MissionState


def shown_field() -> rx.Component:
    """The mission this page displays, sent back with the form: the server acts only if it
    is still the page's (MissionState._still_shown)."""
    return rx.el.input(type="hidden", name="shown_id", value=MissionState.shown_id)


def outcome_banner() -> rx.Component:
    return rx.cond(
        MissionState.outcome != "",
        ui.callout(
            MissionState.outcome_text,
            high_contrast=True,
            color_scheme=rx.match(MissionState.outcome, ("accepted", "green"),
                                  ("done", "green"), ("taken", "amber"), ("error", "red"),
                                  "blue"),
            role="status",
            id="outcome",
            width="100%",
        ),
    )


def contact_card() -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.heading(T("Contact"), as_="h2", size="4"),
            ui.text(MissionState.contact_name, weight="bold"),
            ui.text(MissionState.contact_address, id="contact-address"),
            ui.link(MissionState.contact_phone_label, href="tel:" + MissionState.contact_phone,
                    id="contact-phone"),
            rx.cond(MissionState.contact_notes != "", ui.text(MissionState.contact_notes)),
            ui.text(T("Keep these details private. They disappear after the mission."),
                    size="1", color_scheme="gray"),
            spacing="1",
        ),
        width="100%",
        id="contact",
    )


def accept_or_decline() -> rx.Component:
    return ui.vstack(
        rx.cond(~MissionState.charter_ok, ui.callout(
            T("The charter has changed: read it and approve it again before accepting a "
              "mission."), " ",
            ui.link(T("Read the charter"), href=MissionState.charter_href, underline="always"),
            high_contrast=True, color_scheme="amber", id="charter-note", width="100%")),
        ui.button(
            rx.cond(MissionState.outcome == "pending", T("Sending…"),
                    rx.cond(MissionState.status == "full", T("Join the waiting list"),
                            T("I accept"))),
            on_click=MissionState.accept(MissionState.shown_id),
            disabled=MissionState.outcome == "pending",
            size="3", width="100%", id="accept",
        ),
        rx.el.details(
            rx.el.summary(T("Not for me")),
            forms.form(
                shown_field(),
                ui.vstack(
                    rx.el.label(T("Reason (optional, for the referent)"), html_for="reason"),
                    ui.input(id="reason", name="reason", width="100%"),
                    ui.button(T("Decline"), type="submit", variant="soft", id="decline"),
                    width="100%",
                ),
                on_submit=MissionState.decline,
            ),
        ),
        width="100%",
    )


ERR = MissionState.field_errors


def mark_done_form() -> rx.Component:
    """After the mission: it took place, time spent, feedback, a problem for the referent."""
    return forms.form(
        shown_field(),
        ui.vstack(
            ui.heading(T("After the mission"), as_="h2", size="4"),
            forms.labelled(ERR, N_("Minutes spent"), "minutes", ui.input(
                id="minutes", name="minutes", type="number", min=15, max=480,
                default_value="60", width="8rem", size="3")),
            forms.text_area(ERR, N_("How did it go? (optional)"), "feedback"),
            forms.text_area(ERR, N_("A problem to report to the referent (optional)"), "problem"),
            ui.button(T("It took place"), type="submit", id="mark-done", size="3"),
            width="100%",
        ),
        on_submit=MissionState.mark_done,
        width="100%",
    )


def cancel_form() -> rx.Component:
    """Cancelling asks first, in a dialog: the reason for the referent, then a clear choice."""
    return ui.dialog(
        ui.button(T("I can no longer come"), type="button", variant="soft", color_scheme="red",
                  size="3", id="cancel-open"),
        T("Cancel your participation?"),
        forms.form(
            shown_field(),
            ui.vstack(
                ui.text(T("The referent is told at once and your place is offered again."),
                        size="2"),
                forms.text_input(ERR, N_("Why? (for the referent)"), "reason"),
                rx.el.div(
                    ui.dialog_close(T("Keep my place"), size="3", id="cancel-keep"),
                    ui.button(T("Cancel my participation"), type="submit", variant="solid",
                              color_scheme="red", id="cancel-participation", size="3"),
                    class_name="dialog-actions"),
                width="100%",
            ),
            on_submit=MissionState.cancel,
        ),
        dialog_id="cancel-dialog",
    )


def withdraw_button(label: str) -> rx.Component:
    """Leave the waiting list: the place goes to the next one waiting."""
    return forms.form(
        shown_field(),
        ui.button(T(label), type="submit", variant="soft", color_scheme="red", size="3",
                  id="withdraw"),
        on_submit=MissionState.decline,
    )


def my_part() -> rx.Component:
    """What an accepted volunteer may still do."""
    open_or_full = (MissionState.status == "full") | (MissionState.status == "open")
    return ui.vstack(
        # A plain link (a full page request with the session cookie): the .ics download.
        rx.cond(open_or_full, rx.el.a(
            T("Add to my calendar"), href=MissionState.calendar_href, download=True,
            class_name="touch lang-link", id="add-to-calendar",
            custom_attrs={"reloadDocument": True})),
        rx.cond(MissionState.can_cancel, cancel_form(),
                rx.cond(open_or_full, ui.text(
                    T("It is too late to cancel in the app: please phone the referent at the "
                      "town hall."), size="2", id="cutoff-note"))),
        rx.cond(MissionState.confirmed,
                ui.callout(T("You confirmed this mission. Thank you!"), high_contrast=True,
                           color_scheme="green",
                           id="confirmed"),
                # A collective action is marked done by the referent's attendance check.
                rx.cond((open_or_full & ~MissionState.is_collective)
                        | (MissionState.status == "done"), mark_done_form())),
        width="100%",
    )


def details() -> rx.Component:
    return ui.vstack(
        ui.hstack(ui.text(MissionState.category, color_scheme="gray"), ui.spacer(),
                  status_badge(MissionState.status, MissionState.status_label), width="100%"),
        ui.heading(MissionState.title, as_="h1", size="7"),
        ui.text(MissionState.when, " · ", MissionState.duration, id="mission-when"),
        ui.text(T("Neighbourhood"), ": ", MissionState.neighbourhood,
                rx.cond(MissionState.has_contact, "",
                        rx.fragment(" — ", T("exact address given after acceptance"))),
                id="approx-location"),
        ui.text(MissionState.places),
        ui.text(MissionState.description),
        rx.cond(MissionState.skills_wanted != "",
                ui.text(T("Skills wanted: "), MissionState.skills_wanted, id="skills-wanted")),
        outcome_banner(),
        rx.cond(MissionState.has_contact, contact_card()),
        rx.cond((MissionState.my_participation == "proposed") & (MissionState.status == "open"),
                ui.callout(T("The town hall proposed this mission to you: will you take it?"),
                           id="proposal", width="100%")),
        rx.cond(
            MissionState.my_participation == "accepted",
            my_part(),
            rx.cond(MissionState.started,
                    rx.cond(MissionState.status == "open", ui.text(
                        T("This mission has already started: it can no longer be accepted."),
                        id="started-note")),
                    rx.cond((MissionState.status == "open")
                            | ((MissionState.status == "full") & MissionState.is_collective
                               & (MissionState.my_participation != "waitlisted")),
                            accept_or_decline())),
        ),
        # Promoted from the waiting list, taken off, handed over, a new address: the public
        # broadcast of this mission tells only that something changed; the tab of anyone
        # involved then re-reads its own part.
        on_live_version(version=MissionState.live_version,
                        when=MissionState.my_participation != "",
                        then=MissionState.follow_live),
        rx.cond(
            MissionState.my_participation == "waitlisted",
            ui.vstack(ui.text(T("You are on the waiting list: you will move up if someone "
                                "cancels."), id="waitlisted-note"),
                      withdraw_button(N_("Leave the waiting list"))),
        ),
        ui.link(T("Back to my home"), href="/home", class_name="touch"),
        spacing="3",
        width="100%",
    )


def mission() -> rx.Component:
    return page(
        rx.cond(MissionState.loaded,
                rx.cond(MissionState.found, details(),
                        ui.text(T("This item no longer exists."))),
                ui.skeleton("5rem", count=6, width="100%", class_name="screen-hold",
                            id="mission-loading")),
        next_path="/home", nav="volunteer",
    )
