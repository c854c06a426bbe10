"""Small text elements of the design system (``assets/ui.css``): code, strong, quote, progress."""

from __future__ import annotations

import reflex as rx


def _classes(*names: str) -> str:
    return " ".join(name for name in names if name)


def code(*children: rx.Var | str, class_name: str = "") -> rx.Component:
    """Inline code: ``<code class="code">``.

    Args:
        *children: The code's text.
        class_name: More classes.

    Returns:
        The ``<code>`` element.
    """
    return rx.el.code(
        *children, class_name=_classes("code", class_name))


def strong(*children: rx.Var | str) -> rx.Component:
    """Strong text: ``<strong>``.

    Args:
        *children: The strong text.

    Returns:
        The ``<strong>`` element.
    """
    return rx.el.strong(*children)


def blockquote(*children: rx.Var | str, class_name: str = "") -> rx.Component:
    """A quotation in small type: ``<blockquote class="quote">``.

    Args:
        *children: The quoted text.
        class_name: More classes.

    Returns:
        The ``<blockquote>`` element.
    """
    return rx.el.blockquote(
        *children, class_name=_classes("quote", class_name))


def progress(value: rx.Var, label: rx.Var | str) -> rx.Component:
    """A progress bar for a value from 0 to 100.

    Role and ARIA values on the root; the bar's width is the CSS variable
    ``--progress-value`` (``.progress-bar`` in ``assets/ui.css``): no script.

    Args:
        value: The progress, an integer from 0 to 100.
        label: The bar's accessible name.

    Returns:
        The progress bar.
    """
    return rx.el.div(
        rx.el.div(class_name="progress-bar"),
        role="progressbar",
        aria_label=label,
        class_name="progress",
        style={"--progress-value": value, "--progress-max": 100, "width": "100%"},
        custom_attrs={"aria-valuemax": 100, "aria-valuemin": 0, "aria-valuenow": value,
                      "aria-valuetext": value.to_string() + "%"},
    )
