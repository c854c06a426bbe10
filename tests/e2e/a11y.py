"""Accessibility checks shared by the end-to-end tests (axe-core, injected by Playwright)."""

from __future__ import annotations

from conftest import ROOT
from playwright.sync_api import Page

AXE = ROOT / ".tools/node_modules/axe-core/axe.min.js"


def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations on the page, as reported by axe-core."""
    # Evaluated through the DevTools protocol, not added as a <script>: the page's
    # Content-Security-Policy allows no inline script it does not know.
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result]
