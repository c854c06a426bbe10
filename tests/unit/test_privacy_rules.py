"""Pure rules of personal data's lifecycle (domain.privacy) and the purge's schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.privacy import (
    age_on,
    inactive_before,
    initials,
    mission_closed_at,
)
from heurecivique_app.jobs.kinds import RETENTION_PURGE, next_purge


@pytest.mark.parametrize(("name", "expected"), [
    ("Mme Jeanne Le Goff", "J. L. G."), ("Marcel Bouvier", "M. B."),
    ("Anne-Marie d'Aubigné", "A. M. D. A."), ("", "—"), ("M.", "—"),
])
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_a_mission_is_over_at_the_later_of_its_end_and_its_last_change() -> None:
    start = datetime(2026, 12, 1, 10, tzinfo=UTC)
    end = start + timedelta(minutes=90)
    assert mission_closed_at(MissionStatus.OPEN, start, 90, start) is None
    assert mission_closed_at(MissionStatus.FULL, start, 90, end) is None
    assert mission_closed_at(MissionStatus.DONE, start, 90, start) == end
    cancelled_later = end + timedelta(days=3)
    assert mission_closed_at(MissionStatus.CANCELLED, start, 90, cancelled_later) == \
        cancelled_later
    assert mission_closed_at(MissionStatus.EXPIRED, start, 90, start) == end


def test_ages_and_inactivity() -> None:
    assert age_on(date(2012, 3, 1), date(2027, 2, 28)) == 14
    assert age_on(date(2012, 3, 1), date(2027, 3, 1)) == 15
    now = datetime(2026, 12, 4, tzinfo=UTC)
    assert now - inactive_before(now, 24) == timedelta(days=731)


def test_the_purge_runs_at_three_at_night_local_one_key_per_day() -> None:
    paris = ZoneInfo("Europe/Paris")
    due, key = next_purge(datetime(2026, 12, 4, 1, 0, tzinfo=paris), "Europe/Paris")
    assert (due, key) == (datetime(2026, 12, 4, 3, 0, tzinfo=paris),
                          f"{RETENTION_PURGE}:2026-12-04")
    due, key = next_purge(datetime(2026, 12, 4, 3, 0, tzinfo=paris), "Europe/Paris")
    assert key == f"{RETENTION_PURGE}:2026-12-05"
