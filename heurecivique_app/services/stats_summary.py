"""The evaluation figures of whole months, read from the summary tables.

``domain/stats_summary.py`` says what the tables hold, ``stats_upkeep.py`` keeps
them. Each function here answers what its namesake of ``stats.py`` answers from
the raw rows, in the same shape, for the dashboards they can serve
(:func:`serves`): a period of whole months, no neighbourhood filter, the time
zone the summaries were built in. A neighbourhood is one commune's small share
of the rows, and a custom period may cut a month: those are read raw.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, literal_column, or_, select
from sqlalchemy.sql import Executable, Select
from sqlmodel import Session, SQLModel, col

from heurecivique_app.domain.hours import PLEDGE_MINUTES
from heurecivique_app.domain.stats import (
    RETENTION_OFFSETS,
    Period,
    Summary,
    add_months,
    summarise,
)
from heurecivique_app.domain.stats_summary import (
    ALL,
    SIGNED_UP,
    VALIDATED,
    StatsGiver,
    StatsMinutes,
    StatsMissionFact,
    StatsMissionMonth,
    StatsPeople,
    gave_after,
)
from heurecivique_app.services.stats_sql import Givers
from heurecivique_app.services.stats_upkeep import summary_timezone

# StatsMissionMonth's counters, in the order mission_counts reads them.
COUNTERS = ("created", "filled", "done", "cancelled", "expired", "checked", "present",
            "incidents", "b1", "b2", "b3", "b4", "b5", "v1", "v2", "v3", "v4", "v5")


def serves(session: Session, *, period: Period, neighbourhood_id: int | None,
           timezone: str) -> bool:
    """Whether the summaries give this dashboard's figures (see the module docstring)."""
    return (neighbourhood_id is None and period.start.day == 1 and period.end.day == 1
            and summary_timezone(session) == timezone)


class SummaryReader:
    """The summaries' rows of some communes' months, and one category or all."""

    def __init__(self, session: Session, ids: Sequence[int], months: Sequence[str],
                 category: str | None) -> None:
        self.session = session
        self.ids = list(ids)
        self.months = list(months)
        self.category = category

    def where(self, table: type[SQLModel]) -> list[ColumnElement[bool]]:
        """The scope's communes and the period's months."""
        commune = col(table.commune_id)  # type: ignore[attr-defined]
        return [commune == self.ids[0] if len(self.ids) == 1 else commune.in_(self.ids),
                col(table.month).in_(self.months)]  # type: ignore[attr-defined]

    def all(self, statement: Executable) -> Sequence[Any]:
        """Rows of plain values: Core, not the ORM (as ``stats._Reader.all``)."""
        return self.session.connection().execute(statement).all()

    def driver_rows(self, statement: Select[Any]) -> list[tuple[Any, ...]]:
        """The driver's own tuples, for a SQLite read of tens of thousands of values.

        Compiled by SQLAlchemy, fetched by sqlite3 itself: plain values that need no
        conversion (numbers, text) come back in about half the time of Result rows
        (bench/stats.py, a département's year of times to fill).
        """
        connection = self.session.connection()
        compiled = statement.compile(connection, compile_kwargs={"render_postcompile": True})
        params = [compiled.params[name] for name in compiled.positiontup or ()]
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return cursor.execute(str(compiled), params).fetchall()
        finally:
            cursor.close()


def mission_counts(r: SummaryReader) -> tuple[dict[str, list[int]], dict[int, list[int]],
                                             dict[str, int], dict[int, int], dict[int, int],
                                             int, int, int]:
    """What ``stats._counts``, the follow-ups and ``stats._attendance`` give.

    Returns:
        Per channel and per commune ``[created, filled, done, cancelled, expired]``;
        missions done by category; beneficiaries' and volunteers' scores; incidents;
        collective volunteers checked and present.
    """
    m = StatsMissionMonth
    sums = [func.sum(getattr(m, name)) for name in COUNTERS]
    by_channel: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    by_commune: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    done_by_category: dict[str, int] = defaultdict(int)
    totals = [0] * len(COUNTERS)
    # One read of both kinds of row: per channel (of every category, or the filter's)
    # for the counts, per category (every channel) for the gestures.
    per_channel = and_(m.category == (r.category or ALL), m.channel != ALL)
    per_category = and_(m.channel == ALL,
                        m.category == r.category if r.category else m.category != ALL)
    for commune, category, channel, *values in r.all(
            select(m.commune_id, m.category, m.channel, *sums)
            .where(*r.where(m), or_(per_channel, per_category))
            .group_by(m.commune_id, m.category, m.channel)):
        values = [int(v or 0) for v in values]
        if channel == ALL:
            done_by_category[category] += values[COUNTERS.index("done")]
            continue
        for i in range(5):
            by_channel[channel][i] += values[i]
            by_commune[commune][i] += values[i]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
    named = dict(zip(COUNTERS, totals, strict=True))
    done_by_category = {c: n for c, n in done_by_category.items() if n > 0}
    beneficiary = {score: named[f"b{score}"] for score in range(1, 6) if named[f"b{score}"]}
    volunteer = {score: named[f"v{score}"] for score in range(1, 6) if named[f"v{score}"]}
    return (by_channel, by_commune, done_by_category, beneficiary, volunteer,
            named["incidents"], named["checked"], named["present"])


def waits(r: SummaryReader) -> tuple[Summary, dict[str, Summary], int]:
    """What ``stats._waits`` gives, and the beneficiaries helped (a count).

    As there: PostgreSQL computes the percentiles (``percentile_cont``, the same
    interpolation as ``domain.stats.percentile``); SQLite hands the durations over,
    in one pass with the people helped.
    """
    f = StatsMissionFact
    where = r.where(f) + ([f.category == r.category] if r.category else [])
    if r.session.get_bind().dialect.name == "postgresql":
        # NULL (no volunteer yet) is left out by percentile_cont, not made 0 by greatest.
        hours = case((col(f.hours).is_not(None), func.greatest(f.hours, 0.0)))
        rows = r.all(select(f.channel, func.count(f.hours),
                            func.percentile_cont(0.5).within_group(hours),
                            func.percentile_cont(0.9).within_group(hours),
                            func.count(distinct(f.beneficiary_id)))
                     .where(*where).group_by(func.rollup(f.channel)))
        per_channel = {channel: Summary(int(n), median, p90)
                       for channel, n, median, p90, _ in rows if channel is not None and n}
        overall, helped = next(((Summary(int(n), median, p90), int(people))
                                for channel, n, median, p90, people in rows
                                if channel is None), (summarise([]), 0))
        return (overall if overall.count else summarise([])), per_channel, helped
    helped = r.all(select(func.count(distinct(f.beneficiary_id))).where(*where))[0][0]
    by_channel: dict[str, list[float]] = defaultdict(list)
    for channel, value in r.driver_rows(select(f.channel, f.hours)
                                        .where(*where, col(f.hours).is_not(None))):
        by_channel[channel].append(max(0.0, float(value)))
    return (summarise(h for values in by_channel.values() for h in values),
            {channel: summarise(values) for channel, values in by_channel.items()},
            int(helped))


def hours(r: SummaryReader) -> tuple[dict[str, dict[str, int]], dict[int, int], Givers]:
    """What ``stats._hours`` gives."""
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_commune: dict[int, int] = defaultdict(int)
    minutes = select(StatsMinutes.month, StatsMinutes.commune_id, StatsMinutes.category,
                     StatsMinutes.minutes).where(*r.where(StatsMinutes))
    if r.category:
        minutes = minutes.where(StatsMinutes.category == r.category)
    for month, commune, category, total in r.all(minutes):
        by_month[month][category] += int(total)
        by_commune[commune] += int(total)
    g = StatsGiver
    # Counted by the database: a département's year is ~20,000 volunteer-months.
    gave = [*r.where(g), g.category == (r.category or ALL), g.minutes >= PLEDGE_MINUTES]
    people = func.count(distinct(g.volunteer_id))
    if r.session.get_bind().dialect.name == "postgresql":  # one read: per month, per commune, all
        per_month, per_commune, total = {}, {}, 0
        for month, commune, n in r.all(
                select(g.month, g.commune_id, people).where(*gave)
                .group_by(func.grouping_sets(g.month, g.commune_id, literal_column("()")))):
            if month is not None:
                per_month[month] = int(n)
            elif commune is not None:
                per_commune[commune] = int(n)
            else:
                total = int(n)
        return by_month, by_commune, Givers(per_month, per_commune, total)
    per_month = {month: int(n) for month, n in r.all(
        select(g.month, people).where(*gave).group_by(g.month))}
    per_commune = {commune: int(n) for commune, n in r.all(
        select(g.commune_id, people).where(*gave).group_by(g.commune_id))}
    total = r.all(select(people).where(*gave))[0][0]
    return by_month, by_commune, Givers(per_month, per_commune, int(total))


def people(r: SummaryReader) -> tuple[tuple[dict[str, int], int],
                                      tuple[dict[str, int], dict[tuple[str, int], int],
                                            dict[int, int]]]:
    """What ``stats._enrolled`` and ``stats._cohorts`` give, in one read.

    Returns:
        Validated volunteers by each month's end and how many in the period; sign-ups
        per month, those who gave time N months later, sign-ups per commune.
    """
    p = StatsPeople
    commune = col(p.commune_id)
    scope = commune == r.ids[0] if len(r.ids) == 1 else commune.in_(r.ids)
    offsets = {gave_after(k): k for k in RETENTION_OFFSETS}
    validated = and_(p.measure == VALIDATED, p.month < add_months(r.months[-1], 1))
    cohorts = and_(col(p.measure).in_([SIGNED_UP, *offsets]), col(p.month).in_(r.months))
    before = 0
    during: dict[str, int] = {}
    signed: dict[str, int] = defaultdict(int)
    returned: dict[tuple[str, int], int] = defaultdict(int)
    per_commune: dict[int, int] = defaultdict(int)
    for town, month, measure, count in r.all(
            select(p.commune_id, p.month, p.measure, func.sum(p.volunteers))
            .where(scope, or_(validated, cohorts))
            .group_by(p.commune_id, p.month, p.measure)):
        count = int(count)
        if measure == VALIDATED and month < r.months[0]:
            before += count
        elif measure == VALIDATED:
            during[month] = during.get(month, 0) + count
        elif measure == SIGNED_UP:
            signed[month] += count
            per_commune[town] += count
        else:
            returned[(month, offsets[measure])] += count
    enrolled, running = {}, before
    for month in r.months:
        running += during.get(month, 0)
        enrolled[month] = running
    return (enrolled, sum(during.values())), (signed, returned, per_commune)
