"""The monthly hour: month boundaries in local time, pledge progress, credited minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.hours import MonthlyHour, month_key, validate_minutes


@pytest.mark.parametrize(("moment", "timezone", "expected"), [
    # Paris is UTC+1 in winter: 23:30Z on 31 January is already February there.
    (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "Europe/Paris", "2026-02"),
    (datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "UTC", "2026-01"),
    (datetime(2026, 1, 31, 22, 59, tzinfo=UTC), "Europe/Paris", "2026-01"),
    # Summer time (UTC+2): 22:30Z on 30 June is 1 July in Paris, 21:30Z still June.
    (datetime(2026, 6, 30, 22, 30, tzinfo=UTC), "Europe/Paris", "2026-07"),
    (datetime(2026, 6, 30, 21, 30, tzinfo=UTC), "Europe/Paris", "2026-06"),
    # New year, and an overseas commune (Réunion, UTC+4).
    (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), "Europe/Paris", "2027-01"),
    (datetime(2026, 3, 31, 20, 30, tzinfo=UTC), "Indian/Reunion", "2026-04"),
])
def test_month_key_uses_the_local_calendar(moment: datetime, timezone: str,
                                           expected: str) -> None:
    assert month_key(moment, timezone) == expected


def test_month_key_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError):
        month_key(datetime(2026, 1, 31, 23, 30), "Europe/Paris")


@pytest.mark.parametrize(("minutes", "percent", "met"), [
    (0, 0, False), (1, 2, False), (30, 50, False), (45, 75, False), (59, 98, False),
    (60, 100, True), (90, 100, True), (480, 100, True),
])
def test_percent_of_pledge(minutes: int, percent: int, met: bool) -> None:
    hour = MonthlyHour(month="2026-02", minutes=minutes)
    assert hour.percent_of_pledge == percent
    assert hour.pledge_met is met


@pytest.mark.parametrize("minutes", [15, 60, 90, 480])
def test_validate_minutes_accepts_quarter_hour_to_eight_hours(minutes: int) -> None:
    assert validate_minutes(minutes) == minutes


@pytest.mark.parametrize("minutes", [-60, 0, 14, 481, 10_000])
def test_validate_minutes_refuses_out_of_range(minutes: int) -> None:
    with pytest.raises(DomainError) as info:
        validate_minutes(minutes)
    assert info.value.field == "minutes"
    assert "between 15 minutes and 8 hours" in info.value.message
