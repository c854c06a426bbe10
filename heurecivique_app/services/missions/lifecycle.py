"""The referent's moves on a mission: publish a draft, mark it done.

Cancelling, editing and re-staffing a mission are in :mod:`.control`.

Each move is checked against :mod:`domain.lifecycle` (the state machine) and
announced to the live boards after commit.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.errors import DomainError, NotAllowed
from heurecivique_app.domain.hours import month_key, validate_minutes
from heurecivique_app.domain.lifecycle import TRANSITIONS, check_transition
from heurecivique_app.domain.models import HourEntry, Mission
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import alerts
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions.base import (
    NOT_STARTED,
    accepted_volunteer_ids,
    emit_mission_event,
    mission_in_commune,
    staff_mission,
)

NO_VOLUNTEER = N_("Only a mission with a volunteer can be marked as done.")
ALREADY_DONE = N_("This mission is already marked as done: its time was counted.")
DONE_FROM = sorted(s for s, targets in TRANSITIONS.items() if MissionStatus.DONE in targets)


def _refuse_if_done(mission: Mission) -> None:
    if mission.status == MissionStatus.DONE:
        raise DomainError(ALREADY_DONE)


def _staff_move(session: Session, actor: Actor, mission_id: int, target: MissionStatus,
                kind: str) -> Mission:
    """Move a mission of the actor's commune to ``target``, audited and announced as ``kind``."""
    mission = staff_mission(session, actor, mission_id)
    mission.status = check_transition(mission.status, target)
    mission.updated_at = utcnow()
    session.add(mission)
    audit(session, actor=actor, action=kind, entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id)
    emit_mission_event(session, kind, mission, actor)
    return mission


def publish_mission(session: Session, *, actor: Actor, mission_id: int) -> Mission:
    """Put a draft on its neighbourhood board; its alerts go out after commit.

    One fan-out job is written with the change (services.alerts): the request does
    not wait for the subscribers to be found.
    """
    mission = _staff_move(session, actor, mission_id, MissionStatus.OPEN, "mission.published")
    alerts.enqueue_fanout(session, mission)
    return mission


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
    _refuse_if_done(mission)
    if not volunteers:
        raise DomainError(NO_VOLUNTEER)
    now = utcnow()
    if not actor.is_staff and now < mission.starts_at:
        # The referent may record a mission done earlier than planned (the
        # beneficiary phoned, say); a volunteer, only once it started.
        raise DomainError(NOT_STARTED)
    check_transition(mission.status, MissionStatus.DONE)
    credited = validate_minutes(minutes if minutes is not None else mission.duration_minutes)
    # The move itself is conditional: of two « c'est fait » at the same instant (the
    # volunteer's and the referent's), the second waits for the first's commit, then
    # finds nothing to move, instead of entering the hours again (the hour ledger's
    # unique key refused it: an IntegrityError, an error instead of an answer).
    # (Any status that may become done: one changed meanwhile by a withdrawal, full to
    # open, still moves.)
    moved = session.execute(
        update(Mission).where(col(Mission.id) == mission_id,
                              col(Mission.status).in_(DONE_FROM))
        .values(status=MissionStatus.DONE, updated_at=now))
    session.refresh(mission)
    if moved.rowcount != 1:  # done meanwhile, or cancelled: refused, with the reason
        _refuse_if_done(mission)
        check_transition(mission.status, MissionStatus.DONE)
    # Read again now that the mission's row is ours: a withdrawal waits for it too.
    volunteers = accepted_volunteer_ids(session, mission_id)
    if not volunteers:
        raise DomainError(NO_VOLUNTEER)
    month = month_key(min(mission.starts_at, now), timezone)
    for volunteer_id in volunteers:
        session.add(HourEntry(volunteer_id=volunteer_id, mission_id=mission_id,
                              minutes=credited, month=month, recorded_by_id=actor.user_id))
    session.flush()
    audit(session, actor=actor, action="mission.done", entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id, minutes=credited, volunteers=volunteers)
    emit_mission_event(session, "mission.done", mission, actor)
    return mission
