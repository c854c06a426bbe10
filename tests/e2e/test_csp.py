"""Every page under its enforced Content-Security-Policy: no violation anywhere.

Each page is loaded in a fresh document; a script added before any of the page's
own records every ``securitypolicyviolation`` event, and console errors that
mention the policy are kept too. The buttons whose code used to run through
``eval`` (position, share) are pressed, so a regression there shows up as well.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import PHONE, TABLET, demo_ids, login
from playwright.sync_api import Page, expect

RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
"""
POSITION = {"latitude": 48.12391, "longitude": -1.20811}  # Vitré, Notre-Dame


def _watch(page: Page) -> list[str]:
    errors: list[str] = []
    page.add_init_script(RECORD)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and (
        "Content Security Policy" in m.text or "unsafe-eval" in m.text) else None)
    return errors


def _visit(page: Page, path: str, errors: list[str]) -> None:
    answer = page.goto(path)
    assert answer is not None and answer.ok, path
    csp = answer.headers["content-security-policy"]
    assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp, path
    # The websocket's first state arrived: the page's scripts have all run.
    page.wait_for_load_state("networkidle")
    # Still there: a page the person may not see redirects, and would be checked for
    # nothing ("/" sends everyone on, to /login or their home).
    landed = urlparse(page.url).path.rstrip("/")
    assert path == "/" or landed == path.rstrip("/"), f"{path} went to {page.url}"
    found = page.evaluate("window.__csp") + errors
    assert found == [], f"{path}: {found}"


@pytest.fixture
def ids(app_server):
    return demo_ids(app_server)


def test_public_pages(new_context, ids):
    page = new_context(PHONE).new_page()
    errors = _watch(page)
    for path in ("/", "/login", "/signup", f"/c/{ids['slug']}", "/offline"):
        _visit(page, path, errors)


def test_volunteer_pages(new_context, app_server, ids):
    context = new_context({**PHONE, "geolocation": POSITION, "permissions": ["geolocation"]})
    page = context.new_page()
    errors = _watch(page)
    login(page, "volontaire@vitre.demo", "/home")
    for path in ("/home", "/board", f"/missions/{ids['mission']}", "/charter", "/account",
                 "/map"):
        _visit(page, path, errors)
    # On /map, the tiles' host is allowed; the position goes through the hidden form.
    page.locator("#use-location").click()
    expect(page.locator("#map-origin")).not_to_have_text("", timeout=15_000)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__csp") + errors == []


def test_relay_pages(new_context, ids):
    context = new_context({**PHONE, "geolocation": POSITION, "permissions": ["geolocation"]})
    page = context.new_page()
    errors = _watch(page)
    login(page, "relais@vitre.demo", "/relay")
    for path in ("/relay", "/relay/need", "/relay/issue"):
        _visit(page, path, errors)
    page.locator("#locate").click()  # on /relay/issue: fills the coordinates
    expect(page.locator("#locate-status")).to_be_visible()
    _visit(page, "/relay", errors)
    shares = page.locator("button[aria-label]").filter(has_text="Partager")
    if shares.count():
        shares.first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") + errors == []


def test_referent_pages(new_context, ids):
    page = new_context(TABLET).new_page()
    errors = _watch(page)
    login(page, "referent@vitre.demo", "/console")
    for path in ("/console", "/console/reports", "/console/intake", "/console/volunteers",
                 f"/console/volunteers/{ids['volunteer']}", f"/console/match/{ids['mission']}",
                 "/console/missions", f"/console/missions/{ids['mission']}",
                 "/console/beneficiaries", "/console/collective/new",
                 f"/console/attendance/{ids['collective']}", "/console/stats",
                 f"/place/{ids['mission']}"):
        _visit(page, path, errors)


def test_pages_cannot_be_framed_and_assets_are_immutable(new_context, app_server):
    page = new_context(PHONE).new_page()
    answer = page.goto("/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    script = page.locator("script[type=module]").first.get_attribute("src") or \
        page.locator("link[rel=modulepreload]").first.get_attribute("href")
    asset = page.request.get(script)
    assert asset.ok and asset.headers["cache-control"] == "public, max-age=31536000, immutable"
