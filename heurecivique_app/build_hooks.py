"""Changes to the production build's pre-rendered pages, made once after Reflex builds them.

Every pre-rendered page preloads the dozen JavaScript chunks that hydrate it
(``<link rel="modulepreload">``). Chromium fetches those at high priority, on a par
with the stylesheet the first paint waits for: on a phone on mobile data, the
chunks share the link with the stylesheet, and the page, whose text is already
in the HTML, paints late. Marked ``fetchpriority="low"``, they are still fetched
at once, but after what the first paint needs (and Lighthouse no longer counts
them as render-blocking). The page stays the same; hydration is not delayed on a
fast link.

Runs before Reflex compresses the build, so the ``.gz`` files carry the change,
and before the server reads the pages' inline scripts for its CSP hashes (the
change touches no script).
"""

from __future__ import annotations

import re
from pathlib import Path

import reflex as rx

# A modulepreload link that does not say its priority yet (so a second run changes nothing).
_PRELOAD = re.compile(r'<link rel="modulepreload"(?![^>]*\bfetchpriority=)')


def lower_preload_priority(html: str) -> str:
    """The page with each module preload marked ``fetchpriority="low"``."""
    return _PRELOAD.sub('<link rel="modulepreload" fetchpriority="low"', html)


def rewrite_pages(static_dir: Path) -> int:
    """Rewrites every pre-rendered page under ``static_dir``; returns how many changed."""
    changed = 0
    for page in static_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        lowered = lower_preload_priority(html)
        if lowered != html:
            page.write_text(lowered, encoding="utf-8")
            changed += 1
    return changed


class LowPriorityPreloads(rx.plugins.Plugin):
    """Reflex plugin: ``rewrite_pages`` on the build's output (``rxconfig.py`` lists it)."""

    def post_build(self, **context) -> None:
        rewrite_pages(Path(context["static_dir"]))
