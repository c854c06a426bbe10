"""/console/audit (who did what, when) and /console/privacy (retention and registers)."""

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.forms import dynamic_select, text_input
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.privacy import (
    DEFAULT_INACTIVE_MONTHS,
    DEFAULT_MISSION_CONTACT_DAYS,
    INACTIVE_MONTHS_RANGE,
    MISSION_CONTACT_DAYS_RANGE,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.register import COLUMNS
from heurecivique_app.state.accountability import AuditState, PrivacyState


def _nav() -> rx.Component:
    return rx.el.nav(ui.hstack(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        ui.link(T("Personal data"), href="/console/privacy", class_name="touch-link"),
        ui.link(T("Audit log"), href="/console/audit", class_name="touch-link"),
        spacing="4", wrap="wrap",
    ), aria_label=T("Accountability"))


# --- the audit log ------------------------------------------------------------------------


def audit_filters() -> rx.Component:
    E = AuditState.field_errors  # noqa: N806
    return ui.card(forms.form(
        ui.grid(
            dynamic_select(E, N_("Action"), "action", AuditState.action_options),
            dynamic_select(E, N_("Who"), "who", AuditState.people_options),
            text_input(E, N_("Entity (mission, beneficiary, user…)"), "entity"),
            text_input(E, N_("From"), "from", type="date"),
            text_input(E, N_("To"), "to", type="date"),
            columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%",
        ),
        ui.button(T("Filter"), type="submit", size="3", id="audit-filter",
                  margin_top="0.75rem"),
        on_submit=AuditState.apply, reset_on_submit=False, role="search",
    ), width="100%")


def _table(label: str, id: str, headers: list[str], rows: rx.Var, row) -> rx.Component:
    """A plain HTML table in a region that scrolls sideways on a phone.

    Not Radix's table: its scroll area cannot take the keyboard's focus, so a keyboard
    user could not scroll a wide log (axe: scrollable-region-focusable).
    """
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(T(h), scope="col") for h in headers])),
            rx.el.tbody(rx.foreach(rows, row)),
            id=id, class_name="plain-table",
        ),
        role="region", aria_label=T(label), tab_index=0,
        style={"overflowX": "auto", "width": "100%"},
    )


def _audit_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["when"]),
        rx.el.td(row["who"]),
        rx.el.td(cheap.code(row["action"])),
        rx.el.td(row["entity"], " ", row["entity_id"]),
        rx.el.td(ui.text(row["detail"], size="1", style={"wordBreak": "break-word"})),
        class_name="audit-row",
    )


def audit_page() -> rx.Component:
    return page(
        ui.heading(T("Audit log"), as_="h1", size="7"),
        _nav(),
        ui.text(T("Who did what, when, in your commune. Personal fields are never written "
                  "here: only which ones changed."), size="2"),
        audit_filters(),
        ui.hstack(
            ui.text(AuditState.count_text, role="status", id="audit-count"),
            ui.link(T("Export as CSV"), href=AuditState.csv_href, id="audit-csv",
                    class_name="touch-link", is_external=True),
            spacing="4", wrap="wrap", align="center",
        ),
        rx.cond(
            AuditState.rows.length() > 0,
            _table(N_("Audit log"), "audit-table",
                   [N_("When"), N_("Who"), N_("Action"), N_("Entity"), N_("Detail")],
                   AuditState.rows, _audit_row),
            ui.text(T("No entry matches these filters."), id="audit-empty"),
        ),
        next_path="/console/audit",
        max_width="80rem",
    )


# --- personal data: retention and registers -------------------------------------------------


def retention_form() -> rx.Component:
    E = PrivacyState.field_errors  # noqa: N806
    low_d, high_d = MISSION_CONTACT_DAYS_RANGE
    low_m, high_m = INACTIVE_MONTHS_RANGE
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Retention periods"), as_="h2", size="4"),
            ui.text(T("Every night the app erases what these periods say is due, and logs "
                      "each run below."), size="2"),
            text_input(E, N_("Days after a need closes before its exact address, phone, "
                             "access notes and notes are erased"), "mission_contact_days",
                       default_value=PrivacyState.days, input_mode="numeric"),
            ui.text(T("Default"), f" : {DEFAULT_MISSION_CONTACT_DAYS} · ", T("allowed"),
                    f" : {low_d}–{high_d}", size="1", color_scheme="gray"),
            text_input(E, N_("Months without activity before a beneficiary is made anonymous"),
                       "inactive_months", default_value=PrivacyState.months,
                       input_mode="numeric"),
            ui.text(T("Default"), f" : {DEFAULT_INACTIVE_MONTHS} · ", T("allowed"),
                    f" : {low_m}–{high_m}", size="1", color_scheme="gray"),
            rx.cond(PrivacyState.message != "", ui.callout(
                PrivacyState.message, role="status", id="retention-message", width="100%",
                high_contrast=True)),
            ui.button(T("Save"), type="submit", size="3", id="save-retention"),
            spacing="2", width="100%",
        ),
        on_submit=PrivacyState.save_retention, reset_on_submit=False,
        key=PrivacyState.form_key,
    ), width="100%")


def processing_register() -> rx.Component:
    return ui.card(ui.vstack(
        ui.hstack(
            ui.heading(T("Register of processing activities"), as_="h2", size="4"),
            ui.link(T("Download the PDF"), href="/api/register.pdf", id="register-pdf",
                    class_name="touch-link", is_external=True),
            spacing="4", wrap="wrap", align="center",
        ),
        ui.text(T("Generated from the app's own settings: it changes with them."), size="2"),
        rx.foreach(PrivacyState.register_rows, lambda row: rx.el.section(
            ui.heading(row["name"], as_="h3", size="3"),
            rx.el.dl(*[rx.el.div(rx.el.dt(T(label), style={"fontWeight": "bold"}),
                                 rx.el.dd(row[key], style={"margin": "0 0 0.5rem 0"}))
                       for key, label in COLUMNS], style={"margin": 0}),
            class_name="processing", style={"borderTop": "1px solid var(--gray-5)",
                                            "paddingTop": "0.5rem", "width": "100%"},
        )),
        spacing="3", width="100%", id="register",
    ), width="100%")


def erasure_register() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Register of erasure requests"), as_="h2", size="4"),
        ui.text(T("A request is carried out from the person's record. The register keeps "
                  "initials only."), size="2"),
        rx.cond(
            PrivacyState.erasures.length() > 0,
            _table(N_("Register of erasure requests"), "erasures",
                   [N_("Record"), N_("Received on"), N_("How"), N_("Done"), N_("By")],
                   PrivacyState.erasures, lambda e: rx.el.tr(
                       rx.el.td(ui.link(e["who"], href=e["href"], class_name="touch-link")),
                       rx.el.td(e["received"]), rx.el.td(e["channel"]), rx.el.td(e["done"]),
                       rx.el.td(e["by"]), class_name="erasure-row")),
            ui.text(T("No erasure request yet.")),
        ),
        spacing="3", width="100%",
    ), width="100%")


def purge_runs() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("Latest purges"), as_="h2", size="4"),
        rx.cond(
            PrivacyState.runs.length() > 0,
            rx.el.ul(rx.foreach(PrivacyState.runs, lambda r: rx.el.li(
                r["when"], " — ", T("needs purged: "), r["missions"], " · ",
                T("contacts erased: "), r["contacts"], " · ", T("made anonymous: "),
                r["people"], class_name="purge-run")),
                id="purge-runs", style={"paddingLeft": "1.25rem"}),
            ui.text(T("The purge has not run yet.")),
        ),
        spacing="3", width="100%",
    ), width="100%")


def privacy_console_page() -> rx.Component:
    return page(
        ui.heading(T("Personal data"), as_="h1", size="7"),
        _nav(),
        ui.grid(retention_form(), purge_runs(), columns=rx.breakpoints(initial="1", md="2"),
                spacing="4", width="100%"),
        processing_register(),
        erasure_register(),
        next_path="/console/privacy",
        max_width="64rem",
    )
