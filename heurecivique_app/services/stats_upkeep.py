"""Upkeep of the evaluation summaries (``domain/stats_summary.py``), in the writer's transaction.

One recording point for the whole app, so that no use case has to remember the
figures: three events of every session.

- ``after_flush``: each added, changed or deleted row of the tables the figures
  read (missions, participations, follow-ups, the hour ledger, users, volunteer
  profiles) leaves a *trace*: the mission or user it concerns, with the commune
  and dates it had before the change;
- ``do_orm_execute``: an UPDATE or DELETE statement on those tables (the
  conditional updates of ``missions/places.py``, ``control.py``, ``waitlist.py``…)
  leaves the traces of the rows it is about to touch, read first with its WHERE;
- ``before_commit``: the traces become *buckets* (kind, commune, local month), and
  each bucket is recomputed from the raw rows, the database doing the counting
  (a bucket is one commune's month: tens to hundreds of missions, up to a
  thousand sign-ups when a town launches the scheme); a mission's facts, which
  are its own, only for the traced missions. Only the summary rows that differ
  are written.

Recomputing rather than adding deltas: a conditional UPDATE gives no old value,
and a recomputation only needs to know *which* buckets moved; it is also
idempotent, so a bucket recomputed twice (or for nothing) is still right.

Concurrency (PostgreSQL, READ COMMITTED): each bucket is locked first by an upsert
of its ``StatsBucket`` row, buckets in one fixed order (two commits never wait on
each other in a circle). A second transaction on the same bucket waits for the
first's commit, and its recomputation, a later statement, sees that commit: no
change is lost. SQLite has one writer at a time.

Nothing happens until :func:`rebuild` has written the summaries once
(``StatsSummaryState``): before that, and for another time zone than theirs, the
figures are read raw (``services/stats.py``).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    case,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState, SessionTransaction, UOWTransaction
from sqlmodel import Session, SQLModel, col

from heurecivique_app.domain.enums import (
    VOLUNTEER_ROLES,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
)
from heurecivique_app.domain.followup import MissionFollowUp
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    HourEntry,
    Mission,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.stats import RETENTION_OFFSETS, add_months
from heurecivique_app.domain.stats_summary import (
    ALL,
    HOURS,
    MISSIONS,
    PEOPLE,
    SIGNED_UP,
    SUMMARY_TABLES,
    VALIDATED,
    StatsBucket,
    StatsGiver,
    StatsMinutes,
    StatsMissionFact,
    StatsMissionMonth,
    StatsPeople,
    StatsSummaryState,
    gave_after,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.stats_sql import DONE_STATUSES, FILLED_STATUSES, hours_between

_KEY = "stats_traces"
# Rows per INSERT (SQLite allows 32,766 parameters; a mission month row has 22 columns).
_BATCH = 1000


@dataclass
class _Trace:
    """Where a mission or a user counted before and after the transaction's changes."""

    communes: set[int] = field(default_factory=set)
    instants: set[datetime] = field(default_factory=set)  # created, validated
    months: set[str] = field(default_factory=set)  # the hour ledger's months (missions)
    regroup: bool = False  # a mission whose category or commune moved: its hours too


@dataclass
class _Traces:
    missions: dict[int, _Trace] = field(default_factory=lambda: defaultdict(_Trace))
    people: dict[int, _Trace] = field(default_factory=lambda: defaultdict(_Trace))

    def __bool__(self) -> bool:
        return bool(self.missions or self.people)


def _traces(session: Session) -> _Traces:
    return session.info.setdefault(_KEY, _Traces())


def _old_and_new(obj: object, name: str) -> list[Any]:
    """An attribute's value now and, when this flush changed it, before."""
    history = inspect(obj).attrs[name].history
    return [v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None]


def _changed(obj: object, *names: str) -> bool:
    return any(inspect(obj).attrs[name].history.deleted for name in names)


def _note(traces: _Traces, obj: object, deleted: bool) -> None:
    """The trace an ORM row leaves (see the module docstring)."""
    if isinstance(obj, Mission):
        trace = traces.missions[obj.id or 0]
        trace.communes.update(_old_and_new(obj, "commune_id"))
        trace.instants.update(_old_and_new(obj, "created_at"))
        trace.regroup |= deleted or _changed(obj, "category", "commune_id")
    elif isinstance(obj, (Participation, MissionFollowUp)):
        for mission_id in _old_and_new(obj, "mission_id"):
            traces.missions[mission_id]  # noqa: B018 - the lookup creates the trace
    elif isinstance(obj, HourEntry):
        for mission_id in _old_and_new(obj, "mission_id"):
            traces.missions[mission_id].months.update(_old_and_new(obj, "month"))
        for volunteer_id in _old_and_new(obj, "volunteer_id"):
            traces.people[volunteer_id]  # noqa: B018 - their retention
    elif isinstance(obj, User):
        trace = traces.people[obj.id or 0]
        trace.communes.update(_old_and_new(obj, "commune_id"))
        trace.instants.update(_old_and_new(obj, "created_at"))
    elif isinstance(obj, VolunteerProfile):
        for user_id in _old_and_new(obj, "user_id"):
            traces.people[user_id].instants.update(_old_and_new(obj, "validated_at"))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    traces = _traces(session)
    for objects, deleted in ((session.new, False), (session.dirty, False),
                             (session.deleted, True)):
        for obj in objects:
            _note(traces, obj, deleted)


# The tables a statement may change, and what to read of the rows it will touch.
_STATEMENT_KEYS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "mission": (col(Mission.id), col(Mission.commune_id), col(Mission.created_at)),
    "participation": (col(Participation.mission_id),),
    "mission_followup": (col(MissionFollowUp.mission_id),),
    "hour_entry": (col(HourEntry.mission_id), col(HourEntry.month),
                   col(HourEntry.volunteer_id)),
    "user": (col(User.id), col(User.commune_id), col(User.created_at)),
    "volunteer_profile": (col(VolunteerProfile.user_id), col(VolunteerProfile.validated_at)),
}


def _before_statement(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE of a tracked table: trace the rows it is about to touch."""
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    keys = _STATEMENT_KEYS.get(getattr(table, "name", ""))
    if keys is None:
        return
    query = select(*keys)
    where = state.statement.whereclause  # type: ignore[attr-defined]
    if where is not None:
        query = query.where(where)
    traces = _traces(state.session)
    name = table.name  # type: ignore[union-attr]
    for row in state.session.execute(query, bind_arguments=state.bind_arguments).all():
        if name == "mission":
            trace = traces.missions[row[0]]
            trace.communes.add(row[1])
            trace.instants.add(row[2])
            trace.regroup = True  # which columns it sets is not looked at
        elif name in ("participation", "mission_followup"):
            traces.missions[row[0]]  # noqa: B018
        elif name == "hour_entry":
            traces.missions[row[0]].months.add(row[1])
            traces.people[row[2]]  # noqa: B018
        elif name == "user":
            trace = traces.people[row[0]]
            trace.communes.add(row[1])
            trace.instants.add(row[2])
        elif row[1] is not None:
            traces.people[row[0]].instants.add(row[1])
        else:
            traces.people[row[0]]  # noqa: B018


# Engines whose database has the summary tables (a database migrated before them has not).
_migrated: weakref.WeakSet[Engine] = weakref.WeakSet()


def summary_timezone(session: Session) -> str | None:
    """The summaries' time zone, None when they are not built (or not in this schema)."""
    connection = session.connection()
    if connection.engine not in _migrated:
        if not inspect(connection).has_table(StatsSummaryState.__tablename__):
            return None
        _migrated.add(connection.engine)
    return connection.execute(select(StatsSummaryState.timezone)).scalar()


def _before_commit(session: Session) -> None:
    if not session.info.get(_KEY):
        session.info.pop(_KEY, None)
        return
    session.flush()  # the last changes leave their traces too
    traces = session.info.pop(_KEY)
    timezone = summary_timezone(session)
    if timezone is not None:
        refresh(session, _buckets(session, traces, timezone), timezone,
                missions=[mission_id for mission_id in traces.missions if mission_id])


def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The transaction is over (committed, or rolled back: its traces with it).

    Only the outermost: a savepoint rolled back leaves the rest of the transaction.
    """
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def listen() -> None:
    """Keep the summaries on every session of the process (idempotent)."""
    for name, handler in (("after_flush", _after_flush), ("do_orm_execute", _before_statement),
                          ("before_commit", _before_commit),
                          ("after_transaction_end", _forget)):
        if not event.contains(Session, name, handler):
            event.listen(Session, name, handler)


listen()


# -- from traces to buckets ---------------------------------------------------


Bucket = tuple[str, int, str]  # kind, commune, month


def _buckets(session: Session, traces: _Traces, timezone: str) -> list[Bucket]:
    """Every (kind, commune, month) the traced rows count in, before or after."""
    found: set[Bucket] = set()
    missions = {k: v for k, v in traces.missions.items() if k}
    if missions:
        for mission_id, commune, created in session.connection().execute(
                select(Mission.id, Mission.commune_id, Mission.created_at)
                .where(col(Mission.id).in_(missions))).all():
            missions[mission_id].communes.add(commune)
            missions[mission_id].instants.add(created)
        regroup = [k for k, v in missions.items() if v.regroup]
        for mission_id, month in session.connection().execute(
                select(HourEntry.mission_id, HourEntry.month).distinct()
                .where(col(HourEntry.mission_id).in_(regroup))).all() if regroup else ():
            missions[mission_id].months.add(month)
        for trace in missions.values():
            for commune in trace.communes:
                found.update((MISSIONS, commune, month_key(at, timezone))
                             for at in trace.instants)
                found.update((HOURS, commune, month) for month in trace.months)
    people = {k: v for k, v in traces.people.items() if k}
    if people:
        for user_id, commune, created, validated in session.connection().execute(
                select(User.id, User.commune_id, User.created_at, VolunteerProfile.validated_at)
                .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
                .where(col(User.id).in_(people))).all():
            people[user_id].communes.add(commune)
            people[user_id].instants.update(at for at in (created, validated) if at)
        for trace in people.values():
            found.update((PEOPLE, commune, month_key(at, timezone))
                         for commune in trace.communes for at in trace.instants)
    return sorted(found)


def _month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """A local month's first and (excluded) last instant, aware UTC."""
    tz = ZoneInfo(timezone)
    first = datetime(int(month[:4]), int(month[5:7]), 1)
    later = datetime.fromisoformat(add_months(month, 1) + "-01")
    return (datetime.combine(first.date(), time(), tzinfo=tz).astimezone(UTC),
            datetime.combine(later.date(), time(), tzinfo=tz).astimezone(UTC))


def _lock(session: Session, buckets: Sequence[Bucket]) -> None:
    """Take each bucket's row lock, in the buckets' order (see the module docstring)."""
    maker = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for kind, commune, month in buckets:
        statement = maker(StatsBucket).values(kind=kind, commune_id=commune, month=month,
                                              version=0)
        session.connection().execute(statement.on_conflict_do_update(
            index_elements=["kind", "commune_id", "month"],
            set_={"version": statement.excluded.version + StatsBucket.version + 1}))


def refresh(session: Session, buckets: Sequence[Bucket], timezone: str,
            missions: Collection[int]) -> None:
    """Recompute these buckets from the raw rows, in the session's transaction.

    ``missions``: the missions the transaction touched, the only ones whose facts
    (unlike the month's totals) may have changed.
    """
    if not buckets:
        return
    _lock(session, buckets)
    for kind, commune, month in buckets:
        if kind == MISSIONS:
            _replace(session, StatsMissionMonth, commune, month,
                     _month_totals(session, commune, month, timezone))
            _replace(session, StatsMissionFact, commune, month,
                     _mission_facts(session, timezone, (commune, month, missions)),
                     only=col(StatsMissionFact.mission_id).in_(missions))
        elif kind == HOURS:
            rows = _hour_rows(session, [Mission.commune_id == commune, HourEntry.month == month])
            for table in (StatsMinutes, StatsGiver):
                _replace(session, table, commune, month, rows.get(table, []))
        else:
            _replace(session, StatsPeople, commune, month,
                     _people_totals(session, commune, month, timezone))


def _replace(session: Session, table: type[SQLModel], commune: int, month: str,
             rows: list[dict[str, Any]], only: ColumnElement[bool] | None = None) -> None:
    """Make one bucket's rows of ``table`` equal ``rows``, writing only what differs.

    A write changes one or two of a bucket's rows; deleting and inserting all of
    them (a commune's month: hundreds of missions) cost an accept most of its time
    and left as many dead rows behind. ``only`` narrows the rows compared to those
    ``rows`` were computed for (the facts of the traced missions).
    """
    keys = [c.name for c in table.__table__.columns if c.primary_key]
    wanted = {tuple(row[k] for k in keys): row for row in _complete(table, rows)}
    stale = []
    kept_rows = select(table.__table__).where(table.commune_id == commune, table.month == month)
    if only is not None:
        kept_rows = kept_rows.where(only)
    for kept in session.connection().execute(kept_rows).mappings():
        key = tuple(kept[k] for k in keys)
        if wanted.get(key) == dict(kept):
            del wanted[key]  # already right
        else:
            stale.append(key)  # gone, or to be written again
    if stale:
        session.connection().execute(delete(table).where(
            tuple_(*(table.__table__.columns[k] for k in keys)).in_(stale)))
    if wanted:
        _insert(session, table, list(wanted.values()))


def _complete(table: type[SQLModel], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with every column: a figure a row does not name is the column's default."""
    defaults = {name: info.default for name, info in table.model_fields.items()}
    return [{**defaults, **row} for row in rows]


def _write(session: Session, rows: dict[Any, list[dict[str, Any]]]) -> None:
    for table, values in rows.items():
        _insert(session, table, _complete(table, values))


def _insert(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """Insert complete rows (every column named: one statement per batch)."""
    for i in range(0, len(rows), _BATCH):
        session.connection().execute(insert(table), rows[i:i + _BATCH])


# -- the figures of a bucket, from the raw rows -------------------------------


def _counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many of the group's rows meet ``condition`` (none: 0)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


_SCORES = range(1, 6)
# A bucket's missions: its commune, created within its month's bounds (bound per call).
_IN_BUCKET = (Mission.commune_id == bindparam("commune"),
              Mission.created_at >= bindparam("start"), Mission.created_at < bindparam("end"))


def _month_totals_statement() -> tuple[Select[Any], tuple[str, ...]]:
    """One bucket's missions counted per (category, channel), and the figures' names.

    Built once: a statement this size costs more to build than to run.
    """
    # The collective actions' accepted volunteers still standing: checked, present.
    checked = (select(Participation.mission_id,
                      func.count(Participation.attended).label("checked"),
                      _counted(col(Participation.attended).is_(True)).label("present"))
               .where(Participation.status == ParticipationStatus.ACCEPTED.value,
                      col(Participation.mission_id).in_(select(Mission.id).where(*_IN_BUCKET)))
               .group_by(Participation.mission_id).subquery())
    collective = Mission.kind == MissionKind.COLLECTIVE.value
    figures = {
        "created": func.count(),
        "filled": _counted(or_(Mission.accepted_count > 0,
                               col(Mission.status).in_(FILLED_STATUSES))),
        "done": _counted(col(Mission.status).in_(DONE_STATUSES)),
        "cancelled": _counted(Mission.status == MissionStatus.CANCELLED.value),
        "expired": _counted(Mission.status == MissionStatus.EXPIRED.value),
        "checked": func.coalesce(func.sum(case(
            (collective, func.coalesce(checked.c.checked, 0)), else_=0)), 0),
        "present": func.coalesce(func.sum(case(
            (collective, func.coalesce(checked.c.present, 0)), else_=0)), 0),
        "incidents": _counted(MissionFollowUp.incident != ""),
        **{f"b{score}": _counted(MissionFollowUp.beneficiary_satisfaction == score)
           for score in _SCORES},
        **{f"v{score}": _counted(MissionFollowUp.volunteer_satisfaction == score)
           for score in _SCORES},
    }
    statement = (select(Mission.category, Mission.channel,
                        *(value.label(name) for name, value in figures.items()))
                 .outerjoin(MissionFollowUp, MissionFollowUp.mission_id == Mission.id)
                 .outerjoin(checked, checked.c.mission_id == Mission.id)
                 .where(Mission.status != MissionStatus.DRAFT.value, *_IN_BUCKET)
                 .group_by(Mission.category, Mission.channel))
    return statement, tuple(figures)


_MONTH_TOTALS, _FIGURES = _month_totals_statement()


def _month_totals(session: Session, commune: int, month: str, timezone: str
                  ) -> list[dict[str, Any]]:
    """One bucket's month rows, per (category, channel), per category, per channel.

    The last two (``ALL`` for the other) are added up from the first. The database
    counts the missions: reading each of a busy commune's hundreds of missions of the
    month into Python cost every accept most of its time.
    """
    start, end = _month_bounds(month, timezone)
    totals: dict[tuple[str, str], dict[str, int]] = {}
    for row in session.connection().execute(
            _MONTH_TOTALS, {"commune": commune, "start": start, "end": end}).mappings():
        for key in ((row["category"], row["channel"]), (row["category"], ALL),
                    (ALL, row["channel"])):
            added = totals.setdefault(key, dict.fromkeys(_FIGURES, 0))
            for name in _FIGURES:
                added[name] += int(row[name])
    return [{"commune_id": commune, "month": month, "category": category,
             "channel": channel, **counts} for (category, channel), counts in totals.items()]


_FACTS: dict[tuple[str, bool], Select[Any]] = {}  # by dialect, and for a bucket's missions


def _facts_statement(session: Session, *, in_bucket: bool) -> Select[Any]:
    """The facts' query: every mission's, or those of a bucket given by id (bound per call)."""
    key = (session.get_bind().dialect.name, in_bucket)
    if key not in _FACTS:
        where = [*_IN_BUCKET, col(Mission.id).in_(bindparam("ids", expanding=True))
                 ] if in_bucket else []
        first = (select(Participation.mission_id,
                        func.min(Participation.created_at).label("first"))
                 .where(Participation.status == ParticipationStatus.ACCEPTED.value,
                        col(Participation.mission_id).in_(select(Mission.id).where(*where)))
                 .group_by(Participation.mission_id).subquery())
        _FACTS[key] = (
            select(Mission.id, Mission.commune_id, Mission.created_at, Mission.category,
                   Mission.channel, Mission.status, Mission.beneficiary_id,
                   hours_between(session, first.c.first, col(Mission.created_at)))
            .outerjoin(first, first.c.mission_id == Mission.id)
            .where(Mission.status != MissionStatus.DRAFT.value, *where))
    return _FACTS[key]


def _mission_facts(session: Session, timezone: str,
                   bucket: tuple[int, str, Collection[int]] | None = None
                   ) -> list[dict[str, Any]]:
    """The facts (time to a volunteer, the person helped) of the missions.

    Of every mission, or of a bucket's (commune, month) missions among those ids.
    """
    params: dict[str, Any] = {}
    if bucket is not None:
        commune, month, ids = bucket
        start, end = _month_bounds(month, timezone)
        params = {"commune": commune, "start": start, "end": end, "ids": list(ids)}
    facts = []
    for (mission_id, commune, created, category, channel, status, beneficiary,
         hours) in session.connection().execute(
            _facts_statement(session, in_bucket=bucket is not None), params):
        helped = beneficiary if status in DONE_STATUSES else None
        if hours is not None or helped is not None:
            facts.append({"commune_id": commune, "month": month_key(created, timezone),
                          "mission_id": mission_id, "category": category, "channel": channel,
                          "hours": None if hours is None else float(hours),
                          "beneficiary_id": helped})
    return facts


def _hour_rows(session: Session, where: Iterable[ColumnElement[bool]]
               ) -> dict[Any, list[dict[str, Any]]]:
    """Minutes by category, and each volunteer's minutes (by category and in all)."""
    minutes: dict[tuple[int, str, str], int] = defaultdict(int)
    givers: dict[tuple[int, str, str, int], int] = defaultdict(int)
    for commune, month, category, volunteer, total in session.connection().execute(
            select(Mission.commune_id, HourEntry.month, Mission.category,
                   HourEntry.volunteer_id, func.sum(HourEntry.minutes))
            .join(Mission, Mission.id == HourEntry.mission_id).where(*where)
            .group_by(Mission.commune_id, HourEntry.month, Mission.category,
                      HourEntry.volunteer_id)):
        minutes[(commune, month, category)] += int(total)
        givers[(commune, month, category, volunteer)] += int(total)
        givers[(commune, month, ALL, volunteer)] += int(total)
    return {StatsMinutes: [{"commune_id": c, "month": m, "category": cat, "minutes": n}
                           for (c, m, cat), n in minutes.items()],
            StatsGiver: [{"commune_id": c, "month": m, "category": cat, "volunteer_id": v,
                          "minutes": n} for (c, m, cat, v), n in givers.items()]}


def _people_statements() -> tuple[Select[Any], Select[Any]]:
    """A bucket's sign-ups (and how many of them gave time later) and validations.

    Built once; the bucket is bound per call (commune, start, end, later_<offset>).
    """
    volunteers = (col(User.role).in_([r.value for r in VOLUNTEER_ROLES]),
                  User.commune_id == bindparam("commune"))
    later = [bindparam(f"later_{offset}") for offset in RETENTION_OFFSETS]
    signed_up = (
        select(func.count(func.distinct(User.id)),
               *(func.count(func.distinct(case((HourEntry.month == month, User.id))))
                 for month in later))
        .select_from(User)
        .outerjoin(HourEntry, (HourEntry.volunteer_id == User.id)
                   & col(HourEntry.month).in_(later))
        .where(*volunteers, User.created_at >= bindparam("start"),
               User.created_at < bindparam("end")))
    validated = (
        select(func.count()).select_from(VolunteerProfile)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(*volunteers, col(VolunteerProfile.validated_at) >= bindparam("start"),
               col(VolunteerProfile.validated_at) < bindparam("end")))
    return signed_up, validated


_SIGNED_UP, _VALIDATED = _people_statements()


def _people_totals(session: Session, commune: int, month: str, timezone: str
                   ) -> list[dict[str, Any]]:
    """One bucket's people rows: sign-ups, those of them who gave time later, validations.

    Counted by the database: a bucket is every volunteer who signed up in a commune's
    month, hundreds when a town launches the scheme.
    """
    start, end = _month_bounds(month, timezone)
    params = {"commune": commune, "start": start, "end": end,
              **{f"later_{offset}": add_months(month, offset) for offset in RETENTION_OFFSETS}}
    signed_up, *gave = session.connection().execute(_SIGNED_UP, params).one()
    counts = {SIGNED_UP: signed_up,
              **{gave_after(offset): n for offset, n in zip(RETENTION_OFFSETS, gave, strict=True)},
              VALIDATED: session.connection().execute(_VALIDATED, params).scalar_one()}
    return [{"commune_id": commune, "month": month, "measure": measure, "volunteers": n}
            for measure, n in counts.items() if n]


def _people_buckets(session: Session, timezone: str) -> set[tuple[int, str]]:
    """Every (commune, month) in which volunteers signed up or were validated."""
    found = set()
    for commune, created, validated in session.connection().execute(
            select(User.commune_id, User.created_at, VolunteerProfile.validated_at)
            .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(col(User.role).in_([r.value for r in VOLUNTEER_ROLES]))):
        found.update((commune, month_key(at, timezone)) for at in (created, validated) if at)
    return found


# -- building them once -------------------------------------------------------


def rebuild(session: Session, *, timezone: str, now: datetime | None = None) -> None:
    """Write every summary from the raw rows, for ``timezone``'s months.

    For a database that had none (``manage migrate`` does it), or after a change
    of time zone. Runs in the session's transaction: until it commits, the figures
    are read raw as before.
    """
    session.info.pop(_KEY, None)
    for table in (*SUMMARY_TABLES, StatsBucket, StatsSummaryState):
        session.execute(delete(table))
    months = {(commune, month_key(created, timezone)) for commune, created in session.execute(
        select(Mission.commune_id, Mission.created_at)
        .where(Mission.status != MissionStatus.DRAFT.value).distinct())}
    for commune, month in sorted(months):
        _write(session, {StatsMissionMonth: _month_totals(session, commune, month, timezone)})
    _write(session, {StatsMissionFact: _mission_facts(session, timezone)})
    _write(session, _hour_rows(session, []))
    for commune, month in sorted(_people_buckets(session, timezone)):
        _write(session, {StatsPeople: _people_totals(session, commune, month, timezone)})
    session.add(StatsSummaryState(id=1, timezone=timezone, built_at=now or utcnow()))
    session.flush()


def ensure(session: Session, *, timezone: str) -> bool:
    """Build the summaries unless they are built for ``timezone``; whether it built them."""
    if summary_timezone(session) == timezone:
        return False
    rebuild(session, timezone=timezone)
    return True

