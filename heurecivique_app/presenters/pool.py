"""Rows of the volunteer pool and of matching suggestions, translated. No reflex.

Only what the commune's staff may see: never a home address or point.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from babel.numbers import format_decimal

from heurecivique_app.domain.availability import DAY_LABELS, PART_LABELS
from heurecivique_app.domain.enums import VOLUNTEER_STATUS_LABELS
from heurecivique_app.domain.matching import Fit, Need, Reason, may_be_offered, reasons
from heurecivique_app.domain.models import Mission
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_duration, format_when, translate
from heurecivique_app.presenters.labels import categories_text, category_label, status_label
from heurecivique_app.services.pool import PoolRow, VolunteerRecord

PARTICIPATION_LABELS = {
    "accepted": N_("Taking part"),
    "proposed": N_("Proposed"),
    "declined": N_("Declined"),
    "cancelled": N_("Withdrew"),
    "waitlisted": N_("Waiting list"),
}
# The reason kinds a suggestion row shows, in this order.
REASON_KINDS = ("participation", "skill", "availability", "distance", "load", "declines",
                "status")




class SuggestionRow(TypedDict):
    """One suggested volunteer of the match page; per reason kind a text and a tone.

    A reason kind the fit does not mention is "" (its badge is not drawn); a tone is
    "good", "bad" or "neutral". ``can_offer`` is "1" when the mission may be offered.
    """

    id: str
    name: str
    neighbourhood: str
    pool_badge: str  # "From <commune> (département pool)", "" for the commune's own
    score: str
    can_offer: str
    state: str  # their participation in this mission, "" if none
    participation: str
    participation_tone: str
    skill: str
    skill_tone: str
    availability: str
    availability_tone: str
    distance: str
    distance_tone: str
    load: str
    load_tone: str
    declines: str
    declines_tone: str
    status: str
    status_tone: str


class PoolListRow(TypedDict):
    """One volunteer of the pool list (staff only)."""

    id: str
    name: str
    neighbourhood: str
    status: str
    status_label: str
    skills: str
    availability: str
    month: str  # time given this month, or "Nothing yet"
    href: str  # "" for a volunteer of the département pool (their record stays at home)
    pool_badge: str  # "From <commune> (département pool)", "" for the commune's own


class VolunteerDetail(PoolListRow):
    """The head of one volunteer's record: the list's row and what only the record shows."""

    email: str
    phone: str
    skills_note: str
    max_distance: str
    charter: str  # when the charter was approved, "" if never
    validated: str
    validated_by: str
    total: str


class ParticipationRow(TypedDict):
    """One mission in a volunteer's history."""

    id: str
    title: str
    when: str
    status: str  # their participation, translated
    minutes: str


class RecordVars(TypedDict):
    """Everything the record page shows of one volunteer."""

    volunteer: VolunteerDetail
    note: str
    history: list[ParticipationRow]


class MatchedMission(TypedDict):
    """The mission the match page finds volunteers for."""

    id: str
    title: str
    category: str
    status: str
    status_label: str
    when: str
    dates: str  # how many dates the need has
    places: str
    open: str  # "1" when volunteers may still be proposed or assigned


def _tone(good: bool | None) -> str:
    return "good" if good else "neutral" if good is None else "bad"


def reason_text(reason: Reason, locale: str) -> str:
    """One reason of a volunteer's fit, translated with its parameters."""
    params = dict(reason.params)
    for name in reason.translated:
        params[name] = translate(params[name], locale)
    for name in ("km", "max"):
        if name in params:
            params[name] = format_decimal(params[name], format="0.#", locale=locale)
    return translate(reason.message, locale, **params)


def suggestion_row(fit: Fit, need: Need, locale: str) -> SuggestionRow:
    """One suggested volunteer: a text and a tone per reason kind ("" when absent)."""
    c = fit.candidate
    row = SuggestionRow(
        id=str(c.volunteer_id), name=c.name, neighbourhood=c.neighbourhood,
        pool_badge=pool_badge(c.home_commune, locale), score=str(round(fit.score)),
        can_offer="1" if may_be_offered(fit) else "",
        state=c.participation or "",
        **{key: "" for kind in REASON_KINDS for key in (kind, f"{kind}_tone")})
    for reason in reasons(fit, need):
        row[reason.kind] = reason_text(reason, locale)
        row[f"{reason.kind}_tone"] = _tone(reason.good)
    return row


def skills_text(skills: list[str], locale: str) -> str:
    """The gestures a volunteer likes (or an action wants), translated, in order."""
    return categories_text(skills, locale)


def availability_text(availability: dict[str, list[str]], locale: str) -> str:
    """The weekly availability grid as one translated line."""
    return "; ".join(
        f"{translate(DAY_LABELS[day], locale)} "
        + ", ".join(translate(PART_LABELS[p], locale) for p in parts if p in PART_LABELS)
        for day, parts in availability.items() if day in DAY_LABELS)


def pool_row(row: PoolRow, locale: str) -> PoolListRow:
    """One volunteer of the pool list, as the page shows it (staff only)."""
    return PoolListRow(
        id=str(row.volunteer_id), name=row.name, neighbourhood=row.neighbourhood,
        status=row.status,
        status_label=translate(VOLUNTEER_STATUS_LABELS.get(row.status, row.status), locale),
        skills=skills_text(row.skills, locale),
        availability=availability_text(row.availability, locale),
        month=format_duration(row.minutes_this_month, locale) if row.minutes_this_month
        else translate(N_("Nothing yet"), locale),
        href=f"/console/volunteers/{row.volunteer_id}" if row.has_record else "",
        pool_badge=pool_badge(row.home_commune, locale),
    )


def pool_badge(home_commune: str, locale: str) -> str:
    """The mark of a volunteer from another commune of the département ("" for the commune's)."""
    return (translate(N_("From {commune} (département pool)"), locale, commune=home_commune)
            if home_commune else "")


def record_vars(record: VolunteerRecord, locale: str, timezone: str) -> RecordVars:
    """The detail page of one volunteer (staff of their commune only)."""
    def when(moment: datetime | None) -> str:
        return format_when(moment, locale, timezone) if moment else ""

    return RecordVars(
        volunteer=VolunteerDetail(
            **pool_row(record.row, locale),
            email=record.email, phone=record.phone, skills_note=record.skills_note,
            max_distance=format_decimal(record.max_distance_km, format="0.#",
                                        locale=locale) + " km",
            charter=when(record.charter_accepted_at),
            validated=when(record.validated_at), validated_by=record.validated_by,
            total=format_duration(record.minutes_total, locale) if record.minutes_total
            else translate(N_("Nothing yet"), locale),
        ),
        note=record.validation_note,
        history=[
            ParticipationRow(
                id=str(h.mission_id), title=h.title, when=when(h.starts_at),
                status=translate(PARTICIPATION_LABELS.get(h.status, h.status), locale),
                minutes=format_duration(h.minutes, locale) if h.minutes else "")
            for h in record.history
        ],
    )


def mission_summary(mission: Mission, need_slots: int, locale: str,
                    timezone: str) -> MatchedMission:
    """The mission a volunteer is matched to, as the match page heads it."""
    return MatchedMission(
        id=str(mission.id), title=mission.title,
        category=category_label(mission.category, locale),
        status=mission.status,
        status_label=status_label(mission.status, locale),
        when=format_when(mission.starts_at, locale, timezone),
        dates=str(need_slots),
        places=translate("{count} place(s) left", locale,
                         count=mission.capacity - mission.accepted_count),
        open="1" if mission.status == "open" else "",
    )
