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


def T_steady(message: str) -> rx.Component:  # noqa: N802 - T() that keeps its room
    """``message`` in the user's language, in a box as tall as its longest translation.

    The other language's text is drawn unpainted in the same grid cell by CSS (a
    ``::after`` with ``visibility: hidden``: outside the page's text and accessibility
    tree). A page pre-rendered in French and switched to English when the state
    arrives then moves nothing below it (issue 16: no layout shift). For the few
    blocks of the first screen whose line count differs between the languages.
    """
    default = translate(message, DEFAULT_LOCALE)
    other = translate(message, OTHER_LOCALE)
    if default == other:
        return rx.el.span(default)
    other_shown = AppState.locale == OTHER_LOCALE
    return rx.el.span(rx.el.span(rx.cond(other_shown, other, default)), class_name="steady",
                      custom_attrs={"data-twin": rx.cond(other_shown, default, other)})
