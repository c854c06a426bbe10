"""The waiting list of a collective action: join it when full, move up on a cancellation.

Called from :mod:`.participation` (accept, withdraw) inside their transaction.
Race-safety rests on two things: every promotion is a conditional UPDATE of one
waiting participation (``status = 'waitlisted'``), so two cancellations never
promote the same person; and both a withdrawal and a volunteer joining the list
lock the mission row, so a place freed at the instant someone joins the list
goes to them instead of staying empty.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import Mission, Participation, User
from heurecivique_app.domain.notifications import DEFAULT_TIMEZONE
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import notices
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions.base import emit_mission_event, participation_of
from heurecivique_app.services.missions.places import ROW_LOCK, change_places

_WAITING = ParticipationStatus.WAITLISTED.value


def join(session: Session, *, actor: Actor, mission: Mission) -> Mission:
    """Put the volunteer at the end of the waiting list of a full collective action.

    If a place was freed since their tap (and nobody was waiting for it), they
    take it at once instead.
    """
    assert mission.id is not None
    now = utcnow()
    existing = participation_of(session, mission.id, actor.user_id)
    if existing is None:
        session.add(Participation(mission_id=mission.id, volunteer_id=actor.user_id,
                                  status=ParticipationStatus.WAITLISTED, created_at=now,
                                  updated_at=now))
        try:
            session.flush()
        except IntegrityError:  # this volunteer's other tap got there first
            session.rollback()
            raise DomainError(N_("You are already on the waiting list of this action.")) from None
    else:
        joined = session.execute(
            update(Participation)
            .where(Participation.id == existing.id,
                   col(Participation.status).not_in([ParticipationStatus.ACCEPTED.value,
                                                     _WAITING]))
            .values(status=_WAITING, reason="", updated_at=now)
            .execution_options(synchronize_session=False))
        if joined.rowcount != 1:
            session.rollback()
            raise DomainError(N_("You are already on the waiting list of this action."))
    # Under the mission's lock: a withdrawal that committed meanwhile may have left a place.
    session.refresh(mission, with_for_update=ROW_LOCK)
    if mission.status == MissionStatus.OPEN and mission.accepted_count < mission.capacity:
        _take_freed_place(session, mission=mission, volunteer_id=actor.user_id, now=now)
        session.refresh(mission)
        audit(session, actor=actor, action="mission.accepted", entity="mission",
              entity_id=mission.id, commune_id=mission.commune_id)
        emit_mission_event(session, "mission.accepted", mission, actor,
             places_left=mission.capacity - mission.accepted_count)
        return mission
    audit(session, actor=actor, action="mission.waitlisted", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(session, "mission.waitlisted", mission, actor)
    return mission


def _take_freed_place(session: Session, *, mission: Mission, volunteer_id: int,
                      now: datetime) -> None:
    change_places(session, mission_id=mission.id or 0, step=1, now=now)
    session.execute(
        update(Participation)
        .where(Participation.mission_id == mission.id,
               Participation.volunteer_id == volunteer_id)
        .values(status=ParticipationStatus.ACCEPTED.value, updated_at=now)
        .execution_options(synchronize_session=False))


def promote_first(session: Session, *, mission_id: int, now: datetime,
                  attempts: int = 20) -> int | None:
    """Give a freed place to the volunteer waiting longest; their id, or None.

    Each try is a conditional UPDATE: if another transaction promoted that
    person first (the UPDATE then matches nothing), the next one is tried.
    """
    for _ in range(attempts):
        candidate = session.exec(
            select(Participation.id, Participation.volunteer_id)
            .where(Participation.mission_id == mission_id, Participation.status == _WAITING)
            .order_by(col(Participation.updated_at), col(Participation.id))
            .limit(1)
        ).first()
        if candidate is None:
            return None
        promoted = session.execute(
            update(Participation)
            .where(Participation.id == candidate[0], Participation.status == _WAITING)
            .values(status=ParticipationStatus.ACCEPTED.value, updated_at=now)
            .execution_options(synchronize_session=False))
        if promoted.rowcount == 1:
            return int(candidate[1])
    return None


def record_promotion(session: Session, *, actor: Actor, mission: Mission,
                     volunteer_id: int, timezone: str = DEFAULT_TIMEZONE) -> None:
    """Audit and announce that ``volunteer_id`` moved up from the waiting list; e-mail them."""
    person = session.get(User, volunteer_id)
    audit(session, actor=actor, action="mission.promoted", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, volunteer_id=volunteer_id)
    emit_mission_event(session, "mission.promoted", mission, actor,
         volunteer=person.display_name if person else "")
    notices.place_confirmed(session, mission=mission, volunteer_id=volunteer_id,
                            timezone=timezone, from_waitlist=True)
