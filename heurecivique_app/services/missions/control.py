"""The referent keeps control of a published mission: edit, cancel, take off, hand over.

Each move is staff-only (another commune's ids answer NotFound), audited, announced
to the live boards after commit and e-mailed to the people it concerns through the
job table (:mod:`services.notifications`), in the same transaction.

Race-safety: the mission's status and places are only ever changed by conditional
UPDATEs (as in :mod:`.places`), so a referent cancelling while a volunteer accepts
ends in one of two states, both told: the acceptance came first (the volunteer is
then told of the cancellation), or the cancellation did (the acceptance is refused).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import case, update
from sqlmodel import Session, col, select

from heurecivique_app.adapters.geocoding import Geocoder
from heurecivique_app.domain import events
from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import DomainError, ValidationFailed
from heurecivique_app.domain.geo import Point
from heurecivique_app.domain.lifecycle import (
    NOT_UNDER_CONTROL,
    STARTED,
    UNDER_CONTROL,
    check_transition,
    expires,
    takes_volunteers,
    under_control,
)
from heurecivique_app.domain.models import (
    Beneficiary,
    GeoSource,
    Mission,
    Neighbourhood,
    Participation,
    User,
)
from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.rules import NAMED_IN_PUBLIC_TEXT, name_in_public_text
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import (
    FieldError,
    FormCheck,
    TextKind,
    form_text,
    known_id,
    local_datetime,
    optional_text,
    required_text,
    whole_number,
)
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.geography import (
    areas,
    commune_neighbourhood,
    neighbourhood_for_point,
    place_mission,
)
from heurecivique_app.services.matching import fits_for
from heurecivique_app.services.missions import waitlist
from heurecivique_app.services.missions.base import (
    emit_mission_event,
    participation_of,
    staff_mission,
)
from heurecivique_app.services.missions.participation import claim_participation
from heurecivique_app.services.missions.places import ROW_LOCK, change_places
from heurecivique_app.services.notifications import notify_about_mission

# Who hears of a change: those holding a place, waiting for one, or offered the mission.
CONCERNED = (ParticipationStatus.ACCEPTED, ParticipationStatus.WAITLISTED,
             ParticipationStatus.PROPOSED)
MAX_CAPACITY = 500  # as a collective action's form
NOT_TAKING_PART = N_("This volunteer does not take part in this mission.")
BELOW_TAKEN = N_("{count} volunteer(s) already take part: the capacity cannot be lower.")
_CONTROLLED = [status.value for status in UNDER_CONTROL]


@dataclass
class MissionEdit:
    """The edit form of a mission, as typed (local date and time, minutes, place)."""

    title: str = ""
    description: str = ""
    day: str = ""
    hour: str = ""
    duration_minutes: str = ""
    capacity: str = ""
    address: str = ""
    neighbourhood_id: str = ""

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> MissionEdit:
        """Read a submitted HTML form; missing fields are empty."""
        return cls(**{name: form_text(data, name) for name in cls.__dataclass_fields__})


def edit_values(mission: Mission, timezone: str) -> MissionEdit:
    """The form prefilled with the mission as it is (its start in local time)."""
    local = mission.starts_at.astimezone(ZoneInfo(timezone))
    return MissionEdit(title=mission.title, description=mission.description,
                       day=local.date().isoformat(), hour=local.strftime("%H:%M"),
                       duration_minutes=str(mission.duration_minutes),
                       capacity=str(mission.capacity), address=mission.exact_address,
                       neighbourhood_id=str(mission.neighbourhood_id))


def concerned_ids(session: Session, mission_id: int) -> list[int]:
    """The volunteers a change of the mission concerns (see :data:`CONCERNED`)."""
    return list(session.exec(select(Participation.volunteer_id).where(
        Participation.mission_id == mission_id,
        col(Participation.status).in_([status.value for status in CONCERNED]),
    ).order_by(col(Participation.id))).all())


def place_holders(session: Session, *, actor: Actor, mission_id: int) -> list[tuple[int, str]]:
    """Who holds a place on a mission of the actor's commune (staff only): (id, name)."""
    staff_mission(session, actor, mission_id)
    return [(int(user_id), name) for user_id, name in session.exec(
        select(Participation.volunteer_id, User.display_name)
        .join(User, col(User.id) == Participation.volunteer_id)
        .where(Participation.mission_id == mission_id,
               Participation.status == ParticipationStatus.ACCEPTED.value)
        .order_by(col(Participation.id))).all()]


def _reason(reason: object) -> str:
    """The referent's few words for the volunteers, required."""
    check = FormCheck()
    check.take("reason", lambda: required_text(reason if isinstance(reason, str) else "",
                                               max_length=500))
    return check.result()["reason"]


def _record(session: Session, kind: str, mission: Mission, actor: Actor,
            event_data: dict[str, object] | None = None, **detail: object) -> None:
    """Audit the referent's move with ``detail``; announce it with the places left."""
    audit(session, actor=actor, action=kind, entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id, **detail)
    emit_mission_event(session, kind, mission, actor, **(event_data or {}),
                       places_left=mission.capacity - mission.accepted_count)


def _controlled(session: Session, actor: Actor, mission_id: int) -> Mission:
    mission = staff_mission(session, actor, mission_id)
    if not under_control(mission.status):
        raise DomainError(NOT_UNDER_CONTROL)
    return mission


# --- edit ------------------------------------------------------------------------------


def _clean_edit(session: Session, mission: Mission, form: MissionEdit,  # noqa: C901
                timezone: str) -> dict[str, Any]:
    """Every field checked at once; nothing is written."""
    check = FormCheck()

    def starts() -> datetime:
        moment = local_datetime(form.day, form.hour, timezone=timezone)
        if moment == mission.starts_at.replace(second=0, microsecond=0):
            return mission.starts_at  # as shown in the form, to the minute: unchanged
        if moment <= utcnow():
            raise FieldError(N_("The preferred date must be in the future."))
        return moment

    def neighbourhood() -> Neighbourhood:
        typed = form.neighbourhood_id if str(form.neighbourhood_id).strip() else (
            mission.neighbourhood_id)
        return commune_neighbourhood(session, commune_id=mission.commune_id, value=typed)

    def capacity() -> int:
        if mission.kind == MissionKind.INDIVIDUAL:
            return mission.capacity  # one person's home: its places are not the form's
        return whole_number(form.capacity, low=1, high=MAX_CAPACITY)

    check.take("title", lambda: required_text(form.title, max_length=120, kind=TextKind.LINE))
    check.take("description", lambda: optional_text(form.description, max_length=2000))
    check.take("starts_at", starts)
    check.take("duration_minutes", lambda: whole_number(form.duration_minutes, low=15,
                                                        high=480))
    check.take("capacity", capacity)
    check.take("address", lambda: required_text(form.address, max_length=255,
                                                kind=TextKind.LINE))
    check.take("neighbourhood_id", neighbourhood)
    person = session.get(Beneficiary, mission.beneficiary_id) if mission.beneficiary_id else None
    if person is not None:
        for name in ("title", "description"):
            found = name_in_public_text(person.full_name, check.clean.get(name) or "")
            if found:
                check.errors[name] = NAMED_IN_PUBLIC_TEXT
                check.params[name] = {"name": found}
    clean = check.result()
    if clean["capacity"] < mission.accepted_count:  # checked again under the row's lock
        raise ValidationFailed({"capacity": BELOW_TAKEN},
                               params={"capacity": {"count": mission.accepted_count}})
    return clean


def _set_capacity(session: Session, mission: Mission, capacity: int, now: datetime) -> None:
    """Set the capacity and the open/full status that follows, in one conditional UPDATE.

    A volunteer taking the last place at this instant is counted: the UPDATE
    matches only while no more people take part than the new capacity.
    """
    status = case((Mission.status == MissionStatus.DRAFT.value, MissionStatus.DRAFT.value),
                  (Mission.accepted_count >= capacity, MissionStatus.FULL.value),
                  else_=MissionStatus.OPEN.value)
    changed = session.execute(
        update(Mission)
        .where(Mission.id == mission.id, Mission.accepted_count <= capacity,
               col(Mission.status).in_(_CONTROLLED))
        .values(capacity=capacity, status=status, updated_at=now)
        .execution_options(synchronize_session=False))
    session.refresh(mission)
    if changed.rowcount != 1:
        if not under_control(mission.status):
            raise DomainError(NOT_UNDER_CONTROL)
        raise ValidationFailed({"capacity": BELOW_TAKEN},
                               params={"capacity": {"count": mission.accepted_count}})


def _relocate(session: Session, mission: Mission, address: str, hood: Neighbourhood,
              geocoder: Geocoder, geo_salt: str) -> Neighbourhood:
    """Place the mission at a new address (or in a new neighbourhood); its neighbourhood."""
    commune_areas = areas(session, mission.commune_id)
    near = (Point(sum(a.lat for a in commune_areas) / len(commune_areas),
                  sum(a.lon for a in commune_areas) / len(commune_areas))
            if commune_areas else None)
    hit = geocoder.locate(address, near=near)
    point = Point(hit.lat, hit.lon) if hit else None
    if point is not None and hood.id == mission.neighbourhood_id:
        # The referent changed the address only: its neighbourhood follows the point.
        hood = neighbourhood_for_point(session, commune_id=mission.commune_id,
                                       point=point) or hood
    mission.neighbourhood_id = hood.id or mission.neighbourhood_id
    mission.exact_address = address
    place_mission(mission, hood=hood, exact=point, source=GeoSource.ADDRESS, salt=geo_salt)
    return hood


def edit_mission(session: Session, *, actor: Actor, mission_id: int, form: MissionEdit,
                 timezone: str, geocoder: Geocoder, geo_salt: str) -> Mission:
    """Change a mission's date and time, duration, text, place or capacity.

    The capacity never goes below the number of volunteers taking part. Everyone
    concerned (taking part, waiting, offered it) is e-mailed the new details when
    the date, duration or place changed.

    Raises:
        NotFound: not a mission of the actor's commune.
        NotAllowed: the actor is not its commune's staff.
        ValidationFailed: a field is wrong; nothing is written.
        DomainError: the mission is done, closed, cancelled or expired.
    """
    mission = _controlled(session, actor, mission_id)
    clean = _clean_edit(session, mission, form, timezone)
    now = utcnow()
    before = {"starts_at": mission.starts_at, "duration_minutes": mission.duration_minutes,
              "address": mission.exact_address, "neighbourhood_id": mission.neighbourhood_id,
              "title": mission.title, "description": mission.description,
              "capacity": mission.capacity}
    old_hood = mission.neighbourhood_id
    _set_capacity(session, mission, clean["capacity"], now)
    hood: Neighbourhood = clean["neighbourhood_id"]
    if clean["address"] != mission.exact_address or hood.id != mission.neighbourhood_id:
        _relocate(session, mission, clean["address"], hood, geocoder, geo_salt)
    if clean["starts_at"] != mission.starts_at:
        mission.starts_at = clean["starts_at"]
        # The new date replaces the dates the beneficiary offered at intake.
        mission.preferred_starts = [clean["starts_at"].astimezone(UTC).isoformat()]
    mission.duration_minutes = clean["duration_minutes"]
    mission.title = clean["title"]
    mission.description = clean["description"]
    mission.updated_at = now
    session.add(mission)
    session.flush()
    after = {"starts_at": mission.starts_at, "duration_minutes": mission.duration_minutes,
             "address": mission.exact_address, "neighbourhood_id": mission.neighbourhood_id,
             "title": mission.title, "description": mission.description,
             "capacity": mission.capacity}
    changed = sorted(name for name in after if after[name] != before[name])
    if not changed:
        return mission
    _record(session, "mission.edited", mission, actor,
            event_data={"changed": changed, "moved_from": (
                old_hood if old_hood != mission.neighbourhood_id else None)},
            changed=changed, starts_at=mission.starts_at.isoformat())
    if {"starts_at", "duration_minutes", "address", "neighbourhood_id"} & set(changed):
        notify_about_mission(
            session, mission=mission, kind=MessageKind.MISSION_CHANGED,
            event=f"mission_changed:{mission.id}:{now.isoformat()}",
            user_ids=concerned_ids(session, mission_id), timezone=timezone, now=now)
    return mission


# --- cancel ----------------------------------------------------------------------------


def cancel_mission(session: Session, *, actor: Actor, mission_id: int, reason: str,
                   timezone: str) -> Mission:
    """Withdraw a mission (the beneficiary found help elsewhere, say), with a reason.

    One conditional UPDATE moves it to cancelled, so it races safely with a
    volunteer's acceptance: the people told are read after it, so a volunteer who
    got a place an instant before is among them.

    Raises:
        ValidationFailed: no reason given; nothing is written.
        InvalidTransition: the mission is done, closed, cancelled or expired.
    """
    text = _reason(reason)
    mission = staff_mission(session, actor, mission_id)
    now = utcnow()
    cancelled = session.execute(
        update(Mission).where(Mission.id == mission.id, col(Mission.status).in_(_CONTROLLED))
        .values(status=MissionStatus.CANCELLED.value, updated_at=now)
        .execution_options(synchronize_session=False))
    session.refresh(mission)
    if cancelled.rowcount != 1:
        check_transition(mission.status, MissionStatus.CANCELLED)  # raises, with its message
        raise DomainError(NOT_UNDER_CONTROL)  # pragma: no cover - cancelled meanwhile
    told = concerned_ids(session, mission_id)
    audit(session, actor=actor, action="mission.cancelled", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, reason=text, told=told)
    emit_mission_event(session, "mission.cancelled", mission, actor)
    notify_about_mission(session, mission=mission, kind=MessageKind.MISSION_CANCELLED,
                         event=f"mission_cancelled:{mission.id}", user_ids=told,
                         timezone=timezone, now=now, reason=text)
    return mission


# --- take a volunteer off, hand the place to another -----------------------------------


def take_off(session: Session, *, actor: Actor, mission_id: int, volunteer_id: int,
             reason: str, timezone: str) -> Mission:
    """Take a volunteer off a mission (holding a place, waiting, or offered it).

    A freed place goes to the first one waiting, else the mission reopens.

    Raises:
        ValidationFailed: no reason given; nothing is written.
        DomainError: the volunteer does not take part, or the mission is over.
    """
    text = _reason(reason)
    mission = _controlled(session, actor, mission_id)
    person_id = known_id(volunteer_id)
    mine = participation_of(session, mission_id, person_id)
    if mine is None or mine.status not in CONCERNED:
        raise DomainError(NOT_TAKING_PART)
    now = utcnow()
    held = mine.status == ParticipationStatus.ACCEPTED
    if held:
        session.refresh(mission, with_for_update=ROW_LOCK)  # as a withdrawal (see .waitlist)
    released = session.execute(
        update(Participation)
        .where(Participation.id == mine.id, Participation.status == mine.status)
        .values(status=ParticipationStatus.CANCELLED.value, reason=text, updated_at=now)
        .execution_options(synchronize_session=False))
    if released.rowcount != 1:  # the volunteer withdrew at this very instant
        session.rollback()
        raise DomainError(NOT_TAKING_PART)
    promoted = None
    if held:
        promoted = waitlist.promote_first(session, mission_id=mission_id, now=now)
        if not change_places(session, mission_id=mission_id,
                             step=0 if promoted is not None else -1, now=now):
            session.rollback()
            raise DomainError(NOT_UNDER_CONTROL)
    session.refresh(mission)
    _record(session, "mission.volunteer_removed", mission, actor, volunteer_id=person_id,
            reason=text, held_a_place=held)
    if promoted is not None:
        waitlist.record_promotion(session, actor=actor, mission=mission, volunteer_id=promoted,
                                  timezone=timezone)
    notify_about_mission(session, mission=mission, kind=MessageKind.TAKEN_OFF,
                         event=f"taken_off:{mine.id}:{now.isoformat()}", user_ids=[person_id],
                         timezone=timezone, now=now, reason=text)
    return mission


def hand_over(session: Session, *, actor: Actor, mission_id: int, from_volunteer_id: int,
              to_volunteer_id: int, reason: str, timezone: str) -> Mission:
    """Give one volunteer's place to another (who agreed on the phone), in one move.

    The number of places taken does not change, so nobody else can take the place
    in between. The new volunteer is checked as for a direct assignment.

    Raises:
        NotFound: either volunteer is not a volunteer of the commune.
        ValidationFailed: no reason given; nothing is written.
        DomainError: the first one holds no place, the second may not take it, the
            mission has started or is over.
    """
    text = _reason(reason)
    mission = _controlled(session, actor, mission_id)
    if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL):
        raise DomainError(N_("Publish the mission before offering it to volunteers."))
    now = utcnow()
    if not takes_volunteers(mission.starts_at, now):
        raise DomainError(STARTED)
    leaving_id, coming_id = known_id(from_volunteer_id), known_id(to_volunteer_id)
    leaving = participation_of(session, mission_id, leaving_id)
    if leaving is None or leaving.status != ParticipationStatus.ACCEPTED:
        raise DomainError(NOT_TAKING_PART)
    fit = fits_for(session, mission, [coming_id], timezone)[coming_id]
    coming = participation_of(session, mission_id, coming_id)
    session.refresh(mission, with_for_update=ROW_LOCK)
    if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL):
        raise DomainError(NOT_UNDER_CONTROL)
    released = session.execute(
        update(Participation)
        .where(Participation.id == leaving.id,
               Participation.status == ParticipationStatus.ACCEPTED.value)
        .values(status=ParticipationStatus.CANCELLED.value, reason=text, updated_at=now)
        .execution_options(synchronize_session=False))
    if released.rowcount != 1:
        session.rollback()
        raise DomainError(NOT_TAKING_PART)
    if not claim_participation(session, coming, mission_id, coming_id, now):
        session.rollback()
        raise DomainError(N_("{name} already takes part in this mission."),
                          name=fit.candidate.name)
    session.refresh(mission)
    _record(session, "mission.handed_over", mission, actor, from_volunteer_id=leaving_id,
            to_volunteer_id=coming_id, reason=text)
    notify_about_mission(session, mission=mission, kind=MessageKind.TAKEN_OFF,
                         event=f"taken_off:{leaving.id}:{now.isoformat()}",
                         user_ids=[leaving_id], timezone=timezone, now=now, reason=text)
    notify_about_mission(session, mission=mission, kind=MessageKind.HANDED_TO_YOU,
                         event=f"handed_to_you:{mission.id}:{coming_id}:{now.isoformat()}",
                         user_ids=[coming_id], timezone=timezone, now=now,
                         referent=actor.display_name)
    return mission


# --- expiry (the scheduled job) --------------------------------------------------------


def expire_past_missions(session: Session, *, now: datetime, limit: int = 500) -> list[int]:
    """Move open missions nobody took, whose start has passed, to ``expired``.

    Safe to run any number of times and from several workers: each move is a
    conditional UPDATE of an open mission still without volunteers. Each is
    audited (by nobody: the scheduled job) and leaves the boards after commit.

    Returns:
        The ids of the missions expired by this run.
    """
    check_transition(MissionStatus.OPEN, MissionStatus.EXPIRED)
    candidates = session.exec(
        select(Mission).where(Mission.status == MissionStatus.OPEN.value,
                              Mission.accepted_count == 0, col(Mission.starts_at) <= now)
        .order_by(col(Mission.starts_at)).limit(limit)).all()
    expired = []
    for mission in candidates:
        # The query above is the rule in SQL (for the index); the rule itself decides.
        if not expires(mission.status, mission.accepted_count, mission.starts_at, now):
            continue
        moved = session.execute(
            update(Mission).where(Mission.id == mission.id,
                                  Mission.status == MissionStatus.OPEN.value,
                                  Mission.accepted_count == 0)
            .values(status=MissionStatus.EXPIRED.value, updated_at=now)
            .execution_options(synchronize_session=False))
        if moved.rowcount != 1:  # a place was taken, or another worker got there first
            continue
        session.refresh(mission)
        expired.append(mission.id)
        audit(session, actor=None, action="mission.expired", entity="mission",
              entity_id=mission.id, commune_id=mission.commune_id,
              starts_at=mission.starts_at.isoformat())
        events.record(session, events.DomainEvent(
            kind="mission.expired", commune_id=mission.commune_id,
            neighbourhood_id=mission.neighbourhood_id, mission_id=mission.id,
            data={"title": mission.title, "status": mission.status}))
    return expired
