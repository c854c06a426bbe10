"""The shortlist of a mission: the candidates who rank best, without building the rest.

Ranking ten thousand volunteers to show twenty used to build a full candidate
(two keys split into lists, the neighbourhood looked up, a named tuple) for each
of them. Here the pool's rows stay plain tuples: SQL leaves out those who can
never be suggested (paused; not met yet, for an individual need) unless they are
involved in the mission, Python adds up each row's points with the ranking's own
function (``domain.matching.points``) and keeps the best ``limit`` by the
ranking's order; only those (and the involved) become candidates, which
``domain.matching.rank`` then orders as usual. Same reads as
``services.matching.load_candidates``, same fits (tests/integration/test_matching_service.py).

Tried and dropped (slower here, see README "Matching"): testing the skill and
slot words and the distance in SQL (instr/strpos, a CASE for the home point):
SQLite and PostgreSQL spent more on those expressions than Python on split();
joining the grouped counts as subqueries: PostgreSQL planned it at 15 s.
"""

from __future__ import annotations

import heapq
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import ParticipationStatus, Role, VolunteerStatus
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.matching import (
    RECENT_DECLINE_DAYS,
    Candidate,
    Need,
    points,
)
from heurecivique_app.domain.models import (
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)

VOLUNTEER_ROLES = (Role.VOLUNTEER.value, Role.RELAY.value)
_NOWHERE = (None, None, "")  # no neighbourhood: no point, no name


def in_pool(commune_id: int) -> tuple:
    """The WHERE of the commune's volunteers who may be asked at all (not paused)."""
    return (User.commune_id == commune_id, User.is_active, col(User.role).in_(VOLUNTEER_ROLES),
            VolunteerProfile.status != VolunteerStatus.PAUSED.value)


def minutes_of_month(commune_id: int, now: datetime, timezone: str,
                     only: list[int] | None = None):
    """(volunteer id, minutes given this local month) of the commune's volunteers."""
    return (select(HourEntry.volunteer_id, func.sum(HourEntry.minutes).label("total"))
            .join(User, User.id == HourEntry.volunteer_id)
            .where(User.commune_id == commune_id, HourEntry.month == month_key(now, timezone),
                   *([col(HourEntry.volunteer_id).in_(only)] if only is not None else []))
            .group_by(HourEntry.volunteer_id))


def recent_declines(commune_id: int, now: datetime, only: list[int] | None = None):
    """(volunteer id, missions of the commune declined in the last 30 days)."""
    return (select(Participation.volunteer_id, func.count().label("total"))
            .join(Mission, Mission.id == Participation.mission_id)
            .where(Mission.commune_id == commune_id,
                   Participation.status == ParticipationStatus.DECLINED.value,
                   Participation.updated_at >= now - timedelta(days=RECENT_DECLINE_DAYS),
                   *([col(Participation.volunteer_id).in_(only)] if only is not None else []))
            .group_by(Participation.volunteer_id))


def candidate_columns(commune_id: int, only: list[int] | None = None):
    """The SELECT of every volunteer who may be asked: plain columns only (no JSON to
    decode), the skills and slots as their text keys."""
    return (
        select(User.id, User.display_name, VolunteerProfile.status, VolunteerProfile.skills_key,
               VolunteerProfile.slots_key, VolunteerProfile.max_distance_km,
               VolunteerProfile.home_lat, VolunteerProfile.home_lon, User.neighbourhood_id)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(*in_pool(commune_id),
               *([col(User.id).in_(only)] if only is not None else []))
    )


def totals(session: Session, query) -> dict[int, int]:
    """{volunteer id: total} of a grouped (volunteer id, total) query."""
    return {volunteer_id: int(total) for volunteer_id, total in session.execute(query).all()}


def candidate_of(row, hoods: dict, minutes: dict, declines: dict, involved: dict) -> Candidate:
    """One row of :func:`candidate_columns` as the ranking sees it: the home point,
    else the neighbourhood's centre."""
    vid, name, status, skills, slots, max_km, lat, lon, hood_id = row
    hood_lat, hood_lon, hood_name = hoods.get(hood_id, _NOWHERE)
    if lat is None or lon is None:
        lat, lon = hood_lat, hood_lon
    return Candidate(vid, name, status, skills.split(), slots.split(), max_km, lat, lon,
                     hood_name, minutes.get(vid, 0), declines.get(vid, 0), involved.get(vid))





def in_mission(mission_id: int):
    """(volunteer id, status) of the mission's participations, whatever the status."""
    return (select(Participation.volunteer_id, Participation.status)
            .where(Participation.mission_id == mission_id))


def _is_free(slots: str, need: Need) -> bool:
    words = slots.split()
    for key, _slot in need.slot_keys:
        if key in words:
            return True
    return False


def shortlist(session: Session, *, commune_id: int, mission_id: int, need: Need,
              now: datetime, timezone: str, limit: int) -> list[Candidate]:
    """Those involved in the mission and the best ``limit`` who may be asked, as
    candidates (in no particular order: ``rank`` orders them)."""
    hoods = neighbourhood_points(session, commune_id)
    minutes = totals(session, minutes_of_month(commune_id, now, timezone))
    declines = totals(session, recent_declines(commune_id, now))
    involved = dict(session.connection().execute(in_mission(mission_id)).all())
    askable = ([VolunteerStatus.ACTIVE.value, VolunteerStatus.PENDING.value] if need.collective
               else [VolunteerStatus.ACTIVE.value])
    query = candidate_columns(commune_id).where(or_(
        col(VolunteerProfile.status).in_(askable),
        col(User.id).in_(select(Participation.volunteer_id)
                         .where(Participation.mission_id == mission_id))))
    hood_of, minutes_of, declines_of = hoods.get, minutes.get, declines.get
    category = need.category
    kept, scored = [], []
    for row in session.connection().execute(query):
        vid, _name, status, skills, slots, reach, lat, lon, hood_id = row
        if vid in involved:
            kept.append(row)
            continue
        if lat is None or lon is None:
            lat, lon, _hood = hood_of(hood_id, _NOWHERE)
        busy = minutes_of(vid, 0)
        found = points(need, status, lat, lon, reach, category in skills.split(),
                       _is_free(slots, need), busy, declines_of(vid, 0))
        if found is not None:
            scored.append((-found, busy, vid, row))
    kept += [row for *_, row in heapq.nsmallest(limit, scored, key=_order)]
    return [candidate_of(row, hoods, minutes, declines, involved) for row in kept]


def _order(item: tuple) -> tuple[float, int, int]:
    return item[0], item[1], item[2]


def neighbourhood_points(session: Session, commune_id: int) -> dict[int, tuple]:
    """{id: (lat, lon, name)} of the commune's neighbourhoods."""
    return {hood_id: (lat, lon, name) for hood_id, lat, lon, name in session.connection().execute(
        select(Neighbourhood.id, Neighbourhood.lat, Neighbourhood.lon, Neighbourhood.name)
        .where(Neighbourhood.commune_id == commune_id))}
