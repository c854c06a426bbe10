"""Pure checks of the volunteer's form fields and the charter's version."""

from __future__ import annotations

import pytest

from heurecivique_app.domain.charter import CHARTER_ARTICLES, CHARTER_VERSION, charter_is_current
from heurecivique_app.domain.validation import FieldError
from heurecivique_app.domain.volunteering import (
    clean_availability,
    clean_distance,
    clean_email,
    clean_password,
    clean_skills,
)
from heurecivique_app.presenters.charter import charter_articles
from heurecivique_app.services.signup import SignupForm


def test_availability_keeps_week_and_day_order_and_refuses_unknown_slots() -> None:
    # As a list of items: comparing dicts would ignore the week order.
    assert list(clean_availability({"sun": ["evening", "morning"],
                                    "mon": ["afternoon"]}).items()) == [
        ("mon", ["afternoon"]), ("sun", ["morning", "evening"])]
    assert clean_availability({}) == {}
    with pytest.raises(FieldError, match="Pick times from the grid"):
        clean_availability({"mon": ["night"]})
    with pytest.raises(FieldError, match="Pick times from the grid"):
        clean_availability({"someday": ["morning"]})


def test_skills_come_from_the_catalogue_in_its_order() -> None:
    assert clean_skills(["digital", "shopping"]) == ["shopping", "digital"]
    for bad, refusal in (([], "at least one"), (["juggling"], "from the list")):
        with pytest.raises(FieldError, match=refusal):
            clean_skills(bad)


@pytest.mark.parametrize(("value", "refusal"), [
    ("", "required"), ("x@y", "valid email"), ("a b@c.fr", "valid email"),
    ("@exemple.fr", "valid email"),
])
def test_bad_emails_are_refused(value: str, refusal: str) -> None:
    with pytest.raises(FieldError, match=refusal):
        clean_email(value)


def test_email_is_lower_cased_and_password_needs_ten_characters() -> None:
    assert clean_email("  Aline.Durand@Exemple.FR ") == "aline.durand@exemple.fr"
    assert clean_password("dix-signes") == "dix-signes"
    with pytest.raises(FieldError, match="Choose a password of at least 10"):
        clean_password("9-signes!")


def test_distance_is_one_of_the_choices() -> None:
    assert clean_distance("0.5") == 0.5
    for bad in ("", "3", "-1", "abc"):
        with pytest.raises(FieldError, match="Choose a distance from the list"):
            clean_distance(bad)


def test_form_reads_checkbox_grids() -> None:
    form = SignupForm.from_form({"skill_visit": "on", "avail_tue_evening": "on",
                                 "avail_tue_morning": "on", "charter": "on",
                                 "skill_diy": ""}, commune_slug="vitre")
    assert form.skills == ["visit"] and form.charter_approved
    assert form.availability == {"tue": ["morning", "evening"]}


def test_only_the_version_in_force_is_current() -> None:
    assert charter_is_current(CHARTER_VERSION)
    assert not charter_is_current(None) and not charter_is_current("2019-01")
    assert len(CHARTER_ARTICLES) >= 5 and all(a.title and a.text for a in CHARTER_ARTICLES)


def test_the_pages_get_the_charter_in_one_language_in_its_order() -> None:
    french, english = charter_articles("fr"), charter_articles("en")
    assert [a["title"] for a in english] == [a.title for a in CHARTER_ARTICLES]
    assert french[2]["title"] == "3. Jamais à la place d'un professionnel"
    assert all(a["text"] and a["text"] != e["text"] for a, e in zip(french, english, strict=True))


@pytest.mark.parametrize(("value", "refusal"), [
    ("ana\x00@vitre.fr", "control character"), ("ana@vitre.fr\x00", "control character"),
    ("an\ud800a@vitre.fr", "control character"),
    ("ana@vitre.fr\nBcc: x@evil.example", "one line"),
])
def test_an_email_with_a_control_or_invalid_character_is_refused(value: str,
                                                                  refusal: str) -> None:
    with pytest.raises(FieldError, match=refusal):
        clean_email(value)


def test_bidi_controls_are_dropped_from_an_email() -> None:
    assert clean_email("\u202eAna@Vitre.fr") == "ana@vitre.fr"


@pytest.mark.parametrize("value", ["heure-civique\x00", "heure\ud800civique", 1234567890123])
def test_a_password_that_cannot_be_typed_or_hashed_is_refused(value: object) -> None:
    with pytest.raises(FieldError, match="control character|not text"):
        clean_password(value)  # type: ignore[arg-type]


def test_a_password_is_kept_exactly_as_typed() -> None:
    typed = "  Le\u0301a et\u00a0\u200dmoi  "
    assert clean_password(typed) == typed
