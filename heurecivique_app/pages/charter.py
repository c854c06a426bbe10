"""/charter: the citizen's charter in full, to approve again when it changed."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T
from heurecivique_app.components.volunteer import charter_text
from heurecivique_app.state.charter import CharterState


def charter() -> rx.Component:
    return page(
        ui.heading(T("The citizen's charter"), as_="h1", size="7"),
        ui.text(T("Version"), " ", CharterState.version, size="2", color_scheme="gray"),
        charter_text(CharterState.charter_articles),
        rx.cond(
            CharterState.approved,
            ui.callout(T("You approved this version of the charter. Thank you!"),
                       high_contrast=True, color_scheme="green", id="charter-approved"),
            ui.button(T("I have read the charter and I approve it."),
                      on_click=CharterState.approve, size="3", width="100%",
                      id="approve-charter"),
        ),
        next_path="/charter", nav="volunteer",
    )
