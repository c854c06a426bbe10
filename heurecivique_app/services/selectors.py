"""Reads. Each returns plain public views; private fields only where the actor may see them."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, bindparam, func
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.hours import MonthlyHour, month_key
from heurecivique_app.domain.models import (
    AuditEntry,
    Beneficiary,
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
)
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import minors
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.missions.base import mission_in_commune, participation_of

BOARD_STATUSES = (MissionStatus.OPEN, MissionStatus.FULL)
# Volunteers' own moves that the referent's feed shows besides the missions' events.
VOLUNTEER_FEED_ACTIONS = ("volunteer.signed_up", "volunteer.paused", "volunteer.resumed")


@dataclass(frozen=True)
class MissionCard:
    """What anyone on the board may see: no address, no phone, no name."""

    id: int
    title: str
    category: str
    status: str
    neighbourhood_id: int
    neighbourhood_name: str
    starts_at: datetime
    duration_minutes: int
    places_left: int
    approx_lat: float
    approx_lon: float
    kind: str = "individual"


@dataclass(frozen=True)
class Contact:
    """Private: shown only to accepted volunteers (for a while) and to staff."""

    beneficiary_name: str
    phone: str
    address: str
    access_notes: str


@dataclass(frozen=True)
class MissionDetail:
    """A mission's page: its card, and the contact only for whom may see it."""

    card: MissionCard
    description: str
    my_participation: str | None  # accepted / declined / cancelled / None
    contact: Contact | None
    # A collective action's wanted skills (the volunteers' skill vocabulary): public.
    skills_wanted: tuple[str, ...] = ()


def _card(mission: Mission, hood: Neighbourhood) -> MissionCard:
    assert mission.id is not None
    return MissionCard(
        id=mission.id,
        title=mission.title,
        category=mission.category,
        status=mission.status,
        neighbourhood_id=hood.id or 0,
        neighbourhood_name=hood.name,
        starts_at=mission.starts_at,
        duration_minutes=mission.duration_minutes,
        places_left=max(0, mission.capacity - mission.accepted_count),
        approx_lat=mission.approx_lat,
        approx_lon=mission.approx_lon,
        kind=mission.kind,
    )


# A card's columns. Lists read these alone, not whole missions: loading each wide
# mission row (description, address, dates…) was most of a board's reading time.
_CARD_COLUMNS = (col(Mission.id), col(Mission.title), col(Mission.category),
                 col(Mission.status), col(Mission.neighbourhood_id),
                 col(Neighbourhood.name).label("neighbourhood_name"), col(Mission.starts_at),
                 col(Mission.duration_minutes), col(Mission.capacity),
                 col(Mission.accepted_count), col(Mission.approx_lat),
                 col(Mission.approx_lon), col(Mission.kind))


def _cards(session: Session, query: Select[Any], params: dict[str, Any] | None = None
           ) -> list[MissionCard]:
    """The cards of ``query``: ``card_rows()`` narrowed (missions and their neighbourhood)."""
    return [card_of_row(row) for row in session.execute(query, params)]


def card_of_row(row: Row[Any]) -> MissionCard:
    """The card of one row of ``card_rows()``."""
    return MissionCard(id=row.id, title=row.title, category=row.category, status=row.status,
                       neighbourhood_id=row.neighbourhood_id,
                       neighbourhood_name=row.neighbourhood_name, starts_at=row.starts_at,
                       duration_minutes=row.duration_minutes,
                       places_left=max(0, row.capacity - row.accepted_count),
                       approx_lat=row.approx_lat, approx_lon=row.approx_lon, kind=row.kind)


def card_rows() -> Select[Any]:
    """The card columns of missions joined to their neighbourhood, to narrow down."""
    return select(*_CARD_COLUMNS).join(Neighbourhood,
                                       Neighbourhood.id == Mission.neighbourhood_id)


# The reads of every board page and broadcast, built once (building each of them
# cost more than running it).
_BOARD_CARDS = (card_rows().where(Mission.neighbourhood_id == bindparam("hood_id"),
                                   col(Mission.status).in_([s.value for s in BOARD_STATUSES]))
                .order_by(Mission.starts_at))
_MY_CARDS = (card_rows().join(Participation, Participation.mission_id == Mission.id)
             .where(Participation.volunteer_id == bindparam("volunteer_id"),
                    Participation.status == bindparam("participation"),
                    col(Mission.status).in_(bindparam("statuses", expanding=True)))
             .order_by(Mission.starts_at))
_MONTH_MINUTES = select(func.coalesce(func.sum(HourEntry.minutes), 0)).where(
    HourEntry.volunteer_id == bindparam("volunteer_id"), HourEntry.month == bindparam("month"))


def card_of(mission: Mission, hood: Neighbourhood) -> MissionCard:
    """The public card of a mission read together with its neighbourhood."""
    return _card(mission, hood)


def neighbourhoods(session: Session, commune_id: int) -> list[Neighbourhood]:
    """The commune's neighbourhoods, by name."""
    return list(session.exec(
        select(Neighbourhood).where(Neighbourhood.commune_id == commune_id)
        .order_by(Neighbourhood.name)
    ).all())


def board(session: Session, *, actor: Actor, neighbourhood_id: int) -> list[MissionCard]:
    """The board of one neighbourhood of the actor's commune."""
    hood = session.get(Neighbourhood, neighbourhood_id)
    if hood is None or not actor.sees(hood.commune_id):
        raise NotFound()
    return board_cards(session, hood)


def board_cards(session: Session, hood: Neighbourhood) -> list[MissionCard]:
    """Open and just-filled missions of a neighbourhood board, soonest first.

    Public data only: it is broadcast as is to everyone watching the board.
    """
    return _cards(session, _BOARD_CARDS, {"hood_id": hood.id})


def commune_missions(
    session: Session, *, commune_id: int, statuses: list[str] | None = None, limit: int = 100
) -> list[MissionCard]:
    """The commune's missions for the referent console, newest activity first.

    At most ``limit``: the full list is /console/missions, paginated.
    """
    query = card_rows().where(Mission.commune_id == commune_id)
    if statuses:
        query = query.where(col(Mission.status).in_(statuses))
    return _cards(session, query.order_by(col(Mission.updated_at).desc(),
                                          col(Mission.id).desc()).limit(limit))


@dataclass(frozen=True)
class WaitingMission:
    """An open mission nobody took yet, on the console."""

    card: MissionCard
    published_at: datetime


def waiting_where(commune_id: int) -> tuple[ColumnElement[bool], ...]:
    """Open missions of the commune nobody has accepted yet (the list and its count)."""
    return (Mission.commune_id == commune_id, Mission.status == MissionStatus.OPEN,
            Mission.accepted_count == 0)


def missions_waiting(session: Session, *, commune_id: int, limit: int = 10
                     ) -> list[WaitingMission]:
    """Open missions nobody has accepted yet, the longest waiting first."""
    rows = session.execute(
        card_rows().add_columns(col(Mission.created_at).label("published_at"))
        .where(*waiting_where(commune_id))
        .order_by(Mission.created_at, col(Mission.id))
        .limit(limit))
    return [WaitingMission(card_of_row(row), row.published_at) for row in rows]


def mission_card(session: Session, mission_id: int) -> MissionCard | None:
    """The public card of one mission (None for a draft or a missing one)."""
    mission = session.get(Mission, mission_id)
    if mission is None or mission.status == MissionStatus.DRAFT:
        return None
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    assert hood is not None
    return _card(mission, hood)


def contact_visible(
    *, actor: Actor, mission: Mission, participation: Participation | None,
    now: datetime, hours_after: int,
) -> bool:
    """Staff of the commune always; an accepted volunteer until a while after the mission."""
    if actor.runs(mission.commune_id):
        return True
    if participation is None or participation.status != ParticipationStatus.ACCEPTED:
        return False
    if mission.status not in (MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE):
        return False
    end = mission.starts_at + timedelta(minutes=mission.duration_minutes)
    return now <= end + timedelta(hours=hours_after)


def mission_detail(
    session: Session, *, actor: Actor, mission_id: int, contact_hours_after: int
) -> MissionDetail:
    """A mission's page for ``actor``; the contact only if they may see it now."""
    mission = mission_in_commune(session, actor, mission_id)
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    assert hood is not None
    participation = participation_of(session, mission.id, actor.user_id)
    contact = None
    if mission.beneficiary_id and contact_visible(
        actor=actor, mission=mission, participation=participation, now=utcnow(),
        hours_after=contact_hours_after,
    ) and (actor.is_staff or not minors.is_minor(session, actor.user_id)):
        # A minor never receives a beneficiary's contact, even if a place was given.
        person = session.get(Beneficiary, mission.beneficiary_id)
        if person is not None:
            contact = Contact(person.full_name, person.phone or "", mission.exact_address,
                              person.access_notes)
    return MissionDetail(
        card=_card(mission, hood),
        description=mission.description,
        my_participation=participation.status if participation else None,
        contact=contact,
        skills_wanted=tuple(mission.skills_wanted or ()),
    )


def monthly_hour(session: Session, *, volunteer_id: int, timezone: str,
                 now: datetime | None = None) -> MonthlyHour:
    """Time given this month ("mon heure ce mois-ci")."""
    month = month_key(now or utcnow(), timezone)
    minutes = session.exec(_MONTH_MINUTES,
                           params={"volunteer_id": volunteer_id, "month": month}).one()
    return MonthlyHour(month=month, minutes=int(minutes))


def my_missions(
    session: Session, *, actor: Actor, participation: str = ParticipationStatus.ACCEPTED,
    mission_statuses: tuple[str, ...] = BOARD_STATUSES,
) -> list[MissionCard]:
    """Missions this volunteer accepted (or: ``participation``) that are still to do."""
    return _cards(session, _MY_CARDS, {
        "volunteer_id": actor.user_id, "participation": str(participation),
        "statuses": [str(s) for s in mission_statuses]})


@dataclass(frozen=True)
class Activity:
    """One line of the referent's live feed."""

    at: datetime
    action: str
    actor_name: str
    mission_title: str


def activity_where(commune_id: int, actions: Collection[str] | None = None
                   ) -> tuple[ColumnElement[bool], ...]:
    """The commune's mission events and volunteers' own moves (``actions``: only these)."""
    where: tuple[ColumnElement[bool], ...] = (
        AuditEntry.commune_id == commune_id,
        (col(AuditEntry.entity) == "mission") | col(AuditEntry.action).in_(VOLUNTEER_FEED_ACTIONS))
    if actions is not None:
        where += (col(AuditEntry.action).in_([str(a) for a in actions]),)
    return where


def commune_activity(session: Session, *, commune_id: int, limit: int = 15,
                     actions: Collection[str] | None = None) -> list[Activity]:
    """The commune's latest mission events, for the referent's live feed.

    ``actions``: only the events the feed knows how to word, so none of the
    ``limit`` is lost.
    """
    rows = session.exec(
        select(AuditEntry, User.display_name, Mission.title)
        .join(User, User.id == AuditEntry.actor_id, isouter=True)
        .join(Mission, Mission.id == AuditEntry.entity_id, isouter=True)
        .where(*activity_where(commune_id, actions))
        .order_by(col(AuditEntry.id).desc())
        .limit(limit)
    ).all()
    return [Activity(entry.at, entry.action, name or "", title or "")
            for entry, name, title in rows]
