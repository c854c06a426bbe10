"""Reads for the volunteer's home.

"mon heure ce mois-ci" with its streak and history, missions proposed to me, and missions near me
(my board and the neighbouring ones).

Public card data only (no address, no phone): see :class:`selectors.MissionCard`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from heurecivique_app.domain.charter import charter_is_current
from heurecivique_app.domain.enums import Category, MissionStatus, ParticipationStatus
from heurecivique_app.domain.hours import PLEDGE_MINUTES, MonthlyHour, month_key
from heurecivique_app.domain.models import (
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    VolunteerProfile,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import selectors
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.geography import neighbouring_boards
from heurecivique_app.services.missions import participation
from heurecivique_app.services.missions.base import participation_of
from heurecivique_app.services.selectors import BOARD_STATUSES, MissionCard

HISTORY_MONTHS = 6
# The date filter of "missions near me": how many days ahead each choice covers.
DATE_WINDOWS = {"today": 0, "week": 6, "month": 30}


def _previous_month(key: str) -> str:
    year, month = int(key[:4]), int(key[5:])
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


@dataclass(frozen=True)
class HourSummary:
    """« Mon heure ce mois-ci »: this month, the streak, the last months."""

    this_month: MonthlyHour
    # Months in a row with the hour given, up to this month (this month counts once met;
    # until then the streak of the months before it still stands).
    streak: int
    history: list[MonthlyHour]  # the last months, newest first


def hour_summary(session: Session, *, volunteer_id: int, timezone: str,
                 now: datetime | None = None) -> HourSummary:
    """The volunteer's hour this month, their streak and the last six months."""
    this = month_key(now or utcnow(), timezone)
    rows = session.exec(
        select(HourEntry.month, func.sum(HourEntry.minutes))
        .where(HourEntry.volunteer_id == volunteer_id).group_by(HourEntry.month)
    ).all()
    by_month = {month: int(minutes) for month, minutes in rows}
    streak, key = 0, this
    if by_month.get(this, 0) < PLEDGE_MINUTES:
        key = _previous_month(this)
    while by_month.get(key, 0) >= PLEDGE_MINUTES:
        streak += 1
        key = _previous_month(key)
    history, key = [], this
    for _ in range(HISTORY_MONTHS):
        history.append(MonthlyHour(month=key, minutes=by_month.get(key, 0)))
        key = _previous_month(key)
    return HourSummary(MonthlyHour(this, by_month.get(this, 0)), streak, history)


def proposed_to_me(session: Session, *, actor: Actor) -> list[MissionCard]:
    """Missions a referent offered me, still open, soonest first."""
    return selectors.my_missions(session, actor=actor,
                                 participation=ParticipationStatus.PROPOSED,
                                 mission_statuses=(MissionStatus.OPEN,))


@dataclass(frozen=True)
class NearbyFilter:
    """The home page's filters of the missions near me."""

    category: str = ""  # a Category value, or "" for all
    when: str = ""  # "", "today", "week" or "month"
    my_skills_only: bool = False


def _local_day_end(now: datetime, days: int, timezone: str) -> datetime:
    local = now.astimezone(ZoneInfo(timezone))
    end = (local + timedelta(days=days)).replace(hour=23, minute=59, second=59)
    return end.astimezone(ZoneInfo("UTC"))


def missions_near_me(session: Session, *, actor: Actor, timezone: str,
                     filters: NearbyFilter = NearbyFilter(),
                     now: datetime | None = None) -> list[MissionCard]:
    """Open missions of my board and the neighbouring boards, soonest first, filtered.

    Missions I already answered (accepted, declined, proposed…) are left out:
    they appear in their own lists.
    """
    if actor.neighbourhood_id is None:
        return []
    hood_ids = [actor.neighbourhood_id] + [
        b.id for b in neighbouring_boards(session, neighbourhood_id=actor.neighbourhood_id)]
    answered = select(Participation.mission_id).where(
        Participation.volunteer_id == actor.user_id)
    query = (
        select(Mission, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == Mission.neighbourhood_id)
        .where(col(Mission.neighbourhood_id).in_(hood_ids),
               Mission.commune_id == actor.commune_id,
               Mission.status == MissionStatus.OPEN,
               col(Mission.id).not_in(answered))
    )
    # A page's filter vars can be set to anything by a hand-made event: what is not one
    # of the choices filters nothing.
    if isinstance(filters.category, str) and filters.category in set(Category):
        query = query.where(Mission.category == filters.category)
    if filters.my_skills_only is True:
        profile = session.get(VolunteerProfile, actor.user_id)
        query = query.where(col(Mission.category).in_(profile.skills if profile else []))
    if isinstance(filters.when, str) and filters.when in DATE_WINDOWS:
        query = query.where(Mission.starts_at <= _local_day_end(
            now or utcnow(), DATE_WINDOWS[filters.when], timezone))
    rows = session.exec(query.order_by(Mission.starts_at).limit(50)).all()
    # My own board first, then the neighbouring ones; soonest first within each.
    rows = sorted(rows, key=lambda r: r[1].id != actor.neighbourhood_id)
    return [selectors.card_of(m, h) for m, h in rows]


@dataclass(frozen=True)
class MyPart:
    """My participation in one mission, as the mission page needs it."""

    status: str
    confirmed: bool
    can_cancel: bool  # accepted, and the cut-off has not passed


def my_part(session: Session, *, actor: Actor, mission_id: int, cutoff_hours: int,
            now: datetime | None = None) -> MyPart | None:
    """My part in a mission (None if I have none): what I may still do about it."""
    part = participation_of(session, mission_id, actor.user_id)
    if part is None:
        return None
    # The mission page has read the mission in this session: no second query.
    mission = session.get(Mission, mission_id)
    assert mission is not None  # a participation's mission exists (foreign key)
    accepted = part.status == ParticipationStatus.ACCEPTED
    before_cutoff = (now or utcnow()) <= participation.cancel_deadline(mission, cutoff_hours)
    return MyPart(part.status, part.confirmed_at is not None,
                  accepted and before_cutoff and mission.status in BOARD_STATUSES)


@dataclass(frozen=True)
class Standing:
    """What the volunteer may do now, for the home page's banners."""

    status: str  # pending / active / paused
    charter_current: bool


def standing(session: Session, *, actor: Actor) -> Standing | None:
    """Where I stand as a volunteer: status, charter, pause (None if not a volunteer)."""
    profile = session.get(VolunteerProfile, actor.user_id)
    if profile is None:
        return None
    return Standing(profile.status, charter_is_current(profile.charter_version))

