"""/console/staff: the commune's staff, and inviting someone to join it (administrators)."""

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import text_input
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.recovery import ROLE_LABELS
from heurecivique_app.state.staff_admin import StaffAdminState

S = StaffAdminState


def invite_fields(errors: rx.Var, name_field: str = "name") -> list[rx.Component]:
    """The invitation's fields and button (also on /admin/communes/[commune_id])."""
    return [
        ui.text(T("They receive an e-mail with a link, valid 72 hours, to choose their "
                  "password."), size="2"),
        text_input(errors, N_("Full name"), name_field, auto_complete="off"),
        text_input(errors, N_("Email"), "email", type="email", auto_complete="off"),
        forms.select(errors, N_("Role"), "role", {"referent": ROLE_LABELS["referent"],
                                                  "commune_admin": ROLE_LABELS["commune_admin"]}),
        ui.button(T("Send the invitation"), type="submit", size="3", id="invite-submit"),
    ]


def invite_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Invite someone to the team"), as_="h2", size="4"),
            *invite_fields(S.field_errors),
            spacing="2", width="100%",
        ),
        on_submit=S.invite, reset_on_submit=False, key=S.form_key,
    ), width="100%")


def _action(row: rx.Var) -> rx.Component:
    return rx.match(
        row["action"],
        ("deactivate", ui.button(T("Deactivate"), size="2", variant="soft", color_scheme="red",
                                 on_click=S.deactivate(row["user_id"]),
                                 aria_label=T("Deactivate") + " " + row["name"])),
        ("reactivate", ui.button(T("Make active again"), size="2", variant="soft",
                                 on_click=S.reactivate(row["user_id"]),
                                 aria_label=T("Make active again") + " " + row["name"])),
        ("withdraw", ui.button(T("Withdraw the invitation"), size="2", variant="soft",
                               on_click=S.withdraw(row["invitation_id"]),
                               aria_label=T("Withdraw the invitation") + " " + row["name"])),
        rx.fragment(),
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rx.el.td(row["name"]), rx.el.td(row["email"]), rx.el.td(row["role"]),
        rx.el.td(row["status"]), rx.el.td(_action(row)),
        class_name="staff-row",
    )


def staff_table() -> rx.Component:
    headers = [N_("Name"), N_("Email"), N_("Role"), N_("Status"), N_("Actions")]
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(*[rx.el.th(T(h), scope="col") for h in headers])),
            rx.el.tbody(rx.foreach(S.rows, _row)),
            id="staff-table", class_name="plain-table",
        ),
        role="region", aria_label=T("The team"), tab_index=0,
        style={"overflowX": "auto", "width": "100%"},
    )


def staff_page() -> rx.Component:
    return page(
        ui.heading(T("The team"), as_="h1", size="7"),
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        rx.cond(S.message != "", ui.callout(
            S.message, role="status", id="staff-message", width="100%",
            color_scheme=rx.cond(S.message_ok, "green", "red"))),
        invite_form(),
        staff_table(),
        next_path="/console/staff",
        max_width="64rem",
    )
