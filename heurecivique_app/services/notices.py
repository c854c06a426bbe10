"""The messages of issue 17 item 5 that one change causes: who receives them and when.

Each function is called by the service that makes the change, inside its
transaction, and goes through :func:`services.notifications.notify` (one delivery
per event, recipient and channel, keyed so that a retried request never sends
twice; the in-app and push channels hook that same call). What the message says
is rendered when it is sent (``presenters/emails.py``).

Staff messages go to the referents and administrators of the mission's commune
only: never to another commune's staff, never to the département's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MissionKind, MissionStatus, ParticipationStatus, Role
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.models import Beneficiary, Mission, Neighbourhood, Participation, User
from heurecivique_app.domain.notifications import MessageKind, same_local_day
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import known_id
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.notifications import (
    commune_look,
    mission_params,
    notify,
)

# Who runs a commune day to day: its referents and administrators (not the département's).
COMMUNE_STAFF = (Role.REFERENT.value, Role.COMMUNE_ADMIN.value)


def staff_ids(session: Session, commune_id: int) -> list[int]:
    """The active referents and administrators of ``commune_id``."""
    return list(session.exec(select(User.id).where(
        User.commune_id == commune_id, col(User.role).in_(COMMUNE_STAFF),
        col(User.is_active).is_(True)).order_by(col(User.id))).all())


def soon(starts_at: datetime, now: datetime, timezone: str) -> bool:
    """A change about a mission of today goes out at once, even in the quiet hours."""
    return same_local_day(starts_at, now, timezone)


def _hood_name(session: Session, mission: Mission) -> str:
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    return hood.name if hood else ""


def _about_mission(session: Session, *, kind: str, event: str, mission: Mission,
                   user_ids: Iterable[int], timezone: str, now: datetime | None = None,
                   **extra: object) -> int:
    now = now or utcnow()
    return notify(session, kind=kind, event=event, user_ids=list(user_ids),
                  params=mission_params(mission, _hood_name(session, mission),
                                        duration_minutes=mission.duration_minutes, **extra),
                  commune=commune_look(session, mission.commune_id), timezone=timezone,
                  urgent=soon(mission.starts_at, now, timezone), now=now)


# --- to the volunteer -------------------------------------------------------------------


def place_confirmed(session: Session, *, mission: Mission, volunteer_id: int, timezone: str,
                    from_waitlist: bool = False) -> int:
    """The confirmation of a place, with the mission's .ics invitation attached.

    ``from_waitlist``: the place was freed by someone else and given to this volunteer
    (a message of its own, never turned off: they did not tap anything just now).
    """
    now = utcnow()
    kind = MessageKind.WAITLIST_PLACE if from_waitlist else MessageKind.CONFIRMED
    return _about_mission(session, kind=kind, mission=mission, user_ids=[volunteer_id],
                          event=f"{kind}:{mission.id}:{volunteer_id}:{now.isoformat()}",
                          timezone=timezone, now=now, ics=True)


def volunteer_validated(session: Session, *, person: User, timezone: str) -> int:
    """Tell a volunteer a referent validated them after the interview (once)."""
    return notify(session, kind=MessageKind.VALIDATED, event=f"validated:{person.id}",
                  user_ids=[person.id], params={},
                  commune=commune_look(session, person.commune_id), timezone=timezone)


def report_answered(session: Session, *, report_id: int, relay_id: int, commune_id: int,
                    title: str, answer: str, status: str, timezone: str) -> int:
    """Tell a relay the referent's answer to their report."""
    return notify(session, kind=MessageKind.REPORT_ANSWER,
                  event=f"report_answer:{report_id}:{status}", user_ids=[relay_id],
                  params={"report_id": report_id, "title": title, "answer": answer,
                          "status": status},
                  commune=commune_look(session, commune_id), timezone=timezone)


# --- to the commune's staff -------------------------------------------------------------


def withdrawal(session: Session, *, mission: Mission, participation_id: int, volunteer: str,
               reason: str, withdrawn_at: datetime, timezone: str) -> int:
    """A volunteer withdrew from a mission: the referents should find someone else.

    The event is the participation's withdrawal (its time): the two taps of a double
    tap are one withdrawal, one e-mail.
    """
    return _about_mission(session, kind=MessageKind.WITHDRAWAL, mission=mission,
                          user_ids=staff_ids(session, mission.commune_id),
                          event=f"withdrawal:{participation_id}:{withdrawn_at.isoformat()}",
                          timezone=timezone, volunteer=volunteer, reason=reason,
                          places_left=mission.capacity - mission.accepted_count)


def problem_reported(session: Session, *, mission: Mission, participation_id: int,
                     volunteer: str, problem: str, timezone: str) -> int:
    """A volunteer reported a problem after a mission (once per participation)."""
    return _about_mission(session, kind=MessageKind.PROBLEM_REPORTED, mission=mission,
                          user_ids=staff_ids(session, mission.commune_id),
                          event=f"problem:{participation_id}", timezone=timezone,
                          volunteer=volunteer, problem=problem)


def relay_report(session: Session, *, report_id: int, commune_id: int, relay: str,
                 title: str, kind: str, neighbourhood: str, timezone: str) -> int:
    """A relay sent a report: it waits in the triage queue."""
    return notify(session, kind=MessageKind.RELAY_REPORT, event=f"relay_report:{report_id}",
                  user_ids=staff_ids(session, commune_id),
                  params={"report_id": report_id, "relay": relay, "title": title,
                          "report_kind": kind, "neighbourhood": neighbourhood},
                  commune=commune_look(session, commune_id), timezone=timezone)


def awaiting_validation(session: Session, *, person: User, timezone: str) -> int:
    """A new volunteer confirmed their address and waits to be met (once per person)."""
    return notify(session, kind=MessageKind.AWAITING_VALIDATION,
                  event=f"awaiting_validation:{person.id}",
                  user_ids=staff_ids(session, person.commune_id),
                  params={"volunteer_id": person.id, "volunteer": person.display_name},
                  commune=commune_look(session, person.commune_id), timezone=timezone)


UNSTAFFED_WITHIN = timedelta(hours=48)


def enqueue_unstaffed(session: Session, *, now: datetime, timezone: str) -> int:
    """Tell the staff of each open mission starting within 48 hours that nobody took it.

    Once per mission, whatever the number of runs (the event names the mission);
    returns how many e-mails were wanted by this run (0 for missions told before).
    """
    missions = session.exec(select(Mission).where(
        Mission.status == MissionStatus.OPEN.value, Mission.accepted_count == 0,
        col(Mission.starts_at) > now, col(Mission.starts_at) <= now + UNSTAFFED_WITHIN,
    ).order_by(col(Mission.starts_at))).all()
    return sum(_about_mission(session, kind=MessageKind.UNSTAFFED, mission=mission,
                              user_ids=staff_ids(session, mission.commune_id),
                              event=f"unstaffed:{mission.id}", timezone=timezone, now=now)
               for mission in missions)


def _visits(session: Session, start: datetime, end: datetime) -> list[tuple[Mission, str, str]]:
    """Home visits still on between ``start`` and ``end``, with the beneficiary's contact."""
    return [(mission, name, phone or "") for mission, name, phone in session.exec(
        select(Mission, Beneficiary.full_name, Beneficiary.phone)
        .join(Beneficiary, col(Beneficiary.id) == Mission.beneficiary_id)
        .where(Mission.kind == MissionKind.INDIVIDUAL.value,
               col(Mission.status).in_([MissionStatus.OPEN.value, MissionStatus.FULL.value]),
               col(Mission.starts_at) >= start, col(Mission.starts_at) < end)
        .order_by(col(Mission.starts_at), col(Mission.id))).all()]


def _helpers(session: Session, mission_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for mission_id, name in session.exec(
            select(Participation.mission_id, User.display_name)
            .join(User, col(User.id) == Participation.volunteer_id)
            .where(col(Participation.mission_id).in_(mission_ids),
                   Participation.status == ParticipationStatus.ACCEPTED.value)
            .order_by(col(Participation.id))).all():
        names[mission_id].append(name)
    return names


def enqueue_morning_summaries(session: Session, *, now: datetime, timezone: str) -> int:
    """The morning e-mail to each commune's staff: today's and tomorrow's home visits.

    Beneficiaries have no app: the referents phone them to say who comes (or that
    nobody has been found yet). Each list holds the names and phones of one
    commune's beneficiaries and goes to that commune's staff only. A commune with
    no visit gets no e-mail. Once per commune and day.
    """
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    start = datetime.combine(today, datetime.min.time(), tzinfo=zone)
    visits = _visits(session, start, start + timedelta(days=2))
    helpers = _helpers(session, [m.id for m, _, _ in visits if m.id is not None])
    by_commune: dict[int, list[dict]] = defaultdict(list)
    for mission, name, phone in visits:
        by_commune[mission.commune_id].append({
            "starts_at": mission.starts_at.isoformat(), "title": mission.title,
            "beneficiary": name, "phone": phone, "volunteers": helpers.get(mission.id, []),
            "mission_id": mission.id})
    return sum(notify(session, kind=MessageKind.MORNING_SUMMARY,
                      event=f"morning:{commune_id}:{today.isoformat()}",
                      user_ids=staff_ids(session, commune_id),
                      params={"day": today.isoformat(), "visits": rows},
                      commune=commune_look(session, commune_id), timezone=timezone, now=now)
               for commune_id, rows in by_commune.items())


@dataclass(frozen=True)
class CalendarEntry:
    """What a mission's .ics holds (nothing private: see presenters/calendar.py)."""

    mission_id: int
    title: str
    starts_at: datetime
    duration_minutes: int
    neighbourhood: str
    commune: str


def calendar_entry(session: Session, *, actor: Actor, mission_id: int) -> CalendarEntry:
    """A mission the actor takes part in (a place held), for their calendar.

    Raises:
        NotFound: another commune's mission, a draft, or one they hold no place in
            (ids reveal nothing).
    """
    mission = session.get(Mission, known_id(mission_id))
    if mission is None or mission.commune_id != actor.commune_id:
        raise NotFound()
    mine = session.exec(select(Participation.status).where(
        Participation.mission_id == mission.id,
        Participation.volunteer_id == actor.user_id)).first()
    if mine != ParticipationStatus.ACCEPTED or mission.status not in (
            MissionStatus.OPEN, MissionStatus.FULL, MissionStatus.DONE):
        raise NotFound()
    commune = commune_look(session, mission.commune_id)
    return CalendarEntry(mission_id=mission.id or 0, title=mission.title,
                         starts_at=mission.starts_at, duration_minutes=mission.duration_minutes,
                         neighbourhood=_hood_name(session, mission), commune=commune["name"])
