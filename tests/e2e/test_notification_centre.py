"""Two browsers: a referent proposes a mission; the volunteer's open /home shows it and her
bell's count goes up at once, without a reload; her notification centre lists it, opens it
and marks it read. Nobody else's tab hears of it."""

from __future__ import annotations

import re
import uuid

from conftest import PHONE, TABLET, login, ws_frames
from console_flow import (
    Need,
    assert_accessible,
    check_reasons_and_propose,
    fill_need,
    next_saturday,
)
from playwright.sync_api import Page, expect

VOLUNTEER = "volontaire@vitre.demo"


def _count(page: Page) -> int:
    """The bell's figure (no badge: none unread)."""
    badge = page.locator("#bell-count")
    return int(re.sub(r"\D", "", badge.inner_text())) if badge.count() else 0


def _new_need(referent: Page, title: str) -> None:
    """A need of Yvonne Lemarié (known in the demo data) for next Saturday morning."""
    referent.goto("/console/intake")
    fill_need(referent, Need(title=title, name="Yvonne Lemarié", phone="02 61 91 01 01",
                             address="14 rue Baudrairie, 35500 Vitré", day=next_saturday()))
    referent.locator("#save-need").click()
    referent.locator("#duplicate-choice").locator("label", has_text="Yvonne Lemarié").click()
    referent.locator("#save-need").click()
    expect(referent.locator("#form-message")).to_contain_text("tableau du quartier")


def test_a_proposal_reaches_the_open_home_and_the_bell_at_once(new_context) -> None:
    title = f"Courses pour la cloche {uuid.uuid4().hex[:6]}"
    volunteer = new_context(PHONE).new_page()
    login(volunteer, VOLUNTEER, "/home")
    expect(volunteer.locator("#my-hour")).to_be_visible()
    expect(volunteer.locator("#bell")).to_be_visible()
    before = _count(volunteer)
    # Marks this document: a reload would forget it.
    volunteer.evaluate("() => { window.__sameDocument = true; }")

    referent = new_context(TABLET).new_page()
    referent_frames = ws_frames(referent)
    login(referent, "referent@vitre.demo", "/console")
    _new_need(referent, title)
    referent.locator("#match-link").click()
    referent.wait_for_url(re.compile(r".*/console/match/\d+"))
    check_reasons_and_propose(referent, "Camille Martin")

    # The volunteer's open page: the proposal and the bell, without a reload.
    expect(volunteer.locator("#proposed")).to_contain_text(title)
    expect(volunteer.locator("#bell-count")).to_contain_text(str(before + 1))
    assert volunteer.evaluate("() => window.__sameDocument === true")
    # The referent's tab never heard of the volunteer's centre.
    assert not any("inbox_version" in frame for frame in referent_frames)

    # Her centre lists it, worded for her, with the mission's page as its link.
    volunteer.locator("#bell").click()
    volunteer.wait_for_url(re.compile(r".*/notifications/?$"))
    item = volunteer.locator(".inbox-item", has_text=title).first
    expect(item).to_contain_text("Une mission pour vous")
    expect(item).to_have_class(re.compile("unread"))
    assert_accessible(volunteer)
    item.locator(".inbox-title").click()
    volunteer.wait_for_url(re.compile(r".*/missions/\d+/?$"))
    expect(volunteer.locator("#proposal")).to_contain_text("vous propose")
    expect(volunteer.locator("#bell-count")).to_have_count(1 if before else 0)

    # Mark all as read: the bell empties.
    volunteer.locator("#bell").click()
    volunteer.wait_for_url(re.compile(r".*/notifications/?$"))
    if before:
        volunteer.locator("#mark-all-read").click()
    expect(volunteer.locator("#bell-count")).to_have_count(0)
    expect(volunteer.locator(".inbox-item.unread")).to_have_count(0)
