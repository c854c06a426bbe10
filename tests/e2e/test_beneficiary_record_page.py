"""Issue 19 (item 2): the beneficiary record on a tablet and a phone — read, a refused
correction with its translated error, a saved one, erasure at the person's request;
another commune's id shows nothing of her; a volunteer gets nothing; axe-core on the page."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import factories as f
from conftest import PHONE, TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import expect
from privacy import Traffic, add_another_communes_beneficiary, assert_nothing_private, database
from sqlmodel import select

from heurecivique_app.adapters.db import make_engine, session_scope
from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.models import Beneficiary, Commune, Neighbourhood

REFERENT = "referent@vitre.demo"
TO_ERASE = "Marcelle Dupré-Erasure"


def _person_id(app_server, name: str) -> int:
    with sqlite3.connect(database(app_server)) as db:
        (person_id,) = db.execute("SELECT id FROM beneficiary WHERE full_name = ?",
                                  (name,)).fetchone()
    return person_id


def _add_person_to_erase(app_server) -> int:
    """A Vitré beneficiary of this test only, with a need that is over."""
    engine = make_engine(f"sqlite:///{database(app_server)}")
    try:
        with session_scope(engine) as session:
            town = session.exec(select(Commune).where(Commune.slug == "vitre")).one()
            hood = session.exec(select(Neighbourhood).where(
                Neighbourhood.commune_id == town.id)).first()
            person = f.beneficiary(session, neighbourhood_=hood, full_name=TO_ERASE,
                                   phone="02 99 75 44 55", address="9 rue Pasteur, 35500 Vitré")
            f.mission(session, beneficiary_=person, status=MissionStatus.DONE,
                      title="Changer une ampoule")
            return person.id
    finally:
        engine.dispose()


def test_the_record_on_a_tablet_edit_and_erase(new_context, app_server):
    other = _person_id(app_server, add_another_communes_beneficiary(database(app_server)))
    yvonne = _person_id(app_server, "Yvonne Lemarié")
    to_erase = _add_person_to_erase(app_server)
    page = new_context(TABLET).new_page()
    traffic = Traffic(page)
    login(page, REFERENT, "/console")

    # From the list to the record.
    page.goto("/console/beneficiaries")
    page.locator("#beneficiaries-list a", has_text="Yvonne Lemarié").click()
    page.wait_for_url(f"**/console/beneficiaries/{yvonne}")
    expect(page.locator("#beneficiary-name")).to_have_text("Yvonne Lemarié")
    expect(page.locator("#needs .need-row").first).to_be_visible()
    expect(page.locator("#notice-version")).to_be_visible()
    assert_accessible(page)

    # A wrong phone: the translated error at the field, nothing saved.
    page.locator("#phone").fill("12")
    page.locator("#notes").fill("Préfère être appelée le matin")
    page.locator("#save-record").click()
    expect(page.locator("#phone-error")).to_contain_text("numéro")
    expect(page.locator("#phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#beneficiary-notes")).not_to_contain_text("le matin")
    page.locator("#phone").fill("02 99 75 12 34")
    page.locator("#save-record").click()
    expect(page.locator("#edit-message")).to_contain_text("La fiche est enregistrée")
    expect(page.locator("#beneficiary-notes")).to_contain_text("Préfère être appelée le matin")

    # The notice read again: its version and its reader.
    page.locator("#notice-read").click()
    expect(page.locator("#notice-message")).to_contain_text("notice d'information")

    # Another commune's record: "no longer exists", and nothing of her reaches the tab.
    mark = traffic.mark()
    page.goto(f"/console/beneficiaries/{other}")
    expect(page.get_by_role("status").first).to_contain_text("existe plus")
    expect(page.locator("#beneficiary-name")).to_have_count(0)

    # Erasure at the person's request.
    page.goto(f"/console/beneficiaries/{to_erase}")
    expect(page.locator("#beneficiary-name")).to_have_text(TO_ERASE)
    page.locator("#channel").select_option("letter")
    page.locator("#received_on").fill(date.today().isoformat())
    page.locator("#erase").click()
    expect(page.locator("#erase-message")).to_contain_text("effacées")
    expect(page.locator("#beneficiary-name")).to_have_text("M. D. E.")
    expect(page.locator("#beneficiary-address")).to_have_text("—")
    assert_accessible(page)
    assert_nothing_private(traffic, database(app_server), REFERENT, since=mark)

    # On a phone, the same record reads in one column and passes axe too.
    phone = new_context(PHONE).new_page()
    login(phone, REFERENT, f"/console/beneficiaries/{yvonne}")
    expect(phone.locator("#beneficiary-name")).to_have_text("Yvonne Lemarié")
    assert_accessible(phone)


def test_a_volunteer_gets_nothing_of_the_record(new_context, app_server):
    yvonne = _person_id(app_server, "Yvonne Lemarié")
    page = new_context(PHONE).new_page()
    traffic = Traffic(page)
    login(page, "volontaire@vitre.demo", "/home")
    mark = traffic.mark()
    page.goto(f"/console/beneficiaries/{yvonne}")
    page.wait_for_url("**/home**")
    expect(page.locator("#beneficiary-name")).to_have_count(0)
    assert_nothing_private(traffic, database(app_server), "volontaire@vitre.demo", since=mark)
    with session_scope(make_engine(f"sqlite:///{database(app_server)}")) as session:
        assert session.get(Beneficiary, yvonne).full_name == "Yvonne Lemarié"


def test_personal_data_and_audit_pages(new_context, app_server):
    """Issue 19 (items 3-4): retention periods (a refused value, then saved), the register
    and its PDF, the erasure register, the audit log with a filter and its CSV; axe."""
    page = new_context(TABLET).new_page()
    login(page, REFERENT, "/console/privacy")
    expect(page.locator("#register .processing").first).to_be_visible()
    expect(page.locator("#register")).to_contain_text("30 jours")
    page.locator("#mission_contact_days").fill("3")
    page.locator("#save-retention").click()
    expect(page.locator("#mission_contact_days-error")).to_be_visible()
    page.locator("#mission_contact_days").fill("45")
    page.locator("#save-retention").click()
    expect(page.locator("#retention-message")).to_contain_text("enregistrées")
    expect(page.locator("#register")).to_contain_text("45 jours")
    pdf = page.request.get("/api/register.pdf")
    assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    assert_accessible(page)

    page.goto("/console/audit")
    expect(page.locator("#audit-table .audit-row").first).to_be_visible()
    page.locator("#action").select_option("retention.updated")
    page.locator("#audit-filter").click()
    expect(page.locator("#audit-table .audit-row")).to_have_count(1)
    expect(page.locator("#audit-csv")).to_have_attribute("href", re.compile("retention.updated"))
    csv_text = page.request.get(page.locator("#audit-csv").get_attribute("href")).text()
    assert "retention.updated" in csv_text and "mission.accepted" not in csv_text
    assert_accessible(page)
    phone = new_context(PHONE).new_page()
    login(phone, REFERENT, "/console/audit")
    expect(phone.locator("#audit-table")).to_be_visible()
    assert_accessible(phone)


def test_the_public_notice_and_insurance_pages(new_context, app_server):
    page = new_context(PHONE).new_page()
    page.goto("/insurance")
    expect(page.get_by_role("heading", name="Assurance : qui couvre quoi")).to_be_visible()
    assert_accessible(page)
    page.goto("/privacy")
    expect(page.locator("#notice-text")).to_contain_text("jours")
    assert_accessible(page)
