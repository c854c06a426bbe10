"""/privacy (the information notice read to beneficiaries) and /insurance (plain words)."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.domain.insurance import INSURANCE_PARAGRAPHS, INSURANCE_TITLE
from heurecivique_app.state.info import InfoState


def privacy_page() -> rx.Component:
    return page(
        ui.heading(T("Your details and your rights"), as_="h1", size="7"),
        ui.text(T("The information notice the town hall reads to you before recording "
                  "your request."), size="3"),
        ui.card(ui.text(InfoState.notice_text, id="notice-text", size="3"), width="100%"),
        ui.text(T("Version"), " ", InfoState.notice_version, size="2", color_scheme="gray"),
        ui.link(T("Insurance: who covers what"), href="/insurance", class_name="touch"),
        next_path="/privacy", show_user=False,
    )


def insurance_page() -> rx.Component:
    return page(
        ui.heading(T(INSURANCE_TITLE), as_="h1", size="7"),
        rx.el.ul(*[rx.el.li(ui.text(T(p), size="3"), style={"marginBottom": "0.75rem"})
                   for p in INSURANCE_PARAGRAPHS], id="insurance-text",
                 style={"paddingLeft": "1.25rem"}),
        ui.text(T("Version"), " ", InfoState.insurance_version, size="2", color_scheme="gray"),
        ui.link(T("Your details and your rights"), href="/privacy", class_name="touch"),
        next_path="/insurance", show_user=False,
    )
