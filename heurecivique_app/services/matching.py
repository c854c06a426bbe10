"""Matching a mission with volunteers: suggestions, proposals, direct assignment.

The ranking itself is pure (``domain.matching``); this module loads what it
needs in a few bulk reads (services.shortlist: plain columns per volunteer, with
their minutes this month and recent declines) and writes the
referent's decisions with an audit entry and an event each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from heurecivique_app.domain.availability import slots_of
from heurecivique_app.domain.enums import (
    MissionKind,
    MissionStatus,
    ParticipationStatus,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.matching import (
    Candidate,
    Fit,
    Need,
    assess,
    may_be_offered,
    rank,
)
from heurecivique_app.domain.models import (
    Mission,
    Neighbourhood,
    Participation,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import known_ids
from heurecivique_app.services import minors
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit
from heurecivique_app.services.missions.base import (
    emit_mission_event,
    participation_of,
    staff_mission,
)
from heurecivique_app.services.missions.participation import take_place
from heurecivique_app.services.notifications import notify_proposal
from heurecivique_app.services.shortlist import (
    candidate_columns,
    candidate_of,
    in_mission,
    neighbourhood_points,
    shortlist,
)

MAX_PROPOSALS = 10  # at once: a referent offers a mission to a few people, not to a crowd


@dataclass(frozen=True)
class Suggestions:
    """The ranked volunteers for one mission, with what the ranking saw of it."""

    mission: Mission
    need: Need
    fits: list[Fit]


def need_of(session: Session, mission: Mission, timezone: str) -> Need:
    """The mission as the ranking sees it.

    Its exact point (server-side only), else its neighbourhood's centre, and the
    slots of every preferred date.
    """
    lat, lon = mission.exact_lat, mission.exact_lon
    if lat is None or lon is None:
        hood = session.get(Neighbourhood, mission.neighbourhood_id)
        assert hood is not None
        lat, lon = hood.lat, hood.lon
    starts = [datetime.fromisoformat(s) for s in mission.preferred_starts or ()]
    return Need(category=mission.category, collective=mission.kind == MissionKind.COLLECTIVE,
                lat=lat, lon=lon, slots=slots_of(starts or [mission.starts_at], timezone))


def load_candidates(
    session: Session, *, commune_id: int, mission_id: int | None, timezone: str,
    now: datetime | None = None, only: list[int] | None = None,
) -> list[Candidate]:
    """Every volunteer of the commune who may be asked (paused ones are left out).

    The straightforward read (``suggest`` shortlists instead): three reads whatever
    the number of volunteers (the neighbourhoods, the volunteers' columns with their
    minutes and declines, this mission's participations). ``only`` narrows it to a
    few volunteers.
    """
    now = now or utcnow()
    hoods = neighbourhood_points(session, commune_id)
    rows = session.connection().execute(candidate_columns(commune_id, now, timezone, only)).all()
    involved = (dict(session.connection().execute(in_mission(mission_id)).all())
                if mission_id is not None else {})
    return [candidate_of(row, hoods, involved) for row in rows]


def suggest(
    session: Session, *, actor: Actor, mission_id: int, timezone: str, limit: int = 20,
) -> Suggestions:
    """The ranked volunteers for a mission of the actor's commune (staff only)."""
    mission = staff_mission(session, actor, mission_id)
    need = need_of(session, mission, timezone)
    # Only the best few become candidates: the same fits as ranking everyone
    # (tests/integration/test_matching_service.py), without building 10,000 of them.
    best = shortlist(session, commune_id=mission.commune_id, mission_id=mission.id,
                     need=need, now=utcnow(), timezone=timezone, limit=limit)
    return Suggestions(mission, need, rank(best, need, limit=limit))


def _offerable(session: Session, mission: Mission, volunteer_ids: list[int],
               timezone: str) -> dict[int, Fit]:
    """Check that the mission may be offered to each of these volunteers.

    Each volunteer's fit, if the mission may be offered to every one of them (one
    read for all); else a DomainError before anything is written.
    """
    if mission.status != MissionStatus.OPEN:
        raise DomainError(N_("Only an open mission can be offered to volunteers."))
    return fits_for(session, mission, volunteer_ids, timezone)


def fits_for(session: Session, mission: Mission, volunteer_ids: list[int],
             timezone: str) -> dict[int, Fit]:
    """Each volunteer's fit, if every one of them may take part (whatever the mission's status).

    Raises:
        NotFound: a volunteer is of another commune, paused, or no volunteer at all.
        DomainError: a volunteer may not be given this mission (a minor at someone's
            home, say); nothing is written.
    """
    minors.refuse_minors_at_home(session, mission, volunteer_ids)
    found = {c.volunteer_id: c for c in load_candidates(
        session, commune_id=mission.commune_id, mission_id=mission.id, timezone=timezone,
        only=volunteer_ids)}
    need = need_of(session, mission, timezone)
    fits = {}
    for volunteer_id in volunteer_ids:
        candidate = found.get(volunteer_id)
        if candidate is None:  # another commune's, paused, or not a volunteer at all
            raise NotFound()
        fit = assess(candidate, need)
        if not may_be_offered(fit):
            raise DomainError(N_("{name} cannot be offered this mission."), name=candidate.name)
        fits[volunteer_id] = fit
    return fits


def propose_mission(
    session: Session, *, actor: Actor, mission_id: int, volunteer_ids: list[int],
    timezone: str,
) -> list[Participation]:
    """Offer an open mission to volunteers.

    One or several volunteers, who accept or decline it in
    their app (``participation.accept_mission`` / ``decline_mission``).

    Raises:
        NotFound: the mission or a volunteer is not of the actor's commune.
        DomainError: the mission is not open, or a volunteer may not be offered it
            (paused, too far, already involved, not met for an individual need);
            nothing is written.
    """
    mission = staff_mission(session, actor, mission_id)
    wanted = known_ids(volunteer_ids)
    if not wanted:
        raise DomainError(N_("Choose at least one volunteer."))
    if len(wanted) > MAX_PROPOSALS:
        raise DomainError(N_("Propose a mission to {count} volunteers at most."),
                          count=MAX_PROPOSALS)
    _offerable(session, mission, wanted, timezone)
    existing = {p.volunteer_id: p for p in session.exec(
        select(Participation).where(Participation.mission_id == mission.id,
                                    col(Participation.volunteer_id).in_(wanted)))}
    now = utcnow()
    out = []
    for volunteer_id in wanted:
        row = existing.get(volunteer_id) or Participation(mission_id=mission.id,
                                                          volunteer_id=volunteer_id)
        row.status = ParticipationStatus.PROPOSED
        row.reason = ""
        row.updated_at = now
        session.add(row)
        out.append(row)
    session.flush()
    audit(session, actor=actor, action="mission.proposed", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, volunteers=wanted)
    emit_mission_event(session, "mission.proposed", mission, actor, count=len(wanted))
    notify_proposal(session, mission=mission, actor=actor, proposals=out, timezone=timezone)
    return out


def assign_volunteer(
    session: Session, *, actor: Actor, mission_id: int, volunteer_id: int, timezone: str,
) -> Mission:
    """Give a place to a volunteer directly (they agreed on the phone).

    The place is taken with the same conditional UPDATE as a volunteer's own
    acceptance, so a referent and a volunteer tapping at once never overfill it.

    Raises:
        NotFound: the mission or the volunteer is not of the actor's commune.
        AlreadyTaken: the last place went to someone else first.
        DomainError: the volunteer may not take part (see :func:`propose_mission`).
    """
    mission = staff_mission(session, actor, mission_id)
    fit = _offerable(session, mission, [volunteer_id], timezone)[volunteer_id]
    existing = participation_of(session, mission_id, volunteer_id)
    if existing is not None and existing.status == ParticipationStatus.ACCEPTED:
        raise DomainError(N_("{name} already takes part in this mission."),
                          name=fit.candidate.name)
    take_place(session, mission=mission, volunteer_id=volunteer_id, existing=existing,
               already=N_("This volunteer already takes part in this mission."))
    session.refresh(mission)
    audit(session, actor=actor, action="mission.assigned", entity="mission",
          entity_id=mission.id, commune_id=mission.commune_id, volunteer_id=volunteer_id)
    emit_mission_event(
        session, "mission.assigned", mission, actor,
        places_left=mission.capacity - mission.accepted_count)
    return mission
