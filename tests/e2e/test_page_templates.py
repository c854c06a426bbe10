"""Dynamic routes answered with their pre-rendered template (page_templates.py,
build_hooks.py, api/page_paths.py): the page paints from the HTML before any
script, then hydrates without a mismatch and fills in its data for its own address."""

from __future__ import annotations

import re
import sqlite3

from conftest import PHONE, login
from playwright.sync_api import expect


def _mission_of_the_board(app_server) -> int:
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        mission_id, = db.execute("SELECT id FROM mission WHERE title = ?",
                                 ("Changer une ampoule au plafond",)).fetchone()
    return mission_id


def _watch_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def test_a_dynamic_route_paints_its_template_before_any_script(new_context, app_server):
    visitor = new_context(PHONE).request
    # The commune's page from its poster: its text is in the HTML, not an empty shell.
    html = visitor.get("/c/vitre").text()
    assert "Une heure par mois pour aider un voisin." in html
    assert 'class="public-header' in html
    # The same template for every commune, and a mission's page has its header too.
    assert visitor.get("/c/autre-commune").text() == html
    mission = visitor.get(f"/missions/{_mission_of_the_board(app_server)}").text()
    assert 'class="app-header' in mission and "/missions/_" not in re.sub(
        r"<script.*?</script>", "", mission, flags=re.S)

    # Without scripts, the page is already there.
    still = new_context({**PHONE, "java_script_enabled": False}).new_page()
    still.goto("/c/vitre")
    expect(still.get_by_role("heading", level=1)).to_have_text(
        "Une heure par mois pour aider un voisin.")


def test_the_template_hydrates_into_the_page_of_its_own_address(new_context, app_server):
    visitor = new_context(PHONE).new_page()
    errors = _watch_errors(visitor)
    visitor.goto("/c/vitre")
    expect(visitor.get_by_role("banner")).to_contain_text("Vitré")  # the slug's own data
    assert visitor.url.endswith("/c/vitre")

    volunteer = new_context(PHONE).new_page()
    volunteer_errors = _watch_errors(volunteer)
    login(volunteer, "volontaire@vitre.demo", "/board")
    link = volunteer.locator("a[href^='/missions/']").first
    href = link.get_attribute("href")
    with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
        title, = db.execute("SELECT title FROM mission WHERE id = ?",
                            (int(href.rsplit("/", 1)[-1]),)).fetchone()
    volunteer.goto(href)  # a full load, as from a notification's link
    expect(volunteer.get_by_role("heading", level=1)).to_have_text(title)
    # React's hydration mismatch errors (#418, #423, #425) or any other: none.
    assert errors == [] and volunteer_errors == []
