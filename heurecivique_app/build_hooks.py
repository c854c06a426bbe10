"""What our production build adds to Reflex's: two changes to its pre-rendered pages.

**Dynamic routes pre-rendered once, as a template.** React Router pre-renders every
static route, but a route with a parameter (``/c/[slug]``, the poster's QR code;
``/missions/[mission_id]``, a notification's link) got an empty HTML shell: nothing
painted until every script had run (3.4 s on a phone on slow 4G, against 1.4 s for
a pre-rendered page). Those a phone reaches from outside the app (``rxconfig.py``
names them) are now also pre-rendered at their path with ``_`` for the parameter
(``/c/_``): the page as it stands before its data arrives (header, headings,
skeletons). ``api/page_paths.py`` answers ``/c/vitre`` with that file; the data
comes over the websocket as for every page.

**Scripts after the first paint's needs.** Every pre-rendered page preloads the
dozen JavaScript chunks that hydrate it (``<link rel="modulepreload">``). Chromium
fetches those at high priority, on a par with the stylesheet the first paint waits
for: on a phone on mobile data, the chunks share the link with the stylesheet, and
the page, whose text is already in the HTML, paints late. Marked
``fetchpriority="low"``, they are still fetched at once, but after what the first
paint needs (and Lighthouse no longer counts them as render-blocking). The page
stays the same; hydration is not delayed on a fast link.

The templates are added to React Router's config as Reflex compiles; the priorities
are written after the build and before Reflex compresses it, so the ``.gz`` files
carry them (no inline script changes: the CSP's hashes, read from the built pages
at start, cover the templates' scripts too).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import reflex as rx

from heurecivique_app.page_templates import prerender_templates

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


class PageBuild(rx.plugins.Plugin):
    """Reflex plugin (``rxconfig.py`` lists it): the templates, then the priorities.

    ``template_routes``: the dynamic routes pre-rendered as templates, those a phone
    reaches from outside the app (a poster, a notification). Not the console's: a
    tablet on the town hall's network opens them from within the app, where a page
    is never loaded from its HTML.
    """

    def __init__(self, template_routes: Iterable[str] = ()) -> None:
        self.template_routes = frozenset(route.strip("/") for route in template_routes)

    def pre_compile(self, **context) -> None:
        routes = [page.route for page in context["unevaluated_pages"]
                  if page.route.strip("/") in self.template_routes]
        context["add_modify_task"](
            rx.constants.ReactRouter.CONFIG_FILE,
            lambda config_js: prerender_templates(config_js, routes))

    def post_build(self, **context) -> None:
        rewrite_pages(Path(context["static_dir"]))
