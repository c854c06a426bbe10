"""The referent's console as a tablet dashboard, and the missions list page by page.

At 1024×768 (landscape) and 768×1024 (portrait), with the demo data, the console is
exactly the screen's height: every pane is on screen, the page never scrolls, and a
pane holding more than it shows scrolls on its own (by keyboard too). /console/missions
holds every mission, one page at a time, with page links a keyboard reaches.
"""

from __future__ import annotations

import re

import pytest
from conftest import TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import expect

PANES = ("pane-today", "pane-waiting", "pane-missions", "pane-activity", "pane-followups",
         "pane-pending", "pane-reports")
COUNT = re.compile(r"^\d[\d\u202f\u00a0 ]*( aujourd’hui)?$")


@pytest.mark.parametrize("width,height", [(1024, 768), (768, 1024)],
                         ids=["landscape", "portrait"])
def test_every_pane_of_the_console_fits_a_tablet_screen(new_context, width, height):
    page = new_context({"viewport": {"width": width, "height": height},
                        "has_touch": True}).new_page()
    login(page, "referent@vitre.demo", "/console")
    expect(page.locator("#console-missions .mission-row").first).to_be_visible()
    expect(page.locator("#activity-feed li").first).to_be_visible()
    page.wait_for_load_state("networkidle")

    scroll_height, inner_height, scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollHeight, window.innerHeight,"
        " document.documentElement.scrollWidth, window.innerWidth]")
    assert (scroll_height, scroll_width) == (inner_height, inner_width) == (height, width)

    for pane_id in PANES:
        pane = page.locator(f"#{pane_id}")
        expect(pane).to_be_visible()
        box = pane.bounding_box()
        assert box is not None
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, (pane_id, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, (pane_id, box)
        assert box["height"] >= 100, (pane_id, box)  # its heading and a few lines
        # A region named by its heading, which holds its count.
        heading = pane.locator("h2")
        assert pane.get_attribute("aria-labelledby") == heading.get_attribute("id")
        expect(heading.locator(".pane-count")).to_have_text(COUNT)
        body = pane.locator(".pane-body")
        expect(body).to_have_attribute("tabindex", "0")
        expect(body).to_have_css("overflow-y", "auto")
        assert body.get_attribute("aria-label")

    # The latest missions are more than their pane shows: it scrolls, not the page.
    body = page.locator("#pane-missions .pane-body")
    assert body.evaluate("b => b.scrollHeight > b.clientHeight")
    body.focus()
    page.keyboard.press("PageDown")
    page.wait_for_function(
        "() => document.querySelector('#pane-missions .pane-body').scrollTop > 0")
    assert page.evaluate("() => window.scrollY") == 0
    # Every mission is a link away, on its own page.
    expect(page.locator("#all-missions-link")).to_have_attribute("href", "/console/missions")
    assert_accessible(page)


def test_the_missions_list_goes_page_by_page_from_the_keyboard(new_context):
    page = new_context(TABLET).new_page()
    login(page, "referent@vitre.demo", "/console/missions")
    rows = page.locator("#missions-list tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("#list-count")).to_contain_text("mission(s) trouvée(s)")
    total = int(re.match(r"\d+", page.locator("#list-count").inner_text()).group())
    assert total > 25  # the demo holds more than one page
    pages = -(-total // 25)
    expect(page.locator("#page-number")).to_have_text(f"Page 1 sur {pages}")
    pager = page.get_by_role("navigation", name="Pages de la liste")
    expect(pager.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    first_page = rows.all_inner_texts()

    # Tab from the last number reaches « Page suivante »; Enter follows it.
    pager.get_by_role("link", name=f"Page {pages}").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#page-next")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/console/missions/?\?page=2$"))
    expect(page.locator("#page-number")).to_have_text(f"Page 2 sur {pages}")
    expect(pager.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(rows).to_have_count(min(25, total - 25))
    assert not set(rows.all_inner_texts()) & set(first_page)
    expect(page.locator("#page-prev")).to_have_attribute("href", "/console/missions")
    assert_accessible(page)
    # Each page has its own address: a bookmark opens it.
    page.goto("/console/missions?page=2")
    expect(page.locator("#page-number")).to_have_text(f"Page 2 sur {pages}")
    expect(rows).to_have_count(min(25, total - 25))

    # A filter starts again at page 1 and its links keep it.
    page.locator("#q").fill("courses")
    page.locator("#apply-filters").click()
    expect(page.locator("#list-count")).not_to_contain_text(f"{total} mission")
    for link in page.locator("#missions-pager a").all():
        assert "q=courses" in (link.get_attribute("href") or "q=courses")

    # Nothing found: the empty state says so, in the user's language.
    page.locator("#q").fill("introuvable-xyz")
    page.locator("#apply-filters").click()
    expect(page.locator("#missions-empty")).to_have_text(
        "Aucune mission ne correspond à ces filtres.")
    expect(page.locator("#missions-pager")).to_have_count(0)
