"""/relay/need: a relay passes on a neighbour's need to the referent."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.pages.relay import ERR, neighbourhood_select, relay_form
from heurecivique_app.state.relay import RelayState


def need_form() -> rx.Component:
    return relay_form(
        forms.select(ERR, N_("Category"), "category", CATEGORY_LABELS),
        forms.text_input(ERR, N_("Short title"), "title"),
        forms.text_area(ERR, N_("Description"), "description"),
        neighbourhood_select(),
        ui.heading(T("The neighbour"), as_="h2", size="3"),
        forms.text_input(ERR, N_("Full name"), "beneficiary_name"),
        forms.text_input(ERR, N_("Phone"), "beneficiary_phone", type="tel"),
        forms.text_input(ERR, N_("Address"), "address", auto_complete="off"),
        forms.text_input(ERR, N_("Access notes (door code, floor…)"), "access_notes"),
        forms.checkbox(ERR, N_("The person agrees that we store these details"),
                       "consent"),
        ui.heading(T("When"), as_="h2", size="3"),
        forms.text_input(ERR, N_("Preferred date"), "preferred_date", type="date"),
        ui.hstack(
            forms.text_input(ERR, N_("Time"), "preferred_time", type="time",
                             default_value="10:00"),
            forms.text_input(ERR, N_("Duration (minutes)"), "duration_minutes",
                             type="number", default_value="60"),
            width="100%",
        ),
        rx.el.fieldset(
            rx.el.legend(T("The rules of L'Heure Civique")),
            ui.vstack(*[ui.text("• ", T(text), size="2") for text in RULE_TEXTS.values()],
                      spacing="1"),
            forms.checkbox(ERR, N_("It would replace a professional"),
                           "replaces_professional"),
            forms.checkbox(ERR, N_("It is a recurring need"), "recurring"),
            forms.checkbox(ERR, N_("It is urgent"), "urgent"),
            forms.checkbox(ERR, N_("I told the person that each party's civil-liability "
                                   "insurance applies"), "insurance_acknowledged"),
            class_name="plain-fieldset",
        ),
        send=N_("Send to the referent"), send_id="send-need", on_submit=RelayState.submit_need,
    )


def relay_need() -> rx.Component:
    return page(
        ui.heading(T("Report a neighbour's need"), as_="h1", size="6"),
        ui.text(T("The referent checks the need and calls your neighbour back before it "
                  "goes on the board.")),
        need_form(),
        next_path="/relay/need", nav="relay", active="need",
    )
