"""The four rules of L'Heure Civique, checked at intake."""

from __future__ import annotations

from dataclasses import replace

import pytest

from heurecivique_app.domain.rules import IntakeAnswers, check_intake, name_in_public_text

GOOD = IntakeAnswers(
    replaces_professional=False, recurring=False, urgent=False, insurance_acknowledged=True
)


def test_a_need_within_the_rules_passes() -> None:
    assert check_intake(GOOD) == []


@pytest.mark.parametrize(("broken", "field", "hint"), [
    ({"replaces_professional": True}, "replaces_professional", "professional"),
    ({"recurring": True}, "recurring", "one-off"),
    ({"urgent": True}, "urgent", "112"),
    ({"insurance_acknowledged": False}, "insurance_acknowledged", "insurance"),
])
def test_each_rule_is_checked_alone(broken: dict, field: str, hint: str) -> None:
    breaches = check_intake(replace(GOOD, **broken))
    assert [b.field for b in breaches] == [field]
    assert hint in breaches[0].message


def test_emergency_guidance_names_the_french_numbers() -> None:
    (breach,) = check_intake(replace(GOOD, urgent=True))
    for number in ("15", "17", "18", "112"):
        assert number in breach.message


def test_every_broken_rule_is_reported_at_once() -> None:
    worst = IntakeAnswers(
        replaces_professional=True, recurring=True, urgent=True, insurance_acknowledged=False
    )
    fields = [b.field for b in check_intake(worst)]
    assert fields == ["replaces_professional", "recurring", "urgent", "insurance_acknowledged"]
    assert all(b.message for b in check_intake(worst))


@pytest.mark.parametrize(("text", "found"), [
    ("M. Bouvier sort peu depuis l'hiver.", "Bouvier"),
    ("Visite chez MARCEL pour une belote", "Marcel"),
    ("Partie de cartes avec m. bouvier", "Bouvier"),
    ("Courses pour Mme Lemarie", None),  # another person's name
    ("Bouvierre et marcellin ne sont pas des noms", None),  # whole words only
    ("Sort peu depuis l'hiver et aime jouer aux cartes.", None),
])
def test_a_public_text_naming_the_beneficiary_is_found(text: str, found: str | None) -> None:
    assert name_in_public_text("Marcel Bouvier", text) == found


def test_accents_civilities_and_particles_in_the_name() -> None:
    assert name_in_public_text("Mme Yvonne Lemarié", "Courses pour Mme LEMARIE") == "Lemarié"
    assert name_in_public_text("Jeanne de La Roche", "Une visite de la part du CCAS") is None
    assert name_in_public_text("Jeanne de La Roche", "Visite rue de la Roche") == "Roche"
