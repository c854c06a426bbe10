"""``T()``: a static label, translated in the browser from the user's catalog."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.state.base import AppState


def T(message: str) -> rx.Var:  # noqa: N802 - reads like gettext's _()
    """The translation of ``message`` (an English message id) in the user's locale.

    Extracted by pybabel (keyword ``T``). Falls back to the id itself while the
    catalog has not arrived yet.
    """
    return rx.cond(AppState.t.contains(message), AppState.t[message], message)
