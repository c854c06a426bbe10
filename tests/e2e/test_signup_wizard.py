"""Issue 16: the sign-up in five short steps on a small phone (360×640), in French and
English: a progress list, each step checked by the server before the next, the values
kept when going back, the focus on each step's heading, nothing written before the end."""

from __future__ import annotations

import sqlite3

import pytest
from a11y import axe_violations
from playwright.sync_api import Page, expect
from privacy import database
from test_volunteer_journey import (
    PASSWORD,
    assert_touch_targets,
    confirm_by_email,
    fill_about_me,
    next_step,
)

from heurecivique_app.i18n import translate

SMALL = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
TITLES = ("About me", "Where I live", "What I like doing", "When I am usually free",
          "The citizen's charter")
LOCALES = {"fr-FR": "fr", "en-GB": "en"}


def accounts_named(app_server, email: str) -> int:
    with sqlite3.connect(database(app_server)) as db:
        return db.execute("SELECT count(*) FROM user WHERE email = ?", (email,)).fetchone()[0]


def assert_on_step(page: Page, number: int, lang: str) -> None:
    """Only step ``number`` shows, the progress list marks it, its heading counts it."""
    for other in range(1, len(TITLES) + 1):
        shown = expect(page.locator(f"#step-{other}"))
        shown.to_be_visible() if other == number else shown.to_be_hidden()
    current = page.locator("#signup-steps li[aria-current='step']")
    expect(current).to_have_count(1)
    expect(current).to_contain_text(translate(TITLES[number - 1], lang))
    expect(page.locator("#signup-steps li")).to_have_count(len(TITLES))
    expect(page.locator(f"#step-{number}-heading")).to_have_text(
        translate("Step {number} of {count}", lang, number=number, count=len(TITLES))
        + " " + translate(TITLES[number - 1], lang))


def assert_fits(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling at 360 px."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]


def go_on_to(page: Page, number: int, lang: str) -> None:
    """Next, then the new step as a screen reader, a finger and a small screen meet it."""
    next_step(page, number)
    assert_on_step(page, number, lang)
    expect(page.locator(f"#step-{number}-heading")).to_be_focused()
    assert axe_violations(page) == []
    assert_touch_targets(page)
    assert_fits(page)


def go_back_to(page: Page, number: int) -> None:
    """Back: nothing checked, the step before shown, its heading focused."""
    page.locator("#signup-back").click()
    assert_on_step(page, number, "fr")
    expect(page.locator(f"#step-{number}-heading")).to_be_focused()


@pytest.mark.parametrize("locale", list(LOCALES))
def test_the_whole_sign_up_on_a_small_phone(new_context, app_server, locale) -> None:
    lang = LOCALES[locale]
    email = f"etapes.{lang}@exemple.fr"
    page = new_context(SMALL, locale=locale).new_page()
    page.goto("/signup?c=vitre")
    assert_on_step(page, 1, lang)
    # The first paint keeps the focus where a page's is (the heading takes it on a change).
    expect(page.locator("#step-1-heading")).not_to_be_focused()
    expect(page.locator("#signup-back")).to_have_count(0)
    assert axe_violations(page) == []
    assert_touch_targets(page)
    assert_fits(page)
    fill_about_me(page, name="Élise Marchand", email=email, phone="06 22 33 44 55")

    go_on_to(page, 2, lang)
    page.select_option("#neighbourhood_id", label="Rachapt")

    go_on_to(page, 3, lang)
    page.locator("#skill_digital").check()

    go_on_to(page, 4, lang)
    # The week grid: 7 days × 3 parts, each cell a 44 px target named « Samedi matin ».
    cells = page.locator("#step-4 .week-cell")
    expect(cells).to_have_count(21)
    small = page.evaluate("""() => [...document.querySelectorAll('#step-4 .week-cell')]
        .map(e => e.getBoundingClientRect()).filter(r => r.width < 44 || r.height < 44
             || r.right > window.innerWidth).length""")
    assert small == 0
    saturday_morning = page.get_by_role(
        "checkbox", name=f"{translate('Saturday', lang)} {translate('morning', lang)}")
    expect(saturday_morning).to_have_attribute("id", "avail_sat_morning")
    page.locator("label[for='avail_sat_morning']").tap()  # a finger on the cell
    expect(saturday_morning).to_be_checked()
    page.locator("#avail_mon_evening").focus()  # and the keyboard
    page.keyboard.press("Space")
    expect(page.locator("#avail_mon_evening")).to_be_checked()

    go_on_to(page, 5, lang)
    expect(page.locator("#signup-next")).to_have_count(0)
    # Four steps checked, nothing written yet.
    assert accounts_named(app_server, email) == 0
    page.locator("#charter").check()
    page.locator("#signup-submit").click()
    expect(page.locator("#mail-sent")).to_have_text(
        translate("Thank you. We have sent you an email: follow it to go on.", lang))
    assert axe_violations(page) == []
    assert accounts_named(app_server, email) == 1
    confirm_by_email(page, app_server, email)
    with sqlite3.connect(database(app_server)) as db:
        availability, skills = db.execute(
            "SELECT p.availability, p.skills FROM volunteer_profile p JOIN user u "
            "ON u.id = p.user_id WHERE u.email = ?", (email,)).fetchone()
    assert '"sat": ["morning"]' in availability and '"mon": ["evening"]' in availability
    assert "digital" in skills


def test_going_back_keeps_what_was_typed(new_context, app_server) -> None:
    page = new_context(SMALL).new_page()
    page.goto("/signup?c=vitre")
    fill_about_me(page, name="Bastien Roux", email="bastien.roux@exemple.fr",
                  phone="06 98 76 54 32")
    next_step(page, 2)
    page.select_option("#neighbourhood_id", label="Rachapt")
    page.locator("#address").fill("5 rue de Paris, Vitré")
    page.select_option("#max_distance_km", "5")
    page.locator("#departement_pool").check()
    next_step(page, 3)
    page.locator("#skill_visit").check()
    page.locator("#skills_note").fill("Je répare les vélos")

    go_back_to(page, 2)
    expect(page.locator("#neighbourhood_id option:checked")).to_have_text("Rachapt")
    expect(page.locator("#address")).to_have_value("5 rue de Paris, Vitré")
    expect(page.locator("#max_distance_km")).to_have_value("5")
    expect(page.locator("#departement_pool")).to_be_checked()
    go_back_to(page, 1)
    expect(page.locator("#display_name")).to_have_value("Bastien Roux")
    expect(page.locator("#email")).to_have_value("bastien.roux@exemple.fr")
    expect(page.locator("#phone")).to_have_value("06 98 76 54 32")
    expect(page.locator("#password")).to_have_value(PASSWORD)
    expect(page.locator("#signup-back")).to_have_count(0)

    # Forward again: the values are still valid and still there.
    next_step(page, 2)
    next_step(page, 3)
    expect(page.locator("#skill_visit")).to_be_checked()
    expect(page.locator("#skills_note")).to_have_value("Je répare les vélos")
    assert accounts_named(app_server, "bastien.roux@exemple.fr") == 0


@pytest.mark.parametrize("locale", list(LOCALES))
def test_a_step_with_an_error_stays_with_its_message(new_context, app_server,
                                                     locale) -> None:
    lang = LOCALES[locale]
    page = new_context(SMALL, locale=locale).new_page()
    page.goto("/signup?c=vitre")
    # No name and a wrong e-mail: the first step's fields are refused, in the page's language.
    page.locator("#email").fill("pas-un-email")
    page.locator("#signup-next").click()
    expect(page.locator("#display_name-error")).to_have_text(
        translate("This field is required.", lang))
    expect(page.locator("#email-error")).to_have_text(
        translate("Enter a valid email address, e.g. name@example.fr.", lang))
    expect(page.locator("#display_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#display_name")).to_have_attribute("aria-describedby",
                                                            "display_name-error")
    expect(page.locator("#form-message")).to_be_visible()
    assert_on_step(page, 1, lang)
    assert axe_violations(page) == []

    fill_about_me(page, name="Chloé Bernard", email=f"chloe.{lang}@exemple.fr",
                  phone="06 55 44 33 22")
    next_step(page, 2)
    # The errors of the step before are gone; the second step refuses no neighbourhood.
    expect(page.locator("#form-message")).to_have_count(0)
    page.locator("#signup-next").click()
    expect(page.locator("#neighbourhood_id-error")).to_have_text(
        translate("Choose your neighbourhood, or give your address.", lang))
    expect(page.locator("#neighbourhood_id")).to_have_attribute("aria-invalid", "true")
    assert_on_step(page, 2, lang)
    assert axe_violations(page) == []
    page.select_option("#neighbourhood_id", label="Centre historique")
    next_step(page, 3)
    expect(page.locator("#neighbourhood_id-error")).to_have_count(0)
    # The skills step wants one at least.
    page.locator("#signup-next").click()
    expect(page.locator("#skills-error")).to_be_visible()
    assert_on_step(page, 3, lang)
    assert accounts_named(app_server, f"chloe.{lang}@exemple.fr") == 0
