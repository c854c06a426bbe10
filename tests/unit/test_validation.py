"""Form validators: each returns the clean value or raises a FieldError with a message id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heurecivique_app.domain.validation import (
    FieldError,
    french_phone,
    local_datetime,
    optional_text,
    required_text,
    whole_number,
)


@pytest.mark.parametrize(("raw", "e164"), [
    ("02 99 75 00 00", "+33299750000"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("06.12.34.56.78", "+33612345678"),
    ("  0612345678 ", "+33612345678"),
])
def test_french_phone_accepts_usual_forms(raw: str, e164: str) -> None:
    assert french_phone(raw) == e164


@pytest.mark.parametrize("raw", ["123", "abc", "02 99 75", "+33 6 12 34 56 78 90 12"])
def test_french_phone_rejects_garbage(raw: str) -> None:
    with pytest.raises(FieldError) as info:
        french_phone(raw)
    assert "02 99 75 00 00" in info.value.message  # the message shows an example


def test_french_phone_empty_is_none_unless_required() -> None:
    assert french_phone("") is None
    assert french_phone(None) is None
    with pytest.raises(FieldError, match="required"):
        french_phone("  ", required=True)


def test_required_and_optional_text() -> None:
    assert required_text("  Courses  ", max_length=20) == "Courses"
    with pytest.raises(FieldError, match="required"):
        required_text("   ", max_length=20)
    with pytest.raises(FieldError, match="too long"):
        required_text("x" * 21, max_length=20)
    assert optional_text(None, max_length=5) == ""
    with pytest.raises(FieldError, match="too long"):
        optional_text("x" * 6, max_length=5)


def test_whole_number() -> None:
    assert whole_number(" 45 ", low=15, high=480) == 45
    for bad in ("", "1.5", "soixante", None):
        with pytest.raises(FieldError, match="whole number"):
            whole_number(bad, low=15, high=480)
    with pytest.raises(FieldError, match="range"):
        whole_number("5", low=15, high=480)


def test_local_datetime_is_aware_and_follows_summer_time() -> None:
    winter = local_datetime("2026-01-15", "10:00", timezone="Europe/Paris")
    summer = local_datetime("2026-07-15", "10:00", timezone="Europe/Paris")
    assert winter.astimezone(UTC) == datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
    assert summer.astimezone(UTC) == datetime(2026, 7, 15, 8, 0, tzinfo=UTC)
    # No time given: 10:00 local by default.
    assert local_datetime("2026-01-15", "", timezone="Europe/Paris") == winter


@pytest.mark.parametrize(("day", "hour", "hint"), [
    ("", "10:00", "date"), ("31/01/2026", "10:00", "date"), ("2026-02-30", "10:00", "date"),
    ("2026-01-15", "25:00", "time"), ("2026-01-15", "midi", "time"),
])
def test_local_datetime_rejects_bad_input(day: str, hour: str, hint: str) -> None:
    with pytest.raises(FieldError, match=hint):
        local_datetime(day, hour, timezone="Europe/Paris")
