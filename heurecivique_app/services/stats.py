"""Evaluation figures of one commune, or of a département and each of its communes.

Read only, and aggregated in the database (GROUP BY) so that a year of a
département is a handful of queries whatever its size; the arithmetic that SQL
does badly (percentiles, the pledge, retention) is ``domain/stats.py``.

Who sees what: the staff of a commune see their commune; the département's
coordinator (``Role.DEPARTEMENT_ADMIN``) sees every commune of their
département, one by one or compared. Anyone else gets ``NotFound`` for a
commune's figures, as for any id of another commune. The small-count rule
(« moins de 5 ») is the presenter's (``presenters/stats.py``): ``StatsScope``
says whether the viewer is the commune's own staff.

What each figure counts:

- volunteers *signed up*: accounts of volunteers and relays created in the
  period; *validated*: met by a referent in the period; *active*: gave at least
  the pledged hour in one month of the period (hours of the scope's missions);
- *pledge share*: volunteer-months with the hour given / validated
  volunteer-months (validated by each month's end);
- *retention*: of those who signed up in each month, the share who gave any time
  1, 3 and 6 months later;
- *hours*: the ledger's minutes of the period's months, by the mission's category;
- *missions*: those created in the period (drafts aside) and what became of
  them: *filled* (a volunteer accepted), *done* (done or closed), *cancelled*,
  *expired*; *time to find a volunteer*: creation to the first accepted
  participation still standing, in hours, by intake channel;
- *beneficiaries helped*: distinct beneficiaries of the period's missions done;
- *satisfaction* and *incidents*: the follow-ups of the period's missions;
- *relay reports*: created in the period, by category; *time to an answer*:
  creation to the referent's triage (its last update), in hours;
- *attendance*: of the period's collective actions' volunteers checked on the
  day, the share present;
- *gestures most given*: categories by missions done.

The neighbourhood filter applies to missions, reports and to volunteers by
their home neighbourhood; the category filter to missions and reports only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, case, distinct, func, literal_column, or_
from sqlalchemy.sql import Executable
from sqlmodel import Session, col, select

from heurecivique_app.domain.community import (
    IssueCategory,
    RelayReport,
    ReportStatus,
    SuccessStory,
)
from heurecivique_app.domain.enums import (
    CATEGORY_LABELS,
    MANY_COMMUNE_ROLES,
    VOLUNTEER_ROLES,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.hours import PLEDGE_MINUTES, month_key
from heurecivique_app.domain.models import (
    Commune,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.stats import (
    BAD_PERIOD,
    Distribution,
    Period,
    PeriodKind,
    RetentionRow,
    Summary,
    cohort_counts,
    distribution,
    period_of,
    pledge_share_of_counts,
    ratio,
    retention_rows,
    summarise,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_id
from heurecivique_app.services import stats_summary
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.stats_sql import (
    DONE_STATUSES,
    FILLED_STATUSES,
    Givers,
    hours_between,
)

UNKNOWN_CATEGORY = N_("Pick a category from the list.")


@dataclass(frozen=True)
class StatsFilter:
    """What the dashboard looks at: a period, and optionally one neighbourhood or category."""

    period: Period
    neighbourhood_id: int | None = None
    category: str | None = None


@dataclass(frozen=True)
class StatsScope:
    """The communes a figure covers, and whether the viewer is their own staff."""

    kind: str  # "commune" or "departement"
    departement_id: int
    commune_ids: tuple[int, ...]
    names: dict[int, str]
    own_staff: bool


@dataclass(frozen=True)
class ChannelRow:
    """Missions of one intake channel: fill rate and time to find a volunteer."""

    channel: str
    created: int
    filled: int
    fill_rate: float | None
    time_to_fill: Summary


@dataclass(frozen=True)
class MonthRow:
    """One month: minutes given by category, and volunteers who gave their hour."""

    month: str
    minutes_by_category: dict[str, int]
    active: int

    @property
    def minutes(self) -> int:
        """Every minute of the month."""
        return sum(self.minutes_by_category.values())


@dataclass(frozen=True)
class CommuneRow:
    """One commune in the département's comparison."""

    commune_id: int
    name: str
    minutes: int = 0
    volunteers_active: int = 0
    volunteers_signed_up: int = 0
    missions_created: int = 0
    missions_filled: int = 0

    @property
    def fill_rate(self) -> float | None:
        """Filled / created."""
        return ratio(self.missions_filled, self.missions_created)


@dataclass(frozen=True)
class GestureRow:
    """A category of help, by missions done."""

    category: str
    missions_done: int


@dataclass(frozen=True)
class StatsReport:
    """Every figure of one scope and filter (see the module docstring)."""

    scope: StatsScope
    filters: StatsFilter
    volunteers_signed_up: int
    volunteers_validated: int
    volunteers_active: int
    pledge_share: float | None
    retention: list[RetentionRow]
    months: list[MonthRow]
    missions_created: int
    missions_filled: int
    missions_done: int
    missions_cancelled: int
    missions_expired: int
    channels: list[ChannelRow]
    time_to_fill: Summary
    beneficiaries_helped: int
    beneficiary_satisfaction: Distribution
    volunteer_satisfaction: Distribution
    incidents: int
    reports_by_category: dict[str, int]
    report_answer: Summary
    attendance_checked: int
    attendance_present: int
    gestures: list[GestureRow]
    communes: list[CommuneRow] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        """Every minute given in the period."""
        return sum(row.minutes for row in self.months)

    @property
    def fill_rate(self) -> float | None:
        """Missions filled / created."""
        return ratio(self.missions_filled, self.missions_created)

    @property
    def attendance_rate(self) -> float | None:
        """Present / checked at collective actions."""
        return ratio(self.attendance_present, self.attendance_checked)

    @property
    def minutes_by_category(self) -> dict[str, int]:
        """Minutes of the whole period by category, largest first."""
        totals: dict[str, int] = defaultdict(int)
        for row in self.months:
            for category, minutes in row.minutes_by_category.items():
                totals[category] += minutes
        return dict(sorted(totals.items(), key=lambda item: -item[1]))


# -- who may see what ---------------------------------------------------------


def _departement_of(session: Session, commune_id: int) -> int | None:
    return session.exec(select(Commune.departement_id).where(Commune.id == commune_id)).first()


def _communes(session: Session, departement_id: int) -> dict[int, str]:
    rows = session.exec(select(Commune.id, Commune.name)
                        .where(Commune.departement_id == departement_id)
                        .order_by(Commune.name)).all()
    return {cid: name for cid, name in rows if cid is not None}


def commune_scope(session: Session, *, actor: Actor, commune_id: int) -> StatsScope:
    """One commune's figures: for its staff, or its département's coordinator.

    Raises:
        NotFound: anyone else, or a commune that does not exist.
    """
    found = session.exec(select(Commune.departement_id, Commune.name)
                         .where(Commune.id == commune_id)).first()
    if found is None:
        raise NotFound()
    departement_id, name = found
    # Small counts are shown as such to the commune's own staff only (presenters/stats.py).
    own = actor.is_staff and actor.home_commune_id == commune_id
    if not actor.runs(commune_id):
        raise NotFound()
    return StatsScope("commune", departement_id, (commune_id,), {commune_id: name}, own)


def departement_scope(session: Session, *, actor: Actor) -> StatsScope:
    """Every commune of the coordinator's département.

    A platform administrator: the département of the commune they work on.

    Raises:
        NotFound: the actor is neither.
    """
    departement_id = _departement_of(session, actor.commune_id)
    if actor.role not in MANY_COMMUNE_ROLES or departement_id is None:
        raise NotFound()
    names = _communes(session, departement_id)
    return StatsScope("departement", departement_id, tuple(names), names, False)


def check_filter(session: Session, scope: StatsScope, filters: StatsFilter) -> None:
    """The neighbourhood must be one of the scope's, the category one of the lists'.

    Raises:
        NotFound: a neighbourhood of another commune (or none).
        DomainError: an unknown category.
    """
    if filters.neighbourhood_id is not None:
        town = session.exec(select(Neighbourhood.commune_id)
                            .where(Neighbourhood.id == filters.neighbourhood_id)).first()
        if town not in scope.commune_ids:
            raise NotFound()
    known = set(CATEGORY_LABELS) | {c.value for c in IssueCategory}
    if filters.category is not None and filters.category not in known:
        raise DomainError(UNKNOWN_CATEGORY, field="category")


# -- the reads ----------------------------------------------------------------


class _Reader:
    """The queries of one scope and filter, sharing their WHERE clauses."""

    def __init__(self, session: Session, scope: StatsScope, filters: StatsFilter,
                 timezone: str) -> None:
        self.session = session
        self.ids = list(scope.commune_ids)
        self.filters = filters
        self.timezone = timezone
        self.start, self.end = filters.period.bounds(timezone)
        self.months = filters.period.months()
        self.month_ends = filters.period.month_ends(timezone)
        self.sqlite_departement = (len(self.ids) > 1
                                   and session.get_bind().dialect.name == "sqlite")

    def in_scope(self, commune: ColumnElement[Any]) -> ColumnElement[bool]:
        if len(self.ids) == 1:
            return commune == self.ids[0]
        return self.plain(commune).in_(self.ids)

    def month_of(self, moment: ColumnElement[Any]) -> ColumnElement[str]:
        """The local month ``"YYYY-MM"`` of an instant of the period, by the database.

        Computed from the months' UTC bounds: no time zone in SQL, no date parsed here.
        """
        return case(*[(moment < end, month) for month, end in self.month_ends], else_=None)

    def mission_filter(self) -> list[ColumnElement[bool]]:
        where = [self.in_scope(col(Mission.commune_id))]
        if self.filters.neighbourhood_id is not None:
            where.append(Mission.neighbourhood_id == self.filters.neighbourhood_id)
        if self.filters.category is not None:
            where.append(Mission.category == self.filters.category)
        return where

    def created_missions(self) -> list[ColumnElement[bool]]:
        return [*self.mission_filter(), Mission.created_at >= self.start,
                Mission.created_at < self.end, Mission.status != MissionStatus.DRAFT.value]

    def volunteers(self) -> list[ColumnElement[bool]]:
        where = [self.in_scope(col(User.commune_id)),
                 col(User.role).in_([r.value for r in VOLUNTEER_ROLES])]
        if self.filters.neighbourhood_id is not None:
            where.append(User.neighbourhood_id == self.filters.neighbourhood_id)
        return where

    def plain(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        """``column``, kept off its indexes when the scope holds most missions.

        A département on SQLite: the planner would otherwise walk an index (the
        commune's to group without sorting, the status's for ``IN``) and fetch every
        row through it, several times slower than one pass (bench/stats.py). ``+ 0``
        and ``|| ''`` change no value and use no index.
        """
        if not self.sqlite_departement:
            return column
        if isinstance(column.type, Integer):
            return column + literal_column("0")
        return column.op("||")(literal_column("''"))

    def all(self, statement: Executable) -> Sequence[Any]:
        # Core, not the ORM: rows of plain values, without the ORM's per-row loading.
        return self.session.connection().execute(statement).all()


@dataclass
class _MissionTally:
    """The period's missions, added up by the database (see :func:`_missions`)."""

    # Per channel and per commune: [created, filled, done, cancelled, expired].
    by_channel: dict[str, list[int]]
    by_commune: dict[int, list[int]]
    time_to_fill: Summary
    channel_waits: dict[str, Summary]
    done_by_category: dict[str, int]
    helped: int
    beneficiary_scores: dict[int, int]
    volunteer_scores: dict[int, int]
    incidents: int


def _counts(r: _Reader) -> tuple[dict[str, list[int]], dict[int, list[int]]]:
    filled = or_(Mission.accepted_count > 0, col(Mission.status).in_(FILLED_STATUSES))
    commune = r.plain(col(Mission.commune_id))
    rows = r.all(select(commune, Mission.channel, Mission.status,
                        func.sum(case((filled, 1), else_=0)), func.count())
                 .where(*r.created_missions())
                 .group_by(commune, Mission.channel, Mission.status))
    by_channel: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    by_commune: dict[int, list[int]] = defaultdict(lambda: [0] * 5)
    for commune_id, channel, status, filled_count, count in rows:
        for totals in (by_channel[channel], by_commune[commune_id]):
            totals[0] += count
            totals[1] += int(filled_count or 0)
            totals[2] += count if status in DONE_STATUSES else 0
            totals[3] += count if status == MissionStatus.CANCELLED else 0
            totals[4] += count if status == MissionStatus.EXPIRED else 0
    return by_channel, by_commune


def _waits(r: _Reader) -> tuple[Summary, dict[str, Summary]]:
    """Time to find a volunteer: hours from creation to the first standing acceptance.

    PostgreSQL computes the percentiles itself (``percentile_cont``: the same linear
    interpolation as ``domain.stats.percentile``); SQLite, which has none, hands the
    durations over.
    """
    first = func.min(Participation.created_at)
    accepted = Participation.status == ParticipationStatus.ACCEPTED.value
    if len(r.ids) == 1:
        # A commune's few hundred missions: each one's first acceptance looked up by the
        # participation index (a join would read every participation: 2 to 3 times slower).
        lookup = (select(first).where(Participation.mission_id == Mission.id, accepted)
                  .correlate(Mission).scalar_subquery())
        hours = hours_between(r.session, lookup, col(Mission.created_at))
        filled = (select(Mission.channel.label("channel"), hours.label("hours"))
                  .where(*r.created_missions())).subquery()
        waits = select(filled).where(filled.c.hours.is_not(None)).subquery()
    else:
        waits = (select(Mission.channel.label("channel"),
                        hours_between(r.session, first, col(Mission.created_at))
                        .label("hours"))
                 .join(Participation, Participation.mission_id == Mission.id)
                 .where(*r.created_missions(), accepted)
                 .group_by(Mission.id, Mission.channel, Mission.created_at)).subquery()
    if r.session.get_bind().dialect.name == "postgresql":
        hours = func.greatest(waits.c.hours, 0.0)
        rows = r.all(select(waits.c.channel, func.count(),
                            func.percentile_cont(0.5).within_group(hours),
                            func.percentile_cont(0.9).within_group(hours))
                     .group_by(func.rollup(waits.c.channel)))
        per_channel = {channel: Summary(int(n), median, p90)
                       for channel, n, median, p90 in rows if channel is not None}
        overall = next((Summary(int(n), median, p90) for channel, n, median, p90 in rows
                        if channel is None), summarise([]))
        return overall, per_channel
    by_channel: dict[str, list[float]] = defaultdict(list)
    for channel, value in r.all(select(waits.c.channel, waits.c.hours)):
        by_channel[channel].append(max(0.0, float(value)))
    return (summarise(h for values in by_channel.values() for h in values),
            {channel: summarise(values) for channel, values in by_channel.items()})


def _missions(r: _Reader) -> _MissionTally:
    """The period's missions, each figure aggregated by the database (a few rows each)."""
    by_channel, by_commune = _counts(r)
    overall, per_channel = _waits(r)
    done = [*r.created_missions(), r.plain(col(Mission.status)).in_(DONE_STATUSES)]
    by_category = {c: int(n) for c, n in r.all(
        select(Mission.category, func.count()).where(*done).group_by(Mission.category))}
    helped = r.all(select(func.count(distinct(Mission.beneficiary_id)))
                   .where(*done, col(Mission.beneficiary_id).is_not(None)))[0][0]
    incident = case((MissionFollowUp.incident != "", 1), else_=0)
    beneficiary: dict[int, int] = defaultdict(int)
    volunteer: dict[int, int] = defaultdict(int)
    incidents = 0
    for bs, vs, with_incident, count in r.all(
            select(MissionFollowUp.beneficiary_satisfaction,
                   MissionFollowUp.volunteer_satisfaction, func.sum(incident), func.count())
            .join(Mission, Mission.id == MissionFollowUp.mission_id)
            .where(*r.created_missions())
            .group_by(MissionFollowUp.beneficiary_satisfaction,
                      MissionFollowUp.volunteer_satisfaction)):
        if bs is not None:
            beneficiary[int(bs)] += count
        if vs is not None:
            volunteer[int(vs)] += count
        incidents += int(with_incident or 0)
    return _MissionTally(by_channel, by_commune, overall, per_channel, by_category,
                         int(helped), beneficiary, volunteer, incidents)


def _hours(r: _Reader) -> tuple[dict[str, dict[str, int]], dict[int, int], Givers]:
    """The ledger of the period, aggregated by the database.

    Returns:
        Minutes per month and category; per commune; how many gave at least the
        pledged hour (to one commune's missions) each month, per commune and in all.
    """
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_commune: dict[int, int] = defaultdict(int)
    for month, commune_id, category, total in r.all(
            select(HourEntry.month, Mission.commune_id, Mission.category,
                   func.sum(HourEntry.minutes))
            .join(Mission, Mission.id == HourEntry.mission_id)
            .where(col(HourEntry.month).in_(r.months), *r.mission_filter())
            .group_by(HourEntry.month, Mission.commune_id, Mission.category)):
        by_month[month][category] += int(total)
        by_commune[commune_id] += int(total)
    active: dict[str, set[int]] = defaultdict(set)
    active_in: dict[int, set[int]] = defaultdict(set)
    for volunteer, month, commune_id in r.all(
            select(HourEntry.volunteer_id, HourEntry.month, Mission.commune_id)
            .join(Mission, Mission.id == HourEntry.mission_id)
            .where(col(HourEntry.month).in_(r.months), *r.mission_filter())
            .group_by(HourEntry.volunteer_id, HourEntry.month, Mission.commune_id)
            .having(func.sum(HourEntry.minutes) >= PLEDGE_MINUTES)):
        active[month].add(volunteer)
        active_in[commune_id].add(volunteer)
    return by_month, by_commune, Givers.of(active, active_in)


def _enrolled(r: _Reader) -> tuple[dict[str, int], int]:
    """Validated volunteers at each month's end; how many were validated in the period."""
    # One pass: "" for those validated before the period, else the month of it.
    month = case((col(VolunteerProfile.validated_at) < r.start, ""),
                 else_=r.month_of(col(VolunteerProfile.validated_at)))
    during: dict[str, int] = defaultdict(int)
    for key, count in r.all(
            select(month, func.count())
            .join(User, VolunteerProfile.user_id == User.id)
            .where(*r.volunteers(), col(VolunteerProfile.validated_at).is_not(None),
                   col(VolunteerProfile.validated_at) < r.end)
            .group_by(month)):
        during[key] += int(count)
    before = during.pop("", 0)
    enrolled, running = {}, int(before)
    for month in r.months:
        running += during.get(month, 0)
        enrolled[month] = running
    return enrolled, sum(during.values())


def _cohorts(r: _Reader) -> tuple[dict[int, str], dict[int, set[str]], dict[int, int]]:
    """Sign-up month of each volunteer of the period, the months they gave, per commune."""
    signed = r.session.connection().execute(
        select(User.id, r.month_of(col(User.created_at)), User.commune_id)
        .where(*r.volunteers(), User.created_at >= r.start, User.created_at < r.end)).all()
    cohort = {uid: month for uid, month, _ in signed}
    per_commune: dict[int, int] = defaultdict(int)
    for _, _, commune_id in signed:
        per_commune[commune_id] += 1
    gave: dict[int, set[str]] = defaultdict(set)
    if cohort:
        # From each volunteer to their entries (the volunteer index), never by month.
        rows = r.all(select(HourEntry.volunteer_id, HourEntry.month).distinct()
                     .join(User, User.id == HourEntry.volunteer_id)
                     .where(*r.volunteers(), User.created_at >= r.start,
                            User.created_at < r.end))
        for volunteer, month in rows:
            gave[volunteer].add(month)
    return cohort, gave, per_commune


def _reports(r: _Reader) -> tuple[dict[str, int], Summary]:
    where = [r.in_scope(col(RelayReport.commune_id)), RelayReport.created_at >= r.start,
             RelayReport.created_at < r.end]
    if r.filters.neighbourhood_id is not None:
        where.append(RelayReport.neighbourhood_id == r.filters.neighbourhood_id)
    if r.filters.category is not None:
        where.append(RelayReport.category == r.filters.category)
    counts: dict[str, int] = defaultdict(int)
    answered = []
    for category, status, hours in r.all(
            select(RelayReport.category, RelayReport.status,
                   hours_between(r.session, col(RelayReport.updated_at),
                                  col(RelayReport.created_at))).where(*where)):
        counts[category] += 1
        if status != ReportStatus.NEW:
            answered.append(max(0.0, float(hours)))
    return (dict(sorted(counts.items(), key=lambda kv: -kv[1])), summarise(answered))


def _attendance(r: _Reader) -> tuple[int, int]:
    rows = r.all(select(Participation.attended, func.count())
                 .join(Mission, Mission.id == Participation.mission_id)
                 .where(*r.created_missions(), Mission.kind == MissionKind.COLLECTIVE.value,
                        Participation.status == ParticipationStatus.ACCEPTED.value,
                        col(Participation.attended).is_not(None))
                 .group_by(Participation.attended))
    counts = {bool(attended): int(n) for attended, n in rows}
    return counts.get(True, 0) + counts.get(False, 0), counts.get(True, 0)


@dataclass
class _Found:
    """What :func:`compute` adds up, read from the raw rows or from the summaries."""

    tally: _MissionTally
    hours: tuple[dict[str, dict[str, int]], dict[int, int], Givers]
    enrolled: tuple[dict[str, int], int]
    # Sign-ups per month, those who gave time N months later, sign-ups per commune.
    cohorts: tuple[dict[str, int], dict[tuple[str, int], int], dict[int, int]]
    attendance: tuple[int, int]


def _raw(r: _Reader) -> _Found:
    cohort, gave, per_commune = _cohorts(r)
    signed, returned = cohort_counts(cohort, gave)
    return _Found(_missions(r), _hours(r), _enrolled(r), (signed, returned, per_commune),
                  _attendance(r))


def _summarised(r: _Reader) -> _Found:
    """The same, from the summary tables (``services/stats_summary.py``)."""
    s = stats_summary.SummaryReader(r.session, r.ids, r.months, r.filters.category)
    (by_channel, by_commune, done_by_category, beneficiary, volunteer, incidents, checked,
     present) = stats_summary.mission_counts(s)
    overall, per_channel, helped = stats_summary.waits(s)
    tally = _MissionTally(by_channel, by_commune, overall, per_channel, done_by_category,
                          helped, beneficiary, volunteer, incidents)
    enrolled, cohorts = stats_summary.people(s)
    return _Found(tally, stats_summary.hours(s), enrolled, cohorts, (checked, present))


def compute(session: Session, *, scope: StatsScope, filters: StatsFilter, timezone: str,
            now: datetime | None = None) -> StatsReport:
    """Every figure of a scope already allowed (see :func:`commune_stats`).

    Args:
        session: a read session.
        scope: the communes covered (from :func:`commune_scope` or :func:`departement_scope`).
        filters: period, neighbourhood, category.
        timezone: the communes' time zone (local months and days).
        now: the present, for retention (the month in progress is not counted).

    Returns:
        The report.
    """
    r = _Reader(session, scope, filters, timezone)
    summarised = stats_summary.serves(session, period=filters.period,
                                      neighbourhood_id=filters.neighbourhood_id,
                                      timezone=timezone)
    found = _summarised(r) if summarised else _raw(r)
    tally = found.tally
    by_channel, by_commune = tally.by_channel, tally.by_commune
    month_minutes, commune_minutes, givers = found.hours
    enrolled, validated = found.enrolled
    signed, returned, signed_in = found.cohorts
    reports, answer = _reports(r)
    checked, present = found.attendance
    gestures = sorted((GestureRow(c, n) for c, n in tally.done_by_category.items()),
                      key=lambda g: (-g.missions_done, g.category))
    totals = [sum(values[i] for values in by_channel.values()) for i in range(5)]
    channels = [ChannelRow(channel, values[0], values[1], ratio(values[1], values[0]),
                           tally.channel_waits.get(channel, summarise([])))
                for channel, values in sorted(by_channel.items())]
    communes = [CommuneRow(cid, name, commune_minutes.get(cid, 0), givers.per_commune.get(cid, 0),
                           signed_in.get(cid, 0), by_commune.get(cid, [0, 0])[0],
                           by_commune.get(cid, [0, 0])[1])
                for cid, name in scope.names.items()] if scope.kind == "departement" else []
    return StatsReport(
        scope=scope, filters=filters,
        volunteers_signed_up=sum(signed.values()), volunteers_validated=validated,
        volunteers_active=givers.total,
        pledge_share=pledge_share_of_counts(givers.per_month, enrolled, r.months),
        retention=retention_rows(signed, returned,
                                 current_month=month_key(now or utcnow(), timezone)),
        months=[MonthRow(m, dict(sorted(month_minutes.get(m, {}).items())),
                         givers.per_month.get(m, 0)) for m in r.months],
        missions_created=totals[0], missions_filled=totals[1], missions_done=totals[2],
        missions_cancelled=totals[3], missions_expired=totals[4],
        channels=channels, time_to_fill=tally.time_to_fill,
        beneficiaries_helped=tally.helped,
        beneficiary_satisfaction=distribution(tally.beneficiary_scores),
        volunteer_satisfaction=distribution(tally.volunteer_scores), incidents=tally.incidents,
        reports_by_category=reports, report_answer=answer,
        attendance_checked=checked, attendance_present=present,
        gestures=gestures, communes=communes,
    )


def commune_stats(session: Session, *, actor: Actor, commune_id: int, filters: StatsFilter,
                  timezone: str, now: datetime | None = None) -> StatsReport:
    """One commune's figures, for its staff or its département's coordinator.

    Raises:
        NotFound: anyone else; a neighbourhood of another commune.
        DomainError: an unknown category.
    """
    scope = commune_scope(session, actor=actor, commune_id=commune_id)
    check_filter(session, scope, filters)
    return compute(session, scope=scope, filters=filters, timezone=timezone, now=now)


def departement_stats(session: Session, *, actor: Actor, filters: StatsFilter,
                      timezone: str, now: datetime | None = None) -> StatsReport:
    """The département's figures with one comparison row per commune (coordinator only).

    Raises:
        NotFound: the actor is not a département coordinator; a foreign neighbourhood.
        DomainError: an unknown category.
    """
    scope = departement_scope(session, actor=actor)
    check_filter(session, scope, filters)
    return compute(session, scope=scope, filters=filters, timezone=timezone, now=now)


@dataclass(frozen=True)
class StatsQuery:
    """A dashboard's query string, checked: whose figures and which filter."""

    departement: bool
    commune_id: int | None
    filters: StatsFilter

    def as_query(self) -> dict[str, str]:
        """The query string that gives this query back (links, CSV downloads)."""
        period = self.filters.period
        query = {"scope": "departement" if self.departement else "commune",
                 "start": period.start.isoformat(),
                 "end": date.fromordinal(period.end.toordinal() - 1).isoformat()}
        if self.commune_id is not None:
            query["commune"] = str(self.commune_id)
        if self.filters.neighbourhood_id is not None:
            query["n"] = str(self.filters.neighbourhood_id)
        if self.filters.category:
            query["category"] = self.filters.category
        return query


def parse_query(data: Mapping[str, object], *, today: date) -> StatsQuery:
    """Whose figures and which filter, from a page's vars or a query string.

    Keys: ``scope`` (``commune``/``departement``), ``commune`` (an id, for the
    coordinator), ``period`` (a :class:`PeriodKind`, default the year) around
    ``anchor`` (a day, default ``today``), or ``start``/``end`` (days, both
    included) for a custom period; ``n`` a neighbourhood id; ``category``.
    Anything not understood is refused rather than silently widened.

    Raises:
        DomainError: a bad period, id or category.
    """
    def text(name: str) -> str:
        value = data.get(name)
        return value.strip()[:40] if isinstance(value, str) else ""

    def day(name: str) -> date | None:
        value = text(name)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DomainError(BAD_PERIOD, field="period") from None

    def identifier(name: str) -> int | None:
        value = text(name)
        if not value:
            return None
        found = form_id(value)
        if found is None:
            raise NotFound()
        return found

    start, end = day("start"), day("end")
    kind = text("period") or (PeriodKind.CUSTOM if start and end else PeriodKind.YEAR)
    if kind not in {k.value for k in PeriodKind}:
        raise DomainError(BAD_PERIOD, field="period")
    period = period_of(kind, anchor=day("anchor") or today, start=start, end=end)
    category = text("category") or None
    return StatsQuery(text("scope") == "departement", identifier("commune"),
                      StatsFilter(period, identifier("n"), category))


def for_query(session: Session, *, actor: Actor, query: StatsQuery, timezone: str,
              now: datetime | None = None) -> StatsReport:
    """The figures a dashboard's query asks for: the département's, or one commune's.

    The commune is the actor's own unless a coordinator names another of their
    département.

    Raises:
        NotFound: figures the actor may not see.
        DomainError: an unknown category.
    """
    if query.departement:
        return departement_stats(session, actor=actor, filters=query.filters,
                                 timezone=timezone, now=now)
    return commune_stats(session, actor=actor, commune_id=query.commune_id or actor.commune_id,
                         filters=query.filters, timezone=timezone, now=now)


def neighbourhoods(session: Session, *, scope: StatsScope) -> list[tuple[int, str]]:
    """The scope's neighbourhoods ``(id, name)`` for the filter, by name."""
    rows = session.exec(select(Neighbourhood.id, Neighbourhood.name)
                        .where(col(Neighbourhood.commune_id).in_(scope.commune_ids))
                        .order_by(Neighbourhood.name)).all()
    return [(nid, name) for nid, name in rows if nid is not None]


def success_stories(session: Session, *, scope: StatsScope, limit: int = 3
                    ) -> list[tuple[str, str]]:
    """The latest published success stories of the scope's communes ``(title, text)``.

    They are already public (the commune's site): written without naming anyone.
    """
    rows = session.exec(select(SuccessStory.title, SuccessStory.text)
                        .where(col(SuccessStory.commune_id).in_(scope.commune_ids),
                               SuccessStory.published)
                        .order_by(col(SuccessStory.created_at).desc()).limit(limit)).all()
    return [(title, text) for title, text in rows]


def commune_points(session: Session, *, scope: StatsScope) -> dict[int, tuple[float, float]]:
    """Where to draw each commune of the scope: the mean of its neighbourhoods' centres.

    Communes have no point of their own; those without a neighbourhood are left out.
    """
    rows = session.exec(select(Neighbourhood.commune_id, func.avg(Neighbourhood.lat),
                               func.avg(Neighbourhood.lon))
                        .where(col(Neighbourhood.commune_id).in_(scope.commune_ids))
                        .group_by(Neighbourhood.commune_id)).all()
    return {cid: (float(lat), float(lon)) for cid, lat, lon in rows}
