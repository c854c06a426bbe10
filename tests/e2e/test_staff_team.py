"""The town hall's administrator invites a referent from /console/staff; the invitation's
e-mail link lets them choose a password and reach the console. A referent's socket cannot
invite anyone."""

from __future__ import annotations

import email
import re
import sqlite3
import time
from email import policy

from conftest import TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import expect
from raw_socket import call_handlers, http_login, run

NEW_PASSWORD = "un mot de passe pour Léa"


def invitation_link(app_server, address: str, wait_s: float = 15.0) -> str:
    """The link of the invitation e-mailed to ``address`` (the job runner sends it)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        for path in (app_server.data_dir / "outbox").glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if message["To"] == address:
                text = message.get_body(("plain",)).get_content()
                return re.search(r"\S+/api/auth/invitation\?token=[\w-]+", text).group(0)
        time.sleep(0.2)
    raise AssertionError(f"no invitation e-mailed to {address}")


def test_the_administrator_invites_a_referent_who_joins(new_context, app_server) -> None:
    admin = new_context(TABLET).new_page()
    login(admin, "mairie@vitre.demo", "/console")
    admin.locator("#staff-link").click()
    admin.wait_for_url(re.compile(r".*/console/staff/?$"))
    expect(admin.locator(".staff-row").first).to_be_visible()
    assert_accessible(admin)
    admin.locator("#invite-submit").click()  # empty: every field says what is missing
    expect(admin.locator("#name-error")).to_be_visible()
    admin.locator("#name").fill("Léa Guérin")
    admin.locator("#email").fill("lea.guerin@vitre.example")
    admin.select_option("#role", "referent")
    admin.locator("#invite-submit").click()
    expect(admin.locator("#staff-message")).to_contain_text("invitation")
    expect(admin.locator(".staff-row", has_text="lea.guerin@vitre.example")).to_be_visible()

    newcomer = new_context(TABLET).new_page()
    newcomer.goto(invitation_link(app_server, "lea.guerin@vitre.example"))
    expect(newcomer.locator("main")).to_contain_text("Léa Guérin")
    newcomer.locator("#password").fill(NEW_PASSWORD)
    newcomer.locator("#repeat").fill(NEW_PASSWORD)
    newcomer.locator("#invitation-submit").click()
    newcomer.wait_for_url(re.compile(r".*/login/?\?reset=1$"))
    newcomer.locator("#email").fill("lea.guerin@vitre.example")
    newcomer.locator("#password").fill(NEW_PASSWORD)
    newcomer.locator("#login-submit").click()
    newcomer.wait_for_url(re.compile(r".*/console/?$"))
    # A referent does not manage the team: no link, and the page sends them home.
    expect(newcomer.locator("#console-title, h1").first).to_be_visible()
    assert newcomer.locator("#staff-link").count() == 0


def test_a_referents_socket_cannot_invite(app_server) -> None:
    from heurecivique_app.state.staff_admin import StaffAdminState

    def invitations() -> int:
        with sqlite3.connect(app_server.data_dir / "e2e.db") as db:
            return db.execute("select count(*) from staff_invitation").fetchone()[0]

    before = invitations()
    call = (f"{StaffAdminState.get_full_name()}.invite", "/console/staff",
            {"form_data": {"name": "Intrus", "email": "intrus@example.fr",
                           "role": "commune_admin"}})
    run(call_handlers(app_server.port, http_login(app_server.url, "referent@vitre.demo"),
                      [call]))
    assert invitations() == before
    # The same call with the administrator's cookie invites: the refusal above is real.
    run(call_handlers(app_server.port, http_login(app_server.url, "mairie@vitre.demo"),
                      [call]))
    assert invitations() == before + 1
