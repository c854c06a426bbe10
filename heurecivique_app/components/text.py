"""``T()``: a static label, compiled into the page in both languages.

``both()`` and ``T_each()``: the same for the items of a static list that one
``rx.foreach`` template renders (a grid of checkboxes): each translation is in the
page once, and the boxes share one template instead of one component each.
"""

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


def both(message: str) -> dict[str, str]:
    """The translations of ``message`` by locale: the label of an item for ``T_each``."""
    return {locale: translate(message, locale) for locale in SUPPORTED_LOCALES}


def T_each(item: rx.Var) -> rx.Var:  # noqa: N802 - T() for an item of rx.foreach
    """The label of ``item`` (a dict var holding ``both()``) in the user's locale."""
    return rx.cond(AppState.locale == OTHER_LOCALE, item[OTHER_LOCALE], item[DEFAULT_LOCALE])
