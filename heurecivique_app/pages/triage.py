"""/console/reports: the referent's triage queue of relay reports, and success stories."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.privacy import CONSENT_METHOD_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.triage import TriageState


def report_card(row: rx.Var) -> rx.Component:
    answer_id = "answer-" + row["id"].to(str)
    return ui.card(
        ui.vstack(
            ui.hstack(
                ui.text(row["kind"], " · ", row["category"], size="2"),
                ui.spacer(),
                ui.badge(row["status_label"], size="2", class_name="report-status",
                         color_scheme=rx.match(row["status"], ("new", "amber"),
                                               ("closed", "gray"), "green")),
                width="100%", wrap="wrap",
            ),
            ui.heading(row["title"], as_="h3", size="4"),
            ui.text(row["description"], size="2"),
            ui.text(row["neighbourhood"], " · ", row["relay"], " · ", row["when"], size="2",
                    color_scheme="gray"),
            rx.cond(row["point"] != "",
                    ui.link(T("Place: "), row["point"], href=row["map_href"],
                            is_external=True, size="2")),
            rx.cond(row["photo_href"] != "",
                    ui.link(T("See the photo"), href=row["photo_href"], is_external=True,
                            size="2")),
            rx.cond(row["answer"] != "",
                    cheap.blockquote(row["answer"], class_name="report-answer")),
            rx.cond(
                row["can_close"],
                ui.vstack(
                    rx.el.label(T("Answer to the relay"), html_for=answer_id),
                    ui.text_area(id=answer_id, width="100%",
                                 on_blur=lambda text: TriageState.set_answer(row["id"], text)),
                    ui.hstack(
                        rx.cond(row["can_mission"],
                                ui.button(T("Turn into a mission draft"), size="2",
                                          class_name="to-mission",
                                          on_click=TriageState.to_mission(row["id"]))),
                        rx.cond(row["can_forward"],
                                ui.button(T("Forward to the technical services"), size="2",
                                          variant="soft", class_name="forward",
                                          on_click=TriageState.forward(row["id"]))),
                        ui.button(T("Close with this answer"), size="2", variant="outline",
                                  class_name="close-report",
                                  on_click=TriageState.close(row["id"])),
                        wrap="wrap", spacing="2",
                    ),
                    spacing="1", width="100%",
                ),
            ),
            spacing="2", width="100%",
        ),
        width="100%",
        class_name="triage-card",
        data_report_id=row["id"],
    )


def story_form() -> rx.Component:
    err = TriageState.story_errors
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Publish a success story"), as_="h2", size="5"),
            forms.text_input(err, N_("Title"), "story_title"),
            forms.text_area(err, N_("Story"), "story_text", rows="5"),
            forms.photo_upload(
                "story-photo", N_("Photo of the story (optional)"),
                TriageState.upload_story_photo(rx.upload_files(upload_id="story-photo"))),
            rx.cond(TriageState.photo_label != "",
                    ui.text(TriageState.photo_label, size="2", role="status")),
            forms.error_for(err, "photo"),
            forms.checkbox(err, N_("The people shown in the photo agreed to its publication"),
                           "photo_consent"),
            rx.cond(TriageState.story_message != "",
                    ui.callout(TriageState.story_message, role="status", width="100%",
                               color_scheme=rx.cond(TriageState.story_ok, "green", "red"))),
            ui.button(T("Publish"), type="submit", size="3", id="publish-story"),
            spacing="3", width="100%",
        ),
        on_submit=TriageState.publish_story,
        reset_on_submit=False,
        key=TriageState.story_key,
    ), width="100%")


def relay_panel() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Neighbourhood relays"), as_="h2", size="5"),
        rx.el.ul(rx.foreach(TriageState.relay_rows, lambda r: rx.el.li(
            ui.text(cheap.strong(r["name"]), " — ", r["hoods"]))),
            id="relay-list", style={"paddingLeft": "1.25rem"}),
        forms.form(
            ui.vstack(
                forms.dynamic_select(TriageState.relay_errors, N_("Resident"), "relay_user",
                                     TriageState.people_options),
                rx.el.fieldset(
                    rx.el.legend(T("Neighbourhoods they watch over")),
                    rx.foreach(TriageState.neighbourhood_options, lambda h: rx.el.label(
                        rx.el.input(type="checkbox", name="hood-" + h["id"].to(str),
                                    class_name="touch-check"),
                        " ", h["name"], style={"display": "block"})),
                    class_name="plain-fieldset",
                ),
                ui.text(T("Tick no neighbourhood to take the relay role back."), size="2"),
                forms.text_input(TriageState.relay_errors, N_("Date of birth (new relays)"),
                                 "birth_date", type="date"),
                rx.el.fieldset(
                    rx.el.legend(T("Under 15: a parent's consent")),
                    forms.text_input(TriageState.relay_errors, N_("Parent's name"),
                                     "parent_name"),
                    forms.select(TriageState.relay_errors, N_("How the parent consented"),
                                 "parent_method", CONSENT_METHOD_LABELS),
                    forms.text_input(TriageState.relay_errors, N_("Consent given on"),
                                     "parent_given_on", type="date"),
                    class_name="plain-fieldset",
                ),
                ui.text(T("A relay under 18 joins collective actions and reports only: never "
                          "a mission at someone's home, never a beneficiary's contact."),
                        size="2"),
                ui.button(T("Save"), type="submit", id="assign-relay"),
                spacing="2", width="100%",
            ),
            on_submit=TriageState.assign_relay,
            key=TriageState.relay_key,
        ),
        spacing="3", width="100%",
    ), width="100%")


def printables() -> rx.Component:
    base = "/api/c/" + TriageState.commune_slug
    return ui.card(ui.vstack(
        ui.heading(T("Print"), as_="h2", size="4"),
        ui.link(T("A4 poster (PDF)"), href=base + "/poster.pdf", is_external=True),
        ui.link(T("A5 flyer (PDF)"), href=base + "/flyer.pdf", is_external=True),
        ui.link(T("“Needs to fill in” paper form (PDF)"), href=base + "/besoins.pdf",
                is_external=True),
        ui.link(T("The commune's public site"), href="/c/" + TriageState.commune_slug),
        spacing="2",
    ), width="100%")


def triage() -> rx.Component:
    return page(
        ui.hstack(
            ui.heading(T("Relay reports"), as_="h1", size="7"),
            ui.spacer(),
            ui.link(T("Back to the console"), href="/console", class_name="touch"),
            rx.el.a(T("Export as CSV"), href="/api/reports.csv", download="signalements.csv",
                    class_name="touch", id="export-csv",
                    style={"color": "var(--accent-11)", "display": "inline-flex",
                           "alignItems": "center"}),
            width="100%", align="center", wrap="wrap", spacing="4",
        ),
        ui.grid(
            ui.vstack(
                rx.cond(TriageState.reports.length() > 0,
                        ui.vstack(rx.foreach(TriageState.reports, report_card), width="100%",
                                  id="triage-queue"),
                        rx.cond(TriageState.loaded, ui.text(T("No report yet.")))),
                width="100%",
            ),
            ui.vstack(story_form(), relay_panel(), printables(), width="100%"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4", width="100%",
        ),
        next_path="/console/reports",
        max_width="80rem",
    )
