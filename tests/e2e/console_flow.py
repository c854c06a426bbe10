"""Steps of the referent's console shared by the e2e tests: a need typed in, axe-core."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from a11y import axe_violations
from playwright.sync_api import Locator, Page, expect

PARIS = ZoneInfo("Europe/Paris")  # the demo commune's timezone: months are counted there


def move_into_the_past(db: sqlite3.Connection, mission_id: int) -> None:
    """Simulates the day after the mission: the intake refuses past dates, so its start is
    moved back in the database. A day back, but never before this month began (its minutes
    count for the month the mission took place in, and the test checks this month)."""
    now = datetime.now(UTC)
    month_start = now.astimezone(PARIS).replace(day=1, hour=0, minute=0, second=1,
                                                microsecond=0).astimezone(UTC)
    starts_at = max(now - timedelta(days=1), month_start)
    with db:
        # SQLite keeps UTC datetimes without their offset (domain.types.UTCDateTime).
        db.execute("UPDATE mission SET starts_at = ? WHERE id = ?",
                   (starts_at.replace(tzinfo=None).isoformat(" "), mission_id))


def next_saturday(weeks_later: int = 0) -> date:
    """The coming Saturday (never today), ``weeks_later`` weeks on."""
    today = date.today()
    return today + timedelta(days=(5 - today.weekday()) % 7 or 7, weeks=weeks_later)


@dataclass(frozen=True)
class Need:
    """What a beneficiary says on the phone."""

    title: str
    name: str
    phone: str
    address: str
    day: date
    time: str = "10:30"
    minutes: int = 60


def fill_need(page: Page, need: Need) -> None:
    """Fill /console/intake for a shopping need by phone in the historic centre, with a
    second possible date two days later."""
    page.select_option("#channel", "phone")
    page.select_option("#category", "shopping")
    page.locator("#title").fill(need.title)
    page.select_option("#neighbourhood_id", label="Centre historique")
    page.locator("#beneficiary_name").fill(need.name)
    page.locator("#beneficiary_phone").fill(need.phone)
    page.locator("#address").fill(need.address)
    page.locator("#consent").check()
    page.locator("#preferred_date").fill(need.day.isoformat())
    page.locator("#preferred_time").fill(need.time)
    page.locator("#preferred_date_2").fill((need.day + timedelta(days=2)).isoformat())
    page.locator("#preferred_time_2").fill("09:00")
    page.locator("#duration_minutes").fill(str(need.minutes))
    page.locator("#insurance_acknowledged").check()


def assert_accessible(page: Page) -> None:
    """No WCAG 2.1 A/AA violation once the page has settled."""
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"


def check_reasons_and_propose(page: Page, name: str) -> Locator:
    """On /console/match/<id>: the shopping volunteer ``name`` is suggested with her
    reasons (skill, Saturday morning, a distance); propose the mission to her alone."""
    suggestion = page.locator(".suggestion", has_text=name)
    expect(suggestion).to_contain_text("A la compétence « Courses »")
    expect(suggestion).to_contain_text("Disponible : Samedi matin")
    expect(suggestion.locator(".reason-distance")).to_contain_text("km")
    suggestion.locator("input[type=checkbox]").check()
    page.locator("#propose").click()
    expect(page.locator("#match-result")).to_contain_text("Proposée à 1 volontaire")
    expect(suggestion).to_contain_text("en attente de sa réponse")
    return suggestion
