"""Issue 5, end to end on a tablet: a need taken by phone for someone new, published, matched,
proposed to a volunteer who accepts on her phone, then, once the day has passed, followed up
and closed; the volunteer's hours of the month rise by the minutes the referent recorded."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from conftest import PHONE, TABLET, login
from console_flow import (
    Need,
    assert_accessible,
    check_reasons_and_propose,
    fill_need,
    move_into_the_past,
    next_saturday,
)
from playwright.sync_api import expect
from privacy import Traffic, add_another_communes_beneficiary, assert_nothing_private, database

from heurecivique_app.i18n import format_duration

PARIS = ZoneInfo("Europe/Paris")  # the demo commune's timezone: months are counted there
VOLUNTEER = "Camille Martin"
REFERENT = "referent@vitre.demo"
MINUTES = 75
# Someone the demo data does not know: no duplicate warning, a new beneficiary is created.
NEED = Need(title="Courses de la semaine, rayon frais", name="Marcel Guérin",
            phone="02 99 74 55 10", address="3 rue de la Poterie, 35500 Vitré",
            # A week after the other e2e needs, so no earlier test has booked the volunteer.
            day=next_saturday(weeks_later=1))


def month_minutes(db: sqlite3.Connection, volunteer_id: int) -> int:
    """The volunteer's minutes in the ledger for the current local month."""
    month = datetime.now(PARIS).strftime("%Y-%m")
    total, = db.execute("SELECT coalesce(sum(minutes), 0) FROM hour_entry "
                        "WHERE volunteer_id = ? AND month = ?", (volunteer_id, month)).fetchone()
    return total


def test_intake_match_accept_follow_up_and_close(new_context, app_server):
    db = sqlite3.connect(app_server.data_dir / "e2e.db")
    volunteer_id, = db.execute("SELECT id FROM user WHERE email = 'volontaire@vitre.demo'"
                               ).fetchone()
    people = "SELECT count(*) FROM beneficiary WHERE full_name = ?"
    assert db.execute(people, (NEED.name,)).fetchone() == (0,)

    # --- intake by phone of someone new, published on the board ---------------------------
    other_commune = add_another_communes_beneficiary(database(app_server))
    referent = new_context(TABLET).new_page()
    traffic = Traffic(referent)
    login(referent, REFERENT, "/console")
    referent.locator("#intake-link").click()
    referent.wait_for_url("**/console/intake")
    fill_need(referent, NEED)
    referent.locator("#save-need").click()
    expect(referent.locator("#form-message")).to_contain_text("tableau du quartier")
    expect(referent.locator("#duplicate-choice")).to_have_count(0)
    assert db.execute(people, (NEED.name,)).fetchone() == (1,)
    assert_accessible(referent)  # the form after a save, with its link to matching

    # --- matching: ranked suggestions with their reasons; proposed to one volunteer --------
    referent.locator("#match-link").click()
    referent.wait_for_url(re.compile(r".*/console/match/\d+"))
    mission_id = int(referent.url.rstrip("/").rsplit("/", 1)[1])
    status, = db.execute("SELECT status FROM mission WHERE id = ?", (mission_id,)).fetchone()
    assert status == "open"
    suggestions = referent.locator(".suggestion")
    expect(suggestions.first).to_be_visible()
    assert suggestions.count() > 1
    check_reasons_and_propose(referent, VOLUNTEER)

    # --- the volunteer accepts on her phone, from her home --------------------------------
    phone = new_context(PHONE).new_page()
    login(phone, "volontaire@vitre.demo", "/home")
    card = phone.locator(".proposal-card", has_text=NEED.title)
    card.locator(".accept-proposal").click()
    expect(phone.get_by_role("status").filter(has_text="Merci")).to_be_visible()
    expect(phone.locator(".proposal-card", has_text=NEED.title)).to_have_count(0)
    expect(phone.locator("#upcoming")).to_contain_text(NEED.title)
    referent.reload()
    expect(referent.locator(".suggestion", has_text=VOLUNTEER)).to_contain_text(
        "Participe à cette mission")

    # --- the day after: the console lists it to follow up ----------------------------------
    move_into_the_past(db, mission_id)
    minutes_before = month_minutes(db, volunteer_id)
    referent.goto(f"/console/volunteers/{volunteer_id}")
    expect(referent.locator("#volunteer-month")).to_be_visible()
    month_before = referent.locator("#volunteer-month").inner_text()
    referent.goto("/console")
    due = referent.locator("#followup-list a", has_text=NEED.title)
    expect(due).to_have_attribute("href", f"/console/missions/{mission_id}")
    due.click()
    referent.wait_for_url(f"**/console/missions/{mission_id}")
    expect(referent.get_by_role("heading", name=NEED.title)).to_be_visible()
    expect(referent.locator("#volunteer-accounts")).to_contain_text(VOLUNTEER)

    # --- follow-up: the call, minutes, satisfaction, close --------------------------------
    referent.locator("#beneficiary_called").check()
    referent.locator("#went-yes").check()
    referent.locator("#minutes").fill(str(MINUTES))
    referent.select_option("#beneficiary_satisfaction", "5")
    referent.select_option("#volunteer_satisfaction", "4")
    referent.locator("#close").check()
    referent.locator("#save-followup").click()
    expect(referent.locator("#followup-message")).to_contain_text("clôturée")
    expect(referent.locator("#followup-status")).to_contain_text("Clôturée")
    expect(referent.locator("#closed-note")).to_be_visible()
    assert_accessible(referent)  # a closed mission's page (the other tests check an open one)
    status, = db.execute("SELECT status FROM mission WHERE id = ?", (mission_id,)).fetchone()
    assert status == "closed"
    credited, = db.execute("SELECT minutes FROM hour_entry WHERE mission_id = ? AND "
                           "volunteer_id = ?", (mission_id, volunteer_id)).fetchone()
    assert credited == MINUTES
    assert month_minutes(db, volunteer_id) == minutes_before + MINUTES

    # --- the volunteer's hours this month rose, on her pool record and on her phone --------
    referent.goto(f"/console/volunteers/{volunteer_id}")
    expected = format_duration(minutes_before + MINUTES, "fr")
    expect(referent.locator("#volunteer-month")).to_have_text(expected)
    assert month_before != expected
    expect(referent.locator("#history")).to_contain_text(NEED.title)
    phone.reload()
    expect(phone.locator("#hour-label")).to_contain_text(expected)

    # The one console page no other e2e test runs axe on: the triage of residents' reports.
    referent.goto("/console/reports")
    expect(referent.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(referent)

    # Her commune's lists hold all of its beneficiaries, and none of another commune.
    referent.goto("/console/beneficiaries")
    expect(referent.locator("#beneficiaries-list")).to_contain_text(NEED.name)
    expect(referent.locator("#beneficiaries-list")).not_to_contain_text(other_commune)
    # The list is paged (25 a page) and the shared server holds many missions: search it.
    referent.goto("/console/missions?" + urlencode({"q": NEED.title}))
    expect(referent.locator("#missions-list")).to_contain_text(NEED.title)
    assert_nothing_private(traffic, database(app_server), REFERENT)
    db.close()
