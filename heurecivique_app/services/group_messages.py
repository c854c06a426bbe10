"""A referent writes to a group of volunteers of their own commune only.

The group: a mission's volunteers, a collective action's, a neighbourhood's, or the pool.

The message goes out through ``notify`` like any other (e-mail with quiet hours and
its unsubscribe link, the notification centre, and any channel added there later);
the audit log keeps who wrote what to how many people; a referent sends at most
``PER_HOUR`` of them per hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import (
    VOLUNTEER_ROLES,
    MissionKind,
    MissionStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.group_messages import (
    NOBODY,
    PER_HOUR,
    TOO_MANY,
    WINDOW,
    Audience,
    check_message,
)
from heurecivique_app.domain.models import (
    AuditEntry,
    Mission,
    Neighbourhood,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import known_id
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions.base import staff_mission
from heurecivique_app.services.missions.control import concerned_ids
from heurecivique_app.services.notifications import commune_look, notify

# A group message reaches volunteers who are met or waiting to be, never one on a break.
_REACHABLE = (VolunteerStatus.ACTIVE.value, VolunteerStatus.PENDING.value)
# Missions a message may still concern: not over.
_LIVE_MISSIONS = (MissionStatus.OPEN.value, MissionStatus.FULL.value)


@dataclass(frozen=True)
class Group:
    """Who a message goes to: the audience, its target (0 for the pool) and its ids."""

    audience: Audience
    target_id: int
    user_ids: list[int]
    mission_id: int | None = None  # the message links to the mission's page


def _audience(value: object) -> Audience:
    try:
        return Audience(value)
    except ValueError:
        raise NotFound() from None


def _volunteers(session: Session, actor: Actor, neighbourhood_id: int | None) -> list[int]:
    query = (select(User.id).join(VolunteerProfile, col(VolunteerProfile.user_id) == User.id)
             .where(User.commune_id == actor.commune_id, col(User.is_active).is_(True),
                    col(User.role).in_([role.value for role in VOLUNTEER_ROLES]),
                    col(VolunteerProfile.status).in_(_REACHABLE)))
    if neighbourhood_id is not None:
        query = query.where(User.neighbourhood_id == neighbourhood_id)
    return [int(user_id) for user_id in session.exec(query.order_by(col(User.id)))]


def group(session: Session, *, actor: Actor, audience: object, target_id: object = 0) -> Group:
    """The recipients of a message to ``audience``.

    ``target_id`` names the mission or the neighbourhood (ignored for the pool).

    Raises:
        NotAllowed: the actor is not staff.
        NotFound: an unknown audience, or a target that is not of the actor's commune
            (or a mission of the other kind).
    """
    require_staff(actor, actor.commune_id)
    kind = _audience(audience)
    if kind is Audience.POOL:
        return Group(kind, 0, _volunteers(session, actor, None))
    wanted = known_id(target_id)
    if kind is Audience.NEIGHBOURHOOD:
        hood = session.get(Neighbourhood, wanted)
        if hood is None or hood.commune_id != actor.commune_id:
            raise NotFound()
        return Group(kind, wanted, _volunteers(session, actor, wanted))
    mission = staff_mission(session, actor, wanted)
    collective = mission.kind == MissionKind.COLLECTIVE
    if collective != (kind is Audience.COLLECTIVE):
        raise NotFound()
    return Group(kind, wanted, concerned_ids(session, wanted), mission_id=wanted)


def targets(session: Session, *, actor: Actor) -> dict[str, list[tuple[int, str]]]:
    """What the form offers for each audience: (id, name), for the actor's commune."""
    require_staff(actor, actor.commune_id)
    missions = session.exec(
        select(Mission.id, Mission.title, Mission.kind, Mission.starts_at)
        .where(Mission.commune_id == actor.commune_id, col(Mission.status).in_(_LIVE_MISSIONS))
        .order_by(col(Mission.starts_at))).all()
    hoods = session.exec(select(Neighbourhood.id, Neighbourhood.name)
                         .where(Neighbourhood.commune_id == actor.commune_id)
                         .order_by(col(Neighbourhood.name))).all()
    return {
        Audience.MISSION: [(int(i), t) for i, t, k, _ in missions if k != MissionKind.COLLECTIVE],
        Audience.COLLECTIVE: [(int(i), t) for i, t, k, _ in missions
                              if k == MissionKind.COLLECTIVE],
        Audience.NEIGHBOURHOOD: [(int(i), name) for i, name in hoods],
        Audience.POOL: [],
    }


def sent_within_the_hour(session: Session, *, actor: Actor, now: datetime) -> int:
    """How many group messages the actor sent in the last hour (from the audit log)."""
    return int(session.exec(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.commune_id == actor.commune_id, AuditEntry.actor_id == actor.user_id,
        AuditEntry.action == EventKind.GROUP_MESSAGE_SENT.value,
        col(AuditEntry.at) > now - WINDOW)).one())


def send(session: Session, *, actor: Actor, audience: object, target_id: object, text: object,
         timezone: str, now: datetime | None = None) -> int:
    """Send ``text`` to the group; how many people it goes to.

    Raises:
        ValidationFailed: the text is empty or longer than ``MAX_LENGTH`` (field ``text``).
        NotFound: see :func:`group`.
        DomainError: nobody in the group, or ``PER_HOUR`` messages already sent this hour.
    """
    now = now or utcnow()
    message = check_message(text)
    chosen = group(session, actor=actor, audience=audience, target_id=target_id)
    if not chosen.user_ids:
        raise DomainError(NOBODY)
    # Two sends at once (two tabs) must not both pass the count: the referent's row is
    # held until this one commits (PostgreSQL; FOR NO KEY UPDATE, like places.ROW_LOCK).
    session.exec(select(User.id).where(User.id == actor.user_id)
                 .with_for_update(key_share=True)).one()
    if sent_within_the_hour(session, actor=actor, now=now) >= PER_HOUR:
        raise DomainError(TOO_MANY, count=PER_HOUR)
    audit(session, actor=actor, action=EventKind.GROUP_MESSAGE_SENT, entity=chosen.audience.value,
          entity_id=chosen.target_id or None, commune_id=actor.commune_id,
          recipients=len(chosen.user_ids), text=message)
    params = {"sender": actor.display_name, "text": message, "mission_id": chosen.mission_id}
    notify(session, kind=MessageKind.GROUP_MESSAGE, user_ids=chosen.user_ids,
           event=f"group:{actor.user_id}:{now.isoformat()}", params=params,
           commune=commune_look(session, actor.commune_id), timezone=timezone, now=now)
    return len(chosen.user_ids)
