"""The installable app: manifest and icons, installability, service worker, offline page,
install button, and the volunteer pages on a small phone in both orientations."""

from __future__ import annotations

import io
import sqlite3
import time

import pytest
from a11y import axe_violations
from conftest import CHROMIUM, PASSWORD, login
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

SMALL = {"width": 360, "height": 640}
LANDSCAPE = {"width": 640, "height": 360}
PHONE_360 = {"viewport": SMALL, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
MIN_TARGET = 44
# Every control a finger can hit, that is shown (hidden inputs and display:none excluded).
# Leaflet's attribution links are words inside a sentence (WCAG 2.5.8's inline exception).
TARGETS_JS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), '
    + 'select, textarea, summary, [role=button], [tabindex="0"]')]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
               && !e.closest('.leaflet-control-attribution'))
  .map(e => { const r = e.getBoundingClientRect(), l = e.closest('label');
              const t = l ? l.getBoundingClientRect() : r;  // a label is part of its target
              return {what: e.outerHTML.slice(0, 90), w: Math.max(r.width, t.width),
                      h: Math.max(r.height, t.height)}; })"""


# The focused element, and whether it shows a ring (its own or its field's wrapper).
FOCUS_JS = """() => { const e = document.activeElement;
  const ring = el => { const c = getComputedStyle(el);
    return (c.outlineStyle !== 'none' && parseFloat(c.outlineWidth) >= 2)
      || (c.boxShadow !== 'none' && c.boxShadow !== ''); };
  return {id: e.id, tag: e.tagName, cls: String(e.className),
          visible: ring(e) || (!!e.parentElement && ring(e.parentElement))}; }"""


def _commune_colour(app_server) -> str:
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        return db.execute("SELECT theme_color FROM commune ORDER BY id LIMIT 1").fetchone()[0]


def _served_by_worker(page: Page, path: str) -> bool:
    with page.expect_response(lambda r: path in r.url) as info:
        page.evaluate("path => fetch(path).catch(() => null)", path)
    return info.value.from_service_worker


def _cached_urls(page: Page) -> list[str]:
    return page.evaluate("""async () => { const out = [];
        for (const name of await caches.keys())
          for (const request of await (await caches.open(name)).keys()) out.push(request.url);
        return out; }""")


@pytest.fixture
def installable_context(playwright, app_server, tmp_path) -> BrowserContext:
    # Chromium never installs from an incognito profile, which every new_context() is.
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        base_url=app_server.url, locale="fr-FR", **PHONE_360)
    yield context
    context.close()



def _wait_for_controller(page, seconds: float = 30) -> None:
    """Until the service worker controls the page. Polled with evaluate (run through
    DevTools): wait_for_function evaluates its string with eval, which the CSP forbids."""
    deadline = time.monotonic() + seconds
    while not page.evaluate("navigator.serviceWorker.controller !== null"):
        assert time.monotonic() < deadline, "no service worker took control"
        page.wait_for_timeout(200)

def test_manifest_icons_installability_and_install_button(installable_context, app_server):
    context = installable_context
    page = context.pages[0] if context.pages else context.new_page()

    # The manifest: the commune's name and colour, and icons that really are their size.
    manifest = page.request.get("/manifest.webmanifest").json()
    assert manifest["display"] == "standalone" and manifest["short_name"] == "HeureCivique"
    assert manifest["name"] == "L'Heure Civique à Vitré"
    assert manifest["theme_color"] == _commune_colour(app_server)
    purposes = set()
    for icon in manifest["icons"]:
        body = page.request.get(icon["src"]).body()
        with Image.open(io.BytesIO(body)) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes

    # Installable: the worker is registered and controls the page.
    page.goto("/login")
    _wait_for_controller(page)
    cdp = context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

    # The install button: Chromium itself offered to install (beforeinstallprompt), so it
    # shows (it stays hidden where the browser cannot install: see the test below). The
    # offer is replaced by one whose prompt() we can observe, then used by keyboard alone.
    button = page.locator("#install-app")
    expect(button).to_be_visible()
    page.evaluate("""() => { const offer = new Event('beforeinstallprompt', {cancelable: true});
        offer.prompt = () => { window.__prompted = true; return Promise.resolve(); };
        window.dispatchEvent(offer); }""")
    expect(button).to_be_visible()
    expect(button).to_have_text("Installer l'application")
    assert button.bounding_box()["height"] >= MIN_TARGET
    for _ in range(15):
        if page.evaluate("document.activeElement && document.activeElement.id") == "install-app":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "install-app"
    page.keyboard.press("Enter")
    assert page.evaluate("window.__prompted === true")
    expect(button).to_be_hidden()  # a prompt is offered once


def test_service_worker_spares_the_backend_and_serves_the_offline_page(new_context):
    # An ordinary (incognito) context: service workers run there too; only installing
    # needs a real profile.
    context = new_context(PHONE_360)
    page = context.new_page()
    page.goto("/login")
    _wait_for_controller(page)

    # The worker answers the shell, never the backend (websocket transport, API).
    assert _served_by_worker(page, "/manifest.webmanifest")
    assert not _served_by_worker(page, "/api/health")
    assert not _served_by_worker(page, "/_event/?EIO=4&transport=polling")
    socket_frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived",
                                          lambda f: socket_frames.append(str(f))))
    # The session cookie through the API (the form is the keyboard test's), then the board.
    response = page.request.post("/api/auth/login", max_redirects=0, form={
        "email": "volontaire@vitre.demo", "password": PASSWORD, "next": "/board"})
    assert response.status == 303
    page.goto("/board")
    expect(page.locator(".mission-card").first).to_be_visible(timeout=30_000)
    assert socket_frames  # the live board still talks to the server through the worker
    page.wait_for_load_state("networkidle")
    cached = _cached_urls(page)
    assert any("/assets/" in url and url.endswith(".js") for url in cached)
    assert any(url.endswith("/offline?lang=fr") for url in cached)
    # No page (their data) and nothing of the backend is kept on the device.
    assert not [u for u in cached if "/api" in u or "/_event" in u or u.endswith("/board")]

    # Offline: any navigation shows the offline page, in the user's language.
    context.set_offline(True)
    for path in ("/a-page-never-visited", "/missions/1", "/board"):
        page.goto(path)
        expect(page.locator("h1")).to_have_text("Vous êtes hors ligne")
        expect(page.locator("#offline")).to_contain_text("Accepter une mission")
    assert axe_violations(page) == []
    context.set_offline(False)
    page.locator("#offline-retry").click()  # reloads the address that failed
    expect(page.locator(".mission-card").first).to_be_visible()


def _check_fits(page: Page, where: str) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{where}: horizontal scroll {width}"
    small = [t for t in page.evaluate(TARGETS_JS)
             if t["w"] < MIN_TARGET or t["h"] < MIN_TARGET]
    assert small == [], f"{where}: touch targets under {MIN_TARGET}px: {small}"
    assert axe_violations(page) == [], where


def test_volunteer_pages_fit_a_small_phone_in_both_orientations(new_context):
    context = new_context(PHONE_360)  # incognito: Chromium never offers to install here
    page = context.new_page()
    for viewport in (SMALL, LANDSCAPE):
        page.set_viewport_size(viewport)
        page.goto("/login")
        expect(page.locator("#login-submit")).to_be_visible()
        _check_fits(page, f"/login {viewport}")
    expect(page.locator("#install-app")).to_be_hidden()
    login(page, "volontaire@vitre.demo", "/board")
    expect(page.locator(".mission-card").first).to_be_visible()
    mission_href = page.locator("a[href^='/missions/']").first.get_attribute("href")
    for viewport in (SMALL, LANDSCAPE):
        page.set_viewport_size(viewport)
        page.goto("/board")
        expect(page.locator(".mission-card").first).to_be_visible()
        _check_fits(page, f"/board {viewport}")
        page.goto(mission_href)
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        _check_fits(page, f"{mission_href} {viewport}")


def _tab_to(page: Page, matches, limit: int = 40) -> dict:
    """Press Tab until the focused element matches; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_JS)
        assert focused["visible"], f"focus not visible on {focused}"
        if matches(focused):
            return focused
    raise AssertionError("never reached by the keyboard")


BOTH_WAYS = pytest.mark.parametrize("viewport", [SMALL, LANDSCAPE], ids=["360x640", "640x360"])


@BOTH_WAYS
def test_volunteer_journey_with_the_keyboard_alone(new_context, viewport):
    page = new_context({**PHONE_360, "viewport": viewport}).new_page()
    page.goto("/login?next=/board")  # volunteers land on /home otherwise
    expect(page.locator("input[name=next]")).to_have_value("/board")
    _tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type("volontaire@vitre.demo")
    _tab_to(page, lambda f: f["id"] == "password")
    page.keyboard.type("heure-civique")
    page.keyboard.press("Enter")
    page.wait_for_url("**/board", timeout=30_000)
    open_card = page.locator(".mission-card", has_text="Ouverte").first
    expect(open_card).to_be_visible()
    target = open_card.get_attribute("href")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    _tab_to(page, lambda f: "mission-card" in f["cls"] and page.evaluate(
        "document.activeElement.getAttribute('href')") == target, limit=80)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
    expect(page.locator("#accept")).to_be_visible()
    # The accept button and the "not for me" disclosure are reached and opened by keyboard;
    # the mission is not accepted here, so the shared demo data stays as other tests expect.
    _tab_to(page, lambda f: f["id"] == "accept")
    _tab_to(page, lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["id"] == "reason")
    _tab_to(page, lambda f: f["id"] == "decline")
    _check_fits(page, f"{target} (open, disclosure open)")
    page.set_viewport_size(LANDSCAPE)
    _check_fits(page, f"{target} landscape")

    # The map: its controls are reachable and large enough too.
    page.goto("/map")
    expect(page.locator(".leaflet-container")).to_be_visible()
    page.wait_for_load_state("networkidle")
    for viewport in (SMALL, LANDSCAPE):
        page.set_viewport_size(viewport)
        _check_fits(page, f"/map {viewport}")
    _tab_to(page, lambda f: f["id"] == "use-location")
    _tab_to(page, lambda f: f["id"] == "radius")


def _cancellable_place(app_server) -> tuple[str, int]:
    """A demo account and a mission of hers still days away (so she may cancel)."""
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        return db.execute(
            "SELECT u.email, m.id FROM participation p JOIN user u ON u.id = p.volunteer_id "
            "JOIN mission m ON m.id = p.mission_id WHERE u.email IN ('volontaire@vitre.demo', "
            "'voisine@vitre.demo', 'volontaire2@vitre.demo') AND p.status = 'accepted' "
            "AND m.status IN ('open', 'full') AND m.starts_at > datetime('now', '+3 days') "
            "ORDER BY m.starts_at").fetchone()


def _in_dialog(page: Page) -> bool:
    return page.evaluate("!!document.activeElement.closest('dialog[open]')")


@BOTH_WAYS
def test_the_cancel_dialog_with_the_keyboard_alone(new_context, app_server, viewport):
    """ui.dialog: opened from its button, focus kept inside (Tab and Shift+Tab wrap),
    Escape and "Keep my place" close it, focus goes back to the button. Nothing is sent:
    the demo volunteer keeps her place for the other tests (the sending is
    test_volunteer_journey.py's)."""
    page = new_context({**PHONE_360, "viewport": viewport}).new_page()
    email, mission = _cancellable_place(app_server)
    login(page, email, "/home")
    page.goto(f"/missions/{mission}")
    dialog = page.locator("#cancel-dialog")
    expect(page.locator("#cancel-open")).to_be_visible()
    expect(dialog).to_be_hidden()
    page.wait_for_load_state("networkidle")
    _tab_to(page, lambda f: f["id"] == "cancel-open", limit=60)
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-labelledby", "cancel-dialog-title")
    assert page.evaluate("document.activeElement.id") == "reason"  # its first field
    _check_fits(page, f"cancel dialog {viewport}")
    # Focus stays inside, both ways round, and always shows.
    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:
        page.keyboard.press(key)
        assert _in_dialog(page), key
        assert page.evaluate(FOCUS_JS)["visible"], page.evaluate(FOCUS_JS)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "cancel-open"
    # "Keep my place" closes it too; the button gets the focus back.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    _tab_to(page, lambda f: f["id"] == "cancel-keep")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "cancel-open"
    expect(page.locator("#outcome")).to_have_count(0)  # nothing was sent
