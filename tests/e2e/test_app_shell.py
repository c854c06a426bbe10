"""The app's shell on a phone (issue 16): the commune's header, the bottom bar, no layout shift."""

from __future__ import annotations

import re

from conftest import login
from playwright.sync_api import Page, expect

SMALL_PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
               "device_scale_factor": 2}
MIN_TARGET = 44

# Every layout shift of the page (those right after an input excepted), from its start.
LAYOUT_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) { window.__shifts.push(entry.value); }
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def _bar_items(page: Page) -> list[dict]:
    return page.locator("#app-nav a").evaluate_all(
        "els => els.map(a => ({id: a.id, current: a.getAttribute('aria-current'),"
        " height: a.getBoundingClientRect().height, width: a.getBoundingClientRect().width}))")


def test_the_bottom_bar_on_a_phone_becomes_a_row_on_a_wide_screen(new_context):
    page = new_context(SMALL_PHONE).new_page()
    login(page, "volontaire@vitre.demo", "/board")
    expect(page.locator("#board-missions")).to_be_visible()

    # The header: the commune's name on its colour, the same room before and after.
    expect(page.locator("#commune-name")).to_have_text("Vitré")
    expect(page.locator("#menu-button")).to_be_visible()

    # A labelled navigation landmark fixed at the bottom, its current item marked.
    bar = page.get_by_role("navigation", name="Menu du volontaire")
    expect(bar).to_be_visible()
    assert bar.evaluate("el => getComputedStyle(el).position") == "fixed"
    assert abs(_box(page, "#app-nav")["y"] + _box(page, "#app-nav")["height"] - 640) <= 1
    items = _bar_items(page)
    assert [i["id"] for i in items] == ["nav-home", "nav-board", "nav-map", "nav-account"]
    assert [i["id"] for i in items if i["current"] == "page"] == ["nav-board"]
    assert all(i["height"] >= MIN_TARGET and i["width"] >= MIN_TARGET for i in items), items

    # Scrolled to the end, the page's last block stays above the bar.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = page.locator("main > div > *").last
    last_box = last.bounding_box()
    assert last_box is not None
    assert last_box["y"] + last_box["height"] <= _box(page, "#app-nav")["y"] + 0.5

    # The bar's links navigate on the client and move the mark.
    page.locator("#nav-home").click()
    page.wait_for_url(re.compile(r".*/home/?$"))
    expect(page.locator("#nav-home")).to_have_attribute("aria-current", "page")
    expect(page.locator("#nav-board")).not_to_have_attribute("aria-current", "page")

    # A wide screen: the same navigation is a row under the header, over nothing.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.evaluate("window.scrollTo(0, 0)")
    assert bar.evaluate("el => getComputedStyle(el).position") == "static"
    nav, header, main = _box(page, "#app-nav"), _box(page, "header"), _box(page, "main")
    assert nav["y"] >= header["y"] + header["height"] - 0.5
    assert nav["y"] + nav["height"] <= main["y"] + 0.5


def test_a_relay_has_their_own_bar(new_context):
    page = new_context(SMALL_PHONE).new_page()
    login(page, "relais@vitre.demo", "/relay")
    expect(page.get_by_role("navigation", name="Menu du relais")).to_be_visible()
    expect(page.locator("#nav-reports")).to_have_attribute("aria-current", "page")
    page.locator("#nav-issue").click()
    page.wait_for_url(re.compile(r".*/relay/issue/?$"))
    expect(page.locator("#nav-issue")).to_have_attribute("aria-current", "page")
    assert [i["id"] for i in _bar_items(page)] == [
        "nav-reports", "nav-issue", "nav-need", "nav-account"]


def test_home_does_not_move_when_the_state_arrives(browser, app_server, new_context):
    context = new_context(SMALL_PHONE)
    page = context.new_page()
    login(page, "volontaire@vitre.demo", "/home")

    # The pre-rendered page alone (no script): where the main blocks stand before the state.
    still = browser.new_context(base_url=app_server.url, java_script_enabled=False,
                                locale="fr-FR", **SMALL_PHONE)
    try:
        before = still.new_page()
        before.goto("/home")
        boxes = {s: _box(before, s) for s in ("main h1", "#my-hour", "header")}
    finally:
        still.close()

    # A full load with the state: the same places, and no layout shift counted.
    context.add_init_script(LAYOUT_SHIFTS)
    page.goto("/home")
    expect(page.locator("#hour-label")).not_to_have_text("")
    expect(page.locator("#upcoming, #nearby, #nearby-empty").first).to_be_visible()
    page.wait_for_timeout(500)
    for selector, box in boxes.items():
        after = _box(page, selector)
        assert abs(after["y"] - box["y"]) <= 1, (selector, box, after)
        assert abs(after["height"] - box["height"]) <= 1, (selector, box, after)
    shifts = page.evaluate("window.__shifts")
    assert sum(shifts) <= 0.02, shifts
