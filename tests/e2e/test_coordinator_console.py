"""The département's coordinator on a tablet: the console of Fougères, then of Vitré through
the commune selector (kept on the server); Vitré's pool shows Fougères' volunteer who
offered to help, badged. A referent has no selector, and their socket cannot choose
another commune."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

from conftest import TABLET, login
from console_flow import assert_accessible
from playwright.sync_api import expect
from raw_socket import call_handlers, http_login, run

COORDINATOR = "departement@ille-et-vilaine.demo"


def _commune_id(app_server, slug: str) -> str:
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db:
        return str(db.execute("SELECT id FROM commune WHERE slug = ?", (slug,)).fetchone()[0])


def test_the_coordinator_works_on_each_commune_of_the_departement(new_context, app_server):
    page = new_context(TABLET).new_page()
    login(page, COORDINATOR, "/console")
    choice = page.locator("#commune-choice")
    # Their account belongs to Fougères: its console first.
    expect(choice).to_have_value(_commune_id(app_server, "fougeres"))
    expect(page.locator("#console-missions")).to_contain_text("Courses du mardi")
    expect(page.locator("#console-missions")).not_to_contain_text("Courses au marché")
    assert_accessible(page)

    choice.select_option(label="Vitré")
    page.locator("#commune-choose").click()
    expect(page.locator("#console-missions")).to_contain_text("Courses au marché", timeout=20_000)
    expect(page.locator("#commune-choice")).to_have_value(_commune_id(app_server, "vitre"))
    expect(page.locator("#console-missions")).not_to_contain_text("Courses du mardi")

    # Every page follows the chosen commune: Vitré's pool, with Fougères' volunteer who
    # offered to help in the département, badged (the coordinator also runs Fougères, so
    # their record opens for them; a referent of Vitré gets no link: below).
    page.goto("/console/volunteers")
    expect(page.locator(".pool-row", has_text="Camille Martin")).to_be_visible()
    yann = page.locator(".pool-row", has_text="Yann Lebreton")
    expect(yann.locator(".pool-badge")).to_have_text("De Fougères (vivier départemental)")
    assert page.locator(".pool-row", has_text="Anne Rivière").count() == 0
    assert_accessible(page)


def test_a_referent_has_one_commune_and_cannot_choose_another(new_context, app_server):
    page = new_context(TABLET).new_page()
    login(page, "referent@vitre.demo", "/console")
    expect(page.locator("#console-missions")).to_contain_text("Courses au marché")
    assert page.locator("#commune-selector").count() == 0
    # Vitré's pool holds Fougères' volunteer who offered, never the others of Fougères.
    page.goto("/console/volunteers")
    yann = page.locator(".pool-row", has_text="Yann Lebreton")
    expect(yann.locator(".pool-badge")).to_have_text("De Fougères (vivier départemental)")
    assert yann.get_by_role("link").count() == 0  # his record stays with Fougères
    assert page.locator(".pool-row", has_text="Anne Rivière").count() == 0

    from heurecivique_app.state.console import ConsoleState

    cookie = http_login(app_server.url, "referent@vitre.demo")
    call = (f"{ConsoleState.get_full_name()}.choose_commune", "/console",
            {"form": {"commune": _commune_id(app_server, "fougeres")}})
    run(call_handlers(app_server.port, cookie, [call]))
    with closing(sqlite3.connect(app_server.data_dir / "e2e.db")) as db:
        chosen = {row[0] for row in db.execute(
            'SELECT s.commune_id FROM user_session s JOIN "user" u ON u.id = s.user_id '
            "WHERE u.email = 'referent@vitre.demo'")}
    assert chosen == {None}
    page.goto("/console")
    expect(page.locator("#console-missions")).to_contain_text("Courses au marché")
    assert re.search(r"Courses du mardi", page.locator("#console-missions").inner_text()) is None
