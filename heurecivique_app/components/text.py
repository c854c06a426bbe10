"""``T()``: a static label, compiled into the page in both languages."""

from __future__ import annotations

import reflex as rx

from heurecivique_app.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, translate
from heurecivique_app.state.base import AppState

(OTHER_LOCALE,) = (locale for locale in SUPPORTED_LOCALES if locale != DEFAULT_LOCALE)


def T(message: str) -> rx.Var:  # noqa: N802 - reads like gettext's _()
    """The translation of ``message`` (an English message id) in the user's locale.

    Extracted by pybabel (keyword ``T``). Both translations are compiled into
    the page and chosen by ``AppState.locale``, so no catalog travels in the
    page's initial state or over the websocket (bench/frontend.py: the whole
    French catalog in every page's initial state cost 8.6 kB of gzipped JS).
    """
    default = translate(message, DEFAULT_LOCALE)
    other = translate(message, OTHER_LOCALE)
    if default == other:
        return rx.Var.create(default)
    return rx.cond(AppState.locale == OTHER_LOCALE, other, default)
