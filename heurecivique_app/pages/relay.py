"""/relay, /relay/issue, /relay/need: the neighbourhood relay's pages, made for a phone."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import cheap, forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.community import ISSUE_CATEGORY_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.domain.rules import RULE_TEXTS
from heurecivique_app.domain.text import N_
from heurecivique_app.state.relay import RelayState

PHOTO_HINT = N_("Photo (optional, JPEG, PNG or WebP, at most 5 MB)")

ERR = RelayState.field_errors

# Fills the latitude/longitude inputs from the phone's position (the inputs are not
# bound to the state: the form sends what they hold). A function compiled into the
# page's bundle (rx.call_function), not a string run by eval: the CSP forbids eval.
LOCATE_JS = """() => {
navigator.geolocation && navigator.geolocation.getCurrentPosition(function (p) {
  for (const [id, v] of [["lat", p.coords.latitude], ["lon", p.coords.longitude]]) {
    const el = document.getElementById(id);
    if (el) { el.value = v.toFixed(6); }
  }
  const s = document.getElementById("locate-status"); if (s) { s.hidden = false; }
}, function () {
  const s = document.getElementById("locate-failed"); if (s) { s.hidden = false; }
}, {enableHighAccuracy: true, timeout: 10000});
}"""

# Opens the phone's share sheet, or copies the link where there is none (compiled
# into the bundle like LOCATE_JS; ``{href}`` is the row's link expression).
SHARE_JS = ("() => {{ const u = window.location.origin + {href}; if (navigator.share) {{"
            " navigator.share({{url: u}}).catch(() => {{}}); }} else if (navigator.clipboard)"
            " {{ navigator.clipboard.writeText(u); }} }}")


def relay_nav() -> rx.Component:
    return rx.el.nav(
        ui.hstack(
            ui.link(T("My reports"), href="/relay", class_name="touch"),
            ui.link(T("Report an issue"), href="/relay/issue", class_name="touch",
                    id="nav-issue"),
            ui.link(T("Report a need"), href="/relay/need", class_name="touch", id="nav-need"),
            rx.foreach(RelayState.neighbourhood_options, lambda hood: ui.link(
                T("Board"), " ", hood["name"], href="/board?n=" + hood["id"],
                class_name="touch relay-board-link")),
            wrap="wrap", spacing="4",
        ),
        aria_label=T("Relay menu"),
    )


def form_result() -> rx.Component:
    return rx.cond(
        RelayState.form_message != "",
        ui.callout(RelayState.form_message, role="status", id="form-message", width="100%",
                   color_scheme=rx.cond(RelayState.form_ok, "green", "red")),
    )


def report_card(row: rx.Var) -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.hstack(ui.text(row["kind"], " · ", row["category"], size="2"), ui.spacer(),
                      ui.badge(row["status_label"], size="2",
                               color_scheme=rx.match(row["status"], ("new", "amber"),
                                                     ("closed", "gray"), "green")),
                      width="100%", wrap="wrap"),
            ui.heading(row["title"], as_="h3", size="4"),
            ui.text(row["neighbourhood"], " · ", row["when"], size="2"),
            rx.cond(row["answer"] != "",
                    cheap.blockquote(row["answer"], class_name="report-answer")),
            spacing="1", width="100%",
        ),
        width="100%",
        class_name="report-card",
        data_report_id=row["id"],
    )


def share_row(row: rx.Var) -> rx.Component:
    return ui.card(
        ui.vstack(
            ui.link(row["title"], href=row["href"], weight="medium", class_name="share-link"),
            ui.text(row["neighbourhood"], " · ", row["when"], size="2"),
            ui.button(T("Share"), type="button", variant="soft", size="2",
                      on_click=rx.call_function(
                          rx.Var(SHARE_JS.format(href=row["href"].to(str)))),
                      aria_label=T("Share this mission")),
            spacing="1", width="100%",
        ),
        width="100%",
    )


def relay_home() -> rx.Component:
    return page(
        ui.heading(T("Neighbourhood relay"), as_="h1", size="7"),
        relay_nav(),
        ui.heading(T("My reports"), as_="h2", size="5"),
        rx.cond(
            RelayState.reports.length() > 0,
            ui.vstack(rx.foreach(RelayState.reports, report_card), width="100%",
                      id="my-reports"),
            rx.cond(RelayState.loaded, ui.text(T("No report yet."))),
        ),
        ui.heading(T("Missions to share with neighbours"), as_="h2", size="5"),
        rx.cond(
            RelayState.shareable.length() > 0,
            ui.vstack(rx.foreach(RelayState.shareable, share_row), width="100%",
                      id="shareable"),
            rx.cond(RelayState.loaded, ui.text(T("No open mission right now."))),
        ),
        next_path="/relay",
    )


def neighbourhood_select() -> rx.Component:
    return forms.dynamic_select(ERR, N_("Neighbourhood"), "neighbourhood_id",
                                RelayState.neighbourhood_options)


def issue_form() -> rx.Component:
    return forms.form(
        ui.vstack(
            forms.select(ERR, N_("Category"), "category", ISSUE_CATEGORY_LABELS),
            forms.text_input(ERR, N_("Short title"), "title"),
            forms.text_area(ERR, N_("Description"), "description"),
            neighbourhood_select(),
            rx.el.fieldset(
                rx.el.legend(T("Place (optional)")),
                ui.text(T("Use your position, or type the coordinates."), size="2"),
                ui.button(T("Use my position"), type="button", variant="soft", id="locate",
                          on_click=rx.call_function(LOCATE_JS)),
                ui.text(T("Position filled in."), id="locate-status", hidden=True, size="2",
                        role="status"),
                ui.text(T("Your position is not available."), id="locate-failed",
                        hidden=True, size="2", role="status"),
                ui.hstack(forms.text_input(ERR, N_("Latitude"), "lat", input_mode="decimal"),
                          forms.text_input(ERR, N_("Longitude"), "lon", input_mode="decimal"),
                          width="100%"),
                class_name="plain-fieldset",
            ),
            ui.vstack(
                ui.text(T(PHOTO_HINT), as_="div"),
                forms.photo_upload("photo", PHOTO_HINT,
                                   RelayState.upload_photo(rx.upload_files(upload_id="photo"))),
                rx.cond(RelayState.photo_label != "",
                        ui.text(RelayState.photo_label, id="photo-status", size="2",
                                role="status")),
                forms.error_for(ERR, "photo"),
                spacing="1", width="100%",
            ),
            form_result(),
            ui.button(T("Send the report"), type="submit", size="3", id="send-issue",
                      width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=RelayState.submit_issue,
        reset_on_submit=False,
        key=RelayState.form_key,
        width="100%",
    )


def relay_issue() -> rx.Component:
    return page(
        ui.heading(T("Report a neighbourhood issue"), as_="h1", size="6"),
        relay_nav(),
        ui.text(T("A broken street light, an isolated elderly person, a dangerous crossing: "
                  "tell the town hall.")),
        ui.callout(T("Emergencies: call 15 (SAMU), 17 (police), 18 (fire brigade) or 112."),
                   color_scheme="red", width="100%"),
        issue_form(),
        next_path="/relay/issue",
    )


def need_form() -> rx.Component:
    return forms.form(
        ui.vstack(
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
            form_result(),
            ui.button(T("Send to the referent"), type="submit", size="3", id="send-need",
                      width="100%"),
            spacing="3", width="100%",
        ),
        on_submit=RelayState.submit_need,
        reset_on_submit=False,
        key=RelayState.form_key,
        width="100%",
    )


def relay_need() -> rx.Component:
    return page(
        ui.heading(T("Report a neighbour's need"), as_="h1", size="6"),
        relay_nav(),
        ui.text(T("The referent checks the need and calls your neighbour back before it "
                  "goes on the board.")),
        need_form(),
        next_path="/relay/need",
    )
