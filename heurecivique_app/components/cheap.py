"""Radix Themes' text elements drawn as plain HTML elements with Radix's own classes.

Every page loads the root chunk, which holds all of ``@radix-ui/themes`` (Reflex
exposes it to dynamic components). When a page imports one of Radix's components
itself, the bundler moves that component out of the root chunk into a chunk of
its own, which the root chunk then imports: one more request and about 300 bytes
of gzipped JavaScript on *every* page (measured by ``bench/frontend.py``: Radix's
Code, used by the audit log only, cost each volunteer page 343 bytes and a request).

The components below have no behaviour, only classes, so the plain element with
the same classes renders the same DOM and the same look without that chunk.
"""

from __future__ import annotations

import reflex as rx


def _classes(*names: str) -> str:
    return " ".join(name for name in names if name)


def code(*children: rx.Var | str, class_name: str = "") -> rx.Component:
    """Radix's ``Code`` (variant soft, the default): ``<code class="rt-Code">``.

    Args:
        *children: The code's text.
        class_name: More classes.

    Returns:
        The ``<code>`` element.
    """
    return rx.el.code(
        *children, class_name=_classes("rt-reset rt-Code rt-variant-soft", class_name))


def strong(*children: rx.Var | str) -> rx.Component:
    """Radix's ``Strong`` (``rx.text.strong``): ``<strong class="rt-Strong">``.

    Args:
        *children: The strong text.

    Returns:
        The ``<strong>`` element.
    """
    return rx.el.strong(*children, class_name="rt-Strong")


def blockquote(*children: rx.Var | str, class_name: str = "") -> rx.Component:
    """Radix's ``Blockquote`` at size 2: ``<blockquote class="rt-Text rt-Blockquote …">``.

    Args:
        *children: The quoted text.
        class_name: More classes.

    Returns:
        The ``<blockquote>`` element.
    """
    return rx.el.blockquote(
        *children, class_name=_classes("rt-Text rt-Blockquote", class_name, "rt-r-size-2"))


def progress(value: rx.Var, label: rx.Var | str) -> rx.Component:
    """Radix's ``Progress`` (size 2, variant surface) for a value from 0 to 100.

    The DOM of Radix's progress primitive: role, ARIA values and ``data-state`` on the
    root, the indicator scaled by the CSS variable ``--progress-value`` (Radix Themes'
    stylesheet). Only for a value known to stay within 0 to 100 (Radix would call any
    other value indeterminate).

    Args:
        value: The progress, an integer from 0 to 100.
        label: The bar's accessible name.

    Returns:
        The progress bar.
    """
    state = rx.cond(value == 100, "complete", "loading")
    data = {"data-state": state, "data-value": value, "data-max": 100}
    return rx.el.div(
        rx.el.div(class_name="rt-ProgressIndicator", custom_attrs=data),
        role="progressbar",
        aria_label=label,
        class_name="rt-ProgressRoot rt-r-size-2 rt-variant-surface",
        style={"--progress-value": value, "--progress-max": 100, "width": "100%"},
        custom_attrs={"aria-valuemax": 100, "aria-valuemin": 0, "aria-valuenow": value,
                      "aria-valuetext": value.to_string() + "%", **data},
    )
