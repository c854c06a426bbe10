"""What every mission use case starts from.

The mission, the volunteer's participation, and the event that tells the live boards about a change.
"""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, select

from heurecivique_app.domain import events
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.models import Mission, Participation
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import known_id
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit

# A volunteer credits time only for what happened: hours are given, never promised.
NOT_STARTED = N_("The mission has not taken place yet.")


def mission_in_commune(session: Session, actor: Actor, mission_id: int) -> Mission:
    """The mission, if the actor may see it (else NotFound: no hint it exists).

    It must belong to a commune of the actor's reach, or be one a volunteer of the
    département pool was offered or took part in.

    A draft exists only for the commune's staff: anyone else gets the very answer
    of a missing id (so drafts cannot be enumerated), before anything is written.
    """
    mission = session.get(Mission, known_id(mission_id))
    if mission is None:
        raise NotFound()
    if not actor.sees(mission.commune_id) and (
            actor.is_staff or participation_of(session, mission.id, actor.user_id) is None):
        raise NotFound()
    if mission.status == MissionStatus.DRAFT and not actor.runs(mission.commune_id):
        raise NotFound()
    return mission


def staff_mission(session: Session, actor: Actor, mission_id: int) -> Mission:
    """A mission of a commune the actor runs, for its staff only."""
    mission = mission_in_commune(session, actor, mission_id)
    require_staff(actor, mission.commune_id)
    return mission


# Read by every mission page and answer: built once (building it cost more than running it).
_PARTICIPATION = select(Participation).where(
    Participation.mission_id == bindparam("mission_id"),
    Participation.volunteer_id == bindparam("volunteer_id"))


def participation_of(session: Session, mission_id: int, volunteer_id: int
                     ) -> Participation | None:
    """The volunteer's participation in the mission, whatever its status (one per pair)."""
    return session.exec(_PARTICIPATION, params={"mission_id": mission_id,
                                                "volunteer_id": volunteer_id}).first()


def accepted_volunteer_ids(session: Session, mission_id: int) -> list[int]:
    """Who holds a place on the mission."""
    return list(session.exec(
        select(Participation.volunteer_id).where(
            Participation.mission_id == mission_id,
            Participation.status == ParticipationStatus.ACCEPTED,
        )
    ).all())


def emit_mission_event(session: Session, kind: str, mission: Mission, actor: Actor,
                       **data: object) -> None:
    """Record a mission's event for the live boards (published after commit)."""
    events.record(session, events.DomainEvent(
        kind=kind,
        commune_id=mission.commune_id,
        neighbourhood_id=mission.neighbourhood_id,
        mission_id=mission.id,
        actor_name=actor.display_name,
        data={"title": mission.title, "status": mission.status, **data},
    ))


def tell_referent(session: Session, kind: str, mission: Mission, actor: Actor,
                  **data: object) -> None:
    """Audit a volunteer's move and tell the consoles.

    The referent's feed reads the mission's audit entries.
    """
    audit(session, actor=actor, action=kind, entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id, **data)
    events.record(session, events.DomainEvent(
        kind=kind, commune_id=mission.commune_id, neighbourhood_id=mission.neighbourhood_id,
        mission_id=mission.id, actor_name=actor.display_name,
        data={"title": mission.title, **data}))
