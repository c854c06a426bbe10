"""The live-board scenario shared by the embedded and scale-out e2e tests."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from conftest import PHONE, TABLET, login, ws_frames
from playwright.sync_api import Page, expect

# Wraps the opening of each tab, given its name (the scale-out test records its worker).
TabProbe = Callable[[str], AbstractContextManager[object]]


def open_mission(page: Page, title: str) -> str:
    """Open the mission card titled ``title`` on the board; returns the mission id."""
    page.locator(".mission-card", has_text=title).click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[1]


def console_row(page: Page, mission_id: str):
    return page.locator(f'.mission-row[data-mission-id="{mission_id}"]')


def _mentions(frame: str, text: str) -> bool:
    """Whether a socket.io frame carries ``text``, raw or JSON-escaped (python-socketio
    escapes accents in broadcasts, Reflex's own answers do not)."""
    return text in frame or json.dumps(text)[1:-1] in frame


def _first_frame(page: Page, frames: list[str], start: int,
                 wanted: Callable[[str], bool], timeout_s: float = 15.0) -> int:
    """The index of the first frame from ``start`` on that is ``wanted``, waiting for it.

    Playwright hands frame events to Python while it waits for something else: a
    page already showing what a frame carried does not mean its event has come.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        found = next((i for i in range(start, len(frames)) if wanted(frames[i])), None)
        if found is not None:
            return found
        assert time.monotonic() < deadline, frames[start:]
        page.wait_for_timeout(50)  # lets Playwright deliver the pending events


def _console(new_context, tab: TabProbe, name: str) -> Page:
    with tab(name):
        console = new_context(TABLET).new_page()
        login(console, "referent@vitre.demo", "/console")
        expect(console.locator(".mission-row").first).to_be_visible()
    return console


def accept_shows_live_on_board_a_and_console_never_on_board_b(
    new_context, title: str, extra_viewers: int = 0,
    tab: TabProbe = lambda _name: nullcontext(),
) -> None:
    """Camille accepts a Centre-historique mission while others watch.

    Watching: the referent's console (tablet), Nathalie on the same board and
    Thomas on the Rachapt board (phones), plus ``extra_viewers`` more consoles.
    Each tab is opened inside ``tab(<its name>)`` and is live when that ends.
    """
    consoles = [_console(new_context, tab, f"console {n}") for n in range(1 + extra_viewers)]

    with tab("board A"):
        neighbour = new_context(PHONE).new_page()
        login(neighbour, "voisine@vitre.demo", "/board")
        card_on_a = neighbour.locator(".mission-card", has_text=title)
        expect(card_on_a).to_contain_text("Ouverte")

    with tab("board B"):
        elsewhere = new_context(PHONE).new_page()
        # Listening before the first page load: Playwright reports only the sockets
        # opened after a listener is attached, and B's must be among them.
        frames_on_b = ws_frames(elsewhere)
        login(elsewhere, "volontaire2@vitre.demo", "/board")
        first_card_on_b = elsewhere.locator(".mission-card").first
        expect(first_card_on_b).to_be_visible()
    title_on_b = first_card_on_b.locator("h3").inner_text()
    assert any(_mentions(f, title_on_b) for f in frames_on_b), "B's socket was not heard"
    loaded = len(frames_on_b)

    with tab("volunteer"):
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

    # Board B got nothing at all for it. B now asks its server for a page of its own
    # (a mission of its board): a socket delivers in order, so a broadcast sent to B
    # with the ones A and the consoles received would arrive before that answer.
    expect(elsewhere.locator(".mission-card", has_text=title)).to_have_count(0)
    open_mission(elsewhere, title_on_b)
    answer = _first_frame(elsewhere, frames_on_b, loaded,
                          lambda f: "mission_state" in f and _mentions(f, title_on_b))
    unasked = frames_on_b[loaded:answer]
    assert not [f for f in unasked if _mentions(f, title) or "live_version" in f], unasked
