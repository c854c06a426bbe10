"""/console/volunteers (the pool) and /console/volunteers/[volunteer_id] (one record)."""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import checkbox, dynamic_select, select, text_area
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.availability import DAY_LABELS, PART_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS, VOLUNTEER_STATUS_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.pool import PoolState, VolunteerState


def _title(text: str, back: str = "/console") -> rx.Component:
    return ui.hstack(
        ui.heading(T(text), as_="h1", size="7"),
        ui.link(T("Back to the console") if back == "/console" else T("Back to the pool"),
                href=back, class_name="touch"),
        align="center", spacing="4", wrap="wrap",
    )


def search_form() -> rx.Component:
    E = PoolState.field_errors  # noqa: N806
    return ui.card(forms.form(
        ui.grid(
            ui.vstack(rx.el.label(T("Name"), html_for="text"),
                      ui.input(id="text", name="text", size="3", width="100%"),
                      spacing="1", width="100%"),
            select(E, N_("Skill"), "skill", CATEGORY_LABELS),
            dynamic_select(E, N_("Neighbourhood"), "neighbourhood_id",
                           PoolState.neighbourhood_options),
            select(E, N_("Available on"), "day", DAY_LABELS),
            select(E, N_("Part of the day"), "part", PART_LABELS),
            select(E, N_("Status"), "status", VOLUNTEER_STATUS_LABELS),
            columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%",
        ),
        ui.button(T("Search"), type="submit", size="3", id="pool-search", margin_top="0.75rem"),
        on_submit=PoolState.search, reset_on_submit=False, role="search",
    ), width="100%")


def pool_row(row: rx.Var) -> rx.Component:
    return ui.tr(
        ui.td(rx.cond(row["href"] != "",
                              ui.link(row["name"], href=row["href"], class_name="touch",
                                      weight="medium"),
                              ui.text(row["name"], weight="medium")),
                      ui.text(row["neighbourhood"], size="1", color_scheme="gray"),
                      rx.cond(row["pool_badge"] != "",
                              ui.badge(row["pool_badge"], size="1", color_scheme="violet",
                                       high_contrast=True, class_name="pool-badge"))),
        ui.td(ui.badge(
            row["status_label"], size="2", high_contrast=True,
            color_scheme=rx.match(row["status"], ("active", "green"), ("pending", "amber"),
                                  "gray"))),
        ui.td(ui.text(row["skills"], size="2")),
        ui.td(ui.text(row["availability"], size="2")),
        ui.td(row["month"]),
        class_name="pool-row", data_volunteer_id=row["id"],
    )


def pool_page() -> rx.Component:
    return page(
        _title(N_("Volunteers")),
        search_form(),
        ui.text(PoolState.count_text, id="pool-count", role="status"),
        rx.cond(
            PoolState.rows.length() > 0,
            ui.table(
                ui.thead(ui.tr(
                    ui.th(T("Volunteer")),
                    ui.th(T("Status")),
                    ui.th(T("Skills")),
                    ui.th(T("Availability")),
                    ui.th(T("This month")),
                )),
                ui.tbody(rx.foreach(PoolState.rows, pool_row)),
                width="100%", id="pool-table",
            ),
            ui.text(T("No volunteer matches this search.")),
        ),
        next_path="/console/volunteers",
        max_width="80rem",
    )


def _fact(label: str, value: rx.Var, id: str | None = None) -> rx.Component:
    return ui.hstack(ui.text(T(label), weight="bold", size="2"), ui.text(value, size="2", id=id),
                     spacing="2", wrap="wrap")


def validation_form() -> rx.Component:
    E = VolunteerState.field_errors  # noqa: N806
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Validate after the interview"), as_="h2", size="4"),
            checkbox(E, N_("We went through the citizen charter together"), "charter"),
            text_area(E, N_("Interview notes (staff only)"), "validation_note"),
            rx.cond(VolunteerState.form_message != "", ui.callout(
                VolunteerState.form_message, role="status", id="validation-message",
                width="100%")),
            ui.button(T("Validate the volunteer"), type="submit", size="3", id="validate"),
            spacing="3", width="100%",
        ),
        on_submit=VolunteerState.validate, reset_on_submit=False,
    ), width="100%")


def history_list() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("History"), as_="h2", size="4"),
        rx.cond(
            VolunteerState.history.length() > 0,
            rx.el.ul(rx.foreach(VolunteerState.history, lambda h: rx.el.li(
                ui.text(h["title"], weight="medium"),
                ui.text(h["when"], " · ", h["status"], " ", h["minutes"], size="1",
                        color_scheme="gray"),
            )), id="history", style={"paddingLeft": "1rem"}),
            ui.text(T("No mission yet.")),
        ),
        width="100%",
    ), width="100%")


def mail_problems() -> rx.Component:
    """E-mails that did not reach the volunteer: the referent checks the address."""
    return ui.callout(ui.vstack(
        ui.text(T("E-mails not delivered"), weight="bold"),
        rx.foreach(VolunteerState.mail_problems, lambda p: ui.text(
            p["kind"], " · ", p["when"], " · ", p["state"], " (", p["error"], ")",
            size="2", class_name="mail-problem")),
        spacing="1"), color_scheme="amber", role="status", width="100%", id="mail-problems")


def volunteer_page() -> rx.Component:
    v = VolunteerState.volunteer
    return page(
        _title(N_("Volunteer"), back="/console/volunteers"),
        rx.cond(VolunteerState.found, ui.vstack(
            ui.card(ui.vstack(
                ui.hstack(ui.heading(v["name"], as_="h2", size="5"),
                          ui.badge(v["status_label"], size="2", id="volunteer-status"),
                          align="center", wrap="wrap"),
                _fact(N_("Neighbourhood"), v["neighbourhood"]),
                _fact(N_("Skills"), v["skills"]),
                rx.cond(v["skills_note"] != "", _fact(N_("In their words"), v["skills_note"])),
                _fact(N_("Availability"), v["availability"]),
                _fact(N_("Goes up to"), v["max_distance"]),
                _fact(N_("This month"), v["month"], id="volunteer-month"),
                _fact(N_("In all"), v["total"], id="volunteer-total"),
                ui.hstack(ui.text(T("Contact"), weight="bold", size="2"),
                          rx.cond(v["phone"] != "", ui.link(v["phone"], href="tel:" + v["phone"],
                                                            class_name="touch")),
                          ui.link(v["email"], href="mailto:" + v["email"], class_name="touch"),
                          spacing="2", wrap="wrap"),
                rx.cond(v["charter"] != "", _fact(N_("Charter approved"), v["charter"])),
                rx.cond(v["validated"] != "", _fact(N_("Validated"),
                                                    v["validated"] + " · " + v["validated_by"])),
                rx.cond(VolunteerState.note != "", _fact(N_("Interview notes (staff only)"),
                                                         VolunteerState.note)),
                spacing="2", width="100%",
            ), width="100%"),
            rx.cond(VolunteerState.mail_problems.length() > 0, mail_problems()),
            rx.cond(v["status"] == "pending", validation_form()),
            rx.cond(v["status"] == "active",
                    ui.button(T("Pause this volunteer"), on_click=VolunteerState.pause,
                              variant="soft", size="3", id="pause")),
            rx.cond(v["status"] == "paused",
                    ui.button(T("Make active again"), on_click=VolunteerState.resume,
                              size="3", id="resume")),
            history_list(),
            spacing="4", width="100%",
        )),
        next_path="/console/volunteers",
        max_width="48rem",
    )
