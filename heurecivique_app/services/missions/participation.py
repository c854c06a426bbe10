"""The volunteer's side of a mission.

Accept (charter permitting), decline, withdraw before the cut-off; and a referent
giving a place directly (:func:`take_place`).

Every place is taken or given back through :mod:`.places`, so a referent and
volunteers tapping at the same instant never overfill a mission; a full
collective action sends the volunteer to its waiting list (:mod:`.waitlist`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from heurecivique_app.domain.charter import charter_is_current
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import AlreadyTaken, DomainError, NotAllowed
from heurecivique_app.domain.lifecycle import STARTED, takes_volunteers
from heurecivique_app.domain.models import Mission, Participation, VolunteerProfile
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck, optional_text
from heurecivique_app.services import minors, notices
from heurecivique_app.services.actor import Actor, require_volunteer
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions import waitlist
from heurecivique_app.services.missions.base import (
    emit_mission_event,
    mission_in_commune,
    participation_of,
    tell_referent,
)
from heurecivique_app.services.missions.places import ROW_LOCK, change_places


class CharterOutdated(DomainError):
    """The charter changed since this volunteer approved it: they must approve it again."""

    def __init__(self) -> None:
        super().__init__(N_("The charter has changed: read it and approve it again "
                            "before accepting a mission."))


def _reason(reason: str | None, *, required: bool = False) -> str:
    """The volunteer's few words for the referent, checked like a form field."""
    check = FormCheck()
    check.take("reason", lambda: optional_text(reason, max_length=500))
    text = check.result()["reason"]
    if required and not text:
        check.errors["reason"] = N_("Tell the referent why, in a few words.")
        check.result()
    return text


def accept_mission(session: Session, *, actor: Actor, mission_id: int,
                   timezone: str = DEFAULT_TIMEZONE) -> Mission:
    """Take a place on a mission; safe when many volunteers tap at the same instant.

    The place is taken by one conditional UPDATE (status open and a place left),
    so the database decides the race: on SQLite the write lock serialises it, on
    PostgreSQL the row lock makes later updaters re-check the condition. The
    participation is claimed the same way, so two taps of one volunteer (two
    tabs, a double tap) take one place only. The volunteer is e-mailed the
    confirmation with a calendar invitation (not for a place on a waiting list).

    Raises:
        AlreadyTaken: every place went to quicker volunteers.
        CharterOutdated: the charter changed since the volunteer approved it.
        DomainError: the volunteer may not accept this mission, or already has.
    """
    require_volunteer(actor)
    profile = session.get(VolunteerProfile, actor.user_id)
    if profile is None:
        raise NotAllowed()
    if not charter_is_current(profile.charter_version):
        raise CharterOutdated()
    mission = mission_in_commune(session, actor, mission_id)
    minors.refuse_minors_at_home(session, mission, [actor.user_id])
    if profile.status == VolunteerStatus.PAUSED:
        raise DomainError(N_("Your participation is paused: resume it in your profile first."))
    if mission.kind == MissionKind.INDIVIDUAL and profile.status != VolunteerStatus.ACTIVE:
        raise DomainError(N_(
            "A referent must meet you before you can help someone at home. "
            "Meanwhile you can join collective actions."
        ))
    existing = participation_of(session, mission_id, actor.user_id)
    if existing is not None and existing.status == ParticipationStatus.ACCEPTED:
        raise DomainError(N_("You have already accepted this mission."))
    if existing is not None and existing.status == ParticipationStatus.WAITLISTED:
        raise DomainError(N_("You are already on the waiting list of this action."))

    waitlisted = take_place(
        session, mission=mission, volunteer_id=actor.user_id, existing=existing,
        already=N_("You have already accepted this mission."), waitlist_actor=actor)
    if waitlisted is not None:  # a full collective action: on its waiting list instead
        mine = participation_of(session, mission_id, actor.user_id)
        if mine is not None and mine.status == ParticipationStatus.ACCEPTED:
            # A place freed meanwhile was taken at once (waitlist.join).
            notices.place_confirmed(session, mission=waitlisted, volunteer_id=actor.user_id,
                                    timezone=timezone)
        return waitlisted
    session.refresh(mission)
    audit(session, actor=actor, action="mission.accepted", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(
        session, "mission.accepted", mission, actor,
        places_left=mission.capacity - mission.accepted_count)
    notices.place_confirmed(session, mission=mission, volunteer_id=actor.user_id,
                            timezone=timezone)
    return mission


def take_place(
    session: Session, *, mission: Mission, volunteer_id: int, existing: Participation | None,
    already: str, waitlist_actor: Actor | None = None,
) -> Mission | None:
    """Take one place of ``mission`` for ``volunteer_id``.

    The volunteer's tap or staff's assignment: one conditional UPDATE decides any
    race, see :func:`accept_mission`.

    With ``waitlist_actor`` (the volunteer's own tap), a full collective action puts
    them on its waiting list instead: the mission is returned then, None otherwise.

    Raises:
        AlreadyTaken: no place was left at that instant.
        DomainError: the mission has started or is not open, or this volunteer's place was just
            taken by another request (``already``).
    """
    mission_id = mission.id
    assert mission_id is not None
    now = utcnow()
    if not takes_volunteers(mission.starts_at, now):
        raise DomainError(STARTED)
    if not change_places(session, mission_id=mission_id, step=1, now=now):
        session.rollback()
        session.refresh(mission)
        if waitlist_actor is not None and mission.kind == MissionKind.COLLECTIVE and (
                mission.status in (MissionStatus.OPEN, MissionStatus.FULL)):
            return waitlist.join(session, actor=waitlist_actor, mission=mission)
        # Open or full now, it had no place left at the instant of the tap (a place
        # freed by a withdrawal since then is not this tap's to take).
        if mission.status in (MissionStatus.OPEN, MissionStatus.FULL):
            raise AlreadyTaken()
        raise DomainError(N_("This mission is no longer open to volunteers."))

    if not claim_participation(session, existing, mission_id, volunteer_id, now):
        # This volunteer's other tap got there first: give back the place taken above.
        session.rollback()
        raise DomainError(already)
    return None


def claim_participation(
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
    session: Session, *, actor: Actor, mission_id: int, reason: str = "",
    timezone: str = DEFAULT_TIMEZONE,
) -> Participation:
    """Say no to a mission (so the referent knows), or withdraw from an accepted one.

    A withdrawal gives the place back with conditional, relative UPDATEs: a double
    tap frees one place only, and a stale read of the mission never overwrites a
    place another volunteer took in the meantime.
    """
    require_volunteer(actor)
    clean_reason = _reason(reason)
    mission = mission_in_commune(session, actor, mission_id)
    participation = participation_of(session, mission_id, actor.user_id)
    was_accepted = (
        participation is not None and participation.status == ParticipationStatus.ACCEPTED
    )
    now = utcnow()
    promoted: int | None = None
    if was_accepted:
        assert participation is not None
        if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL):
            raise DomainError(N_("This mission can no longer be cancelled."))
        # Lock the mission row first: a volunteer joining the waiting list at this
        # instant re-checks the places under the same lock (see .waitlist).
        session.refresh(mission, with_for_update=ROW_LOCK)
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
        reopened = change_places(session, mission_id=mission_id, step=-step, now=now)
        if not reopened:  # marked done or cancelled in the meantime
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
                                  timezone=timezone)
    return participation


def cancel_deadline(mission: Mission, cutoff_hours: int) -> datetime:
    """The last moment a volunteer may cancel in the app.

    Someone waits at home for an individual mission: ``cutoff_hours`` before it, so
    the referent has time to find another volunteer. A collective action's waiting
    list fills the place at once, so cancelling stays open until it starts.
    """
    if mission.kind == MissionKind.COLLECTIVE:
        return mission.starts_at
    return mission.starts_at - timedelta(hours=cutoff_hours)


def withdraw(session: Session, *, actor: Actor, mission_id: int, reason: str,
             cutoff_hours: int, now: datetime | None = None,
             timezone: str = DEFAULT_TIMEZONE) -> Participation:
    """Withdraw from an accepted mission before its deadline; the referents are told.

    On their consoles, and by e-mail (at once for a mission of today).

    Raises:
        ValidationFailed: the reason is missing or too long.
        DomainError: too late (phone the referent), or not accepted.
    """
    text = _reason(reason, required=True)
    mission = mission_in_commune(session, actor, mission_id)
    mine = participation_of(session, mission_id, actor.user_id)
    if mine is None or mine.status != ParticipationStatus.ACCEPTED:
        raise DomainError(N_("You are not taking part in this mission."))
    if (now or utcnow()) > cancel_deadline(mission, cutoff_hours):
        raise DomainError(N_("It is too late to cancel in the app: please phone the "
                             "referent at the town hall."))
    participation = decline_mission(session, actor=actor, mission_id=mission_id, reason=text,
                                    timezone=timezone)
    tell_referent(session, "participation.cancelled", mission, actor, reason=text)
    session.refresh(mission)
    notices.withdrawal(session, mission=mission, participation_id=participation.id or 0,
                       volunteer=actor.display_name, reason=text,
                       withdrawn_at=participation.updated_at, timezone=timezone)
    return participation
