"""Evaluation figures: periods, percentiles, distributions, the pledge and retention.

Pure arithmetic over rows the stats service read (``services/stats.py``): no
database, no reflex. Months are local calendar months ``"YYYY-MM"``, as the hour
ledger stores them (``domain.hours.month_key``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.hours import PLEDGE_MINUTES
from heurecivique_app.domain.text import N_

# Figures shown outside the commune's staff below this are shown as « moins de 5 ».
SMALL_COUNT = 5
# Months after sign-up at which retention is measured.
RETENTION_OFFSETS: tuple[int, ...] = (1, 3, 6)
# A custom period longer than this is refused (the dashboards read it at each change).
MAX_PERIOD_DAYS = 3 * 366

BAD_PERIOD = N_("Choose a period: a start date before its end date, at most three years.")


class PeriodKind(StrEnum):
    """How a dashboard's period is chosen."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Local calendar days ``[start, end)`` (end excluded)."""

    start: date
    end: date

    def months(self) -> list[str]:
        """Every local month ``"YYYY-MM"`` the period touches, in order."""
        first = self.start.year * 12 + self.start.month - 1
        last_day = date.fromordinal(self.end.toordinal() - 1)
        last = last_day.year * 12 + last_day.month - 1
        return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]

    def month_ends(self, timezone: str) -> list[tuple[str, datetime]]:
        """Each month of the period with its (excluded) last instant, aware UTC."""
        tz = ZoneInfo(timezone)
        ends = []
        for month in self.months():
            first = _month_start(int(month[:4]), int(month[5:7]) + 1)
            ends.append((month, datetime.combine(first, time(), tzinfo=tz).astimezone(UTC)))
        return ends

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The period's first and (excluded) last instant, aware UTC."""
        tz = ZoneInfo(timezone)
        return (datetime.combine(self.start, time(), tzinfo=tz).astimezone(UTC),
                datetime.combine(self.end, time(), tzinfo=tz).astimezone(UTC))


def _month_start(year: int, month: int) -> date:
    """The first day of a month given by a possibly overflowing month number."""
    index = year * 12 + month - 1
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, *, anchor: date, start: date | None = None,
              end: date | None = None) -> Period:
    """The period of ``kind`` holding ``anchor`` (custom: ``start`` to ``end`` included).

    Args:
        kind: a :class:`PeriodKind` value.
        anchor: a day inside the wanted month, quarter or year.
        start: the custom period's first day.
        end: the custom period's last day (included).

    Returns:
        The period, end excluded.

    Raises:
        DomainError: an unknown kind, or a custom period empty, reversed or too long.
    """
    if kind == PeriodKind.MONTH:
        first = date(anchor.year, anchor.month, 1)
        return Period(first, _month_start(anchor.year, anchor.month + 1))
    if kind == PeriodKind.QUARTER:
        month = 3 * ((anchor.month - 1) // 3) + 1
        return Period(date(anchor.year, month, 1), _month_start(anchor.year, month + 3))
    if kind == PeriodKind.YEAR:
        return Period(date(anchor.year, 1, 1), date(anchor.year + 1, 1, 1))
    if kind == PeriodKind.CUSTOM and start is not None and end is not None and (
            0 <= (end - start).days < MAX_PERIOD_DAYS):
        return Period(start, date.fromordinal(end.toordinal() + 1))
    raise DomainError(BAD_PERIOD, field="period")


def add_months(month: str, count: int) -> str:
    """The month ``count`` months after ``month`` (both ``"YYYY-MM"``)."""
    first = _month_start(int(month[:4]), int(month[5:7]) + count)
    return f"{first.year:04d}-{first.month:02d}"


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile by linear interpolation between ranks; None when empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    low, high, weight = percentile_ranks(len(ordered), q)
    return interpolate(ordered[low], ordered[high], weight)


def percentile_ranks(count: int, q: float) -> tuple[int, int, float]:
    """Where the ``q``-th percentile of ``count`` sorted values lies.

    Returns:
        The two ranks (from 0) it lies between, and the weight of the higher one.
    """
    rank = (count - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return low, high, rank - low


def interpolate(low: float, high: float, weight: float) -> float:
    """The value ``weight`` of the way from ``low`` to ``high``."""
    return low + (high - low) * weight


@dataclass(frozen=True)
class Summary:
    """How long something took: how many, median and 90th percentile (hours)."""

    count: int
    median: float | None
    p90: float | None


def summarise(hours: Iterable[float]) -> Summary:
    """The count, median and 90th percentile of durations in hours."""
    values = list(hours)
    return Summary(len(values), percentile(values, 50), percentile(values, 90))


@dataclass(frozen=True)
class Distribution:
    """Answers on the 1–5 satisfaction scale: how many gave each score, and the mean."""

    counts: tuple[int, int, int, int, int]

    @property
    def total(self) -> int:
        """How many answered."""
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        """The mean score, None with no answer."""
        if not self.total:
            return None
        return sum(score * n for score, n in enumerate(self.counts, start=1)) / self.total


def distribution(counts: Mapping[int, int]) -> Distribution:
    """The distribution of scores 1..5 from ``{score: count}`` (other keys ignored)."""
    return Distribution(tuple(counts.get(score, 0) for score in range(1, 6)))  # type: ignore[arg-type]


def active_by_month(minutes: Mapping[tuple[int, str], int]) -> dict[str, set[int]]:
    """Who kept the one-hour pledge each month, from ``{(volunteer, month): minutes}``."""
    active: dict[str, set[int]] = {}
    for (volunteer, month), total in minutes.items():
        if total >= PLEDGE_MINUTES:
            active.setdefault(month, set()).add(volunteer)
    return active


def pledge_share(active: Mapping[str, set[int]], enrolled: Mapping[str, int],
                 months: Iterable[str]) -> float | None:
    """The share of enrolled volunteers who gave their hour, over every month.

    Args:
        active: who gave at least an hour, per month.
        enrolled: how many validated volunteers the scope had at each month's end.
        months: the months of the period.

    Returns:
        Volunteer-months with the hour given / volunteer-months enrolled (0..1),
        None when no one was enrolled.
    """
    return pledge_share_of_counts({month: len(people) for month, people in active.items()},
                                  enrolled, months)


def pledge_share_of_counts(active: Mapping[str, int], enrolled: Mapping[str, int],
                           months: Iterable[str]) -> float | None:
    """:func:`pledge_share` from how many gave their hour each month."""
    given = enrolled_total = 0
    for month in months:
        enrolled_total += enrolled.get(month, 0)
        given += active.get(month, 0)
    if not enrolled_total:
        return None
    return min(1.0, given / enrolled_total)


@dataclass(frozen=True)
class RetentionRow:
    """One sign-up month: how many signed up, and the share still giving time later."""

    month: str
    signed_up: int
    # One per RETENTION_OFFSETS: the share who gave time that many months later,
    # None while that month has not ended yet.
    shares: tuple[float | None, ...]


def retention(cohort: Mapping[int, str], gave: Mapping[int, set[str]], *,
              current_month: str, offsets: tuple[int, ...] = RETENTION_OFFSETS
              ) -> list[RetentionRow]:
    """Retention by month of sign-up.

    Args:
        cohort: each volunteer's sign-up month.
        gave: the months each volunteer gave any time in.
        current_month: the month in progress (later months are not known yet).
        offsets: months after sign-up to look at.

    Returns:
        One row per sign-up month, oldest first.
    """
    signed, returned = cohort_counts(cohort, gave, offsets)
    return retention_rows(signed, returned, current_month=current_month, offsets=offsets)


def cohort_counts(cohort: Mapping[int, str], gave: Mapping[int, set[str]],
                  offsets: tuple[int, ...] = RETENTION_OFFSETS
                  ) -> tuple[dict[str, int], dict[tuple[str, int], int]]:
    """How many signed up each month, and how many of them gave time ``offset`` months later.

    Returns:
        ``{month: signed up}`` and ``{(month, offset): gave time then}``.
    """
    signed: dict[str, int] = {}
    returned: dict[tuple[str, int], int] = {}
    for volunteer, month in cohort.items():
        signed[month] = signed.get(month, 0) + 1
        for offset in offsets:
            if add_months(month, offset) in gave.get(volunteer, ()):
                returned[(month, offset)] = returned.get((month, offset), 0) + 1
    return signed, returned


def retention_rows(signed: Mapping[str, int], returned: Mapping[tuple[str, int], int], *,
                   current_month: str, offsets: tuple[int, ...] = RETENTION_OFFSETS
                   ) -> list[RetentionRow]:
    """Retention by month of sign-up from counts (see :func:`cohort_counts`), oldest first."""
    rows = []
    for month in sorted(m for m, n in signed.items() if n):
        people = signed[month]
        shares: list[float | None] = []
        for offset in offsets:
            if add_months(month, offset) >= current_month:
                shares.append(None)
            else:
                shares.append(returned.get((month, offset), 0) / people)
        rows.append(RetentionRow(month, people, tuple(shares)))
    return rows


def ratio(part: int, whole: int) -> float | None:
    """``part / whole``, None when ``whole`` is 0."""
    return part / whole if whole else None
