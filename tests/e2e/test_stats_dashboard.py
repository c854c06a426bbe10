"""Issue 20: the commune's evaluation dashboard on a tablet, in French and English (axe-core),
its CSV downloads, and its hours moving live when the referent closes a mission."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from datetime import UTC, datetime

from conftest import PHONE, TABLET, login
from console_flow import PARIS, assert_accessible
from playwright.sync_api import Page, expect

MISSION = "Pharmacie et boulangerie"  # done by its volunteer three days ago, not closed yet
# Records the page's Content-Security-Policy violations (as tests/e2e/test_csp.py does).
RECORD_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.violatedDirective} blocked ${e.blockedURI}`));
"""


def hours_figure(page: Page, label: str):
    return page.locator("#stats-figures dt", has_text=re.compile(f"^{label}$")).locator(
        "xpath=following-sibling::dd")


def test_dashboard_accessible_exported_and_live(new_context, app_server):
    dashboard = new_context(TABLET).new_page()
    login(dashboard, "referent@vitre.demo", "/console/stats")
    expect(dashboard.get_by_role("heading", level=1)).to_have_text("Évaluation de Vitré")
    hours = hours_figure(dashboard, "Heures données")
    expect(hours).to_have_text(re.compile(r"^\d"))
    expect(dashboard.locator("#stats-table-months")).to_contain_text("Heures données par mois")
    assert_accessible(dashboard)

    # Each table's CSV: the rows the page shows.
    href = dashboard.locator("#stats-table-months a").get_attribute("href")
    response = dashboard.request.get(href)
    assert response.status == 200
    assert "Mois" in response.body().decode("utf-8-sig")

    # The referent closes a mission on another tab: the open dashboard of that mission's
    # month (hours in the key figures and in the month's row) moves without reloading.
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db:
        mission_id, starts_at = db.execute(
            "SELECT id, starts_at FROM mission WHERE title = ?", (MISSION,)).fetchone()
    day = datetime.fromisoformat(starts_at).replace(tzinfo=UTC).astimezone(PARIS).date()
    dashboard.goto(f"/console/stats?period=month&anchor={day.isoformat()}")
    month_row = dashboard.locator("#stats-table-months tbody tr").first
    expect(month_row.locator("td").first).to_have_text(day.strftime("%Y-%m"))
    expect(hours).to_have_text(re.compile(r"^\d"))
    before, row_before = hours.inner_text(), month_row.locator("td").nth(1).inner_text()
    followup = dashboard.context.new_page()
    followup.goto(f"/console/missions/{mission_id}")
    followup.locator("#beneficiary_called").check()
    followup.locator("#went-yes").check()
    followup.locator("#minutes").fill("150")
    followup.locator("#close").check()
    followup.locator("#save-followup").click()
    expect(followup.locator("#followup-message")).to_contain_text("clôturée")
    expect(hours).not_to_have_text(before, timeout=20_000)
    expect(month_row.locator("td").nth(1)).not_to_have_text(row_before)

    # In English, same page, same checks.
    english = new_context(TABLET, locale="en-GB").new_page()
    login(english, "referent@vitre.demo", "/console/stats")
    expect(english.get_by_role("heading", level=1)).to_have_text("Evaluation of Vitré")
    expect(hours_figure(english, "Hours given")).to_have_text(re.compile(r"^\d"))
    assert_accessible(english)


def test_a_volunteer_sees_no_figures(new_context):
    # Any signed-in user may open the page; services.stats answers NotFound to a volunteer.
    page = new_context(PHONE).new_page()
    login(page, "volontaire@vitre.demo", "/console/stats")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#stats-figures dd")).to_have_count(0)
    assert page.request.get("/api/stats/months.csv").status == 404


def _coordinator(app_server) -> str:
    """A département coordinator for the demo's département (the demo has none): a copy of
    the referent's account with another e-mail and role, so the same password works."""
    email = "coordination@vitre.demo"
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db, db:
        if db.execute('SELECT 1 FROM "user" WHERE email = ?', (email,)).fetchone() is None:
            db.execute(
                'INSERT INTO "user" (commune_id, email, password_hash, display_name, role, '
                "locale, is_active, email_confirmed, created_at) SELECT commune_id, ?, "
                "password_hash, 'Coordination départementale', 'departement_admin', locale, "
                'is_active, email_confirmed, created_at FROM "user" WHERE email = ?',
                (email, "referent@vitre.demo"))
    return email


def test_the_coordinator_compares_the_communes_in_both_languages(new_context, app_server):
    email = _coordinator(app_server)
    for locale, heading, commune_header in (("fr-FR", "Évaluation du département", "Commune"),
                                            ("en-GB", "Evaluation of the département",
                                             "Commune")):
        page = new_context(TABLET, locale=locale).new_page()
        page.add_init_script(RECORD_CSP)
        login(page, email, "/console/stats/departement")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        table = page.locator("#stats-communes")
        expect(table).to_contain_text("Vitré")
        header = table.get_by_role("columnheader").first
        expect(header).to_contain_text(commune_header)
        # Sorting by the commune's name: aria-sort says the order.
        header.get_by_role("button").click()
        expect(header).to_have_attribute("aria-sort", "ascending")
        expect(page.locator("#stats-map .leaflet-container")).to_be_visible()
        assert_accessible(page)
        # The map's tiles and the charts run under the page's Content-Security-Policy.
        assert page.evaluate("window.__csp") == []
