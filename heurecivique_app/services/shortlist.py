"""The shortlist of a mission: the candidates who rank best, reading as few as it can.

Ranking ten thousand volunteers to show twenty does not need to read ten
thousand rows. A volunteer's points (``domain.matching.points``) are at most
distance + skill + free slot + fairness; one who lacks the mission's skill or is
not free on its dates can reach only part of that. So the pool is read in
widening levels, the skill and slot tests done in SQL on the plain-text keys:

1. those who have the skill *and* a free slot;
2. those who have the skill *or* a free slot;
3. everyone who may be asked.

Each level's rows are scored in Python with the ranking's own function and the
best ``limit`` kept. A level settles the shortlist when it found ``limit``
eligible volunteers and the last of them scores strictly more than anyone the
level left out could (a tie could go either way on the tie-breaks, so it reads
on). Otherwise the next, wider level is read. Those involved in the mission are
always read. The result is exactly the best ``limit`` of ranking everyone
(tests/integration/test_matching_service.py), usually from the first level: a
twentieth of the pool for a common skill (bench/matching.py).

Tried and dropped (see README "Matching"): computing the skill and slot tests as
columns for every row (SQL spent more on them than Python on split()); joining
the grouped counts as derived tables (PostgreSQL planned it at 15 s). The
minutes and declines are correlated subqueries instead: looked up by index for
the rows a level returns only.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Row, Select, and_, case, false, func, or_
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import (
    VOLUNTEER_ROLES,
    ParticipationStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.matching import (
    AVAILABILITY_POINTS,
    DISTANCE_POINTS,
    FAIRNESS_POINTS,
    RECENT_DECLINE_DAYS,
    SKILL_POINTS,
    Candidate,
    Need,
    points,
)
from heurecivique_app.domain.models import (
    Commune,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)

_NOWHERE = (None, None, "")  # no neighbourhood: no point, no name


def _departement_communes(commune_id: int) -> Select:
    """The ids of the communes of ``commune_id``'s département (itself included)."""
    departement = select(Commune.departement_id).where(Commune.id == commune_id)
    return select(Commune.id).where(col(Commune.departement_id).in_(departement))


def pool_members(commune_id: int) -> ColumnElement[bool]:
    """Whether a volunteer is in the commune's pool (a query joining User and profile).

    One of its own, or one of its département's other communes who offered to help
    there (``VolunteerProfile.departement_pool``), never anyone else.
    """
    return or_(User.commune_id == commune_id,
               and_(col(VolunteerProfile.departement_pool).is_(True),
                    col(User.commune_id).in_(_departement_communes(commune_id))))


def in_pool(commune_id: int) -> tuple:
    """The WHERE of the commune's volunteers who may be asked at all (not paused)."""
    return (pool_members(commune_id), User.is_active,
            col(User.role).in_(sorted(VOLUNTEER_ROLES)),
            VolunteerProfile.status != VolunteerStatus.PAUSED.value)


def key_has(column: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """Whether a space-separated key column holds ``word``.

    The columns are ``VolunteerProfile.skills_key`` and ``slots_key``: LIKE '% word %'
    on the key padded with spaces.
    """
    return (" " + column + " ").contains(f" {word} ", autoescape=True)


def candidate_columns(commune_id: int, now: datetime, timezone: str,
                      only: list[int] | None = None) -> Select:
    """The SELECT of the volunteers who may be asked.

    Plain columns only (no JSON to decode), the skills and slots as their text keys,
    then the minutes given this local month and the missions of the commune declined
    in the last 30 days, and the name of their commune when it is another one (the
    département pool; "" for the commune's own).
    """
    minutes = (select(func.coalesce(func.sum(HourEntry.minutes), 0))
               .where(HourEntry.volunteer_id == User.id,
                      HourEntry.month == month_key(now, timezone))
               .scalar_subquery())
    declines = (select(func.count())
                .select_from(Participation)
                .join(Mission, Mission.id == Participation.mission_id)
                .where(Participation.volunteer_id == User.id,
                       Participation.status == ParticipationStatus.DECLINED.value,
                       Participation.updated_at >= now - timedelta(days=RECENT_DECLINE_DAYS),
                       Mission.commune_id == commune_id)
                .scalar_subquery())
    return (
        select(User.id, User.display_name, VolunteerProfile.status, VolunteerProfile.skills_key,
               VolunteerProfile.slots_key, VolunteerProfile.max_distance_km,
               VolunteerProfile.home_lat, VolunteerProfile.home_lon, User.neighbourhood_id,
               minutes, declines, _other_commune(commune_id))
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(*in_pool(commune_id),
               *([col(User.id).in_(only)] if only is not None else []))
    )


def candidate_of(row: Row, hoods: dict, involved: dict) -> Candidate:
    """One row of :func:`candidate_columns` as a ranking candidate.

    The home point, else the neighbourhood's centre.
    """
    vid, name, status, skills, slots, max_km, lat, lon, hood_id, minutes, declines, town = row
    hood_lat, hood_lon, hood_name = hoods.get(hood_id, _NOWHERE)
    if lat is None or lon is None:
        lat, lon = hood_lat, hood_lon
    return Candidate(vid, name, status, skills.split(), slots.split(), max_km, lat, lon,
                     hood_name, int(minutes), int(declines), involved.get(vid), town)


def in_mission(mission_id: int) -> Select:
    """(volunteer id, status) of the mission's participations, whatever the status."""
    return (select(Participation.volunteer_id, Participation.status)
            .where(Participation.mission_id == mission_id))


def levels(need: Need) -> list[tuple[object, float | None]]:
    """The levels of the shortlist read, narrowest first.

    (SQL condition, the most points anyone it leaves out can have) of each level,
    narrowest first; the last one leaves no one out.
    """
    skilled = key_has(VolunteerProfile.skills_key, need.category)
    free = or_(*[key_has(VolunteerProfile.slots_key, key) for key, _slot in need.slot_keys]) \
        if need.slot_keys else false()
    return [
        (and_(skilled, free), DISTANCE_POINTS + max(SKILL_POINTS, AVAILABILITY_POINTS)
         + FAIRNESS_POINTS),
        (or_(skilled, free), DISTANCE_POINTS + FAIRNESS_POINTS),
        (None, None),
    ]


def shortlist(session: Session, *, commune_id: int, mission_id: int, need: Need,
              now: datetime, timezone: str, limit: int) -> list[Candidate]:
    """The candidates the ranking needs to see.

    Those involved in the mission and the best ``limit`` who may be asked, as
    candidates (in no particular order: ``rank`` orders them).
    """
    hoods = neighbourhood_points(session, commune_id)
    involved = dict(session.connection().execute(in_mission(mission_id)).all())
    pool = candidate_columns(commune_id, now, timezone)
    kept = session.connection().execute(
        pool.where(col(User.id).in_(select(Participation.volunteer_id)
                                    .where(Participation.mission_id == mission_id)))).all()
    askable = ([VolunteerStatus.ACTIVE.value, VolunteerStatus.PENDING.value] if need.collective
               else [VolunteerStatus.ACTIVE.value])
    asked = pool.where(col(VolunteerProfile.status).in_(askable))
    for condition, left_out_at_most in levels(need):
        rows = session.connection().execute(
            asked if condition is None else asked.where(condition))
        best = best_rows(rows, need, hoods, involved, limit)
        if left_out_at_most is None or (
                len(best) == limit and (limit == 0 or best[-1][0] > left_out_at_most)):
            break
    return [candidate_of(row, hoods, involved) for row in kept + [row for _, row in best]]


def best_rows(rows: Iterable, need: Need, hoods: dict, involved: dict,
              limit: int) -> list[tuple[float, tuple]]:
    """The best ``limit`` rows not involved in the mission, with their points.

    (points, row) of the best ``limit`` rows not involved in the mission, best first
    by the ranking's order (points, then the least busy, then the id).
    """
    hood_of = hoods.get
    category = need.category
    scored = []
    for row in rows:
        vid, _name, status, skills, slots, reach, lat, lon, hood_id, minutes, declines, _t = row
        if vid in involved:
            continue
        if lat is None or lon is None:
            lat, lon, _hood = hood_of(hood_id, _NOWHERE)
        found = points(need, status, lat, lon, reach, category in skills.split(),
                       _is_free(slots, need), minutes, declines)
        if found is not None:
            scored.append((-found, minutes, vid, row))
    return [(-negated, row) for negated, _m, _v, row in heapq.nsmallest(limit, scored, key=_order)]


def _is_free(slots: str, need: Need) -> bool:
    words = slots.split()
    for key, _slot in need.slot_keys:
        if key in words:
            return True
    return False


def _order(item: tuple) -> tuple[float, int, int]:
    return item[0], item[1], item[2]


def neighbourhood_points(session: Session, commune_id: int) -> dict[int, tuple]:
    """{id: (lat, lon, name)} of the neighbourhoods of the commune's département.

    The département pool's volunteers live in its other communes.
    """
    return {hood_id: (lat, lon, name) for hood_id, lat, lon, name in session.connection().execute(
        select(Neighbourhood.id, Neighbourhood.lat, Neighbourhood.lon, Neighbourhood.name)
        .where(col(Neighbourhood.commune_id).in_(_departement_communes(commune_id))))}


def _other_commune(commune_id: int) -> ColumnElement[str]:
    """The volunteer's commune's name when it is not ``commune_id`` (else "")."""
    name = select(Commune.name).where(Commune.id == User.commune_id).scalar_subquery()
    return case((User.commune_id == commune_id, ""), else_=name)
