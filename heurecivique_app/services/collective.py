"""Collective actions: creation by the referent, the roster, attendance on the day.

A collective action is a mission of kind ``collective`` with a capacity, a
meeting place typed by the referent and the skills wanted. Volunteers sign up
like for any mission; once it is full they join its waiting list
(``services.missions.waitlist``). On the day the referent ticks who came, and only
those present are credited the action's time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.domain import events
from heurecivique_app.domain.enums import (
    CATEGORY_LABELS,
    Category,
    Channel,
    MissionKind,
    MissionStatus,
    ParticipationStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.form_data import ticked_names
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.hours import validate_minutes
from heurecivique_app.domain.lifecycle import check_transition
from heurecivique_app.domain.models import GeoSource, Mission, Neighbourhood, Participation, User
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_text,
    known_id,
    known_ids,
    local_datetime,
    one_of,
    optional_text,
    required_text,
    whole_number,
)
from heurecivique_app.services import alerts
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.followup import credit_hours
from heurecivique_app.services.geography import commune_neighbourhood, place_mission
from heurecivique_app.services.missions.places import ROW_LOCK

# Skills use the volunteers' own vocabulary (their profile's categories).
SKILL_OPTIONS = dict(CATEGORY_LABELS)
COLLECTIVE_CATEGORIES = (Category.COLLECTIVE_EVENT, Category.CLEANUP)


@dataclass
class CollectiveForm:
    """Raw input of the collective action form."""

    title: str = ""
    category: str = Category.COLLECTIVE_EVENT
    description: str = ""
    neighbourhood_id: str = ""
    place: str = ""
    date: str = ""
    time: str = ""
    duration_minutes: str = "120"
    capacity: str = ""
    skills: list[str] = field(default_factory=list)

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> CollectiveForm:
        """The form as the page posted it; every value is checked by the service."""
        def text(name: str, default: str = "") -> str:
            return form_text(data, name, default)

        skills = ticked_names(data, "skill_")
        return cls(title=text("title"), category=text("category"),
                   description=text("description"), neighbourhood_id=text("neighbourhood_id"),
                   place=text("place"), date=text("date"), time=text("time"),
                   duration_minutes=text("duration_minutes", "120"), capacity=text("capacity"),
                   skills=sorted(skills))


def _clean(session: Session, actor: Actor, form: CollectiveForm, timezone: str) -> dict:
    check = FormCheck()

    def neighbourhood() -> Neighbourhood:
        return commune_neighbourhood(session, commune_id=actor.commune_id,
                                     value=form.neighbourhood_id)

    def starts_at() -> datetime:
        # Today is allowed, even a past hour: the referent may record this morning's
        # action afterwards, to check attendance and credit the time.
        moment = local_datetime(form.date, form.time, timezone=timezone)
        if moment.date() < utcnow().astimezone(ZoneInfo(timezone)).date():
            raise FieldError(N_("The date cannot be before today."))
        return moment

    def skills() -> list[str]:
        unknown = [s for s in form.skills if s not in SKILL_OPTIONS]
        if unknown:
            raise FieldError(N_("Choose skills from the list."))
        return form.skills

    check.take("title", lambda: required_text(form.title, max_length=120, kind=TextKind.LINE))
    check.take("category", lambda: one_of(form.category, COLLECTIVE_CATEGORIES,
                                          N_("Choose a category.")))
    check.take("description", lambda: optional_text(form.description, max_length=2000))
    check.take("neighbourhood_id", neighbourhood)
    check.take("place", lambda: required_text(form.place, max_length=255, kind=TextKind.LINE))
    check.take("date", starts_at)
    check.take("duration_minutes", lambda: whole_number(form.duration_minutes, low=15,
                                                        high=480))
    check.take("capacity", lambda: whole_number(form.capacity, low=1, high=500))
    check.take("skills", skills)
    return check.result()


def create_collective(
    session: Session, *, actor: Actor, form: CollectiveForm, timezone: str,
    geocoder: Geocoder, geo_salt: str, publish: bool = True,
) -> Mission:
    """Create a collective action (published on its neighbourhood board by default).

    Raises:
        NotAllowed: the actor is not staff of the commune.
        ValidationFailed: a field is wrong; nothing is written.
    """
    require_staff(actor, actor.commune_id)
    clean = _clean(session, actor, form, timezone)
    hood: Neighbourhood = clean["neighbourhood_id"]
    hit = geocoder.locate(clean["place"], near=Point(hood.lat, hood.lon))
    mission = Mission(
        commune_id=actor.commune_id, neighbourhood_id=hood.id, kind=MissionKind.COLLECTIVE,
        category=clean["category"], title=clean["title"], description=clean["description"],
        channel=Channel.IN_PERSON, capacity=clean["capacity"],
        status=MissionStatus.OPEN if publish else MissionStatus.DRAFT,
        approx_lat=hood.lat, approx_lon=hood.lon, exact_address=clean["place"],
        starts_at=clean["date"], duration_minutes=clean["duration_minutes"],
        skills_wanted=clean["skills"], created_by_id=actor.user_id,
    )
    session.add(mission)
    session.flush()
    place_mission(mission, hood=hood, exact=Point(hit.lat, hit.lon) if hit else None,
                  source=GeoSource.ADDRESS, salt=geo_salt)
    session.add(mission)
    session.flush()
    if publish:
        alerts.enqueue_fanout(session, mission)
    audit(session, actor=actor, action="need.created", entity="mission", entity_id=mission.id,
          commune_id=actor.commune_id, collective=True, capacity=mission.capacity,
          skills=mission.skills_wanted, published=publish)
    events.record(session, events.DomainEvent(
        kind="mission.published" if publish else "need.created", commune_id=actor.commune_id,
        neighbourhood_id=hood.id if publish else None, mission_id=mission.id,
        actor_name=actor.display_name, data={"title": mission.title},
    ))
    return mission


def _collective(session: Session, actor: Actor, mission_id: int) -> Mission:
    mission = session.get(Mission, known_id(mission_id))
    if mission is None or not actor.sees(mission.commune_id):
        raise NotFound()
    require_staff(actor, mission.commune_id)
    if mission.kind != MissionKind.COLLECTIVE:
        raise DomainError(N_("Attendance is checked for collective actions only."))
    return mission


def record_attendance(
    session: Session, *, actor: Actor, mission_id: int, present: Iterable[int], minutes: int,
    timezone: str,
) -> Mission:
    """Tick who came on the day; credit ``minutes`` to those present only.

    Everyone holding a place not in ``present`` is recorded absent. The action is
    marked done (if it was not yet); the check can be corrected until it is closed.

    Raises:
        DomainError: not a collective action, not the day yet, closed, or nobody signed up.
    """
    mission = _collective(session, actor, mission_id)
    # As a follow-up (services.followup): a « c'est fait » at this instant goes first or waits.
    session.refresh(mission, with_for_update=ROW_LOCK)
    if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE):
        raise DomainError(N_("Only a mission that took place can be followed up."))
    day = mission.starts_at.astimezone(ZoneInfo(timezone)).date()
    if utcnow().astimezone(ZoneInfo(timezone)).date() < day:
        raise DomainError(N_("Attendance is checked on the day of the action."))
    validate_minutes(minutes)
    rows = session.exec(select(Participation).where(
        Participation.mission_id == mission_id,
        Participation.status == ParticipationStatus.ACCEPTED)).all()
    if not rows:
        raise DomainError(N_("Only a mission with a volunteer can be marked as done."))
    wanted = set(known_ids(present))
    now = utcnow()
    for row in rows:
        row.attended = row.volunteer_id in wanted
        row.updated_at = now
        session.add(row)
    came = [row.volunteer_id for row in rows if row.attended]
    credit_hours(session, actor=actor, mission=mission, present=came, minutes=minutes,
                 timezone=timezone)
    if mission.status != MissionStatus.DONE:
        mission.status = check_transition(mission.status, MissionStatus.DONE)
    mission.updated_at = now
    session.add(mission)
    session.flush()
    audit(session, actor=actor, action="attendance.recorded", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, present=sorted(came),
          absent=sorted(r.volunteer_id for r in rows if not r.attended), minutes=minutes)
    events.record(session, events.DomainEvent(
        kind="attendance.recorded", commune_id=mission.commune_id,
        neighbourhood_id=mission.neighbourhood_id, mission_id=mission.id,
        actor_name=actor.display_name, data={"title": mission.title},
    ))
    return mission


def action_for_staff(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """A collective action of the actor's commune (staff only), for its attendance page."""
    return _collective(session, actor, mission_id)


@dataclass(frozen=True)
class RosterLine:
    """One person on a collective action's roster (staff only: it names them)."""

    user_id: int
    name: str
    status: str  # accepted / waitlisted
    attended: bool | None
    position: int  # 1-based place in the waiting list, 0 for those holding a place


def roster(session: Session, mission_id: int) -> list[RosterLine]:
    """Who holds a place (in sign-up order) and who waits (in the order they move up).

    No actor check: callers are staff-only (the attendance page and its live channel).
    """
    rows = session.exec(
        select(Participation, User.display_name)
        .join(User, User.id == Participation.volunteer_id)
        .where(Participation.mission_id == mission_id,
               col(Participation.status).in_([ParticipationStatus.ACCEPTED.value,
                                              ParticipationStatus.WAITLISTED.value]))
        .order_by(col(Participation.updated_at), col(Participation.id))
    ).all()
    lines: list[RosterLine] = []
    waiting = 0
    for p, name in rows:
        if p.status == ParticipationStatus.WAITLISTED:
            waiting += 1
        lines.append(RosterLine(p.volunteer_id, name, p.status, p.attended,
                                waiting if p.status == ParticipationStatus.WAITLISTED else 0))
    return lines
