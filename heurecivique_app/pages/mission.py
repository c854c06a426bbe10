"""/missions/[mission_id]: details, accept or decline, contact after acceptance, mark done."""

import reflex as rx

from heurecivique_app.components.layout import page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.state.mission import MissionState


def outcome_banner() -> rx.Component:
    return rx.cond(
        MissionState.outcome != "",
        rx.callout(
            MissionState.outcome_text,
            color_scheme=rx.match(MissionState.outcome, ("accepted", "green"),
                                  ("done", "green"), ("taken", "amber"), ("error", "red"),
                                  "blue"),
            role="status",
            id="outcome",
            width="100%",
        ),
    )


def contact_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T("Contact"), as_="h2", size="4"),
            rx.text(MissionState.contact_name, weight="bold"),
            rx.text(MissionState.contact_address, id="contact-address"),
            rx.link(MissionState.contact_phone_label, href="tel:" + MissionState.contact_phone,
                    id="contact-phone"),
            rx.cond(MissionState.contact_notes != "", rx.text(MissionState.contact_notes)),
            rx.text(T("Keep these details private. They disappear after the mission."),
                    size="1", color_scheme="gray"),
            spacing="1",
        ),
        width="100%",
        id="contact",
    )


def accept_or_decline() -> rx.Component:
    return rx.vstack(
        rx.button(
            rx.cond(MissionState.outcome == "pending", T("Sending…"), T("I accept")),
            on_click=MissionState.accept,
            disabled=MissionState.outcome == "pending",
            size="3", width="100%", id="accept",
        ),
        rx.el.details(
            rx.el.summary(T("Not for me")),
            rx.form(
                rx.vstack(
                    rx.el.label(T("Reason (optional, for the referent)"), html_for="reason"),
                    rx.input(id="reason", name="reason", width="100%"),
                    rx.button(T("Decline"), type="submit", variant="soft", id="decline"),
                    width="100%",
                ),
                on_submit=MissionState.decline,
            ),
        ),
        width="100%",
    )


def mark_done_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(T("After the mission"), as_="h2", size="4"),
            rx.el.label(T("Minutes spent"), html_for="minutes"),
            rx.input(id="minutes", name="minutes", type="number", min=15, max=480,
                     default_value="60", width="8rem"),
            rx.button(T("It took place"), type="submit", id="mark-done", size="3"),
            width="100%",
        ),
        on_submit=MissionState.mark_done,
        width="100%",
    )


def details() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(MissionState.category, color_scheme="gray"), rx.spacer(),
                  status_badge(MissionState.status, MissionState.status_label), width="100%"),
        rx.heading(MissionState.title, as_="h1", size="7"),
        rx.text(MissionState.when, " · ", MissionState.duration),
        rx.text(T("Neighbourhood"), ": ", MissionState.neighbourhood,
                rx.cond(MissionState.has_contact, "",
                        rx.fragment(" — ", T("exact address given after acceptance"))),
                id="approx-location"),
        rx.text(MissionState.places),
        rx.text(MissionState.description),
        outcome_banner(),
        rx.cond(MissionState.has_contact, contact_card()),
        rx.cond((MissionState.my_participation == "proposed") & (MissionState.status == "open"),
                rx.callout(T("The town hall proposed this mission to you: will you take it?"),
                           id="proposal", width="100%")),
        rx.cond(
            MissionState.my_participation == "accepted",
            rx.cond((MissionState.status == "full") | (MissionState.status == "open"),
                    mark_done_form()),
            rx.cond(MissionState.status == "open", accept_or_decline()),
        ),
        rx.link(T("Back to the board"), href="/board"),
        spacing="3",
        width="100%",
    )


def mission() -> rx.Component:
    return page(
        rx.cond(MissionState.found, details(),
                rx.text(T("This item no longer exists."))),
        next_path="/board",
    )
