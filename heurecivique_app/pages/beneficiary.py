"""/console/beneficiaries/[beneficiary_id]: one beneficiary's record (staff of the commune)."""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import labelled, select, text_area, text_input
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.privacy import ERASURE_CHANNEL_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.beneficiary import BeneficiaryState as S

E = S.field_errors
P = S.person


def _fact(label: str, value: rx.Var, id: str | None = None) -> rx.Component:
    return rx.el.div(
        rx.el.dt(T(label), style={"fontWeight": "bold"}),
        rx.el.dd(rx.cond(value != "", value, T("—")), id=id, style={"margin": "0 0 0.5rem 0"}),
    )


def _message(which: str) -> rx.Component:
    return rx.cond(
        (S.message_for == which) & (S.message != ""),
        ui.callout(S.message, role="status", width="100%", id=f"{which}-message",
                   high_contrast=True,  # the soft green and red fall short of 4.5:1
                   color_scheme=rx.match(S.message_tone, ("error", "red"), ("success", "green"),
                                         "blue")),
    )


def identity() -> rx.Component:
    return ui.card(ui.vstack(
        ui.hstack(
            ui.heading(P["name"], as_="h2", size="5", id="beneficiary-name"),
            rx.cond(P["pseudonymised"] != "",
                    ui.badge(T("Made anonymous"), color_scheme="gray", high_contrast=True,
                             size="2")),
            rx.cond(P["merged_into"] != "",
                    ui.badge(T("Merged into another record"), color_scheme="amber",
                             high_contrast=True, size="2")),
            align="center", wrap="wrap",
        ),
        rx.cond(P["merged_into"] != "", ui.link(
            T("Open the record it was merged into"),
            href="/console/beneficiaries/" + P["merged_into"], class_name="touch",
            id="merged-into")),
        rx.el.dl(
            rx.el.div(
                rx.el.dt(T("Phone"), style={"fontWeight": "bold"}),
                rx.el.dd(rx.cond(P["phone"] != "",
                                 ui.link(P["phone_label"], href="tel:" + P["phone"],
                                         class_name="touch"),
                                 T("—")), style={"margin": "0 0 0.5rem 0"}),
            ),
            _fact(N_("Address"), P["address"], id="beneficiary-address"),
            _fact(N_("Access notes (door code, floor…)"), P["access_notes"]),
            _fact(N_("Neighbourhood"), P["neighbourhood"]),
            _fact(N_("Notes (staff only)"), P["notes"], id="beneficiary-notes"),
            rx.cond(P["contact_erased"] != "",
                    _fact(N_("Contact erased (retention)"), P["contact_erased"])),
            rx.cond(P["merged_from"] != "", _fact(N_("Records merged into this one"),
                                                  P["merged_from"])),
            style={"margin": 0},
        ),
        spacing="2", width="100%",
    ), width="100%")


def consent() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Consent and information notice"), as_="h2", size="4"),
        rx.el.dl(
            _fact(N_("Consent recorded"), P["consent"]),
            _fact(N_("Information notice read"), P["notice"], id="notice-version"),
            _fact(N_("Read by"), P["consent_by"]),
            style={"margin": 0},
        ),
        rx.cond(P["editable"] != "", ui.button(
            T("I have just read the current notice to the person"), on_click=S.notice_read,
            variant="soft", size="3", id="notice-read")),
        _message("notice"),
        ui.hstack(
            ui.link(T("What the notice says"), href="/privacy", class_name="touch"),
            ui.link(T("Insurance: who covers what"), href="/insurance", class_name="touch"),
            spacing="4", wrap="wrap"),
        spacing="2", width="100%",
    ), width="100%")


def history() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Needs and visits"), as_="h2", size="4"),
        rx.cond(
            S.needs.length() > 0,
            rx.el.ul(rx.foreach(S.needs, lambda n: rx.el.li(
                ui.link(n["title"], href=n["href"], class_name="touch", weight="medium"),
                ui.text(n["when"], " · ", n["category"], " · ", n["status"], size="2"),
                ui.text(T("Volunteers: "), n["volunteers"], " ", n["minutes"], size="2",
                        color_scheme="gray"),
                rx.cond(n["insurance"] != "", ui.text(n["insurance"], size="1")),
                class_name="need-row",
            )), id="needs", style={"paddingLeft": "1rem"}),
            ui.text(T("No need recorded yet.")),
        ),
        width="100%",
    ), width="100%")


def edit_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Correct the record"), as_="h2", size="4"),
            text_input(E, N_("Full name"), "full_name", default_value=P["name"]),
            text_input(E, N_("Phone"), "phone", default_value=P["phone_label"], type="tel"),
            text_input(E, N_("Address"), "address", default_value=P["address"]),
            text_area(E, N_("Access notes (door code, floor…)"), "access_notes",
                      default_value=P["access_notes"]),
            labelled(E, N_("Neighbourhood"), "neighbourhood_id", rx.el.select(
                rx.foreach(S.neighbourhood_options,
                           lambda o: rx.el.option(o["name"], value=o["id"])),
                id="neighbourhood_id", name="neighbourhood_id", class_name="native-select",
                default_value=P["neighbourhood_id"])),
            text_area(E, N_("Notes (staff only)"), "notes", default_value=P["notes"]),
            _message("edit"),
            ui.button(T("Save"), type="submit", size="3", id="save-record"),
            spacing="3", width="100%",
        ),
        on_submit=S.save, reset_on_submit=False, id="edit-form",
    ), width="100%")


def merge_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Merge a duplicate into this record"), as_="h2", size="4"),
            ui.text(T("The other record's needs move here and it stays as a trace, without "
                      "contact. Its number is in the address of its page."), size="2"),
            text_input(E, N_("Number of the duplicate record"), "duplicate_id",
                       input_mode="numeric"),
            _message("merge"),
            ui.button(T("Merge"), type="submit", size="3", variant="soft", id="merge"),
            spacing="3", width="100%",
        ),
        on_submit=S.merge, reset_on_submit=True, id="merge-form",
    ), width="100%")


def erase_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Erase at the person's request"), as_="h2", size="4"),
            ui.text(T("Their name becomes initials, their contact and notes are erased; the "
                      "needs stay for the statistics. This cannot be undone."), size="2"),
            select(E, N_("How the request reached you"), "channel", ERASURE_CHANNEL_LABELS),
            text_input(E, N_("Received on"), "received_on", type="date"),
            _message("erase"),
            ui.button(T("Erase the person's details"), type="submit", size="3",
                      color_scheme="red", id="erase"),
            spacing="3", width="100%",
        ),
        on_submit=S.erase, reset_on_submit=False, id="erase-form",
    ), width="100%")


def beneficiary_page() -> rx.Component:
    return page(
        ui.hstack(
            ui.heading(T("Beneficiary"), as_="h1", size="7"),
            ui.link(T("Back to the beneficiaries"), href="/console/beneficiaries",
                    class_name="touch"),
            align="center", spacing="4", wrap="wrap",
        ),
        rx.cond(
            S.found,
            ui.vstack(
                ui.grid(identity(), consent(), columns=rx.breakpoints(initial="1", md="2"),
                        spacing="4", width="100%"),
                history(),
                rx.cond(P["editable"] != "", ui.vstack(
                    edit_form(), merge_form(), erase_form(), spacing="4", width="100%")),
                rx.cond((P["editable"] == "") & (S.message_for != ""),
                        ui.vstack(_message("erase"), _message("merge"), width="100%")),
                spacing="4", width="100%",
            ),
        ),
        next_path="/console/beneficiaries",
        max_width="64rem",
    )
