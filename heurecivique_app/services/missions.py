"""Mission lifecycle use cases: publish, accept, decline, mark done, cancel."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import case, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from heurecivique_app.domain import events
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import AlreadyTaken, DomainError, NotAllowed, NotFound
from heurecivique_app.domain.hours import month_key, validate_minutes
from heurecivique_app.domain.lifecycle import check_transition
from heurecivique_app.domain.models import HourEntry, Mission, Participation, VolunteerProfile
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import known_id
from heurecivique_app.services import waitlist
from heurecivique_app.services.actor import Actor, require_staff, require_volunteer
from heurecivique_app.services.audit import audit

NOT_STARTED = N_("The mission has not taken place yet.")


def mission_in_commune(session: Session, actor: Actor, mission_id: int) -> Mission:
    """The mission, if it belongs to the actor's commune (else NotFound: no hint it exists).

    A draft exists only for the commune's staff: anyone else gets the very answer
    of a missing id (so drafts cannot be enumerated), before anything is written.
    """
    mission = session.get(Mission, known_id(mission_id))
    if mission is None or mission.commune_id != actor.commune_id:
        raise NotFound()
    if mission.status == MissionStatus.DRAFT and not actor.is_staff:
        raise NotFound()
    return mission


def staff_mission(session: Session, actor: Actor, mission_id: int) -> Mission:
    """A mission of the actor's commune, for its staff only."""
    mission = mission_in_commune(session, actor, mission_id)
    require_staff(actor, mission.commune_id)
    return mission


def emit_mission_event(session: Session, kind: str, mission: Mission, actor: Actor,
                       **data) -> None:
    """Record a mission's event for the live boards (published after commit)."""
    events.record(session, events.DomainEvent(
        kind=kind,
        commune_id=mission.commune_id,
        neighbourhood_id=mission.neighbourhood_id,
        mission_id=mission.id,
        actor_name=actor.display_name,
        data={"title": mission.title, "status": mission.status, **data},
    ))


def publish_mission(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """Put a draft on its neighbourhood board."""
    mission = mission_in_commune(session, actor, mission_id)
    require_staff(actor, mission.commune_id)
    mission.status = check_transition(mission.status, MissionStatus.OPEN)
    mission.updated_at = utcnow()
    session.add(mission)
    audit(session, actor=actor, action="mission.published", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(session, "mission.published", mission, actor)
    return mission


def _participation(session: Session, mission_id: int, volunteer_id: int) -> Participation | None:
    return session.exec(
        select(Participation).where(
            Participation.mission_id == mission_id, Participation.volunteer_id == volunteer_id
        )
    ).first()


def accept_mission(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """Take a place on a mission; safe when many volunteers tap at the same instant.

    The place is taken by one conditional UPDATE (status open and a place left),
    so the database decides the race: on SQLite the write lock serialises it, on
    PostgreSQL the row lock makes later updaters re-check the condition. The
    participation is claimed the same way, so two taps of one volunteer (two
    tabs, a double tap) take one place only.

    Raises:
        AlreadyTaken: every place went to quicker volunteers.
        DomainError: the volunteer may not accept this mission, or already has.
    """
    require_volunteer(actor)
    mission = mission_in_commune(session, actor, mission_id)
    profile = session.get(VolunteerProfile, actor.user_id)
    if profile is None or profile.status == VolunteerStatus.PAUSED:
        raise DomainError(N_("Your participation is paused: resume it in your profile first."))
    if mission.kind == MissionKind.INDIVIDUAL and profile.status != VolunteerStatus.ACTIVE:
        raise DomainError(N_(
            "A referent must meet you before you can help someone at home. "
            "Meanwhile you can join collective actions."
        ))
    existing = _participation(session, mission_id, actor.user_id)
    if existing is not None and existing.status == ParticipationStatus.ACCEPTED:
        raise DomainError(N_("You have already accepted this mission."))
    if existing is not None and existing.status == ParticipationStatus.WAITLISTED:
        raise DomainError(N_("You are already on the waiting list of this action."))

    waitlisted = take_place(
        session, mission=mission, volunteer_id=actor.user_id, existing=existing,
        already=N_("You have already accepted this mission."), waitlist_actor=actor)
    if waitlisted is not None:  # a full collective action: on its waiting list instead
        return waitlisted
    session.refresh(mission)
    audit(session, actor=actor, action="mission.accepted", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(
        session, "mission.accepted", mission, actor,
        places_left=mission.capacity - mission.accepted_count)
    return mission


def take_place(
    session: Session, *, mission: Mission, volunteer_id: int, existing: Participation | None,
    already: str, waitlist_actor: Actor | None = None,
) -> Mission | None:
    """Take one place of ``mission`` for ``volunteer_id`` (the volunteer's tap or staff's
    assignment): one conditional UPDATE decides any race, see :func:`accept_mission`.

    With ``waitlist_actor`` (the volunteer's own tap), a full collective action puts
    them on its waiting list instead: the mission is returned then, None otherwise.

    Raises:
        AlreadyTaken: no place was left at that instant.
        DomainError: the mission is not open, or this volunteer's place was just
            taken by another request (``already``).
    """
    mission_id = mission.id
    now = utcnow()
    taken = session.execute(
        update(Mission)
        .where(
            Mission.id == mission_id,
            Mission.status == MissionStatus.OPEN,
            Mission.accepted_count < Mission.capacity,
        )
        .values(
            accepted_count=Mission.accepted_count + 1,
            status=case(
                (Mission.accepted_count + 1 >= Mission.capacity, MissionStatus.FULL.value),
                else_=MissionStatus.OPEN.value,
            ),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        session.rollback()
        session.refresh(mission)
        if waitlist_actor is not None and mission.kind == MissionKind.COLLECTIVE and (
                mission.status in (MissionStatus.OPEN, MissionStatus.FULL)):
            return waitlist.join(session, actor=waitlist_actor, mission=mission,
                                 emit=emit_mission_event)
        # Open or full now, it had no place left at the instant of the tap (a place
        # freed by a withdrawal since then is not this tap's to take).
        if mission.status in (MissionStatus.OPEN, MissionStatus.FULL):
            raise AlreadyTaken()
        raise DomainError(N_("This mission is no longer open to volunteers."))

    if not _claim_participation(session, existing, mission_id, volunteer_id, now):
        # This volunteer's other tap got there first: give back the place taken above.
        session.rollback()
        raise DomainError(already)
    return None


def _claim_participation(
    session: Session, existing: Participation | None, mission_id: int, volunteer_id: int,
    now: datetime,
) -> bool:
    """Mark the volunteer's participation accepted; False if another request already did."""
    if existing is None:
        session.add(Participation(mission_id=mission_id, volunteer_id=volunteer_id,
                                  status=ParticipationStatus.ACCEPTED, updated_at=now))
        try:
            session.flush()
        except IntegrityError:  # unique (mission, volunteer): the other tap inserted it
            return False
        return True
    claimed = session.execute(
        update(Participation)
        .where(Participation.id == existing.id,
               Participation.status != ParticipationStatus.ACCEPTED)
        .values(status=ParticipationStatus.ACCEPTED, reason="", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    session.refresh(existing)
    return True


def decline_mission(
    session: Session, *, actor: Actor, mission_id: int, reason: str = ""
) -> Participation:
    """Say no to a mission (so the referent knows), or withdraw from an accepted one.

    A withdrawal gives the place back with conditional, relative UPDATEs: a double
    tap frees one place only, and a stale read of the mission never overwrites a
    place another volunteer took in the meantime.
    """
    require_volunteer(actor)
    mission = mission_in_commune(session, actor, mission_id)
    participation = _participation(session, mission_id, actor.user_id)
    was_accepted = (
        participation is not None and participation.status == ParticipationStatus.ACCEPTED
    )
    clean_reason = (reason or "").strip()[:500]
    now = utcnow()
    promoted: int | None = None
    if was_accepted:
        assert participation is not None
        if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL):
            raise DomainError(N_("This mission can no longer be cancelled."))
        # Lock the mission row first: a volunteer joining the waiting list at this
        # instant re-checks the places under the same lock (see services.waitlist).
        session.refresh(mission, with_for_update=waitlist.ROW_LOCK)
        released = session.execute(
            update(Participation)
            .where(Participation.id == participation.id,
                   Participation.status == ParticipationStatus.ACCEPTED)
            .values(status=ParticipationStatus.CANCELLED, reason=clean_reason, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if released.rowcount != 1:
            # Another request of this volunteer withdrew first: nothing left to do.
            session.refresh(participation)
            return participation
        # The place goes straight to the first volunteer waiting, if any: then the
        # number of places taken does not change.
        promoted = waitlist.promote_first(session, mission_id=mission_id, now=now)
        step = 0 if promoted is not None else 1
        reopened = session.execute(
            update(Mission)
            .where(Mission.id == mission_id,
                   col(Mission.status).in_([MissionStatus.OPEN.value, MissionStatus.FULL.value]))
            .values(
                accepted_count=Mission.accepted_count - step,
                status=case(
                    (Mission.accepted_count - step >= Mission.capacity,
                     MissionStatus.FULL.value),
                    else_=MissionStatus.OPEN.value,
                ),
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if reopened.rowcount != 1:  # marked done or cancelled in the meantime
            session.rollback()
            raise DomainError(N_("This mission can no longer be cancelled."))
        session.refresh(mission)
        session.refresh(participation)
    else:
        if participation is not None and participation.status == ParticipationStatus.CANCELLED:
            # A withdrawal stays one: the second tap of a double tap, read after the first
            # committed, must not turn it into a plain "declined".
            return participation
        if participation is None:
            participation = Participation(mission_id=mission_id, volunteer_id=actor.user_id)
        # Leaving a waiting list is a withdrawal; anything else is a plain "no".
        participation.status = (
            ParticipationStatus.CANCELLED
            if participation.status == ParticipationStatus.WAITLISTED
            else ParticipationStatus.DECLINED)
        participation.reason = clean_reason
        participation.updated_at = now
        session.add(participation)
        session.flush()
    audit(session, actor=actor, action="mission.declined", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, withdrew=was_accepted)
    emit_mission_event(
        session, "mission.withdrawn" if was_accepted else "mission.declined", mission, actor,
        places_left=mission.capacity - mission.accepted_count)
    if promoted is not None:
        waitlist.record_promotion(session, actor=actor, mission=mission, volunteer_id=promoted,
                                  emit=emit_mission_event)
    return participation


def accepted_volunteer_ids(session: Session, mission_id: int) -> list[int]:
    return list(session.exec(
        select(Participation.volunteer_id).where(
            Participation.mission_id == mission_id,
            Participation.status == ParticipationStatus.ACCEPTED,
        )
    ).all())


def mark_done(
    session: Session,
    *,
    actor: Actor,
    mission_id: int,
    timezone: str,
    minutes: int | None = None,
) -> Mission:
    """Record that the mission took place and credit the time to each accepted volunteer.

    Allowed to the commune's staff and to a volunteer who accepted the mission.
    The time counts for the month the mission happened (or today, if it was
    done earlier than planned).
    """
    mission = mission_in_commune(session, actor, mission_id)
    volunteers = accepted_volunteer_ids(session, mission_id)
    if not actor.is_staff and actor.user_id not in volunteers:
        raise NotAllowed()
    if not volunteers:
        raise DomainError(N_("Only a mission with a volunteer can be marked as done."))
    now = utcnow()
    if not actor.is_staff and now < mission.starts_at:
        # A volunteer credits time only for what happened; the referent may record
        # a mission done earlier than planned (the beneficiary phoned, say).
        raise DomainError(NOT_STARTED)
    mission.status = check_transition(mission.status, MissionStatus.DONE)
    credited = validate_minutes(minutes if minutes is not None else mission.duration_minutes)
    month = month_key(min(mission.starts_at, now), timezone)
    for volunteer_id in volunteers:
        session.add(HourEntry(volunteer_id=volunteer_id, mission_id=mission_id,
                              minutes=credited, month=month, recorded_by_id=actor.user_id))
    mission.updated_at = now
    session.add(mission)
    session.flush()
    audit(session, actor=actor, action="mission.done", entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id, minutes=credited, volunteers=volunteers)
    emit_mission_event(session, "mission.done", mission, actor)
    return mission


def cancel_mission(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """The referent withdraws a need (the beneficiary found help elsewhere, say)."""
    mission = mission_in_commune(session, actor, mission_id)
    require_staff(actor, mission.commune_id)
    mission.status = check_transition(mission.status, MissionStatus.CANCELLED)
    mission.updated_at = utcnow()
    session.add(mission)
    audit(session, actor=actor, action="mission.cancelled", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(session, "mission.cancelled", mission, actor)
    return mission
