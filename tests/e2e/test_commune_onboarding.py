"""Issue 18, from nothing: the platform's administrator creates a commune, imports its
neighbourhoods from a GeoJSON file and invites a referent; the referent accepts, chooses a
password and takes in a need; a new volunteer of that commune signs up, confirms their
e-mail and sees the need on their board. The admin pages and the département's site pass
axe in French and in English."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from conftest import PASSWORD, PHONE, TABLET, login
from console_flow import Need, assert_accessible, fill_need, next_saturday
from playwright.sync_api import Page, expect
from test_staff_team import invitation_link
from test_volunteer_journey import confirm_by_email, fill_sign_up

from heurecivique_app import manage

ADMIN = "plateforme@territoire.example"
REFERENT = "rose.lemoine@chateaugiron.example"
VOLUNTEER = "yann.morvan@exemple.fr"
REFERENT_PASSWORD = "le mot de passe de Rose"
W, S, STEP = -1.515, 48.040, 0.006  # Châteaugiron's quarters: squares of 0.006°
QUARTERS = (("Centre historique", 0, 0), ("Les Gailleules", 1, 0), ("La Perdriotais", 0, 1))
NEED = Need(title="Courses au marché du jeudi", name="Odette Ferré", phone="02 99 37 41 69",
            address="2 rue de la Madeleine, Châteaugiron", day=next_saturday(2))


def quarters_file(folder: Path) -> Path:
    features = []
    for name, col, row in QUARTERS:
        x, y = W + col * STEP, S + row * STEP
        features.append({"type": "Feature", "properties": {"nom": name}, "geometry": {
            "type": "Polygon",
            "coordinates": [[[x, y], [x + STEP, y], [x + STEP, y + STEP], [x, y + STEP],
                             [x, y]]]}})
    path = folder / "quartiers-chateaugiron.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def platform_admin(app_server, monkeypatch) -> None:
    """The operators' command, as on a first start: the platform's administrator."""
    monkeypatch.setenv("HC_ADMIN_PASSWORD", PASSWORD)
    assert manage.main(["--database-url", f"sqlite:///{app_server.data_dir / 'e2e.db'}",
                        "create-admin", "--commune", "vitre", "--email", ADMIN,
                        "--name", "Plateforme du territoire", "--role", "platform_admin"]) == 0


def create_the_commune(admin: Page) -> None:
    admin.locator("#create-commune").click()  # empty: each field says what is missing
    expect(admin.locator("#name-error")).to_be_visible()
    admin.select_option("#departement_code", "35")
    admin.locator("#name").fill("Châteaugiron")
    admin.locator("#insee_code").fill("35069")
    admin.locator("#slug").fill("vitre")  # taken: refused, nothing written
    admin.locator("#colour").fill("#0b6e4f")
    admin.locator("#contact_phone").fill("02 99 37 41 69")
    admin.locator("#contact_email").fill("mairie@chateaugiron.example")
    admin.locator("#town_hall_address").fill("Place des Gâtes, 35410 Châteaugiron")
    admin.locator("#create-commune").click()
    expect(admin.locator("#slug-error")).to_contain_text("Déjà pris")
    admin.locator("#slug").fill("chateaugiron")
    admin.locator("#create-commune").click()
    admin.wait_for_url(re.compile(r".*/admin/communes/\d+/?$"))
    expect(admin.locator("#commune-title")).to_have_text("Châteaugiron")


def import_quarters(admin: Page, tmp_path: Path) -> None:
    broken = tmp_path / "casse.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    admin.locator("#geojson input[type=file]").set_input_files(str(broken))
    expect(admin.locator("#geojson-error")).to_contain_text("n'est pas du GeoJSON")
    admin.locator("#geojson input[type=file]").set_input_files(str(quarters_file(tmp_path)))
    expect(admin.locator("#preview path")).to_have_count(3)
    expect(admin.locator("#preview-names")).to_contain_text("Les Gailleules")
    assert_accessible(admin)  # with the drawing and the import button
    admin.locator("#import-geojson").click()
    expect(admin.locator("#admin-message")).to_contain_text("3 nouveaux")
    expect(admin.locator("#hoods li")).to_have_count(3)
    expect(admin.locator("#drawn path")).to_have_count(3)


def invite_the_referent(admin: Page) -> None:
    admin.locator("#person_name").fill("Rose Lemoine")
    admin.locator("#email").fill(REFERENT)
    admin.select_option("#role", "referent")
    admin.locator("#invite-submit").click()
    expect(admin.locator("#admin-message")).to_contain_text("invitation")


def referent_joins_and_takes_in_a_need(referent: Page, app_server) -> None:
    referent.goto(invitation_link(app_server, REFERENT))
    expect(referent.locator("main")).to_contain_text("Châteaugiron")
    referent.locator("#password").fill(REFERENT_PASSWORD)
    referent.locator("#repeat").fill(REFERENT_PASSWORD)
    referent.locator("#invitation-submit").click()
    referent.wait_for_url(re.compile(r".*/login/?\?reset=1$"))
    referent.locator("#email").fill(REFERENT)
    referent.locator("#password").fill(REFERENT_PASSWORD)
    referent.locator("#login-submit").click()
    referent.wait_for_url(re.compile(r".*/console/?$"))
    referent.locator("#intake-link").click()
    referent.wait_for_url("**/console/intake")
    fill_need(referent, NEED)  # in « Centre historique », one of the imported quarters
    referent.locator("#save-need").click()
    expect(referent.locator("#form-message")).to_contain_text("tableau du quartier")


def test_a_commune_from_nothing_to_a_need_on_a_new_volunteers_board(
        new_context, app_server, tmp_path, monkeypatch) -> None:
    db = sqlite3.connect(app_server.data_dir / "e2e.db")
    platform_admin(app_server, monkeypatch)
    admin = new_context(TABLET).new_page()
    login(admin, ADMIN, "/admin/communes")
    expect(admin.locator("#communes")).to_contain_text("Vitré")
    assert_accessible(admin)
    create_the_commune(admin)
    assert db.execute("SELECT count(*) FROM commune WHERE slug = 'chateaugiron'"
                      ).fetchone() == (1,)
    assert_accessible(admin)
    import_quarters(admin, tmp_path)
    invite_the_referent(admin)

    referent_joins_and_takes_in_a_need(new_context(TABLET).new_page(), app_server)

    # --- a sign-up link naming no commune: the list, or the address -------------------------
    phone = new_context(PHONE).new_page()
    phone.goto("/signup")
    expect(phone.locator("#commune-choices")).to_contain_text("Châteaugiron")
    assert_accessible(phone)
    phone.locator("#home_address").fill("nulle part")
    phone.locator("#find-commune").click()
    expect(phone.locator("#home_address-error")).to_contain_text("aucune des communes")
    phone.locator("#home_address").fill("5 rue de Paris, Vitré")  # the demo's gazetteer
    phone.locator("#find-commune").click()
    phone.wait_for_url(re.compile(r".*/signup/?\?c=vitre$"))
    expect(phone.locator("#signup-form")).to_be_visible()

    # --- a new volunteer of Châteaugiron: from its site to the board -----------------------
    phone.goto("/c/chateaugiron")
    expect(phone.locator("#town-hall")).to_contain_text("Place des Gâtes")
    # The app Chromium would install from here is Châteaugiron's (api/pwa.py reads the
    # page in the Referer of the browser's own manifest fetch).
    phone.wait_for_load_state("networkidle")
    got = phone.context.new_cdp_session(phone).send("Page.getAppManifest")
    manifest = json.loads(got["data"])
    assert (manifest["start_url"], manifest["theme_color"]) == ("/c/chateaugiron", "#0b6e4f")
    assert "Châteaugiron" in manifest["name"]
    phone.locator("#signup-link").click()
    phone.wait_for_url(re.compile(r".*/signup/?\?c=chateaugiron$"))
    expect(phone.locator("main")).to_contain_text("Châteaugiron")
    fill_sign_up(phone, name="Yann Morvan", email=VOLUNTEER, phone="06 12 34 56 78")
    phone.locator("#signup-submit").click()
    confirm_by_email(phone, app_server, VOLUNTEER)
    user = db.execute("SELECT u.commune_id, c.slug FROM user u JOIN commune c "
                      "ON c.id = u.commune_id WHERE u.email = ?", (VOLUNTEER,)).fetchone()
    assert user[1] == "chateaugiron"
    phone.goto("/board")
    expect(phone.locator("#board-missions")).to_contain_text(NEED.title)


def test_the_admin_pages_and_the_departement_site_in_both_languages(
        new_context, app_server, monkeypatch) -> None:
    for locale in ("fr-FR", "en-GB"):
        site = new_context(PHONE, locale=locale).new_page()
        site.goto("/d/35")
        expect(site.locator("#towns")).to_contain_text("Vitré")
        expect(site.locator("#towns-map circle").first).to_be_attached()
        expect(site.locator("#join")).to_be_visible()
        assert_accessible(site)
    platform_admin_exists = sqlite3.connect(app_server.data_dir / "e2e.db").execute(
        "SELECT count(*) FROM user WHERE email = ?", (ADMIN,)).fetchone() == (1,)
    if not platform_admin_exists:
        platform_admin(app_server, monkeypatch)
    admin = new_context(TABLET, locale="en-GB").new_page()
    login(admin, ADMIN, "/admin/communes")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Communes")
    assert_accessible(admin)
    admin.locator("#communes a").first.click()
    admin.wait_for_url(re.compile(r".*/admin/communes/\d+/?$"))
    expect(admin.locator("#save-commune")).to_be_visible()
    assert_accessible(admin)
