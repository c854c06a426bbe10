"""The town hall's shared tablet: after a referent logs out, nothing private is left for
the login page, for the next user of the tab, nor for a script reusing the tab's token."""

from __future__ import annotations

import re
import sqlite3

from conftest import TABLET, login, logout
from playwright.sync_api import Page, expect
from privacy import Traffic, assert_nothing_private, database, private_data
from raw_socket import call_handlers, run

REFERENT = "referent@vitre.demo"
VOLUNTEER = "volontaire@vitre.demo"


def _mission_with_a_beneficiary(app_server) -> tuple[int, str]:
    """A published mission of the referent's commune and its beneficiary's name."""
    with sqlite3.connect(database(app_server)) as db:
        return db.execute(
            "select m.id, b.full_name from mission m join beneficiary b on b.id = m.beneficiary_id"
            " join user u on u.commune_id = m.commune_id and u.email = ?"
            " where m.status != 'draft' order by m.id limit 1", (REFERENT,)).fetchone()


def _referent_opens_private_pages(page: Page, app_server) -> None:
    """The follow-up of a mission (its beneficiary's name and phone), then every beneficiary."""
    mission_id, name = _mission_with_a_beneficiary(app_server)
    login(page, REFERENT, f"/console/missions/{mission_id}")
    expect(page.get_by_text(name).first).to_be_visible()
    page.goto("/console/beneficiaries")
    expect(page.locator("#beneficiaries-list")).to_contain_text(name)


def _tab_token(page: Page) -> str | None:
    return page.evaluate("() => window.sessionStorage.getItem('token')")


def test_after_a_logout_the_tablet_keeps_nothing_for_the_next_user(new_context, app_server):
    page = new_context(TABLET).new_page()
    traffic = Traffic(page)  # before the first page: every frame of the tab is recorded
    _referent_opens_private_pages(page, app_server)
    referent_seen = traffic.mark()
    # The scan below can only pass if the referent's pages held what it looks for.
    assert private_data(database(app_server)).leaks(traffic.payloads()), "nothing to look for"
    referent_token = _tab_token(page)
    assert referent_token

    logout(page)
    page.wait_for_url(re.compile(r".*/login/?$"))
    expect(page.locator("#login-submit")).to_be_visible()
    expect(page.locator("input[name=next]")).to_have_value("/")
    traffic.wait_for_state(page, since=referent_seen)
    after_logout = traffic.mark()
    assert_nothing_private(traffic, database(app_server), None, since=referent_seen)
    assert _tab_token(page) != referent_token, "the tab kept its token after the logout"

    # A volunteer picks the tablet up and logs in on the same tab.
    login(page, VOLUNTEER, "/home")
    expect(page.locator("#my-hour")).to_be_visible()
    assert_nothing_private(traffic, database(app_server), VOLUNTEER, since=after_logout)

    # Her data export holds no beneficiary's data, not even of the missions she accepted
    # (she has some: a beneficiary field added to it would show here).
    with sqlite3.connect(database(app_server)) as db:
        assert db.execute(
            "select count(*) from participation p join mission m on m.id = p.mission_id"
            " join user u on u.id = p.volunteer_id where u.email = ? and p.status = 'accepted'"
            " and m.beneficiary_id is not null", (VOLUNTEER,)).fetchone()[0] > 0
    export = page.request.get("/api/me/export")
    assert export.ok
    assert private_data(database(app_server)).leaks([export.text()]) == []


def test_a_script_reusing_the_tabs_old_token_gets_nothing_private(new_context, app_server):
    page = new_context(TABLET).new_page()
    traffic = Traffic(page)
    _referent_opens_private_pages(page, app_server)
    assert private_data(database(app_server)).leaks(traffic.payloads()), "nothing to look for"
    old_token = _tab_token(page)
    old_cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "hc_session")
    logout(page)
    page.wait_for_url(re.compile(r".*/login/?$"))
    # The tab is closed: Reflex would give a second socket presenting a token in use
    # a new one, so the old token is free for the script to take.
    page.close()

    mission_id, _name = _mission_with_a_beneficiary(app_server)
    for cookie in (None, old_cookie):  # no cookie, then the revoked one
        frames = run(call_handlers(app_server.port, cookie, [], token=old_token,
                                   hydrate_path=f"/console/missions/{mission_id}"))
        assert any("delta" in frame for frame in frames), f"no state came back: {frames}"
        leaks = private_data(database(app_server)).leaks(frames)
        assert leaks == [], f"the old token still opens the referent's data: {leaks}"
