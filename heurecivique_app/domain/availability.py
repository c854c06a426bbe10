"""Availability slots: a weekday and a part of the day, as volunteers state them.

Stored on ``VolunteerProfile.availability`` as ``{"mon": ["morning", "evening"], ...}``
(the demo data and the sign-up use the same keys). A mission's local start time
falls in one slot. Pure; no reflex.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from heurecivique_app.domain.text import N_

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS: tuple[str, ...] = ("morning", "afternoon", "evening")

DAY_LABELS: dict[str, str] = {
    "mon": N_("Monday"), "tue": N_("Tuesday"), "wed": N_("Wednesday"), "thu": N_("Thursday"),
    "fri": N_("Friday"), "sat": N_("Saturday"), "sun": N_("Sunday"),
}
PART_LABELS: dict[str, str] = {
    "morning": N_("morning"), "afternoon": N_("afternoon"), "evening": N_("evening"),
}

Slot = tuple[str, str]

# Local hours at which the afternoon and the evening begin.
AFTERNOON_FROM = 12
EVENING_FROM = 18


def day_part(hour: int) -> str:
    """The part of the day of a local hour (0-23)."""
    if hour < AFTERNOON_FROM:
        return "morning"
    return "afternoon" if hour < EVENING_FROM else "evening"


def slot_of(moment: datetime, timezone: str) -> Slot:
    """The (weekday, part of day) of an aware datetime, in the commune's timezone."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    local = moment.astimezone(ZoneInfo(timezone))
    return WEEKDAYS[local.weekday()], day_part(local.hour)


def slots_of(moments: Iterable[datetime], timezone: str) -> tuple[Slot, ...]:
    """The distinct slots of several start times, in the order given."""
    seen: dict[Slot, None] = {}
    for moment in moments:
        seen.setdefault(slot_of(moment, timezone), None)
    return tuple(seen)


def clean_availability(raw: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Only known days and parts, in calendar order (for storing a sign-up's choice)."""
    return {day: [part for part in DAY_PARTS if part in set(raw.get(day, ()))]
            for day in WEEKDAYS if set(raw.get(day, ())) & set(DAY_PARTS)}


def slot_key(day: str, part: str) -> str:
    """``"sat:morning"``: one slot as a word of ``VolunteerProfile.slots_key``."""
    return f"{day}:{part}"


def slots_key(availability: Mapping[str, Iterable[str]]) -> str:
    """Every known slot of an availability, space-separated, in calendar order."""
    clean = clean_availability(availability)
    return " ".join(slot_key(day, part) for day, parts in clean.items() for part in parts)


def skills_key(skills: Iterable[str]) -> str:
    """The skills, space-separated (skill values are single words)."""
    return " ".join(dict.fromkeys(str(s) for s in skills if str(s).strip()))
