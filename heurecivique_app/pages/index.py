"""/: sends each user to their role's home."""

import reflex as rx

from heurecivique_app.components import ui
from heurecivique_app.components.layout import page
from heurecivique_app.components.text import T


def index() -> rx.Component:
    return page(ui.text(T("Loading…"), role="status"))
