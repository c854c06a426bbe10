"""The commune's volunteer pool: search, one volunteer's record, validation after the interview.

Staff of the volunteer's commune only; home addresses never leave here. The pool of a
commune also holds the volunteers of its département's other communes who offered to
help there (``VolunteerProfile.departement_pool``), marked with their own commune: their
row shows what any row of the pool shows, and their record stays with their commune.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func
from sqlmodel import Session, col, select

from heurecivique_app.domain import events
from heurecivique_app.domain.availability import DAY_PARTS, WEEKDAYS, slot_key
from heurecivique_app.domain.enums import CATEGORY_LABELS, VOLUNTEER_ROLES, VolunteerStatus
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.models import (
    Commune,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_id,
    known_id,
    one_of,
    optional_text,
)
from heurecivique_app.services import notices
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.shortlist import pool_members

POOL_PAGE = 200  # rows shown at once; the search narrows the rest


@dataclass(frozen=True)
class PoolFilter:
    """What the referent searches by; empty strings match everything."""

    text: str = ""
    skill: str = ""
    neighbourhood_id: int | None = None
    day: str = ""
    part: str = ""
    status: str = ""


@dataclass(frozen=True)
class PoolRow:
    """One volunteer of the pool list (staff only)."""

    volunteer_id: int
    name: str
    neighbourhood: str
    status: str
    skills: list[str]
    availability: dict[str, list[str]]
    minutes_this_month: int
    # Their own commune's name when they come from the département pool ("" for the commune's).
    home_commune: str = ""
    # Whether the staff looking may open their record (not a neighbouring commune's volunteer).
    has_record: bool = True


@dataclass(frozen=True)
class HistoryItem:
    """One mission in a volunteer's history."""

    mission_id: int
    title: str
    starts_at: datetime
    status: str
    minutes: int | None


@dataclass(frozen=True)
class VolunteerRecord:
    """One volunteer as the commune's referents see them (never their home address)."""

    row: PoolRow
    email: str
    phone: str
    skills_note: str
    max_distance_km: float
    charter_accepted_at: datetime | None
    validated_at: datetime | None
    validated_by: str
    validation_note: str
    minutes_total: int
    history: list[HistoryItem]


def _minutes_by_volunteer(session: Session, volunteer_ids: list[int], month: str
                          ) -> dict[int, int]:
    return {vid: int(total) for vid, total in session.execute(
        select(HourEntry.volunteer_id, func.sum(HourEntry.minutes))
        .where(col(HourEntry.volunteer_id).in_(volunteer_ids), HourEntry.month == month)
        .group_by(HourEntry.volunteer_id)).all()}




def _padded(column: ColumnElement[str]) -> ColumnElement[str]:
    """' shopping visit ': a key with a space each side, so LIKE '% word %' finds words."""
    return " " + column + " "


def _filtered(query: Select, wanted: PoolFilter) -> Select:
    """The filters in SQL, on the plain-text keys (see domain.availability.slots_key)."""
    if wanted.status:
        query = query.where(VolunteerProfile.status == wanted.status)
    if wanted.neighbourhood_id is not None:
        query = query.where(User.neighbourhood_id == wanted.neighbourhood_id)
    if wanted.text.strip():
        query = query.where(func.lower(User.display_name).contains(wanted.text.strip().lower()))
    if wanted.skill:
        query = query.where(_padded(VolunteerProfile.skills_key).contains(f" {wanted.skill} "))
    if wanted.day or wanted.part:
        slot = (f" {slot_key(wanted.day, wanted.part)} " if wanted.day and wanted.part
                else f" {wanted.day}:" if wanted.day else f":{wanted.part} ")
        query = query.where(_padded(VolunteerProfile.slots_key).contains(slot))
    return query


def _checked(wanted: PoolFilter) -> PoolFilter:
    """The filter with its name text cleaned and every choice one the lists offer.

    Raises:
        ValidationFailed: a field is not text, or not a value of its list.
    """
    check = FormCheck()

    def choice(value: str, allowed: Iterable[str]) -> str:
        return value and one_of(value, allowed, N_("Choose a value from the list."))

    def hood() -> int | None:
        if wanted.neighbourhood_id is None:
            return None
        hood_id = form_id(wanted.neighbourhood_id)
        if hood_id is None:
            raise FieldError(N_("Choose a value from the list."))
        return hood_id

    check.take("text", lambda: optional_text(wanted.text, max_length=120, kind=TextKind.LINE))
    check.take("skill", lambda: choice(wanted.skill, CATEGORY_LABELS))
    check.take("day", lambda: choice(wanted.day, WEEKDAYS))
    check.take("part", lambda: choice(wanted.part, DAY_PARTS))
    check.take("status", lambda: choice(wanted.status, VolunteerStatus))
    check.take("neighbourhood_id", hood)
    return PoolFilter(**check.result())


def search_pool(
    session: Session, *, actor: Actor, wanted: PoolFilter, timezone: str,
    limit: int = POOL_PAGE,
) -> tuple[list[PoolRow], int]:
    """The commune's volunteers matching ``wanted``, by name, and how many matched in all.

    Raises:
        ValidationFailed: a filter is not one the page offers (see ``_checked``).
    """
    require_staff(actor, actor.commune_id)
    wanted = _checked(wanted)
    members = (pool_members(actor.commune_id), col(User.role).in_(sorted(VOLUNTEER_ROLES)))
    base = (
        select(User.id)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(*members)
    )
    total = session.execute(select(func.count()).select_from(
        _filtered(base, wanted).subquery())).scalar_one()
    query = _filtered(
        select(User.id, User.display_name, Neighbourhood.name, VolunteerProfile.status,
               VolunteerProfile.skills, VolunteerProfile.availability, User.commune_id,
               Commune.name)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .join(Commune, Commune.id == User.commune_id)
        .outerjoin(Neighbourhood, Neighbourhood.id == User.neighbourhood_id)
        .where(*members),
        wanted).order_by(User.display_name, User.id).limit(limit)
    found = session.execute(query).all()
    minutes = _minutes_by_volunteer(session, [row[0] for row in found],
                                    month_key(utcnow(), timezone))
    rows = [PoolRow(vid, name, hood or "", status, skills or [], availability or {},
                    minutes.get(vid, 0),
                    home_commune=town if town_id != actor.commune_id else "",
                    has_record=actor.sees(town_id))
            for vid, name, hood, status, skills, availability, town_id, town in found]
    return rows, total


def staff_volunteer(session: Session, actor: Actor, volunteer_id: int
                    ) -> tuple[User, VolunteerProfile]:
    """A volunteer of a commune the actor runs, for its staff only (else NotFound / NotAllowed).

    A volunteer of the département pool is not one: their record stays with their commune.
    """
    volunteer_id = known_id(volunteer_id)
    person = session.get(User, volunteer_id)
    profile = session.get(VolunteerProfile, volunteer_id)
    if person is None or profile is None or not actor.sees(person.commune_id):
        raise NotFound()
    require_staff(actor, person.commune_id)
    return person, profile


def volunteer_record(
    session: Session, *, actor: Actor, volunteer_id: int, timezone: str
) -> VolunteerRecord:
    """One volunteer's details, hours (this month and overall) and mission history."""
    person, profile = staff_volunteer(session, actor, volunteer_id)
    hood = session.get(Neighbourhood, person.neighbourhood_id) if person.neighbourhood_id else None
    month = month_key(utcnow(), timezone)
    hours = session.execute(
        select(HourEntry.mission_id, HourEntry.minutes, HourEntry.month)
        .where(HourEntry.volunteer_id == volunteer_id)).all()
    credited = {mission_id: minutes for mission_id, minutes, _ in hours}
    history = [
        HistoryItem(mission_id, title, starts_at, status, credited.get(mission_id))
        for mission_id, title, starts_at, status in session.execute(
            select(Mission.id, Mission.title, Mission.starts_at, Participation.status)
            .join(Participation, Participation.mission_id == Mission.id)
            .where(Participation.volunteer_id == volunteer_id)
            .order_by(col(Mission.starts_at).desc()).limit(50)).all()
    ]
    validator = session.get(User, profile.validated_by_id) if profile.validated_by_id else None
    row = PoolRow(person.id, person.display_name, hood.name if hood else "", profile.status,
                  profile.skills or [], profile.availability or {},
                  sum(m for _, m, key in hours if key == month))
    return VolunteerRecord(
        row=row, email=person.email, phone=person.phone or "", skills_note=profile.skills_note,
        max_distance_km=profile.max_distance_km,
        charter_accepted_at=profile.charter_accepted_at, validated_at=profile.validated_at,
        validated_by=validator.display_name if validator else "",
        validation_note=profile.validation_note,
        minutes_total=sum(m for _, m, _ in hours), history=history,
    )


def validate_volunteer(
    session: Session, *, actor: Actor, volunteer_id: int, charter_checked: bool, note: str,
    charter_version: str, timezone: str = DEFAULT_TIMEZONE,
) -> VolunteerProfile:
    """Make a volunteer active after the interview; they are e-mailed the news.

    The charter was gone through with them (ticked by the referent), and the
    referent's notes are kept (staff only).

    Raises:
        NotFound: not a volunteer of the actor's commune.
        ValidationFailed: the charter is not ticked or the note is too long; nothing
            is written.
        DomainError: the volunteer is already active.
    """
    person, profile = staff_volunteer(session, actor, volunteer_id)
    check = FormCheck()

    def charter() -> bool:
        if not charter_checked:
            raise FieldError(N_("Go through the citizen charter with the volunteer first."))
        return True

    check.take("charter", charter)
    check.take("validation_note", lambda: optional_text(note, max_length=1000))
    clean = check.result()
    if profile.status == VolunteerStatus.ACTIVE:
        raise DomainError(N_("This volunteer is already active."))
    now = utcnow()
    profile.status = VolunteerStatus.ACTIVE
    profile.validated_at = now
    profile.validated_by_id = actor.user_id
    profile.validation_note = clean["validation_note"]
    if profile.charter_accepted_at is None:
        profile.charter_accepted_at = now
        profile.charter_version = charter_version
    session.add(profile)
    session.flush()
    audit(session, actor=actor, action="volunteer.validated", entity="volunteer",
          entity_id=person.id, commune_id=person.commune_id)
    events.record(session, events.DomainEvent(
        kind="volunteer.validated", commune_id=person.commune_id,
        actor_name=actor.display_name))
    notices.volunteer_validated(session, person=person, timezone=timezone)
    return profile
