"""Issue 19, item 1 in the browser: the referent changes, re-staffs and cancels a mission and
every open page follows live; a volunteer's socket cannot call the new staff handlers."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from conftest import PHONE, TABLET, login
from console_flow import Need, assert_accessible, fill_need, next_saturday
from playwright.sync_api import Page, expect
from raw_socket import call_handlers, http_login, run

NEED = Need(title="Porter les courses au deuxième étage", name="Odette Pichon",
            phone="02 99 74 61 22", address="5 rue de la Poterie, 35500 Vitré",
            # Two weeks after the other e2e needs, so no earlier test has booked the volunteer.
            day=next_saturday(weeks_later=2))


def _db(app_server) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(app_server.data_dir / "e2e.db"))


def _record_need(referent: Page) -> str:
    """Type the need in and publish it; its mission id."""
    referent.goto("/console/intake")
    fill_need(referent, NEED)
    referent.locator("#save-need").click()
    expect(referent.locator("#form-message")).to_contain_text("tableau du quartier")
    href = referent.locator("#match-link").get_attribute("href")
    return href.rstrip("/").rsplit("/", 1)[1]


def test_the_referent_changes_the_time_and_the_volunteers_page_follows_live(
        new_context, app_server):
    referent = new_context(TABLET).new_page()
    login(referent, "referent@vitre.demo", "/console")
    mission_id = _record_need(referent)

    # The referent opens the mission's page from the console (its title) and keeps it open
    # on the tablet while Camille accepts.
    referent.goto("/console")
    referent.locator(f'.mission-row[data-mission-id="{mission_id}"] .manage-link').click()
    referent.wait_for_url(re.compile(rf".*/console/missions/{mission_id}/?$"))
    expect(referent.locator("#edit-mission")).to_be_visible()
    expect(referent.locator("#hour")).to_have_value("10:30")
    volunteer = new_context(PHONE).new_page()
    login(volunteer, "volontaire@vitre.demo", f"/missions/{mission_id}")
    volunteer.locator("#accept").click()
    expect(volunteer.locator("#outcome")).to_contain_text("Merci")
    expect(volunteer.locator("#mission-when")).to_contain_text("10:30")
    # Live on the referent's page: no reload to see who took it.
    expect(referent.locator("#volunteer-accounts")).to_contain_text("Camille Martin")
    assert_accessible(referent)

    # A bad time first: refused next to the field, nothing changes anywhere.
    referent.locator("#starts_at").fill("2020-01-04")
    referent.locator("#save-mission").click()
    expect(referent.locator("#starts_at-error")).to_contain_text("futur")
    expect(volunteer.locator("#mission-when")).to_contain_text("10:30")

    # The new time: Camille's open page shows it without reloading.
    referent.locator("#starts_at").fill(NEED.day.isoformat())
    referent.locator("#hour").fill("15:45")
    referent.locator("#save-mission").click()
    expect(referent.locator("#control-message")).to_contain_text("modifiée")
    expect(volunteer.locator("#mission-when")).to_contain_text("15:45")
    with _db(app_server) as db:
        (camille,) = db.execute("select id from user where email = ?",
                                ("volontaire@vitre.demo",)).fetchone()
        mails = db.execute("select user_id from job where key like ?",
                           (f"mission_changed:{mission_id}:%",)).fetchall()
    assert mails == [(camille,)]

    # Handed to another volunteer on the match page (a second tab of the tablet): Camille's
    # page drops the contact at once, the mission's page lists the newcomer, both live.
    expect(volunteer.locator("#contact")).to_be_visible()
    match = referent.context.new_page()
    match.goto(f"/console/match/{mission_id}")
    expect(match.locator("#hand-over-card")).to_be_visible()
    assert_accessible(match)
    match.select_option("#from_volunteer_id", label="Camille Martin")
    taker = match.locator("#to_volunteer_id option").nth(1).inner_text()
    match.select_option("#to_volunteer_id", index=1)
    match.locator("#handover-reason").fill("Camille est prise samedi")
    match.locator("#hand-over").click()
    expect(match.locator("#match-result")).to_contain_text("confiée")
    expect(volunteer.locator("#contact")).to_have_count(0)
    expect(referent.locator(".volunteer-account", has_text="Camille Martin")).to_contain_text(
        "S’est retiré")

    # Taken off on the mission's page: the place is free again, live on the match page.
    row = referent.locator(".volunteer-account", has_text=taker)
    expect(row).to_contain_text("A une place")
    row.locator("summary").click()
    row.get_by_label("Pourquoi").fill("Une voisine s'en charge")
    row.locator(".take-off-button").click()
    expect(referent.locator("#control-message")).to_contain_text("ne participe plus")
    expect(row).to_contain_text("S’est retiré")
    expect(match.locator("#match-mission")).to_contain_text("Places restantes : 1")
    with _db(app_server) as db:
        kinds = {row[0] for row in db.execute(
            "select action from audit_entry where entity = 'mission' and entity_id = ?",
            (int(mission_id),))}
    assert {"mission.edited", "mission.handed_over", "mission.volunteer_removed"} <= kinds

    # Cancelled with a reason: the status changes on her page too.
    referent.locator("#cancel_reason").fill("Sa fille vient ce week-end")
    referent.locator("#cancel-mission").click()
    expect(referent.locator("#control-message")).to_contain_text("annulée")
    expect(referent.locator("#edit-mission")).to_have_count(0)
    expect(volunteer.get_by_text("Annulée", exact=True)).to_be_visible()


def _snapshot(app_server, mission_id: int) -> tuple:
    with _db(app_server) as db:
        return (db.execute("select status, starts_at, title, accepted_count from mission "
                           "where id = ?", (mission_id,)).fetchone(),
                db.execute("select count(*) from participation where status = 'accepted'")
                .fetchone()[0],
                db.execute("select count(*) from audit_entry").fetchone()[0],
                db.execute("select count(*) from job").fetchone()[0])


def test_a_volunteers_socket_cannot_call_the_mission_control_handlers(app_server):
    from heurecivique_app.state.followup import FollowUpState
    from heurecivique_app.state.match import MatchState

    with _db(app_server) as db:
        mission_id, holder = db.execute(
            "select m.id, p.volunteer_id from mission m join participation p "
            "on p.mission_id = m.id where m.status = 'full' and p.status = 'accepted' "
            "order by m.id limit 1").fetchone()
        (other,) = db.execute("select id from user where email = ?",
                              ("voisine@vitre.demo",)).fetchone()
    page = f"/console/missions/{mission_id}"
    followup = FollowUpState.get_full_name()
    calls = [
        (f"{followup}.load", page, {}),
        (f"{followup}.save_mission", page,
         {"form_data": {"title": "Intrus", "day": "2030-01-01", "hour": "03:00",
                        "duration_minutes": "60", "address": "Ailleurs", "capacity": "1"}}),
        (f"{followup}.take_off", page,
         {"form_data": {"volunteer_id": str(holder), "reason": "Parce que"}}),
        (f"{followup}.cancel_mission", page, {"form_data": {"reason": "Parce que"}}),
        (f"{MatchState.get_full_name()}.hand_over", f"/console/match/{mission_id}",
         {"form_data": {"from_volunteer_id": str(holder), "to_volunteer_id": str(other),
                        "reason": "Parce que"}}),
    ]
    cookie = http_login(app_server.url, "volontaire@vitre.demo")  # audited: before counting
    before = _snapshot(app_server, mission_id)
    frames = run(call_handlers(app_server.port, cookie, calls))
    assert any("/login" in frame or '"/"' in frame for frame in frames), frames[-3:]
    assert _snapshot(app_server, mission_id) == before, "a volunteer's call changed something"
    assert not any(re.search("modifi|annul|ne participe plus", f) for f in frames)
