"""/console/intake: the intake form of a need, on the referent's tablet."""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import (
    checkbox,
    dynamic_select,
    error_for,
    select,
    text_area,
    text_input,
)
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS, CHANNEL_LABELS
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.services.intake import MAX_OTHER_DATES, NEW_BENEFICIARY
from heurecivique_app.state.intake import IntakeState

E = IntakeState.field_errors


def duplicate_choice() -> rx.Component:
    """After the warning: pick the known person, or confirm someone new, then save again."""
    def option(match: rx.Var) -> rx.Component:
        return rx.el.label(
            rx.el.input(type="radio", name="beneficiary_choice", value=match["id"],
                        class_name="touch-check"),
            ui.vstack(ui.text(match["name"], weight="bold"),
                      ui.text(match["address"], " · ", match["neighbourhood"], size="2"),
                      ui.text(match["phone"], " · ", match["missions"], size="1",
                              color_scheme="gray"),
                      spacing="0"),
            class_name="choice-row",
        )

    return rx.cond(IntakeState.matches.length() > 0, rx.el.fieldset(
        rx.el.legend(T("Is it one of these people?")),
        ui.vstack(
            rx.foreach(IntakeState.matches, option),
            rx.el.label(
                rx.el.input(type="radio", name="beneficiary_choice", value=NEW_BENEFICIARY,
                            class_name="touch-check"),
                " ", T("No, this is someone new"),
                class_name="choice-row",
            ),
            error_for(E, "beneficiary_choice"),
            spacing="2",
        ),
        id="duplicate-choice",
        class_name="rules-box",
    ))


def when_fields() -> rx.Component:
    others = [
        ui.hstack(text_input(E, N_("Other possible date"), f"preferred_date_{n}", type="date"),
                  text_input(E, N_("Time"), f"preferred_time_{n}", type="time"),
                  width="100%")
        for n in range(2, 2 + MAX_OTHER_DATES)
    ]
    return ui.vstack(
        ui.heading(T("When"), as_="h3", size="3"),
        ui.hstack(text_input(E, N_("Preferred date"), "preferred_date", type="date"),
                  text_input(E, N_("Time"), "preferred_time", type="time",
                             default_value="10:00"),
                  width="100%"),
        error_for(E, "starts_at"),
        *others,
        error_for(E, "other_dates"),
        text_input(E, N_("Estimated duration (minutes)"), "duration_minutes", type="number",
                   default_value="60"),
        spacing="2", width="100%",
    )


def rules_box() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(T("The rules of L'Heure Civique")),
        ui.vstack(*[ui.text("• ", T(text), size="2") for text in RULE_TEXTS.values()],
                  spacing="1"),
        checkbox(E, N_("It would replace a professional"), "replaces_professional"),
        checkbox(E, N_("It is a recurring need"), "recurring"),
        checkbox(E, N_("It is urgent"), "urgent"),
        checkbox(E, N_("I told the person that each party's civil-liability insurance "
                       "applies"), "insurance_acknowledged"),
        class_name="rules-box",
    )


def intake_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            select(E, N_("How did the need reach you?"), "channel", CHANNEL_LABELS),
            select(E, N_("Category"), "category", CATEGORY_LABELS),
            text_input(E, N_("Short title"), "title"),
            text_area(E, N_("Description"), "description"),
            dynamic_select(E, N_("Neighbourhood"), "neighbourhood_id",
                           IntakeState.neighbourhood_options),
            ui.heading(T("Beneficiary"), as_="h3", size="3"),
            text_input(E, N_("Full name"), "beneficiary_name", auto_complete="off"),
            text_input(E, N_("Phone"), "beneficiary_phone", type="tel", auto_complete="off"),
            text_input(E, N_("Address"), "address", auto_complete="off"),
            text_input(E, N_("Access notes (door code, floor…)"), "access_notes"),
            checkbox(E, N_("The person agrees that we store these details"), "consent"),
            duplicate_choice(),
            when_fields(),
            rules_box(),
            checkbox(E, N_("Publish on the neighbourhood board now"), "publish", default=True),
            rx.cond(IntakeState.form_message != "", ui.callout(
                IntakeState.form_message, role="status", id="form-message", width="100%",
                color_scheme=rx.cond(IntakeState.form_ok, "green", "amber"))),
            ui.button(T("Save the need"), type="submit", size="3", id="save-need"),
            spacing="3", width="100%",
        ),
        on_submit=IntakeState.submit_need,
        reset_on_submit=False,
        key=IntakeState.form_key,
    ), width="100%")


def intake_page() -> rx.Component:
    return page(
        ui.hstack(
            ui.heading(T("New need"), as_="h1", size="7"),
            ui.link(T("Back to the console"), href="/console", class_name="touch"),
            align="center", spacing="4", wrap="wrap",
        ),
        rx.cond(IntakeState.created_mission_id != "", ui.link(
            T("Find a volunteer for it"), href="/console/match/" + IntakeState.created_mission_id,
            id="match-link", class_name="touch", weight="bold")),
        intake_form(),
        next_path="/console/intake",
        max_width="48rem",
    )
