"""Ranking volunteers for one mission, with the reasons a referent reads. Pure; no DB.

Scoring is split so that ten thousand candidates cost little: :func:`score` is
one number per candidate (run for all, allocation-free), :func:`assess` keeps what
was found and :func:`reasons` turns it into message ids with parameters (both
run only for the volunteers shown).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from heurecivique_app.domain.availability import DAY_LABELS, PART_LABELS, Slot, slot_key
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
KM_PER_LAT_DEGREE = math.pi * _EARTH_RADIUS_KM / 180
_ENGAGED = frozenset({ParticipationStatus.ACCEPTED.value, ParticipationStatus.PROPOSED.value,
                      ParticipationStatus.WAITLISTED.value})


class Candidate(NamedTuple):
    """What the ranking knows of one volunteer (loaded in bulk by services.matching).

    A named tuple: ten thousand of them are built per ranking.
    """

    volunteer_id: int
    name: str
    status: str
    skills: Collection[str]
    slots: Collection[str]  # "sat:morning" words (see domain.availability.slot_key)
    max_distance_km: float
    lat: float | None  # the private home point, else the neighbourhood's centre
    lon: float | None
    neighbourhood: str = ""
    minutes_this_month: int = 0
    recent_declines: int = 0
    # This volunteer's participation in the mission being matched, if any.
    participation: str | None = None
    # Their commune's name when they come from the département pool ("" for the commune's).
    home_commune: str = ""


@dataclass(frozen=True)
class Need:
    """The mission being matched."""

    category: str
    collective: bool
    lat: float
    lon: float
    slots: tuple[Slot, ...]
    # Derived once: the slots as "sat:morning" words, and km per degree of longitude here.
    slot_keys: tuple[tuple[str, Slot], ...] = field(init=False, repr=False, compare=False)
    km_per_lon_degree: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Derive the slot words and the longitude scale once, for the hot loop."""
        object.__setattr__(self, "slot_keys", tuple(
            (slot_key(day, part), (day, part)) for day, part in self.slots))
        object.__setattr__(self, "km_per_lon_degree",
                           KM_PER_LAT_DEGREE * math.cos(math.radians(self.lat)))


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


def distance_km(candidate_lat: float, candidate_lon: float, need: Need) -> float:
    """Distance from the need in km, flat-earth around its latitude.

    Within a commune (a few km) it differs from the great circle by well under a
    metre, at a third of the cost.
    """
    dy = (candidate_lat - need.lat) * KM_PER_LAT_DEGREE
    dx = (candidate_lon - need.lon) * need.km_per_lon_degree
    return math.sqrt(dx * dx + dy * dy)


def score(candidate: Candidate, need: Need) -> float | None:
    """The candidate's points for the need, or None if they may not be asked.

    Not asked: paused, not met yet (except for a collective action), or farther
    than they would go.

    The hot loop of :func:`rank`: one call per volunteer, no allocation.
    """
    slots = candidate.slots
    free = False
    for key, _slot in need.slot_keys:
        if key in slots:
            free = True
            break
    return points(need, candidate.status, candidate.lat, candidate.lon,
                  candidate.max_distance_km, need.category in candidate.skills, free,
                  candidate.minutes_this_month, candidate.recent_declines)


def points(
    need: Need, status: str, lat: float | None, lon: float | None, reach: float,
    skilled: bool, free: bool, minutes: int, declines: int,
) -> float | None:
    """:func:`score` from what was found about a volunteer.

    Whether they listed the need's skill and are free on one of its slots
    (services.matching finds both in SQL for the whole pool). The one place the
    points are added up, in one order, so both ways of finding them give the same
    floats.
    """
    if status != VolunteerStatus.ACTIVE and not (
            status == VolunteerStatus.PENDING and need.collective):
        return None
    total = 0.0
    if lat is not None and lon is not None:
        far = distance_km(lat, lon, need)
        if far > reach:
            return None
        if reach > 0:
            total = DISTANCE_POINTS * (1.0 - far / reach)
    if skilled:
        total += SKILL_POINTS
    if free:
        total += AVAILABILITY_POINTS
    if minutes < PLEDGE_MINUTES:
        total += FAIRNESS_POINTS * (PLEDGE_MINUTES - minutes) / PLEDGE_MINUTES
    if declines:
        total -= min(MAX_DECLINE_PENALTY, DECLINE_PENALTY * declines)
    return total


def assess(candidate: Candidate, need: Need) -> Fit:
    """Everything found about one candidate, for the reasons shown to the referent."""
    far = None
    if candidate.lat is not None and candidate.lon is not None:
        far = distance_km(candidate.lat, candidate.lon, need)
    slot = next((slot for key, slot in need.slot_keys if key in candidate.slots), None)
    points = score(candidate, need)
    return Fit(candidate, points is not None, need.category in candidate.skills, slot, far,
               points if points is not None else 0.0)


def rank(candidates: list[Candidate], need: Need, *, limit: int = 20) -> list[Fit]:
    """The candidates to show for a mission, best first.

    Those already involved in the mission (shown as such, whatever the rules
    say), then the best ``limit`` candidates who may be asked.

    Ties go to the volunteer who gave the least time this month, then by id, so
    the order is stable from one look to the next.
    """
    involved: list[Fit] = []
    scored: list[tuple[float, int, int, Candidate]] = []
    for candidate in candidates:
        if candidate.participation is not None:
            involved.append(assess(candidate, need))
            continue
        points = score(candidate, need)
        if points is not None:
            scored.append((-points, candidate.minutes_this_month, candidate.volunteer_id,
                           candidate))
    involved.sort(key=ranking_key)
    best = heapq.nsmallest(limit, scored, key=_order)
    return involved + [assess(candidate, need) for *_, candidate in best]


def _order(item: tuple[float, int, int, Candidate]) -> tuple[float, int, int]:
    return item[0], item[1], item[2]


def ranking_key(fit: Fit) -> tuple[float, int, int]:
    """Best score first; ties to the least busy this month, then a stable order."""
    return -fit.score, fit.candidate.minutes_this_month, fit.candidate.volunteer_id


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
        out.append(Reason("availability", N_("Free: {day} {part}"), True,
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
