"""On a tablet: a need taken by phone, matched, proposed and assigned; the pool's validation;
and a volunteer's raw websocket calling the referent's handlers is refused."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

from conftest import PHONE, TABLET, login
from console_flow import (
    Need,
    assert_accessible,
    check_reasons_and_propose,
    fill_need,
    next_saturday,
)
from playwright.sync_api import Page, expect
from websockets.asyncio.client import connect

from heurecivique_app.state.match import MatchState
from heurecivique_app.state.pool import VolunteerState

TITLE = "Courses du samedi, liste au frigo"


def yvonne(phone: str) -> Need:
    """A need of Yvonne Lemarié, already known in the demo data."""
    return Need(title=TITLE, name="Yvonne Lemarié", phone=phone,
                address="14 rue Baudrairie, 35500 Vitré", day=next_saturday())


def test_intake_to_match_propose_accept_and_assign(new_context):
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    referent.locator("#intake-link").click()
    referent.wait_for_url("**/console/intake")
    expect(referent.get_by_role("heading", name="Nouveau besoin")).to_be_visible()
    assert_accessible(referent)

    # A bad field first: refused next to the field, nothing saved.
    fill_need(referent, yvonne(phone="123"))
    referent.locator("#save-need").click()
    expect(referent.locator("#beneficiary_phone-error")).to_contain_text("numéro")

    # Then the person looks already known: the referent picks her.
    referent.locator("#beneficiary_phone").fill("02 61 91 01 01")
    referent.locator("#save-need").click()
    choice = referent.locator("#duplicate-choice")
    expect(choice).to_contain_text("14 rue Baudrairie")
    assert_accessible(referent)
    choice.locator("label", has_text="Yvonne Lemarié").click()
    referent.locator("#save-need").click()
    expect(referent.locator("#form-message")).to_contain_text("tableau du quartier")

    # Matching: ranked volunteers with their reasons.
    referent.locator("#match-link").click()
    referent.wait_for_url(re.compile(r".*/console/match/\d+"))
    mission_path = referent.url.split("127.0.0.1")[1].split("/", 1)[1]
    mission_id = mission_path.rsplit("/", 1)[1]
    expect(referent.locator(".suggestion", has_text="Camille Martin")).to_be_visible()
    assert_accessible(referent)
    check_reasons_and_propose(referent, "Camille Martin")

    # The volunteer, on a phone, opens the proposed mission and accepts it.
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    volunteer.goto(f"/missions/{mission_id}")
    expect(volunteer.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(volunteer.locator("#proposal")).to_contain_text("vous propose")
    volunteer.locator("#accept").click()
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")
    # The match page is live: no reload to see that she took it.
    expect(referent.locator(".suggestion", has_text="Camille Martin")).to_contain_text(
        "Participe à cette mission")

    # Direct assignment on another open mission, after a phone call.
    referent.goto("/console")
    other = referent.locator(".mission-row[data-status='open']", has_not_text=TITLE).locator(
        ".match-link").first
    other.click()
    referent.wait_for_url(re.compile(r".*/console/match/\d+"))
    first = referent.locator(".suggestion").filter(has=referent.locator(".assign-button")).first
    name = first.locator(".suggestion-name").inner_text()
    first.locator(".assign-button").click()
    expect(referent.locator("#match-result")).to_contain_text("attribué")
    expect(referent.locator(".suggestion", has_text=name).first).to_contain_text(
        "Participe à cette mission")


def _pending_volunteers(app_server) -> int:
    """Vitré's volunteers awaiting their interview now: other tests sign some up or
    validate some on the shared e2e database."""
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM volunteer_profile p JOIN user u ON u.id = p.user_id "
            "JOIN commune c ON c.id = u.commune_id WHERE c.slug = 'vitre' AND u.is_active "
            "AND p.status = 'pending' AND u.role IN ('volunteer', 'relay')").fetchone()
    return count


def test_pool_search_and_validation_after_the_interview(new_context, app_server):
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    # The console's link opens the queue of volunteers waiting for their interview.
    referent.locator("#pending-link").click()
    referent.wait_for_url("**/console/volunteers?status=pending")
    expect(referent.get_by_role("heading", name="Volontaires", exact=True)).to_be_visible()
    rows = referent.locator(".pool-row")
    waiting = _pending_volunteers(app_server)
    assert waiting >= 1  # the demo data has some
    expect(rows).to_have_count(waiting)
    for n in range(waiting):
        expect(rows.nth(n)).to_contain_text("En attente de validation")
    assert_accessible(referent)
    referent.select_option("#status", "pending")
    referent.select_option("#skill", "shopping")
    referent.locator("#pool-search").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Chloé Boucher")
    rows.first.get_by_role("link").click()
    referent.wait_for_url(re.compile(r".*/console/volunteers/\d+"))
    expect(referent.locator("#volunteer-status")).to_contain_text("En attente")
    assert_accessible(referent)
    referent.locator("#validation_note").fill("Rencontrée au CCAS, très motivée.")
    referent.locator("#validate").click()
    expect(referent.locator("#charter-error")).to_contain_text("charte")
    referent.locator("#charter").check()
    referent.locator("#validate").click()
    expect(referent.locator("#volunteer-status")).to_contain_text("Actif")
    expect(referent.get_by_text("Rencontrée au CCAS")).to_be_visible()


# --- a volunteer's own session speaking the websocket protocol directly --------------------


def _event(token: str, name: str, path: str, query: dict, payload: dict | None = None) -> str:
    router = {"pathname": path, "asPath": path, "query": query}
    body = {"token": token, "name": name, "router_data": router, "payload": payload or {}}
    return "42/_event," + json.dumps(["event", body])


async def _call(port: int, cookie: str, calls: list[tuple[str, str, dict, dict]]) -> list[str]:
    """Open a socket with ``cookie`` and send each (handler, path, query, payload)."""
    token = str(uuid.uuid4())
    root = MatchState.get_root_state().get_full_name()
    frames: list[str] = []
    async with connect(f"ws://127.0.0.1:{port}/_event/?EIO=4&transport=websocket&token={token}",
                       additional_headers={"Cookie": f"hc_session={cookie}; hc_locale=fr"},
                       origin=f"http://127.0.0.1:{port}", compression=None,
                       ping_interval=None) as ws:
        await ws.recv()
        await ws.send("40/_event,")
        while not (await ws.recv()).startswith("40/_event"):
            pass
        first_path, first_query = calls[0][1], calls[0][2]
        await ws.send(_event(token, f"{root}.hydrate", first_path, first_query))
        for name, path, query, payload in calls:
            await ws.send(_event(token, name, path, query, payload))
        try:
            while True:
                message = await asyncio.wait_for(ws.recv(), timeout=5)
                if message == "2":
                    await ws.send("3")
                frames.append(message)
        except TimeoutError:
            return frames


def _run(coroutine):
    """Playwright's sync API owns this thread's event loop: the socket gets its own."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _cookie(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "hc_session")


def test_a_volunteer_socket_calling_referent_handlers_is_refused(new_context, app_server):
    db = sqlite3.connect(app_server.data_dir / "e2e.db")
    pending_id, = db.execute("SELECT id FROM user WHERE email = 'mathis.collin@vitre.demo'"
                             ).fetchone()
    volunteer_id, = db.execute("SELECT id FROM user WHERE email = 'voisine@vitre.demo'"
                               ).fetchone()
    mission_id, = db.execute("SELECT id FROM mission WHERE status = 'open' ORDER BY id"
                             ).fetchone()
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", "/board")
    audits = db.execute("SELECT count(*) FROM audit_entry").fetchone()
    participations = db.execute("SELECT count(*) FROM participation").fetchone()
    record = f"/console/volunteers/{pending_id}"
    match = f"/console/match/{mission_id}"
    vs, ms = VolunteerState.get_full_name(), MatchState.get_full_name()
    attack = [
        (f"{vs}.load", record, {"volunteer_id": str(pending_id)}, {}),
        (f"{vs}.validate", record, {"volunteer_id": str(pending_id)},
         {"form_data": {"charter": "on", "validation_note": "self-validated"}}),
        (f"{ms}.load", match, {"mission_id": str(mission_id)}, {}),
        (f"{ms}.assign", match, {"mission_id": str(mission_id)},
         {"volunteer_id": str(volunteer_id)}),
        (f"{ms}.propose", match, {"mission_id": str(mission_id)},
         {"form_data": {f"pick_{volunteer_id}": "on"}}),
    ]
    frames = _run(_call(app_server.port, _cookie(volunteer), attack))
    redirects = [f for f in frames if "_redirect" in f]
    assert len(redirects) >= 5, frames  # every handler ran and sent the volunteer away
    assert not any("Nathalie" in f or "self-validated" in f for f in frames)
    status, = db.execute("SELECT status FROM volunteer_profile WHERE user_id = ?",
                         (pending_id,)).fetchone()
    assert status == "pending"
    assert db.execute("SELECT count(*) FROM participation").fetchone() == participations
    assert db.execute("SELECT count(*) FROM audit_entry").fetchone() == audits

    # The same frames from the referent's session do validate: the path is a real one.
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    _run(_call(app_server.port, _cookie(referent), attack[:2]))
    status, = db.execute("SELECT status FROM volunteer_profile WHERE user_id = ?",
                         (pending_id,)).fetchone()
    assert status == "active"
    db.close()
