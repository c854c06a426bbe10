"""Reads for the referent's live console: today, follow-ups due, the pool, new reports.

Commune-wide and the same for every referent of the commune (one broadcast
serves every console); callers are staff only (the console channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from heurecivique_app.domain.community import RelayReport, ReportStatus
from heurecivique_app.domain.enums import MissionStatus, Role, VolunteerStatus
from heurecivique_app.domain.models import Mission, Neighbourhood, User, VolunteerProfile
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.selectors import MissionCard, _card

DAY_STATUSES = (MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE,
                MissionStatus.CLOSED)


def _missions(session: Session, *where: ColumnElement[bool], order: ColumnElement[Any],
              limit: int = 50) -> list[MissionCard]:
    rows = session.exec(
        select(Mission, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == Mission.neighbourhood_id)
        .where(*where).order_by(order).limit(limit)
    ).all()
    return [_card(m, h) for m, h in rows]


def todays_missions(session: Session, *, commune_id: int, timezone: str,
                    now: datetime | None = None) -> list[MissionCard]:
    """Missions taking place today (local calendar), earliest first."""
    tz = ZoneInfo(timezone)
    today = (now or utcnow()).astimezone(tz).date()
    start = datetime.combine(today, time(), tzinfo=tz)
    end = start + timedelta(days=1)
    return _missions(
        session, Mission.commune_id == commune_id, Mission.starts_at >= start,
        Mission.starts_at < end, col(Mission.status).in_([s.value for s in DAY_STATUSES]),
        order=Mission.starts_at)


def followups_due(session: Session, *, commune_id: int, limit: int = 20,
                  now: datetime | None = None) -> list[MissionCard]:
    """Missions whose date has passed with a volunteer, not closed yet: oldest first."""
    return _missions(
        session, Mission.commune_id == commune_id, Mission.starts_at <= (now or utcnow()),
        Mission.accepted_count > 0,
        col(Mission.status).in_([MissionStatus.FULL.value, MissionStatus.OPEN.value,
                                 MissionStatus.DONE.value]),
        order=Mission.starts_at, limit=limit)


@dataclass(frozen=True)
class PendingVolunteer:
    """A volunteer waiting for their interview, on the console."""

    user_id: int
    name: str
    neighbourhood: str
    signed_up: datetime


def volunteers_awaiting_validation(session: Session, *, commune_id: int, limit: int = 20
                                   ) -> list[PendingVolunteer]:
    """Volunteers who signed up and wait to meet a referent, longest waiting first."""
    rows = session.exec(
        select(User, Neighbourhood.name)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Neighbourhood, Neighbourhood.id == User.neighbourhood_id, isouter=True)
        .where(User.commune_id == commune_id, User.role == Role.VOLUNTEER.value,
               VolunteerProfile.status == VolunteerStatus.PENDING.value)
        .order_by(User.created_at).limit(limit)
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


def new_reports(session: Session, *, commune_id: int, limit: int = 10) -> list[NewReport]:
    """Relay reports not triaged yet, newest first."""
    rows = session.exec(
        select(RelayReport, Neighbourhood.name)
        .join(Neighbourhood, Neighbourhood.id == RelayReport.neighbourhood_id)
        .where(RelayReport.commune_id == commune_id, RelayReport.status == ReportStatus.NEW)
        .order_by(col(RelayReport.id).desc()).limit(limit)
    ).all()
    return [NewReport(r.id or 0, r.kind, r.title, hood, r.created_at) for r, hood in rows]
