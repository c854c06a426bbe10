"""Filtered lists of the commune's missions, beneficiaries and volunteers (staff only).

The list pages and the exports use the same filters and the same selectors,
so a file holds exactly what the referent saw on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import (
    Category,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    Role,
    VolunteerStatus,
)
from heurecivique_app.domain.followup import MissionFollowUp, recurring_flag
from heurecivique_app.domain.models import (
    Beneficiary,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    clean_text,
    form_id,
    form_text,
)
from heurecivique_app.services.actor import Actor, require_staff

MAX_ROWS = 5000
# Dates a search may name: wide enough for any record, and far from date.max
# (the day after the end date is computed).
SEARCH_YEARS = (1900, 2999)


@dataclass(frozen=True)
class Filters:
    """Clean filters; None means "any"."""

    status: str | None = None
    category: str | None = None
    kind: str | None = None
    neighbourhood_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for the export links)."""
        values = {"status": self.status, "category": self.category, "kind": self.kind,
                  "neighbourhood_id": self.neighbourhood_id, "date_from": self.date_from,
                  "date_to": self.date_to, "q": self.q}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def _search_date(value: str) -> date:
    """A typed date within SEARCH_YEARS, else the field's error."""
    try:
        chosen = date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(N_("Enter a valid date.")) from exc
    if not SEARCH_YEARS[0] <= chosen.year <= SEARCH_YEARS[1]:
        raise FieldError(N_("Enter a valid date."))
    return chosen


def parse_filters(data: Mapping[str, Any]) -> Filters:
    """Filters from a form or a query string.

    Raises:
        ValidationFailed: a value is not one the lists know (e.g. a bad date).
    """
    check = FormCheck()

    def text(name: str) -> str:
        return clean_text(form_text(data, name), max_length=100, kind=TextKind.LINE)

    def choice(name: str, allowed: Iterable[object]) -> str | None:
        value = text(name)
        if value and value not in {str(a) for a in allowed}:
            raise FieldError(N_("Choose a value from the list."))
        return value or None

    def day(name: str) -> date | None:
        value = text(name)
        if not value:
            return None
        return _search_date(value)

    def hood() -> int | None:
        value = text("neighbourhood_id")
        if not value:
            return None
        if form_id(value) is None:
            raise FieldError(N_("Choose a value from the list."))
        return form_id(value)

    statuses = list(MissionStatus) + list(VolunteerStatus)
    check.take("status", lambda: choice("status", statuses))
    check.take("category", lambda: choice("category", Category))
    check.take("kind", lambda: choice("kind", MissionKind))
    check.take("neighbourhood_id", hood)
    check.take("date_from", lambda: day("date_from"))
    check.take("date_to", lambda: day("date_to"))
    check.take("q", lambda: text("q"))
    clean = check.result()
    return Filters(**clean)


def _bounds(filters: Filters, timezone: str) -> tuple[datetime | None, datetime | None]:
    tz = ZoneInfo(timezone)
    start = (datetime.combine(filters.date_from, time(), tzinfo=tz)
             if filters.date_from else None)
    end = (datetime.combine(filters.date_to + timedelta(days=1), time(), tzinfo=tz)
           if filters.date_to else None)
    return start, end


def _like(text: str) -> str:
    return "%" + text.replace("%", "").replace("_", "").lower() + "%"


@dataclass(frozen=True)
class MissionLine:
    """One mission of the missions list and its export."""

    id: int
    title: str
    kind: str
    category: str
    status: str
    neighbourhood: str
    starts_at: datetime
    duration_minutes: int
    capacity: int
    accepted_count: int
    beneficiary: str
    volunteers: str
    minutes_credited: int
    went_well: bool | None
    incident: str


def _missions_query(actor: Actor, filters: Filters, timezone: str) -> Select:
    """The commune's missions matching ``filters`` (the list, its count and the export)."""
    require_staff(actor, actor.commune_id)
    query = (
        select(Mission, Neighbourhood.name, Beneficiary.full_name)
        .join(Neighbourhood, Neighbourhood.id == Mission.neighbourhood_id)
        .join(Beneficiary, Beneficiary.id == Mission.beneficiary_id, isouter=True)
        .where(Mission.commune_id == actor.commune_id)
    )
    if filters.status:
        query = query.where(Mission.status == filters.status)
    if filters.category:
        query = query.where(Mission.category == filters.category)
    if filters.kind:
        query = query.where(Mission.kind == filters.kind)
    if filters.neighbourhood_id:
        query = query.where(Mission.neighbourhood_id == filters.neighbourhood_id)
    start, end = _bounds(filters, timezone)
    if start:
        query = query.where(Mission.starts_at >= start)
    if end:
        query = query.where(Mission.starts_at < end)
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(or_(func.lower(Mission.title).like(pattern),
                                func.lower(Mission.description).like(pattern),
                                func.lower(Beneficiary.full_name).like(pattern)))
    # The id breaks ties between missions of the same hour: pages neither repeat nor skip.
    return query.order_by(col(Mission.starts_at).desc(), col(Mission.id).desc())


def _mission_lines(session: Session, rows: list[Any]) -> list[MissionLine]:
    """The lines of ``rows`` (mission, neighbourhood, beneficiary).

    With their volunteers, hours and follow-up: three reads for the whole page,
    whatever its length.
    """
    ids = [m.id for m, _, _ in rows]
    names: dict[int, list[str]] = {}
    for mission_id, name in session.exec(
        select(Participation.mission_id, User.display_name)
        .join(User, User.id == Participation.volunteer_id)
        .where(col(Participation.mission_id).in_(ids),
               Participation.status == ParticipationStatus.ACCEPTED)
        .order_by(col(Participation.id))
    ).all():
        names.setdefault(mission_id, []).append(name)
    minutes = dict(session.exec(
        select(HourEntry.mission_id, func.sum(HourEntry.minutes))
        .where(col(HourEntry.mission_id).in_(ids)).group_by(HourEntry.mission_id)).all())
    followups = {f.mission_id: f for f in session.exec(
        select(MissionFollowUp).where(col(MissionFollowUp.mission_id).in_(ids))).all()}
    return [MissionLine(
        id=m.id or 0, title=m.title, kind=m.kind, category=m.category, status=m.status,
        neighbourhood=hood, starts_at=m.starts_at, duration_minutes=m.duration_minutes,
        capacity=m.capacity, accepted_count=m.accepted_count, beneficiary=person or "",
        volunteers=", ".join(names.get(m.id or 0, [])),
        minutes_credited=int(minutes.get(m.id, 0) or 0),
        went_well=followups[m.id].went_well if m.id in followups else None,
        incident=followups[m.id].incident if m.id in followups else "",
    ) for m, hood, person in rows]


def missions(session: Session, *, actor: Actor, filters: Filters, timezone: str,
             limit: int = MAX_ROWS) -> list[MissionLine]:
    """The commune's missions matching ``filters``, soonest date last (newest first)."""
    query = _missions_query(actor, filters, timezone)
    return _mission_lines(session, list(session.exec(query.limit(limit)).all()))


PAGE_SIZE = 25
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class MissionPage:
    """One page of the missions list: its lines, and where it stands among the others."""

    lines: list[MissionLine]
    total: int  # missions matching the filters, on every page
    page: int  # 1-based, within 1..pages
    pages: int  # at least 1 (an empty list has one, empty, page)
    page_size: int


def missions_page(session: Session, *, actor: Actor, filters: Filters, timezone: str,
                  page: int = 1, page_size: int = PAGE_SIZE) -> MissionPage:
    """Page ``page`` of the commune's missions matching ``filters`` (newest date first).

    A count and one bounded read (LIMIT/OFFSET): never every mission. A page past the
    last gives the last; below 1 gives the first.
    """
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    query = _missions_query(actor, filters, timezone)
    total = session.scalar(query.with_only_columns(func.count(col(Mission.id)))
                           .order_by(None)) or 0
    pages = max(1, -(-int(total) // page_size))
    page = min(max(1, page), pages)
    rows = session.exec(query.offset((page - 1) * page_size).limit(page_size)).all()
    return MissionPage(_mission_lines(session, list(rows)), int(total), page, pages, page_size)


@dataclass(frozen=True)
class BeneficiaryLine:
    """One beneficiary of the list and its export (staff only: contacts)."""

    id: int
    full_name: str
    phone: str
    address: str
    neighbourhood: str
    needs: int
    last_need: datetime | None
    recurring_category: str  # "" when no category recurs


def beneficiaries(session: Session, *, actor: Actor, filters: Filters,
                  limit: int = MAX_ROWS) -> list[BeneficiaryLine]:
    """The commune's beneficiaries, with their needs and the recurring flag (private data)."""
    require_staff(actor, actor.commune_id)
    query = (select(Beneficiary, Neighbourhood.name)
             .join(Neighbourhood, Neighbourhood.id == Beneficiary.neighbourhood_id)
             .where(Beneficiary.commune_id == actor.commune_id,
                    col(Beneficiary.merged_into_id).is_(None)))  # a merged twin is a trace
    if filters.neighbourhood_id:
        query = query.where(Beneficiary.neighbourhood_id == filters.neighbourhood_id)
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(or_(func.lower(Beneficiary.full_name).like(pattern),
                                func.lower(Beneficiary.address).like(pattern)))
    rows = session.exec(query.order_by(Beneficiary.full_name).limit(limit)).all()
    ids = [b.id for b, _ in rows]
    needs: dict[int, list[tuple[str, datetime]]] = {}
    for person_id, category, starts in session.exec(
        select(Mission.beneficiary_id, Mission.category, Mission.starts_at)
        .where(col(Mission.beneficiary_id).in_(ids), Mission.status != MissionStatus.CANCELLED)
    ).all():
        needs.setdefault(person_id, []).append((category, starts))
    now = utcnow()
    lines = []
    for person, hood in rows:
        own = needs.get(person.id or 0, [])
        flagged = next((c for c in sorted({c for c, _ in own})
                        if recurring_flag(own, category=c, now=now)), "")
        lines.append(BeneficiaryLine(
            id=person.id or 0, full_name=person.full_name, phone=person.phone or "",
            address=person.address, neighbourhood=hood, needs=len(own),
            last_need=max((s for _, s in own), default=None), recurring_category=flagged))
    return lines


@dataclass(frozen=True)
class VolunteerLine:
    """One volunteer of the list and its export (staff only: contacts)."""

    id: int
    name: str
    email: str
    phone: str
    neighbourhood: str
    status: str
    skills: str
    missions_done: int
    minutes_total: int
    signed_up: datetime


def volunteers(session: Session, *, actor: Actor, filters: Filters,
               limit: int = MAX_ROWS) -> list[VolunteerLine]:
    """The commune's volunteers with their time given (private data)."""
    require_staff(actor, actor.commune_id)
    query = (select(User, VolunteerProfile, Neighbourhood.name)
             .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
             .join(Neighbourhood, Neighbourhood.id == User.neighbourhood_id, isouter=True)
             .where(User.commune_id == actor.commune_id,
                    col(User.role).in_([Role.VOLUNTEER.value, Role.RELAY.value])))
    if filters.status:
        query = query.where(VolunteerProfile.status == filters.status)
    if filters.neighbourhood_id:
        query = query.where(User.neighbourhood_id == filters.neighbourhood_id)
    if filters.q:
        pattern = _like(filters.q)
        query = query.where(or_(func.lower(User.display_name).like(pattern),
                                func.lower(User.email).like(pattern)))
    rows = session.exec(query.order_by(User.display_name).limit(limit)).all()
    ids = [u.id for u, _, _ in rows]
    totals = {v: (int(n), int(m or 0)) for v, n, m in session.exec(
        select(HourEntry.volunteer_id, func.count(HourEntry.id), func.sum(HourEntry.minutes))
        .where(col(HourEntry.volunteer_id).in_(ids)).group_by(HourEntry.volunteer_id)).all()}
    return [VolunteerLine(
        id=u.id or 0, name=u.display_name, email=u.email, phone=u.phone or "",
        neighbourhood=hood or "", status=p.status, skills=", ".join(p.skills or []),
        missions_done=totals.get(u.id, (0, 0))[0], minutes_total=totals.get(u.id, (0, 0))[1],
        signed_up=u.created_at) for u, p, hood in rows]
