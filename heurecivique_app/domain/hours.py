"""The monthly hour: which month time counts for, and progress against the pledge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.text import N_

PLEDGE_MINUTES = 60


def month_key(moment: datetime, timezone: str) -> str:
    """The local calendar month ("YYYY-MM") of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.year:04d}-{local.month:02d}"  # strftime cost more (stats_upkeep's rows)


@dataclass(frozen=True)
class MonthlyHour:
    """A volunteer's time given in one month, against the one-hour pledge."""

    month: str
    minutes: int

    @property
    def pledge_met(self) -> bool:
        """Whether the month holds at least the pledged hour."""
        return self.minutes >= PLEDGE_MINUTES

    @property
    def percent_of_pledge(self) -> int:
        """Progress towards the hour, capped at 100."""
        return min(100, round(100 * self.minutes / PLEDGE_MINUTES))


# The range of the time given for one mission, said in full where a field is wrong.
TIME_GIVEN_RANGE = N_("Time given must be between 15 minutes and 8 hours.")


def validate_minutes(minutes: int) -> int:
    """Minutes credited for one mission: between 15 minutes and 8 hours (a whole number)."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 15 <= minutes <= 480:
        raise DomainError(TIME_GIVEN_RANGE, field="minutes")
    return minutes
