"""Issue 20: the commune's evaluation dashboard on a tablet, in French and English (axe-core),
its CSV downloads, and its hours moving live when the referent closes a mission."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from conftest import PHONE, TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import Page, expect

MISSION = "Pharmacie et boulangerie"  # done by its volunteer three days ago, not closed yet


def hours_figure(page: Page, label: str):
    return page.locator("#stats-figures dt", has_text=re.compile(f"^{label}$")).locator(
        "xpath=following-sibling::dd")


def test_dashboard_accessible_exported_and_live(new_context, app_server):
    dashboard = new_context(TABLET).new_page()
    login(dashboard, "referent@vitre.demo", "/console/stats")
    expect(dashboard.get_by_role("heading", level=1)).to_have_text("Évaluation de Vitré")
    hours = hours_figure(dashboard, "Heures données")
    expect(hours).to_have_text(re.compile(r"^\d"))
    before = hours.inner_text()
    expect(dashboard.locator("#stats-table-months")).to_contain_text("Heures données par mois")
    assert_accessible(dashboard)

    # Each table's CSV: the rows the page shows.
    href = dashboard.locator("#stats-table-months a").get_attribute("href")
    response = dashboard.request.get(href)
    assert response.status == 200
    assert "Mois" in response.body().decode("utf-8-sig")

    # The referent closes a mission on another tab: the open dashboard's hours move.
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db:
        (mission_id,) = db.execute("SELECT id FROM mission WHERE title = ?", (MISSION,)).fetchone()
    followup = dashboard.context.new_page()
    followup.goto(f"/console/missions/{mission_id}")
    followup.locator("#beneficiary_called").check()
    followup.locator("#went-yes").check()
    followup.locator("#minutes").fill("150")
    followup.locator("#close").check()
    followup.locator("#save-followup").click()
    expect(followup.locator("#followup-message")).to_contain_text("clôturée")
    expect(hours).not_to_have_text(before, timeout=20_000)

    # In English, same page, same checks.
    english = new_context(TABLET, locale="en-GB").new_page()
    login(english, "referent@vitre.demo", "/console/stats")
    expect(english.get_by_role("heading", level=1)).to_have_text("Evaluation of Vitré")
    expect(hours_figure(english, "Hours given")).to_have_text(re.compile(r"^\d"))
    assert_accessible(english)


def test_a_volunteer_sees_no_figures(new_context):
    page = new_context(PHONE).new_page()
    login(page, "volontaire@vitre.demo", "/console/stats")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#stats-figures dd")).to_have_count(0)
    assert page.request.get("/api/stats/months.csv").status == 404
