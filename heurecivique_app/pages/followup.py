"""/console/missions/[mission_id]: a mission for its referent.

Before its date: change it, cancel it, take a volunteer off it. After: the follow-up,
closing and duplicating a need. Live: any change of the mission re-reads the page.
"""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.forms import error_for
from heurecivique_app.components.layout import missing_item, page, status_badge
from heurecivique_app.components.live_follow import on_live_version
from heurecivique_app.components.text import T
from heurecivique_app.domain.followup import SATISFACTION_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.followup import CANCEL_REASON, OFF_REASON
from heurecivique_app.state.followup import FollowUpState as S


def _label(text: str, name: str) -> rx.Component:
    return rx.el.label(T(text), html_for=name)


def _satisfaction(label: str, name: str) -> rx.Component:
    return ui.vstack(
        _label(label, name),
        rx.el.select(
            rx.el.option(T("Not asked"), value=""),
            *[rx.el.option(T(text), value=value) for value, text in SATISFACTION_LABELS.items()],
            id=name, name=name, class_name="native-select",
            default_value=S.form[name],
        ),
        error_for(S.field_errors, name),
        spacing="1", width="100%",
    )


def _volunteer(v: rx.Var) -> rx.Component:
    return rx.el.li(
        ui.text(v["name"], " — ", v["status"], weight="medium"),
        rx.cond(v["reported"] != "", ui.text(T("Time they reported: "), v["reported"],
                                             size="2")),
        rx.cond(v["credited"] != "", ui.text(T("Time credited: "), v["credited"], size="2")),
        rx.cond(v["attended"] != "", ui.text(v["attended"], size="2")),
        rx.cond(v["feedback"] != "", ui.text(T("Their feedback: "), v["feedback"], size="2")),
        rx.cond(v["problem"] != "", ui.text(T("Problem reported: "), v["problem"], size="2",
                                            color_scheme="red")),
        rx.cond(v["can_take_off"], _take_off(v)),
        class_name="volunteer-account",
    )


def _take_off(v: rx.Var) -> rx.Component:
    """Take this volunteer off the mission: a reason, then the button (keyboard: Tab, Enter)."""
    field = "off-reason-" + v["id"]
    return rx.el.details(
        rx.el.summary(T("Take off this mission"), class_name="touch-link take-off-summary"),
        forms.form(
            ui.vstack(
                rx.el.input(type="hidden", name="volunteer_id", value=v["id"]),
                rx.el.label(T("Why (the volunteer receives it by e-mail)"), html_for=field),
                ui.input(name="reason", id=field, size="3", width="100%", required=True,
                         max_length=500),
                error_for(S.field_errors, OFF_REASON),
                ui.button(T("Take off"), type="submit", size="3", color_scheme="red",
                          variant="soft", class_name="take-off-button",
                          aria_label=T("Take off") + " " + v["name"]),
                spacing="2", width="100%",
            ),
            on_submit=S.take_off, reset_on_submit=False,
        ),
        class_name="take-off",
    )


def _summary() -> rx.Component:
    return ui.card(ui.vstack(
        ui.hstack(ui.heading(S.title, as_="h1", size="7"),
                  status_badge(S.status, S.status_label), align="center", wrap="wrap",
                  id="followup-status"),
        ui.text(S.category, " · ", S.neighbourhood, " · ", S.when, " · ", S.duration),
        rx.cond(S.beneficiary_name != "", ui.text(
            T("Beneficiary: "), S.beneficiary_name, " · ",
            rx.el.a(S.beneficiary_phone_label, href="tel:" + S.beneficiary_phone,
                    class_name="touch-link"))),
        rx.cond(S.recurring_text != "",
                ui.callout(S.recurring_text, color_scheme="amber", role="note",
                           id="recurring-flag", width="100%")),
        rx.cond(S.is_collective,
                ui.link(T("Attendance and waiting list"), href="/console/attendance/"
                        + S.mission_id, class_name="touch-link", id="attendance-link")),
        width="100%",
    ), width="100%")


def _accounts() -> rx.Component:
    return ui.card(ui.vstack(
        ui.heading(T("The volunteers' own account"), as_="h2", size="4"),
        rx.cond(S.volunteers.length() > 0,
                rx.el.ul(rx.foreach(S.volunteers, _volunteer), id="volunteer-accounts",
                         style={"paddingLeft": "1rem"}),
                ui.text(T("No volunteer has taken this mission."))),
        width="100%",
    ), width="100%")


def _field(label: str, name: str, control: rx.Component) -> rx.Component:
    return ui.vstack(_label(label, name), control, error_for(S.field_errors, name),
                     spacing="1", width="100%")


def _edit_form() -> rx.Component:
    """Change the mission while it is to come; the people taking part are told by e-mail."""
    e = S.edit
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Change the mission"), as_="h2", size="5"),
            ui.text(T("The volunteers taking part, waiting or offered it are told by e-mail "
                      "of a new date, duration or place."), size="2"),
            _field(N_("Title"), "title",
                   ui.input(id="title", name="title", default_value=e["title"], size="3",
                            width="100%", max_length=120)),
            _field(N_("Description"), "description",
                   ui.text_area(id="description", name="description", width="100%",
                                default_value=e["description"], max_length=2000)),
            ui.grid(
                _field(N_("Date"), "starts_at",
                       ui.input(id="starts_at", name="day", type="date", default_value=e["day"],
                                size="3", width="100%")),
                _field(N_("Time"), "hour",
                       ui.input(id="hour", name="hour", type="time", default_value=e["hour"],
                                size="3", width="100%")),
                _field(N_("Duration (minutes)"), "duration_minutes",
                       ui.input(id="duration_minutes", name="duration_minutes", type="number",
                                min=15, max=480, default_value=e["duration_minutes"], size="3",
                                width="100%")),
                rx.cond(S.is_collective, _field(
                    N_("Places"), "capacity",
                    ui.input(id="capacity", name="capacity", type="number", min=1, max=500,
                             default_value=e["capacity"], size="3", width="100%"))),
                columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%",
            ),
            ui.grid(
                _field(N_("Address"), "address",
                       ui.input(id="address", name="address", default_value=e["address"],
                                size="3", width="100%", max_length=255)),
                _field(N_("Neighbourhood"), "neighbourhood_id", rx.el.select(
                    rx.foreach(S.neighbourhoods,
                               lambda h: rx.el.option(h["name"], value=h["id"])),
                    id="neighbourhood_id", name="neighbourhood_id", class_name="native-select",
                    default_value=e["neighbourhood_id"])),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            ui.button(T("Save the changes"), type="submit", size="3", id="save-mission"),
            spacing="3", width="100%",
        ),
        on_submit=S.save_mission, reset_on_submit=False, key=S.edit_key,
    ), width="100%", id="edit-mission")


def _cancel_form() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Cancel the mission"), as_="h2", size="4"),
            _field(N_("Why (the volunteers concerned receive it by e-mail)"), CANCEL_REASON,
                   ui.text_area(id=CANCEL_REASON, name="reason", width="100%",
                                max_length=500)),
            ui.button(T("Cancel the mission"), type="submit", size="3", color_scheme="red",
                      variant="soft", id="cancel-mission"),
            spacing="3", width="100%",
        ),
        on_submit=S.cancel_mission, reset_on_submit=False, key=S.form_key,
    ), width="100%")


def _control_message() -> rx.Component:
    return rx.cond(S.control_message != "", ui.callout(
        S.control_message, role="status", width="100%", id="control-message",
        color_scheme=rx.cond(S.control_ok, "green", "red")))


def _followup_form() -> rx.Component:
    went_well = rx.el.fieldset(
        rx.el.legend(T("Did the action go well?")),
        ui.hstack(
            rx.el.label(rx.el.input(type="radio", name="went_well", value="yes", id="went-yes",
                                    default_checked=S.form["went_well"] == "yes",
                                    class_name="touch-check"), " ", T("Yes"),
                        html_for="went-yes"),
            rx.el.label(rx.el.input(type="radio", name="went_well", value="no", id="went-no",
                                    default_checked=S.form["went_well"] == "no",
                                    class_name="touch-check"), " ", T("No"),
                        html_for="went-no"),
            spacing="5"),
        error_for(S.field_errors, "went_well"),
        class_name="plain-fieldset",
    )
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Follow-up"), as_="h2", size="5"),
            ui.text(T("Call the beneficiary, then record how it went. The time you enter is "
                      "what is credited to each volunteer present (it replaces theirs)."),
                    size="2"),
            rx.el.label(rx.el.input(type="checkbox", name="beneficiary_called",
                                    id="beneficiary_called", class_name="touch-check",
                                    default_checked=S.form["called"] == "1"),
                        " ", T("I called the beneficiary"), html_for="beneficiary_called"),
            error_for(S.field_errors, "beneficiary_called"),
            went_well,
            ui.vstack(_label(N_("Time given (minutes)"), "minutes"),
                      ui.input(id="minutes", name="minutes", type="number", min=15, max=480,
                               default_value=S.form["minutes"], size="3"),
                      error_for(S.field_errors, "minutes"), spacing="1"),
            ui.grid(_satisfaction(N_("Beneficiary's satisfaction"), "beneficiary_satisfaction"),
                    _satisfaction(N_("Volunteer's satisfaction"), "volunteer_satisfaction"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
            ui.vstack(_label(N_("Incident or remark (empty if none)"), "incident"),
                      ui.text_area(id="incident", name="incident", width="100%",
                                   default_value=S.form["incident"]),
                      error_for(S.field_errors, "incident"), spacing="1", width="100%"),
            rx.el.label(rx.el.input(type="checkbox", name="close", id="close",
                                    class_name="touch-check"),
                        " ", T("Close the mission now"), html_for="close"),
            ui.button(T("Save the follow-up"), type="submit", size="3", id="save-followup"),
            spacing="3", width="100%",
        ),
        on_submit=S.submit, reset_on_submit=False, key=S.form_key,
    ), width="100%")


def _duplicate() -> rx.Component:
    return ui.card(forms.form(
        ui.vstack(
            ui.heading(T("Duplicate this need"), as_="h2", size="4"),
            ui.text(T("A new draft for the same person, with the same text, on a new date."),
                    size="2"),
            ui.hstack(
                ui.vstack(_label(N_("New date"), "duplicate_date"),
                          ui.input(id="duplicate_date", name="duplicate_date", type="date",
                                   default_value=S.duplicate_default, size="3"),
                          spacing="1"),
                ui.vstack(_label(N_("Time"), "duplicate_time"),
                          ui.input(id="duplicate_time", name="duplicate_time", type="time",
                                   default_value="10:00", size="3"),
                          spacing="1"),
                wrap="wrap", spacing="3"),
            error_for(S.field_errors, "duplicate_date"),
            ui.button(T("Duplicate"), type="submit", size="3", variant="soft",
                      id="duplicate-need"),
            spacing="3", width="100%",
        ),
        on_submit=S.duplicate, reset_on_submit=False, key=S.form_key,
    ), width="100%")


def followup_page() -> rx.Component:
    return page(
        ui.link(T("Back to the console"), href="/console", class_name="touch-link"),
        rx.cond(
            S.found,
            ui.vstack(
                _summary(),
                rx.cond(S.message != "", ui.callout(S.message, role="status", width="100%",
                                                    id="followup-message")),
                _control_message(),
                _accounts(),
                rx.cond(S.under_control, rx.fragment(_edit_form(), _cancel_form())),
                rx.cond(S.can_follow_up, _followup_form(),
                        rx.cond(S.status == "closed",
                                ui.text(T("This mission is closed."), id="closed-note"),
                                ui.text(T("The follow-up opens once the mission has taken "
                                          "place with a volunteer.")))),
                rx.cond(~S.is_collective, _duplicate()),
                spacing="4", width="100%",
            ),
            missing_item(S.loaded, "followup-loading"),
        ),
        # A change of this mission anywhere (a volunteer, another referent, the expiry job)
        # re-reads the page from this tab's session: nothing private is broadcast.
        on_live_version(version=S.live_version, when=S.found, then=S.follow_live),
        next_path="/console",
        max_width="56rem",
    )
