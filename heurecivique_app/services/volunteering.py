"""The volunteer's standing: the charter they approved, and pausing participation.

What they do on a mission (accept, decline, withdraw, confirm) lives in
:mod:`services.missions`.
"""

from __future__ import annotations

from sqlmodel import Session

from heurecivique_app.domain import events
from heurecivique_app.domain.charter import CHARTER_VERSION, charter_is_current
from heurecivique_app.domain.errors import NotAllowed
from heurecivique_app.domain.models import VolunteerProfile
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.volunteer_status import after_pause_request
from heurecivique_app.services.actor import Actor, require_volunteer
from heurecivique_app.services.audit import audit
from heurecivique_app.services.pool import staff_volunteer


def _profile(session: Session, actor: Actor) -> VolunteerProfile:
    require_volunteer(actor)
    profile = session.get(VolunteerProfile, actor.user_id)
    if profile is None:
        raise NotAllowed()
    return profile


def charter_current(session: Session, *, actor: Actor) -> bool:
    """Whether the volunteer approved the charter now in force."""
    return charter_is_current(_profile(session, actor).charter_version)


def approve_charter(session: Session, *, actor: Actor) -> VolunteerProfile:
    """Record that the volunteer approved the charter in force (version and time)."""
    profile = _profile(session, actor)
    profile.charter_version = CHARTER_VERSION
    profile.charter_accepted_at = utcnow()
    session.add(profile)
    audit(session, actor=actor, action="volunteer.charter_approved", entity="user",
          entity_id=actor.user_id, commune_id=actor.commune_id, version=CHARTER_VERSION)
    return profile


def set_paused(session: Session, *, actor: Actor, paused: bool,
               volunteer_id: int | None = None) -> VolunteerProfile:
    """Pause participation (holidays) or resume it.

    The volunteer's own, or, with ``volunteer_id``, one of the commune's volunteers
    for its staff.

    One rule for both (:func:`domain.volunteer_status.after_pause_request`):
    resuming gives back the status the volunteer had, active if a referent
    validated them, else pending; asking again for the current status changes nothing.

    Raises:
        NotAllowed: a volunteer acting for someone else, or no volunteer profile.
        NotFound: ``volunteer_id`` is not a volunteer of the actor's commune.
    """
    if not isinstance(paused, bool):  # a hand-made event: neither a pause nor a resume
        raise NotAllowed()
    if volunteer_id is None:
        profile = _profile(session, actor)
        person_id, commune_id = actor.user_id, actor.commune_id
    else:
        person, profile = staff_volunteer(session, actor, volunteer_id)
        person_id, commune_id = volunteer_id, person.commune_id
    target = after_pause_request(profile.status, paused=paused,
                                 validated_at=profile.validated_at)
    if target is None:
        return profile
    profile.status = target
    session.add(profile)
    session.flush()
    audit(session, actor=actor, action="volunteer.paused" if paused else "volunteer.resumed",
          entity="volunteer", entity_id=person_id, commune_id=commune_id)
    events.record(session, events.DomainEvent(
        kind="volunteer.paused", commune_id=commune_id, actor_name=actor.display_name,
        data={"paused": paused}))
    return profile
