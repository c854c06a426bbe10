"""The live-board scenario shared by the embedded and scale-out e2e tests."""

from __future__ import annotations

import re

from conftest import PHONE, TABLET, login, ws_frames
from playwright.sync_api import Page, expect


def open_mission(page: Page, title: str) -> str:
    """Open the mission card titled ``title`` on the board; returns the mission id."""
    page.locator(".mission-card", has_text=title).click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[1]


def console_row(page: Page, mission_id: str):
    return page.locator(f'.mission-row[data-mission-id="{mission_id}"]')


def accept_shows_live_on_board_a_and_console_never_on_board_b(new_context, title: str,
                                                             extra_viewers: int = 0) -> None:
    """Camille accepts a Centre-historique mission while others watch.

    Watching: the referent's console (tablet), Nathalie on the same board and
    Thomas on the Rachapt board (phones), plus ``extra_viewers`` more consoles.
    """
    console = new_context(TABLET).new_page()
    login(console, "referent@vitre.demo", "/console")
    consoles = [console]
    for _ in range(extra_viewers):
        extra = new_context(TABLET).new_page()
        login(extra, "referent@vitre.demo", "/console")
        consoles.append(extra)

    neighbour = new_context(PHONE).new_page()
    login(neighbour, "voisine@vitre.demo", "/board")
    card_on_a = neighbour.locator(".mission-card", has_text=title)
    expect(card_on_a).to_contain_text("Ouverte")

    elsewhere = new_context(PHONE).new_page()
    login(elsewhere, "volontaire2@vitre.demo", "/board")
    expect(elsewhere.locator(".mission-card").first).to_be_visible()
    frames_on_b = ws_frames(elsewhere)

    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    mission_id = open_mission(volunteer, title)
    volunteer.locator("#accept").click()
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")

    expect(card_on_a).to_contain_text("Bénévole trouvé")
    for page in consoles:
        expect(console_row(page, mission_id)).to_contain_text("Bénévole trouvé")
        feed = page.locator("#activity-feed")
        expect(feed).to_contain_text(f"Camille Martin a accepté « {title} »")

    # Board B got nothing at all for it: no frame since it loaded.
    elsewhere.wait_for_timeout(1500)
    assert not [f for f in frames_on_b if title in f or "live_version" in f], frames_on_b
    expect(elsewhere.locator(".mission-card", has_text=title)).to_have_count(0)
