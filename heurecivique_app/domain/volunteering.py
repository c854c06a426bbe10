"""The volunteer's own vocabulary: weekly availability, how far they go, their skills.

Skills are picked from the catalogue of concrete gestures (the mission
categories, :data:`~heurecivique_app.domain.enums.CATEGORY_LABELS`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime

from heurecivique_app.domain.availability import DAY_LABELS, DAY_PARTS, WEEKDAYS
from heurecivique_app.domain.enums import CATEGORY_LABELS, VolunteerStatus
from heurecivique_app.domain.text import BAD_CHARACTER, N_, NOT_TEXT, TOO_LONG, TextKind, clean_text
from heurecivique_app.domain.validation import FieldError

# The slots themselves are the matching's (domain/availability.py): one vocabulary.
WEEKDAY_LABELS = DAY_LABELS
# Capitalised: they label the boxes of the grid (the matching's are mid-sentence).
DAY_PART_LABELS: dict[str, str] = {
    "morning": N_("Morning"), "afternoon": N_("Afternoon"), "evening": N_("Evening"),
}
# How far a volunteer will go from home, in kilometres (the form's choices); the longer
# ones reach the neighbouring communes, for volunteers of the département pool.
DISTANCE_CHOICES: tuple[str, ...] = ("0.5", "1", "2", "5", "10", "20", "30")

PASSWORD_MIN = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def availability_field(day: str, part: str) -> str:
    """The form field name of one box of the availability grid."""
    return f"avail_{day}_{part}"


def clean_email(value: str | None) -> str:
    """The e-mail typed, lower case; required and of a valid shape."""
    text = clean_text(value, max_length=254, kind=TextKind.LINE).lower()
    if not text:
        raise FieldError(N_("This field is required."))
    if not _EMAIL.fullmatch(text):
        raise FieldError(N_("Enter a valid email address, e.g. name@example.fr."))
    return text


def clean_password(value: str | None) -> str:
    """The password exactly as typed (never normalised: it must hash the same at login).

    Only what cannot be typed is refused: control characters and lone surrogates
    (these last cannot even be encoded for hashing).
    """
    if value is not None and not isinstance(value, str):
        raise FieldError(NOT_TEXT)
    text = value or ""
    if len(text) > 128:
        raise FieldError(TOO_LONG, max_length=128)
    if any("\ud800" <= char <= "\udfff" or unicodedata.category(char) == "Cc"
           for char in text):
        raise FieldError(BAD_CHARACTER)
    if len(text) < PASSWORD_MIN:
        raise FieldError(N_("Choose a password of at least 10 characters."))
    return text


def clean_skills(values: Iterable[str]) -> list[str]:
    """Known gestures only, in the catalogue's order, at least one."""
    chosen = set(values)
    unknown = chosen - set(CATEGORY_LABELS)
    if unknown:
        raise FieldError(N_("Pick gestures from the list."))
    skills = [str(skill) for skill in CATEGORY_LABELS if skill in chosen]
    if not skills:
        raise FieldError(N_("Pick at least one gesture you like doing."))
    return skills


def clean_availability(ticked: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """{"mon": ["morning"], ...} with known days and day parts only, in week order."""
    result: dict[str, list[str]] = {}
    for day in WEEKDAYS:
        parts = set(ticked.get(day, ()))
        if parts - set(DAY_PARTS):
            raise FieldError(N_("Pick times from the grid."))
        ordered = [part for part in DAY_PARTS if part in parts]
        if ordered:
            result[day] = ordered
    if set(ticked) - set(WEEKDAYS):
        raise FieldError(N_("Pick times from the grid."))
    return result


def clean_distance(value: str | None) -> float:
    """How far the volunteer goes, in km: one of the form's choices."""
    text = value.strip() if isinstance(value, str) else ""
    if text not in DISTANCE_CHOICES:
        raise FieldError(N_("Choose a distance from the list."))
    return float(text)


def status_after_pause(validated_at: datetime | None) -> VolunteerStatus:
    """The status of a paused volunteer coming back, whoever resumes them.

    Active only if a referent met them (validated), else still waiting for that
    interview.
    """
    return VolunteerStatus.ACTIVE if validated_at is not None else VolunteerStatus.PENDING
