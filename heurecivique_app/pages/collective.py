"""/console/collective/new and /console/attendance/[mission_id]: collective actions."""

from __future__ import annotations

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
from heurecivique_app.components.layout import missing_item, page, status_badge
from heurecivique_app.components.text import T
from heurecivique_app.domain.enums import CATEGORY_LABELS, Category
from heurecivique_app.domain.text import N_
from heurecivique_app.services.collective import SKILL_OPTIONS
from heurecivique_app.state.collective import AttendanceState as A
from heurecivique_app.state.collective import CollectiveFormState as C

KINDS = {c: CATEGORY_LABELS[c] for c in (Category.COLLECTIVE_EVENT, Category.CLEANUP)}


def collective_new() -> rx.Component:
    errors = C.field_errors
    skills = rx.el.fieldset(
        rx.el.legend(T("Skills wanted")),
        ui.grid(*[
            rx.el.label(rx.el.input(type="checkbox", name=f"skill_{value}", id=f"skill_{value}",
                                    class_name="touch-check"), " ", T(text),
                        html_for=f"skill_{value}")
            for value, text in SKILL_OPTIONS.items()
        ], columns=rx.breakpoints(initial="1", sm="2"), spacing="2"),
        error_for(errors, "skills"),
        class_name="plain-fieldset",
    )
    return page(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        ui.heading(T("New collective action"), as_="h1", size="7"),
        ui.text(T("A clean-up, help at an event, polling station assessors… Volunteers sign "
                  "up until it is full, then join a waiting list."), size="2"),
        ui.card(forms.form(
            ui.vstack(
                text_input(errors, N_("Short title"), "title"),
                select(errors, N_("Category"), "category", KINDS),
                text_area(errors, N_("Description"), "description"),
                dynamic_select(errors, N_("Neighbourhood"), "neighbourhood_id",
                               C.neighbourhood_options),
                text_input(errors, N_("Meeting place"), "place", auto_complete="off"),
                ui.grid(
                    text_input(errors, N_("Date"), "date", type="date"),
                    text_input(errors, N_("Time"), "time", type="time", default_value="09:30"),
                    text_input(errors, N_("Duration (minutes)"), "duration_minutes",
                               type="number", default_value="120"),
                    text_input(errors, N_("Number of volunteers"), "capacity", type="number",
                               min=1),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
                skills,
                checkbox(errors, N_("Publish on the neighbourhood board now"), "publish",
                         default=True),
                rx.cond(C.message != "", ui.callout(C.message, role="status", width="100%",
                                                    color_scheme="red")),
                ui.button(T("Create the action"), type="submit", size="3",
                          id="create-collective"),
                spacing="3", width="100%",
            ),
            on_submit=C.submit, reset_on_submit=False,
        ), width="100%"),
        next_path="/console/collective/new",
        max_width="48rem",
    )


def _present_row(row: rx.Var) -> rx.Component:
    box_id = "present-" + row["id"]
    return rx.el.li(
        rx.el.label(
            rx.el.input(type="checkbox", name="present_" + row["id"], id=box_id,
                        default_checked=row["attended"] != "0", class_name="touch-check"),
            " ", row["name"], html_for=box_id),
        class_name="roster-present", data_volunteer=row["name"],
    )


def _waiting_row(row: rx.Var) -> rx.Component:
    return rx.el.li(ui.text(row["name"], " — ", row["position"]), class_name="roster-waiting",
                    data_volunteer=row["name"])


def attendance() -> rx.Component:
    return page(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        rx.cond(
            A.found,
            ui.vstack(
                ui.hstack(ui.heading(A.title, as_="h1", size="7"),
                          status_badge(A.status, A.status_label), align="center",
                          wrap="wrap"),
                ui.text(A.when, " · ", A.place),
                ui.text(A.capacity, id="capacity-text"),
                rx.cond(A.skills != "", ui.text(T("Skills wanted: "), A.skills, size="2")),
                ui.card(forms.form(
                    ui.vstack(
                        ui.heading(T("Attendance on the day"), as_="h2", size="5"),
                        ui.text(T("Untick those who did not come: only those present are "
                                  "credited the time."), size="2"),
                        rx.cond(A.present_rows.length() > 0,
                                rx.el.ul(rx.foreach(A.present_rows, _present_row),
                                         id="roster-present",
                                         style={"listStyle": "none", "padding": 0}),
                                ui.text(T("Nobody has signed up yet."))),
                        ui.vstack(
                            rx.el.label(T("Time given (minutes)"), html_for="minutes"),
                            ui.input(id="minutes", name="minutes", type="number", min=15,
                                     max=480, default_value=A.minutes, size="3"),
                            spacing="1"),
                        ui.button(T("Save attendance"), type="submit", size="3",
                                  id="save-attendance"),
                        rx.cond(A.message != "",
                                ui.callout(A.message, role="status", id="attendance-message",
                                           color_scheme=rx.cond(A.message_ok, "green", "red"),
                                           width="100%")),
                        spacing="3", width="100%",
                    ),
                    on_submit=A.submit, reset_on_submit=False, key=A.form_key,
                ), width="100%"),
                ui.card(ui.vstack(
                    ui.heading(T("Waiting list"), as_="h2", size="4"),
                    rx.cond(A.waiting_rows.length() > 0,
                            rx.el.ol(rx.foreach(A.waiting_rows, _waiting_row),
                                     id="roster-waiting", aria_live="polite",
                                     style={"paddingLeft": "1.25rem"}),
                            ui.text(T("Nobody is waiting."))),
                    width="100%"), width="100%"),
                spacing="4", width="100%",
            ),
            missing_item(A.loaded, "attendance-loading"),
        ),
        next_path="/console",
        max_width="48rem",
    )
