"""The design system's stylesheets, written into every page's ``<head>``.

``assets/ui.css`` and ``assets/styles.css`` (about 6 kB gzipped together) used to be
merged by the build into the stylesheet that every page links, a request the first
paint waits for. Inlined, the pre-rendered page can be painted as soon as its HTML
is in (issue 16): what is left to wait for is Reflex's own reset (about 1.5 kB, as
in a blank app). Comments and runs of white space are left out; the files stay the
sources (and are still served as ``/ui.css`` and ``/styles.css``).

The Content-Security-Policy allows inline styles (``style-src 'unsafe-inline'``,
api/headers.py), which Reflex's Emotion needed already.
"""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

ASSETS = Path(__file__).resolve().parents[2] / "assets"
SHEETS = ("ui.css", "styles.css")

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACE = re.compile(r"\s+")


def minified(css: str) -> str:
    """``css`` without comments, each run of white space one space (strings keep theirs).

    Our stylesheets put no ``/*`` and no run of white space inside a string
    (tests/unit/test_inline_css.py checks it), so this changes no rule.
    """
    return _SPACE.sub(" ", _COMMENT.sub("", css)).strip()


def stylesheet_text() -> str:
    """The design system's rules, in the order the pages used to link them."""
    return "\n".join(minified((ASSETS / name).read_text(encoding="utf-8")) for name in SHEETS)


def inline_styles() -> rx.Component:
    """The ``<style>`` element of every page's head."""
    return rx.el.style(stylesheet_text())
