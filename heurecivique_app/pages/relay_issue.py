"""/relay/issue: a relay reports a neighbourhood issue (a photo may come with it)."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec
from reflex_base.utils.format import format_queue_events

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.community import ISSUE_CATEGORY_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.pages.relay import ERR, neighbourhood_select, relay_form
from heurecivique_app.state.relay import RelayState

PHOTO_LABEL = N_("Photo (optional)")
PHOTO_HINT = N_("JPEG, PNG or WebP, at most 5 MB. Its location data are removed.")

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


# Posts the chosen photo to the app's own route (api/relay_photo.py) as the request's
# body, then hands the route's JSON answer to RelayState.photo_sent: ``{done}`` is that
# event, compiled into the page's bundle like LOCATE_JS (the CSP forbids eval, which
# rx.call_function's own ``callback=`` would need). Returns at once: the page's other
# events do not wait for the upload.
SEND_PHOTO_JS = """() => {{
const done = {done};
const input = document.getElementById("photo");
const file = input && input.files && input.files[0];
if (!file) {{ done({{cleared: true}}); return; }}
fetch("/api/relay/photo", {{method: "POST", credentials: "same-origin", body: file,
  headers: {{"Content-Type": file.type || "application/octet-stream"}}}})
  .then((r) => r.json().catch(() => ({{status: r.status}})), () => ({{status: 0}}))
  .then(done);
}}"""


def send_photo() -> EventSpec:
    """The photo input's change: post the file, then tell the state what the route said."""
    done = format_queue_events(RelayState.photo_sent, args_spec=lambda answer: [answer])
    return rx.call_function(rx.Var(SEND_PHOTO_JS.format(done=done),
                                   _var_data=done._get_all_var_data()))


def photo_field() -> rx.Component:
    """A native file input (the phone offers its camera or its gallery).

    With the design system's label, hint and error; a line says when the photo is
    attached. No ``name``: the file is not part of the form's data, the state keeps
    the stored photo's name.
    """
    control = rx.el.input(
        type="file", accept="image/*", class_name="field field-file",
        custom_attrs={"id": "photo"}, on_change=send_photo())
    return ui.vstack(
        forms.labelled(ERR, PHOTO_LABEL, "photo", control, hint=PHOTO_HINT),
        rx.cond(RelayState.photo_label != "",
                ui.text(RelayState.photo_label, id="photo-status", size="2", role="status")),
        spacing="1", width="100%",
    )


def issue_form() -> rx.Component:
    return relay_form(
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
        photo_field(),
        send=N_("Send the report"), send_id="send-issue", on_submit=RelayState.submit_issue,
    )


def relay_issue() -> rx.Component:
    return page(
        ui.heading(T("Report a neighbourhood issue"), as_="h1", size="6"),
        ui.text(T("A broken street light, an isolated elderly person, a dangerous crossing: "
                  "tell the town hall.")),
        ui.callout(T("Emergencies: call 15 (SAMU), 17 (police), 18 (fire brigade) or 112."),
                   color_scheme="red", width="100%"),
        issue_form(),
        next_path="/relay/issue", nav="relay", active="issue",
    )
