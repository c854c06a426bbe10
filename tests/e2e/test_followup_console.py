"""Issue 5 (items 4-7) on a tablet: live console, follow-up and close, collective action with a
waiting list and attendance, search and export; a volunteer's socket cannot call referent
handlers; axe-core on every console page."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

from conftest import PHONE, TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import Page, expect
from raw_socket import call_handlers, http_login, run

PAST_NEED = "Aide aux courses du samedi"
ACTION = "Ramassage des déchets au jardin du Château"


def volunteer_minutes(page: Page, name: str) -> int:
    """The volunteer's total minutes, read from the referent's CSV export."""
    response = page.request.get("/api/exports/volunteers.csv")
    assert response.status == 200
    body = response.body()
    assert body[:3] == b"\xef\xbb\xbf"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    (row,) = [r for r in rows if r["Nom et prénom"] == name]
    return int(row["Minutes données"])


def test_follow_up_collective_action_and_exports_on_a_tablet(new_context):
    tablet = new_context(TABLET)
    console = tablet.new_page()
    login(console, "referent@vitre.demo", "/console")
    expect(console.get_by_role("heading", name="Console du référent")).to_be_visible()
    # The live dashboard: follow-ups due, volunteers to meet (to the pool's page), new reports.
    expect(console.locator("#followup-list")).to_contain_text(PAST_NEED)
    expect(console.locator("#pending-volunteers a").first).to_have_attribute(
        "href", re.compile(r"^/console/volunteers/\d+$"))
    expect(console.locator("#new-reports")).to_contain_text("Lampadaire")
    assert_accessible(console)
    minutes_before = volunteer_minutes(console, "Camille Martin")

    # --- follow-up and close ---------------------------------------------------------------
    page = tablet.new_page()
    page.goto(console.locator("#followup-list a", has_text=PAST_NEED).get_attribute("href"))
    expect(page.get_by_role("heading", name=PAST_NEED)).to_be_visible()
    expect(page.locator("#volunteer-accounts")).to_contain_text("Camille Martin")
    expect(page.locator("#recurring-flag")).to_contain_text("3 demandes")
    assert_accessible(page)
    page.locator("#close").check()
    page.locator("#went-no").check()
    page.locator("#save-followup").click()
    # Closing needs the call to the beneficiary; "not well" needs a word on what happened.
    expect(page.locator("#beneficiary_called-error")).to_contain_text("Appelez")
    expect(page.locator("#incident-error")).to_be_visible()
    expect(page.locator("#followup-status")).to_contain_text("Bénévole trouvé")

    page.locator("#beneficiary_called").check()
    page.locator("#went-no").check()
    page.locator("#minutes").fill("75")
    page.select_option("#beneficiary_satisfaction", "4")
    page.select_option("#volunteer_satisfaction", "5")
    page.locator("#incident").fill("Le magasin était fermé, courses faites à la supérette.")
    page.locator("#close").check()
    page.locator("#save-followup").click()
    expect(page.locator("#followup-message")).to_contain_text("clôturée")
    expect(page.locator("#followup-status")).to_contain_text("Clôturée")
    assert volunteer_minutes(console, "Camille Martin") == minutes_before + 75
    # Live on the console, without reloading: the feed and the follow-up list.
    expect(console.locator("#activity-feed")).to_contain_text(f"a clôturé « {PAST_NEED} »")
    expect(console.locator("#followup-list")).not_to_contain_text(PAST_NEED)

    # Duplicating the past need: a draft for the same person in one tap.
    page.locator("#duplicate-need").click()
    page.wait_for_url(re.compile(r".*/console/missions/\d+$"))
    expect(page.locator("#followup-status")).to_contain_text("Brouillon")
    expect(page.locator("#recurring-flag")).to_contain_text("demandes")

    # --- collective action: waiting list, promotion, attendance ------------------------------
    page.goto("/console/collective/new")
    expect(page.get_by_role("heading", name="Nouvelle action collective")).to_be_visible()
    assert_accessible(page)
    page.locator("#create-collective").click()
    expect(page.locator("#title-error")).to_be_visible()
    expect(page.locator("#capacity-error")).to_be_visible()
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    page.locator("#title").fill(ACTION)
    page.select_option("#category", "cleanup")
    page.select_option("#neighbourhood_id", label="Centre historique")
    page.locator("#place").fill("Jardin du Château, Vitré")
    page.locator("#date").fill(today)
    page.locator("#time").fill("23:59")
    page.locator("#capacity").fill("1")
    page.locator("#skill_gardening").check()
    page.locator("#create-collective").click()
    page.wait_for_url(re.compile(r".*/console/attendance/\d+$"))
    action_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", name=ACTION)).to_be_visible()
    assert_accessible(page)

    first = new_context(PHONE).new_page()
    login(first, "voisine@vitre.demo", "/home")
    first.goto(f"/missions/{action_id}")
    expect(first.locator("#skills-wanted")).to_contain_text("Petit jardinage")
    first.locator("#accept").click()
    expect(first.locator("#outcome")).to_contain_text("Merci")
    second = new_context(PHONE).new_page()
    login(second, "volontaire@vitre.demo", "/home")
    second.goto(f"/missions/{action_id}")
    expect(second.locator("#accept")).to_contain_text("liste d’attente")
    second.locator("#accept").click()
    expect(second.locator("#outcome")).to_contain_text("liste d’attente")
    expect(second.locator("#waitlisted-note")).to_be_visible()
    # The tablet shows both live, without reloading.
    expect(page.locator("#roster-present")).to_contain_text("Nathalie Rouxel")
    expect(page.locator("#roster-waiting")).to_contain_text("Camille Martin")
    expect(console.locator("#activity-feed")).to_contain_text("liste d’attente")

    # Cancelling the same day stays open for a collective action: the waiting list refills it.
    first.get_by_text("Je ne peux plus venir").click()
    first.locator("#reason").fill("Un imprévu ce soir")
    first.locator("#cancel-participation").click()
    expect(page.locator("#roster-present")).to_contain_text("Camille Martin")
    expect(page.locator("#roster-present")).not_to_contain_text("Nathalie Rouxel")
    expect(page.locator("#roster-waiting")).to_have_count(0)
    # The promoted volunteer's open page follows without reloading: the mission's public
    # broadcast makes her tab re-read her own part.
    expect(second.locator("#waitlisted-note")).to_have_count(0)
    expect(second.get_by_text("Je ne peux plus venir")).to_be_visible()
    second.reload()
    expect(second.get_by_text("Je ne peux plus venir")).to_be_visible()

    minutes_before = volunteer_minutes(console, "Camille Martin")
    page.reload()
    # The page's load re-mounts the form with the action's duration: type after it did.
    expect(page.locator("#minutes")).to_have_value("120")
    page.locator("#minutes").fill("90")
    page.locator("#save-attendance").click()
    expect(page.locator("#attendance-message")).to_contain_text("1 volontaire(s) crédité(s)")
    assert volunteer_minutes(console, "Camille Martin") == minutes_before + 90

    # --- search and export ---------------------------------------------------------------------
    page.goto("/console/missions")
    expect(page.locator("#missions-list")).to_be_visible()
    assert_accessible(page)
    page.select_option("#status", "closed")
    page.locator("#q").fill("samedi")
    page.locator("#apply-filters").click()
    expect(page.locator("#list-count")).to_contain_text("1 mission")
    expect(page.locator("#missions-list")).to_contain_text(PAST_NEED)
    expect(page.locator("#export-missions-csv")).to_have_attribute(
        "href", re.compile(r"status=closed"))
    with page.expect_download() as download:
        page.locator("#export-missions-csv").click()
    data = open(download.value.path(), "rb").read()
    assert data[:3] == b"\xef\xbb\xbf"
    text = data.decode("utf-8-sig")
    assert PAST_NEED in text and "Yvonne Lemarié" in text and "Courses au marché" not in text
    with page.expect_download() as download:
        page.locator("#export-missions-xlsx").click()
    assert open(download.value.path(), "rb").read()[:2] == b"PK"  # a zip: the XLSX container

    page.goto("/console/beneficiaries")
    expect(page.locator("#beneficiaries-list")).to_contain_text("Yvonne Lemarié")
    yvonne = page.locator("#beneficiaries-list .list-row", has_text="Yvonne Lemarié")
    expect(yvonne).to_contain_text("Récurrent")
    assert_accessible(page)


# --- a volunteer's raw websocket calling referent handlers ----------------------------------


def _db(app_server) -> sqlite3.Connection:
    return sqlite3.connect(app_server.data_dir / "e2e.db")


def _snapshot(app_server, draft_id: int) -> tuple:
    with _db(app_server) as db:
        return (db.execute("select status from mission where id=?", (draft_id,)).fetchone()[0],
                db.execute("select count(*) from mission").fetchone()[0],
                db.execute("select count(*) from mission_followup").fetchone()[0],
                db.execute("select count(*) from hour_entry").fetchone()[0],
                db.execute("select count(*) from audit_entry").fetchone()[0])


def test_a_volunteers_socket_cannot_call_referent_handlers(app_server):
    from heurecivique_app.state.collective import AttendanceState, CollectiveFormState
    from heurecivique_app.state.console import ConsoleState
    from heurecivique_app.state.followup import FollowUpState

    with _db(app_server) as db:
        draft_id, past_id = (db.execute("select id from mission where title=?", (t,)).fetchone()[0]
                             for t in ("Ratisser les feuilles du jardinet", "Visite et café"))
        hood_id = db.execute("select id from neighbourhood where slug='rachapt'").fetchone()[0]
    today = datetime.now(ZoneInfo("Europe/Paris")).date().isoformat()
    calls = [
        (f"{ConsoleState.get_full_name()}.publish", "/console", {"mission_id": str(draft_id)}),
        (f"{CollectiveFormState.get_full_name()}.submit", "/console/collective/new",
         {"form_data": {"title": "Intrus", "category": "cleanup", "neighbourhood_id":
                        str(hood_id), "place": "Rue", "date": today, "time": "23:00",
                        "capacity": "3", "duration_minutes": "60", "publish": "on"}}),
        (f"{FollowUpState.get_full_name()}.submit", f"/console/missions/{past_id}",
         {"form_data": {"beneficiary_called": "on", "went_well": "yes", "minutes": "480",
                        "close": "on"}}),
        (f"{AttendanceState.get_full_name()}.submit", f"/console/attendance/{past_id}",
         {"form_data": {"minutes": "480"}}),
    ]
    volunteer_cookie = http_login(app_server.url, "volontaire@vitre.demo")
    before = _snapshot(app_server, draft_id)
    frames = run(call_handlers(app_server.port, volunteer_cookie, calls))
    assert any("/login" in frame for frame in frames), frames[-3:]
    assert _snapshot(app_server, draft_id) == before, "a volunteer's call changed something"

    # The same calls with a referent's cookie publish and create: the refusal above is real.
    run(call_handlers(app_server.port, http_login(
        app_server.url, "referent@vitre.demo"), calls[:2]))
    after = _snapshot(app_server, draft_id)
    assert after[0] == "open" and after[1] == before[1] + 1
