"""Issue 4: a resident goes from the poster's page to a first accepted mission on a phone,
in French and in English; privacy over the websocket; axe-core; keyboard only."""

from __future__ import annotations

import email
import json
import re
import time
from email import policy

from a11y import axe_violations
from conftest import PHONE, login, logout, open_menu
from playwright.sync_api import Page, expect
from privacy import (
    Traffic,
    add_another_communes_beneficiary,
    assert_nothing_private,
    database,
    private_data,
)

CHRISTMAS = "Collecte des boîtes cadeaux solidaires de Noël"
PASSWORD = "une-phrase-assez-longue"
EMAIL = "aline.durand@exemple.fr"


def next_step(page: Page, number: int) -> None:
    """Next: the server checks the step shown, then the page shows step ``number``."""
    page.locator("#signup-next").click()
    expect(page.locator(f"#step-{number}")).to_be_visible()


def fill_about_me(page: Page, *, name: str, email: str, phone: str) -> None:
    """The sign-up's first step (pages/signup.py), without going on."""
    page.locator("#display_name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#phone").fill(phone)
    page.locator("#password").fill(PASSWORD)


def fill_the_other_steps(page: Page, *, charter: bool = True) -> None:
    """From the first step, valid, to the last one, filled; « Sign up » is left to click."""
    next_step(page, 2)
    page.select_option("#neighbourhood_id", label="Centre historique")
    page.select_option("#max_distance_km", "1")
    next_step(page, 3)
    page.locator("#skill_collective_event").check()
    page.locator("#skill_visit").check()
    next_step(page, 4)
    page.locator("#avail_sat_morning").check()
    next_step(page, 5)
    if charter:
        page.locator("#charter").check()


def fill_sign_up(page: Page, *, name: str, email: str, phone: str) -> None:
    fill_about_me(page, name=name, email=email, phone=phone)
    fill_the_other_steps(page)


def mails_to(app_server, address: str, wait_s: float = 15.0) -> list:
    """The e-mails written to ``address`` in the server's outbox, oldest first.

    The server's job runner sends them a moment after the change: wait for one.
    The shared server's outbox also holds other mails (some with photos attached).
    """
    deadline = time.monotonic() + wait_s
    while True:
        mails = [email.message_from_bytes(path.read_bytes(), policy=policy.default)
                 for path in sorted((app_server.data_dir / "outbox").glob("*.eml"),
                                    key=lambda p: p.stat().st_mtime)]
        mails = [m for m in mails if m["To"] == address]
        if mails or time.monotonic() > deadline:
            return mails
        time.sleep(0.2)


def confirmation_link(app_server, address: str) -> str:
    """The confirmation link of the last e-mail written to ``address``."""
    links = []
    for message in mails_to(app_server, address):
        text = message.get_body(preferencelist=("plain",))
        found = re.search(r"\S+/api/auth/confirm\?token=[\w-]+",
                          text.get_content() if text is not None else "")
        if found:
            links.append(found.group(0))
    assert links, f"no confirmation e-mail to {address}"
    return links[-1]


def confirm_by_email(page: Page, app_server, address: str) -> None:
    """After a valid sign-up: the page says an e-mail was sent; follow its link and confirm."""
    expect(page.locator("#mail-sent")).to_be_visible()
    page.goto(confirmation_link(app_server, address))
    page.locator("#confirm-email").click()
    page.wait_for_url(re.compile(r".*/home/?\?welcome=1$"))


def assert_touch_targets(page: Page) -> None:
    """Buttons, menu links and checkbox lines are at least 44 px high."""
    small = page.evaluate("""() => [...document.querySelectorAll(
        'main button, nav a.touch, label.check-label, main select')]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.id || e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == []


def test_french_journey_from_the_poster_to_a_first_mission(new_context, app_server) -> None:
    add_another_communes_beneficiary(database(app_server))
    page = new_context(PHONE).new_page()
    traffic = Traffic(page)  # the socket opens once; client-side routing keeps it
    page.goto("/c/vitre")
    expect(page.locator("#signup-link")).to_have_attribute("href", "/signup?c=vitre")
    page.locator("#signup-link").click()
    page.wait_for_url(re.compile(r".*/signup/?\?c=vitre$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Devenir volontaire")
    expect(page.locator("#charter-text")).to_contain_text("Jamais à la place d'un professionnel")
    assert axe_violations(page) == []
    assert_touch_targets(page)

    # A wrong phone number first: the message sits next to the field, nothing is created.
    fill_about_me(page, name="Aline Durand", email=EMAIL, phone="12 34")
    page.locator("#signup-next").click()
    expect(page.locator("#phone-error")).to_contain_text("numéro de téléphone français")
    expect(page.locator("#form-message")).to_be_visible()
    assert "/signup" in page.url
    assert axe_violations(page) == []

    page.locator("#phone").fill("06 12 34 56 78")
    fill_the_other_steps(page)
    page.locator("#signup-submit").click()
    expect(page.locator("#mail-sent")).to_contain_text("envoyé un e-mail")
    # Not usable before the e-mail link is followed: refused like a wrong password.
    login = page.context.new_page()
    login.goto("/login")
    login.locator("#email").fill(EMAIL)
    login.locator("#password").fill(PASSWORD)
    login.locator("#login-submit").click()
    expect(login.locator("#login-error")).to_be_visible()
    login.close()
    link = confirmation_link(app_server, EMAIL)
    # Opening the link (as a mail scanner would) changes nothing; its button does.
    assert page.request.get(link).status == 200
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse e-mail")
    assert axe_violations(page) == []
    page.locator("#confirm-email").click()
    page.wait_for_url(re.compile(r".*/home/?\?welcome=1$"))
    expect(page.locator("#welcome")).to_contain_text("Bienvenue")
    expect(page.locator("#pending-note")).to_be_visible()
    expect(page.locator("#user-name")).to_have_text("Aline Durand")
    expect(page.locator("#hour-label")).to_contain_text("0 min")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["hc_session"]["httpOnly"]
    assert page.evaluate("() => JSON.stringify(localStorage)").find("hc_session") < 0
    assert axe_violations(page) == []
    assert_touch_targets(page)

    # Missions near me, filtered by category.
    nearby = page.locator("#nearby")
    expect(nearby).to_contain_text(CHRISTMAS)
    page.select_option("#filter-category", "collective_event")
    collective = "Aide lors d’un événement collectif"
    expect(nearby.locator(".mission-card", has_not_text=collective)).to_have_count(0)
    expect(nearby.locator(".mission-card", has_text=CHRISTMAS)).to_be_visible()

    # An individual mission seen before any acceptance: no private data over the socket.
    page.select_option("#filter-category", "visit")
    expect(nearby.locator(".mission-card", has_text=CHRISTMAS)).to_have_count(0)
    individual = nearby.locator(".mission-card").first
    expect(individual).to_be_visible()
    seen = traffic.mark()
    individual.click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    # My board or a neighbouring one (other tests may have taken the nearest visits).
    expect(page.locator("#approx-location")).to_contain_text("après acceptation")
    assert axe_violations(page) == []
    page.locator("#accept").click()
    # Not yet met by a referent: an individual mission at home is refused, explained.
    expect(page.locator("#outcome")).to_contain_text("référent")
    expect(page.locator("#contact")).to_have_count(0)
    assert_nothing_private(traffic, database(app_server), EMAIL, since=seen)

    # A collective action is open to a new volunteer: accept it.
    page.locator("#nav-home").click()
    page.wait_for_url(re.compile(r".*/home/?$"))
    # "Only what I like doing" (collective events, visits) hides the other gestures.
    page.select_option("#filter-category", "")
    expect(nearby).to_contain_text("Courses")
    page.locator("#filter-mine").check()
    expect(nearby.locator(".mission-card", has_text="Courses")).to_have_count(0)
    expect(nearby).to_contain_text(CHRISTMAS)
    page.locator("#filter-mine").uncheck()
    expect(nearby).to_contain_text("Courses")
    page.select_option("#filter-category", "collective_event")
    page.locator("#nearby .mission-card", has_text=CHRISTMAS).click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    # Tapped once the page shows this mission, as a volunteer would: before its state
    # arrives the page still holds the previous one, and the accept is refused as stale.
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHRISTMAS)
    page.locator("#accept").click()
    expect(page.locator("#outcome")).to_contain_text("Merci")
    expect(page.get_by_text("Je ne peux plus venir")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("#nav-home").click()
    expect(page.locator("#upcoming")).to_contain_text(CHRISTMAS)

    # My account: pause for the holidays, resume, download my data.
    page.locator("#nav-account").click()
    page.wait_for_url(re.compile(r".*/account/?$"))
    expect(page.locator("#display_name")).to_have_value("Aline Durand")
    expect(page.locator("#skill_visit")).to_be_checked()
    assert axe_violations(page) == []
    page.locator("#phone").fill("06 00 00 00 0")
    page.locator("#save-profile").click()
    expect(page.locator("#phone-error")).to_contain_text("numéro de téléphone français")
    page.locator("#phone").fill("06 98 76 54 32")
    page.locator("#save-profile").click()
    expect(page.locator("#form-message")).to_contain_text("Votre profil est enregistré")
    expect(page.locator("#phone")).to_have_value("06 98 76 54 32")
    expect(page.locator("#neighbourhood_id")).to_have_value(re.compile(r"\d+"))
    page.locator("#pause").click()
    expect(page.locator("#paused-status")).to_be_visible()
    page.locator("#resume").click()
    expect(page.locator("#pause")).to_be_visible()
    # E-mails: the reminder turned off stays off after a reload; proposals stay on, and
    # so does the reminder's push (each channel its own column).
    expect(page.locator("#mail_reminder")).to_be_checked()
    page.locator("label[for=mail_reminder]").click()
    page.locator("#save-mail").click()
    expect(page.get_by_text("Vos choix d'e-mails sont enregistrés")).to_be_visible()
    page.reload()
    expect(page.locator("#mail_reminder")).not_to_be_checked()
    expect(page.locator("#mail_proposal")).to_be_checked()
    expect(page.locator("#push_reminder")).to_be_checked()
    export = page.request.get("/api/me/export")
    assert export.ok and "attachment" in export.headers["content-disposition"]
    data = json.loads(export.text())
    assert data["account"]["email"] == EMAIL
    assert [p["mission"] for p in data["participations"]] == [CHRISTMAS]
    # No beneficiary's data, even of a mission she would have accepted.
    assert private_data(database(app_server)).leaks([export.text()]) == []

    page.goto("/charter")
    expect(page.locator("#charter-approved")).to_be_visible()
    assert axe_violations(page) == []
    # Her whole journey, every frame and every page or API answer.
    assert_nothing_private(traffic, database(app_server), EMAIL)


def test_english_journey_cancel_and_delete(new_context, app_server) -> None:
    page = new_context(PHONE, locale="en-GB").new_page()
    page.goto("/c/vitre")
    link = page.get_by_role("link", name="Sign up as a volunteer")
    expect(link).to_have_attribute("href", "/signup?c=vitre")
    link.click()
    page.wait_for_url(re.compile(r".*/signup/?\?c=vitre$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Become a volunteer")
    # The charter's articles come from the state, in the page's language (not both compiled in).
    expect(page.locator("#charter-text")).to_contain_text("Never instead of a professional")
    expect(page.locator("#charter-text")).not_to_contain_text("Jamais")
    fill_about_me(page, name="Sam Taylor", email="not-an-email", phone="07 81 22 33 44")
    page.locator("#signup-next").click()
    expect(page.locator("#email-error")).to_contain_text("valid email")
    expect(page.locator("#phone-error")).to_have_count(0)
    # A screen reader hears which field is wrong and its message with it.
    expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email")).to_have_attribute("aria-describedby", "email-error")
    expect(page.locator("#phone")).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#phone")).not_to_have_attribute("aria-describedby", re.compile(".*"))
    page.locator("#email").fill("sam.taylor@example.co.uk")
    fill_the_other_steps(page, charter=False)
    page.locator("#signup-submit").click()
    expect(page.locator("#charter-error")).to_contain_text("Approve the charter")
    page.locator("#charter").check()
    page.locator("#signup-submit").click()
    confirm_by_email(page, app_server, "sam.taylor@example.co.uk")
    link = confirmation_link(app_server, "sam.taylor@example.co.uk")
    # The link is single-use: a second visit gets a clear page, in English.
    again = page.context.new_page()
    again.goto(link)
    expect(again.locator("#confirm-invalid")).to_contain_text("no longer valid")
    again.close()
    expect(page.locator("#welcome")).to_contain_text("Welcome")
    assert axe_violations(page) == []

    page.locator("#nearby .mission-card", has_text=CHRISTMAS).click()
    page.wait_for_url(re.compile(r".*/missions/\d+"))
    # Tapped once the page shows this mission, as a volunteer would: before its state
    # arrives the page still holds the previous one, and the accept is refused as stale.
    expect(page.get_by_role("heading", level=1)).to_contain_text(CHRISTMAS)
    page.locator("#accept").click()
    expect(page.locator("#outcome")).to_contain_text("Thank you")
    # Cancelling asks for a reason, for the referent.
    page.get_by_text("I can no longer come").click()
    page.locator("#cancel-participation").click()
    expect(page.locator("#reason-error")).to_contain_text("Tell the referent why")
    page.locator("#reason").fill("Family visit that day")
    page.locator("#cancel-participation").click()
    expect(page.locator("#outcome")).to_contain_text("cancelled")
    expect(page.locator("#accept")).to_be_visible()

    page.locator("#nav-account").click()
    page.wait_for_url(re.compile(r".*/account/?$"))
    page.locator("#delete-account").click()
    expect(page.locator("#confirm_delete-error")).to_contain_text("Tick the box")
    page.locator("#confirm_delete").check()
    page.locator("#delete-account").click()
    page.wait_for_url(re.compile(r".*/login"))
    # The account is gone: its email and password no longer open a session.
    page.locator("#email").fill("sam.taylor@example.co.uk")
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    expect(page.locator("#login-error")).to_be_visible()
    assert page.request.get("/api/me/export").status == 401


def _tab_to(page: Page, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element has the focus, checking the focus ring on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const s = getComputedStyle(e);
            return [e.id, s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; }""")
        if focused[0] == element_id:
            assert focused[1], f"no visible focus on #{element_id}"
            return
    raise AssertionError(f"#{element_id} never got the focus")


def test_the_sign_up_cannot_be_sent_before_the_app_is_ready(new_context, app_server) -> None:
    # A tap (or Enter) before hydration would have the browser send the form itself,
    # as a GET with every field, the password included, in the address.
    visitor = new_context(PHONE)
    pre_rendered = visitor.request.get("/signup").text()
    next_button = re.search(r'<button[^>]*id="signup-next"[^>]*>', pre_rendered)
    assert next_button and "disabled" in next_button.group(0)
    page = visitor.new_page()
    page.goto("/signup?c=vitre")
    expect(page.locator("#signup-next")).to_be_enabled()


def test_sign_up_with_the_keyboard_only(new_context, app_server) -> None:
    page = new_context(PHONE).new_page()
    page.goto("/signup?c=vitre")
    expect(page.locator("#signup-next")).to_be_enabled()  # the app is ready for Enter
    for element_id, text in (("display_name", "Louise Clavier"),
                             ("email", "louise.clavier@exemple.fr"),
                             ("phone", "02 99 75 11 22"), ("password", PASSWORD)):
        _tab_to(page, element_id)
        page.keyboard.type(text)
    page.keyboard.press("Enter")  # Enter in a field: the next step
    expect(page.locator("#step-2-heading")).to_be_focused()
    _tab_to(page, "neighbourhood_id")
    page.keyboard.type("Rachapt")
    for number, box in ((3, "skill_digital"), (4, "avail_wed_afternoon"), (5, "charter")):
        _tab_to(page, "signup-next")
        page.keyboard.press("Enter")
        expect(page.locator(f"#step-{number}-heading")).to_be_focused()
        _tab_to(page, box)
        page.keyboard.press("Space")
    _tab_to(page, "signup-submit")
    page.keyboard.press("Enter")
    confirm_by_email(page, app_server, "louise.clavier@exemple.fr")
    expect(page.locator("#user-name")).to_have_text("Louise Clavier")
    expect(page.locator("#nearby")).to_contain_text("Rachapt")
    # Back later: logging in lands a volunteer on their home.
    logout(page)
    page.wait_for_url(re.compile(r".*/login/?$"))
    page.locator("#email").fill("louise.clavier@exemple.fr")
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_url(re.compile(r".*/home/?$"))
    expect(page.locator("#my-hour")).to_be_visible()


def test_sign_up_with_a_taken_email_says_nothing_and_tells_the_owner(new_context,
                                                                     app_server) -> None:
    page = new_context(PHONE).new_page()
    page.goto("/signup?c=vitre")
    fill_sign_up(page, name="Quelqu'un", email="volontaire@vitre.demo", phone="06 11 22 33 44")
    page.locator("#signup-submit").click()
    expect(page.locator("#mail-sent")).to_be_visible()
    assert page.locator("#email-error").count() == 0
    assert "déjà" not in page.locator("main").inner_text()
    assert mails_to(app_server, "volontaire@vitre.demo")
    # A new address gets exactly the same page: nothing tells the two apart.
    fresh = new_context(PHONE).new_page()
    fresh.goto("/signup?c=vitre")
    fill_sign_up(fresh, name="Quelqu'un", email="quelquun.nouveau@exemple.fr",
                 phone="06 11 22 33 44")
    fresh.locator("#signup-submit").click()
    expect(fresh.locator("#mail-sent")).to_be_visible()
    assert fresh.url == page.url
    assert fresh.locator("main").inner_text() == page.locator("main").inner_text()
    assert confirmation_link(app_server, "quelquun.nouveau@exemple.fr")


def test_the_hour_bar_and_the_headers_password_link(new_context, app_server) -> None:
    """The hour's progress bar; « Mot de passe » in the header loads the server's page
    (a client-side route change to it drew the app's 404 page instead)."""
    page = new_context(PHONE).new_page()
    login(page, "volontaire@vitre.demo", "/home")
    # The hour's bar (plain elements, drawn by CSS): a named progressbar with values.
    bar = page.get_by_role("progressbar")
    expect(page.locator("#hour-label")).not_to_have_text("")
    expect(bar).to_have_accessible_name(page.locator("#hour-label").inner_text())
    expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^\d+$"))
    expect(bar).to_have_attribute("aria-valuetext", re.compile(r"^\d+%$"))
    # The filled part's width is the value's share of the track (--progress-value).
    value = int(bar.get_attribute("aria-valuenow"))
    filled = bar.locator(".progress-bar").bounding_box()["width"]
    assert abs(filled / bar.bounding_box()["width"] * 100 - min(value, 100)) <= 1
    open_menu(page)
    link = page.locator("#password-link")
    expect(link).to_have_text("Mot de passe")
    expect(link).to_have_class(re.compile(r"\blink\b"))
    link.click()
    page.wait_for_url(re.compile(r".*/api/auth/password$"))
    expect(page.locator("#password-submit")).to_be_visible()
    expect(page.locator("#current")).to_be_visible()
