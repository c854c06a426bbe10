"""Ranking volunteers for one mission, with the reasons a referent reads. Pure; no DB.

Scoring is split in two so that ten thousand candidates cost little: :func:`assess`
computes a few numbers per candidate (cheap, run for all), :func:`reasons` turns
one assessment into translated message ids with parameters (run only for the
volunteers shown).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

from heurecivique_app.domain.availability import DAY_LABELS, PART_LABELS, Slot, free_slot
from heurecivique_app.domain.enums import CATEGORY_LABELS, ParticipationStatus, VolunteerStatus
from heurecivique_app.domain.hours import PLEDGE_MINUTES
from heurecivique_app.domain.text import N_

# Points of each criterion (at most 100 in all); declines take points away.
SKILL_POINTS = 35.0
AVAILABILITY_POINTS = 30.0
DISTANCE_POINTS = 20.0
FAIRNESS_POINTS = 15.0
DECLINE_PENALTY = 8.0
MAX_DECLINE_PENALTY = 24.0
RECENT_DECLINE_DAYS = 30

_EARTH_RADIUS_KM = 6371.009
_ENGAGED = frozenset({ParticipationStatus.ACCEPTED.value, ParticipationStatus.PROPOSED.value,
                      ParticipationStatus.WAITLISTED.value})


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the ranking knows of one volunteer (loaded in bulk by services.matching)."""

    volunteer_id: int
    name: str
    status: str
    skills: tuple[str, ...] | list[str]
    availability: dict[str, list[str]]
    max_distance_km: float
    lat: float | None  # the private home point, else the neighbourhood's centre
    lon: float | None
    neighbourhood: str = ""
    minutes_this_month: int = 0
    recent_declines: int = 0
    # This volunteer's participation in the mission being matched, if any.
    participation: str | None = None


@dataclass(frozen=True)
class Need:
    """The mission being matched."""

    category: str
    collective: bool
    lat: float
    lon: float
    slots: tuple[Slot, ...]


@dataclass(slots=True)
class Fit:
    """One candidate assessed against the need."""

    candidate: Candidate
    eligible: bool
    skill: bool
    slot: Slot | None
    distance_km: float | None
    score: float


@dataclass(frozen=True)
class Reason:
    """One line of explanation: ``kind`` groups it, ``good`` colours it (None: neutral).

    ``message`` is a message id; ``params`` fill it; the params named in
    ``translated`` are message ids themselves (a day, a skill).
    """

    kind: str
    message: str
    good: bool | None
    params: dict[str, Any] = field(default_factory=dict)
    translated: tuple[str, ...] = ()


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), inlined math for the hot loop."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def assess(candidate: Candidate, need: Need) -> Fit:
    """Score one candidate. Not eligible: paused, not yet met (for an individual need),
    or farther than they are willing to go. Someone already taking part in the
    mission stays listed (the referent sees them as such) whatever the rules say.
    """
    skill = need.category in candidate.skills
    slot = free_slot(candidate.availability, need.slots)
    far = None
    if candidate.lat is not None and candidate.lon is not None:
        far = distance_km(candidate.lat, candidate.lon, need.lat, need.lon)
    eligible = candidate.status == VolunteerStatus.ACTIVE or (
        candidate.status == VolunteerStatus.PENDING and need.collective)
    if far is not None and far > candidate.max_distance_km:
        eligible = False
    score = (SKILL_POINTS if skill else 0.0) + (AVAILABILITY_POINTS if slot else 0.0)
    if far is not None and candidate.max_distance_km > 0:
        score += DISTANCE_POINTS * max(0.0, 1.0 - far / candidate.max_distance_km)
    left = max(0, PLEDGE_MINUTES - candidate.minutes_this_month)
    score += FAIRNESS_POINTS * left / PLEDGE_MINUTES
    score -= min(MAX_DECLINE_PENALTY, DECLINE_PENALTY * candidate.recent_declines)
    return Fit(candidate, eligible, skill, slot, far, score)


def rank(candidates: list[Candidate], need: Need, *, limit: int = 20) -> list[Fit]:
    """The best ``limit`` eligible candidates, best first, after those already involved.

    Ties go to the volunteer who gave the least time this month, then by id, so
    the order is stable from one look to the next.
    """
    involved: list[Fit] = []
    eligible: list[Fit] = []
    for candidate in candidates:
        fit = assess(candidate, need)
        if candidate.participation is not None:
            involved.append(fit)
        elif fit.eligible:
            eligible.append(fit)
    involved.sort(key=ranking_key)
    return involved + _best(eligible, limit)


def ranking_key(fit: Fit) -> tuple[float, int, int]:
    """Best score first; ties to the least busy this month, then a stable order."""
    return -fit.score, fit.candidate.minutes_this_month, fit.candidate.volunteer_id


def _best(fits: list[Fit], limit: int) -> list[Fit]:
    if len(fits) <= limit:
        return sorted(fits, key=ranking_key)
    return heapq.nsmallest(limit, fits, key=ranking_key)


def reasons(fit: Fit, need: Need) -> list[Reason]:
    """Why this volunteer is suggested (or shown), one reason per criterion."""
    c = fit.candidate
    category = CATEGORY_LABELS.get(need.category, need.category)
    out = [
        Reason("skill", N_("Has the skill “{skill}”"), True, {"skill": category}, ("skill",))
        if fit.skill else
        Reason("skill", N_("Did not list “{skill}” among their skills"), False,
               {"skill": category}, ("skill",)),
    ]
    if fit.slot is not None:
        day, part = fit.slot
        out.append(Reason("availability", N_("Free on {day} {part}"), True,
                          {"day": DAY_LABELS[day], "part": PART_LABELS[part]}, ("day", "part")))
    else:
        out.append(Reason("availability", N_("Not free on the preferred dates"), False))
    if fit.distance_km is None:
        out.append(Reason("distance", N_("Distance unknown"), None))
    else:
        out.append(Reason("distance", N_("{km} km away (goes up to {max} km)"),
                          fit.distance_km <= c.max_distance_km,
                          {"km": round(fit.distance_km, 1), "max": round(c.max_distance_km, 1)}))
    if c.minutes_this_month <= 0:
        out.append(Reason("load", N_("Has not given their hour yet this month"), True))
    else:
        out.append(Reason("load", N_("Already gave {minutes} min this month"),
                          None if c.minutes_this_month < PLEDGE_MINUTES else False,
                          {"minutes": c.minutes_this_month}))
    if c.recent_declines:
        out.append(Reason("declines", N_("Declined {count} mission(s) in the last 30 days"),
                          False, {"count": c.recent_declines}))
    if c.status == VolunteerStatus.PENDING:
        out.append(Reason("status", N_("Not met yet: collective actions only"), None))
    state = _participation_reason(c.participation)
    if state is not None:
        out.append(state)
    return out


def _participation_reason(status: str | None) -> Reason | None:
    if status is None:
        return None
    texts = {
        ParticipationStatus.PROPOSED.value: (N_("Proposed: waiting for their answer"), None),
        ParticipationStatus.ACCEPTED.value: (N_("Taking part in this mission"), True),
        ParticipationStatus.WAITLISTED.value: (N_("On the waiting list"), None),
        ParticipationStatus.DECLINED.value: (N_("Declined this mission"), False),
        ParticipationStatus.CANCELLED.value: (N_("Withdrew from this mission"), False),
    }
    message, good = texts.get(status, (N_("Declined this mission"), False))
    return Reason("participation", message, good)


def may_be_offered(fit: Fit) -> bool:
    """Whether the referent may propose or assign the mission to this volunteer."""
    return fit.eligible and fit.candidate.participation not in _ENGAGED
