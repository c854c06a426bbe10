"""/console/messages: a message to the volunteers of a mission, a collective action, a
neighbourhood or the whole pool."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import forms, ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.group_messages import AUDIENCE_LABELS, Audience
from heurecivique_app.domain.text import N_
from heurecivique_app.state.group_message import GroupMessageState as S


def _group() -> rx.Component:
    return ui.vstack(
        rx.el.label(T("Send to"), html_for="audience"),
        rx.el.select(
            *[rx.el.option(T(label), value=value) for value, label in AUDIENCE_LABELS.items()],
            id="audience", name="audience", class_name="native-select", value=S.audience,
            on_change=S.choose_audience),
        rx.cond(S.audience != Audience.POOL.value, rx.fragment(
            rx.el.label(T("Which one"), html_for="target"),
            rx.el.select(
                rx.el.option(T("Choose…"), value=""),
                rx.foreach(S.targets, lambda o: rx.el.option(o["name"], value=o["id"])),
                id="target", name="target", class_name="native-select", value=S.target_id,
                on_change=S.choose_target),
        )),
        # Said before sending, and again at each change of the group.
        rx.el.p(rx.cond(S.chosen, rx.fragment(T("Recipients:"), " ",
                                              rx.el.strong(S.recipients, id="recipient-count")),
                        T("Choose the group to see how many people will receive it.")),
                role="status", id="recipients", style={"margin": 0}),
        spacing="2", width="100%",
    )


def group_message_page() -> rx.Component:
    return page(
        ui.heading(T("Message to volunteers"), as_="h1", size="7"),
        ui.text(S.pace_note, size="2", id="pace-note"),
        forms.form(
            ui.vstack(
                _group(),
                forms.labelled(S.field_errors, N_("Your message"), "text",
                               rx.el.textarea(id="text", name="text", rows=6,
                                              max_length=S.max_length,
                                              class_name="native-select")),
                ui.button(T("Send"), type="submit", size="3", id="send-group-message",
                          disabled=~S.chosen | (S.recipients == 0)),
                spacing="3", width="100%",
            ),
            on_submit=S.send, reset_on_submit=False, key=S.form_key,
        ),
        rx.cond(S.result != "", ui.callout(
            S.result, id="group-message-result", role="status", width="100%",
            color_scheme=rx.cond(S.result_ok, "green", "red"))),
        next_path="/console/messages",
        max_width="48rem",
    )
