"""Reads for the referent's live console: today, follow-ups due, the pool, new reports.

Commune-wide and the same for every referent of the commune (one broadcast
serves every console); callers are staff only (the console channel).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, ScalarSelect, func
from sqlmodel import Session, col, select

from heurecivique_app.domain.community import RelayReport, ReportStatus
from heurecivique_app.domain.enums import MissionStatus, Role, VolunteerStatus
from heurecivique_app.domain.models import (
    AuditEntry,
    Mission,
    Neighbourhood,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.selectors import (
    MissionCard,
    activity_where,
    card_of_row,
    card_rows,
    waiting_where,
)

DAY_STATUSES = (MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE,
                MissionStatus.CLOSED)


def _missions(session: Session, *where: ColumnElement[bool], order: ColumnElement[Any],
              limit: int = 50) -> list[MissionCard]:
    rows = session.execute(card_rows().where(*where).order_by(order).limit(limit))
    return [card_of_row(row) for row in rows]


def _local_day(timezone: str, now: datetime | None) -> tuple[datetime, datetime]:
    """The start and the end of today on the commune's calendar."""
    tz = ZoneInfo(timezone)
    today = (now or utcnow()).astimezone(tz).date()
    start = datetime.combine(today, time(), tzinfo=tz)
    return start, start + timedelta(days=1)


def _today_where(commune_id: int, timezone: str, now: datetime | None
                 ) -> tuple[ColumnElement[bool], ...]:
    start, end = _local_day(timezone, now)
    return (Mission.commune_id == commune_id, Mission.starts_at >= start,
            Mission.starts_at < end, col(Mission.status).in_([s.value for s in DAY_STATUSES]))


def _followup_where(commune_id: int, now: datetime | None) -> tuple[ColumnElement[bool], ...]:
    return (Mission.commune_id == commune_id, Mission.starts_at <= (now or utcnow()),
            Mission.accepted_count > 0,
            col(Mission.status).in_([MissionStatus.FULL.value, MissionStatus.OPEN.value,
                                     MissionStatus.DONE.value]))


def todays_missions(session: Session, *, commune_id: int, timezone: str,
                    now: datetime | None = None, limit: int = 50) -> list[MissionCard]:
    """Missions taking place today (local calendar), earliest first."""
    return _missions(session, *_today_where(commune_id, timezone, now),
                     order=Mission.starts_at, limit=limit)


def followups_due(session: Session, *, commune_id: int, limit: int = 20,
                  now: datetime | None = None) -> list[MissionCard]:
    """Missions whose date has passed with a volunteer, not closed yet: oldest first."""
    return _missions(session, *_followup_where(commune_id, now), order=Mission.starts_at,
                     limit=limit)


@dataclass(frozen=True)
class PendingVolunteer:
    """A volunteer waiting for their interview, on the console."""

    user_id: int
    name: str
    neighbourhood: str
    signed_up: datetime


def _pending_where(commune_id: int) -> tuple[ColumnElement[bool], ...]:
    return (User.commune_id == commune_id, User.role == Role.VOLUNTEER.value,
            VolunteerProfile.status == VolunteerStatus.PENDING.value)


def volunteers_awaiting_validation(session: Session, *, commune_id: int, limit: int = 20
                                   ) -> list[PendingVolunteer]:
    """Volunteers who signed up and wait to meet a referent, longest waiting first."""
    rows = session.exec(
        select(User, Neighbourhood.name)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Neighbourhood, Neighbourhood.id == User.neighbourhood_id, isouter=True)
        .where(*_pending_where(commune_id))
        .order_by(User.created_at, col(User.id)).limit(limit)
    ).all()
    return [PendingVolunteer(u.id or 0, u.display_name, hood or "", u.created_at)
            for u, hood in rows]


@dataclass(frozen=True)
class NewReport:
    """A relay's report waiting in the triage queue, on the console."""

    id: int
    kind: str
    title: str
    neighbourhood: str
    created_at: datetime


def _reports_where(commune_id: int) -> tuple[ColumnElement[bool], ...]:
    return (RelayReport.commune_id == commune_id, RelayReport.status == ReportStatus.NEW)


def new_reports(session: Session, *, commune_id: int, limit: int = 10) -> list[NewReport]:
    """Relay reports not triaged yet, newest first."""
    rows = session.exec(
        select(RelayReport, Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == RelayReport.neighbourhood_id)
        .where(*_reports_where(commune_id))
        .order_by(col(RelayReport.id).desc()).limit(limit)
    ).all()
    return [NewReport(r.id or 0, r.kind, r.title, hood, r.created_at) for r, hood in rows]


@dataclass(frozen=True)
class PaneCounts:
    """How many items each pane of the console holds in all (its list shows the first)."""

    today: int
    followups: int
    waiting: int
    pending: int
    reports: int
    missions: int
    activity_today: int


def pane_counts(session: Session, *, commune_id: int, timezone: str,
                activity_actions: Collection[str] | None = None,
                now: datetime | None = None) -> PaneCounts:
    """Every pane's count in one statement (one scalar subquery each, no row loaded).

    ``activity_actions``: the feed's events, as ``selectors.commune_activity`` takes them;
    the feed counts those of today (local calendar).
    """
    def count(entity: type, *where: ColumnElement[bool],
              join: tuple[Any, ...] | None = None) -> ScalarSelect[int]:
        query = select(func.count()).select_from(entity)
        if join is not None:
            query = query.join(*join)
        return query.where(*where).scalar_subquery()

    start, _ = _local_day(timezone, now)
    row = session.exec(select(
        count(Mission, *_today_where(commune_id, timezone, now)),
        count(Mission, *_followup_where(commune_id, now)),
        count(Mission, *waiting_where(commune_id)),
        count(User, *_pending_where(commune_id),
              join=(VolunteerProfile, VolunteerProfile.user_id == User.id)),
        count(RelayReport, *_reports_where(commune_id)),
        count(Mission, Mission.commune_id == commune_id),
        count(AuditEntry, *activity_where(commune_id, activity_actions), AuditEntry.at >= start),
    )).one()
    return PaneCounts(*(int(n or 0) for n in row))
