"""Issue 21's lost accepts: an action on a mission page acts only on the mission the page
shows, at its address, as the saved state holds it.

After a worker restart a tab's socket moves to another worker; an event the stopping
worker was still draining (a page load) can then be saved after the tab's next page
load, and its answer delivered late to the new socket. The tab's state then holds
another mission than its address, or the page displays another mission than both. An
accept must never take a place on a mission the volunteer is not looking at: the
handlers refuse, show the address's mission again and ask to tap again.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from raw_socket import call_handlers, http_login, run

from heurecivique_app.state.mission import MissionState

VOLUNTEER = "olivier.texier@vitre.demo"  # no other e2e test books for him
NOT_UP_TO_DATE = "pas à jour"


def _db(app_server) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(app_server.data_dir / "e2e.db"))


def _places(app_server, volunteer_id: int, missions: tuple[int, int]) -> list[tuple]:
    with _db(app_server) as db:
        return db.execute(
            "select mission_id, status from participation where volunteer_id = ? "
            "and mission_id in (?, ?) order by mission_id", (volunteer_id, *missions)).fetchall()


def test_an_accept_from_a_page_whose_state_or_display_is_another_mission_takes_no_place(
        app_server):
    with _db(app_server) as db:
        (volunteer_id,) = db.execute("select id from user where email = ?",
                                     (VOLUNTEER,)).fetchone()
        # Two open individual missions still to come, where he has no place yet.
        first, second = (row[0] for row in db.execute(
            "select id from mission where status = 'open' and kind = 'individual' "
            "and starts_at > datetime('now', '+2 days') and id not in (select mission_id "
            "from participation where volunteer_id = ?) order by starts_at limit 2",
            (volunteer_id,)).fetchall())
    mission = MissionState.get_full_name()
    here, there = f"/missions/{first}", f"/missions/{second}"
    at_first, at_second = {"mission_id": str(first)}, {"mission_id": str(second)}
    calls = [
        # The saved state holds the first mission (its load came last) ...
        (f"{mission}.load", here, {}, at_first),
        # ... while the tab is on the second: refused, the second shown again.
        (f"{mission}.accept", there, {"shown_id": first}, at_second),
        # State and address agree now, but the page still displays the first (a late
        # answer): refused too.
        (f"{mission}.accept", there, {"shown_id": first}, at_second),
        (f"{mission}.cancel", there, {"form_data": {"reason": "x", "shown_id": str(first)}},
         at_second),
    ]
    cookie = http_login(app_server.url, VOLUNTEER)
    frames = run(call_handlers(app_server.port, cookie, calls, hydrate_path=here))
    refusals = [f for f in frames if NOT_UP_TO_DATE in f]
    assert len(refusals) == 3, frames[-3:]
    # Each refusal re-reads the page at its address: the second mission.
    assert all(f'"shown_id_rx_state_":{second}' in f for f in refusals), refusals
    assert _places(app_server, volunteer_id, (first, second)) == []

    # The same tap from a page whose address, display and state agree takes the place.
    frames = run(call_handlers(app_server.port, cookie, [
        (f"{mission}.load", there, {}, at_second),
        (f"{mission}.accept", there, {"shown_id": second}, at_second),
    ], hydrate_path=there))
    assert not any(NOT_UP_TO_DATE in f for f in frames)
    assert any('"outcome_rx_state_":"accepted"' in f for f in frames), frames[-2:]
    assert _places(app_server, volunteer_id, (first, second)) == [(second, "accepted")]
