"""Opt-in alerts for new missions near home, their daily digest, and the monthly nudge.

Publishing a mission writes ONE job (:data:`FANOUT_JOB`) in its transaction, so the
referent's request pays for one row whatever the number of subscribers; the job
runner then runs :func:`fan_out` after commit: one read of the commune's
subscribers, the matching in Python (gesture, distance from home), then every
delivery written in bulk (``INSERT … ON CONFLICT DO NOTHING``, a thousand rows a
statement), so a retried fan-out writes nothing twice.

Matching: the mission's category is one of the volunteer's gestures, the mission
(its exact point on the server, else its neighbourhood's centre) is within the
distance they go from home (their private home point, else their
neighbourhood's centre), they are not paused, and for a visit at someone's home
they have been met by a referent. Someone already offered or taking part is not
alerted. The rules of the cap and the modes are in :mod:`domain.alerts`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, update
from sqlmodel import Session, col, select

from heurecivique_app.adapters.bulk import among, insert_ignoring_duplicates
from heurecivique_app.domain.alerts import (
    ALERT_MODES,
    DIGEST_MAX_MISSIONS,
    AlertMode,
    AlertPending,
    AlertSetting,
    under_cap,
)
from heurecivique_app.domain.enums import (
    VOLUNTEER_ROLES,
    MissionKind,
    MissionStatus,
    VolunteerStatus,
)
from heurecivique_app.domain.hours import month_key
from heurecivique_app.domain.matching import KM_PER_LAT_DEGREE
from heurecivique_app.domain.models import (
    HourEntry,
    Mission,
    Neighbourhood,
    Participation,
    User,
    VolunteerProfile,
)
from heurecivique_app.domain.notifications import MessageKind, same_local_day
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services.actor import Actor, require_volunteer
from heurecivique_app.services.notifications import commune_look, mission_params, notify

FANOUT_JOB = "alerts.fanout"
_CHUNK = 1000


def enqueue_fanout(session: Session, mission: Mission) -> None:
    """Write the fan-out job of a mission just published (in the caller's transaction)."""
    enqueue_rows(session, [job_row(kind=FANOUT_JOB, key=f"{FANOUT_JOB}:{mission.id}",
                                   payload={"mission_id": mission.id})])


# --- the volunteer's settings -----------------------------------------------------------


@dataclass(frozen=True)
class AlertChoice:
    """What the account page shows and saves."""

    mode: str
    nudge: bool


def choice(session: Session, *, actor: Actor) -> AlertChoice:
    """The volunteer's alert mode and nudge (off when never chosen)."""
    require_volunteer(actor)
    row = session.get(AlertSetting, actor.user_id)
    return AlertChoice(row.mode, row.nudge) if row else AlertChoice(AlertMode.OFF, False)


def set_choice(session: Session, *, actor: Actor, mode: object, nudge: object) -> AlertChoice:
    """Save the volunteer's choice; a mode that is not one of the page's means off."""
    require_volunteer(actor)
    clean_mode = mode if isinstance(mode, str) and mode in ALERT_MODES else AlertMode.OFF
    row = session.get(AlertSetting, actor.user_id) or AlertSetting(user_id=actor.user_id)
    row.mode, row.nudge, row.updated_at = clean_mode, nudge is True, utcnow()
    session.add(row)
    if clean_mode == AlertMode.OFF:  # nothing waits for a digest that will not come
        session.exec(delete(AlertPending).where(  # type: ignore[call-overload]
            AlertPending.user_id == actor.user_id))
    session.flush()
    return AlertChoice(row.mode, row.nudge)


def forget(session: Session, *, user_id: int) -> None:
    """A deleted account: no alert settings, nothing held for a digest."""
    session.exec(delete(AlertPending).where(  # type: ignore[call-overload]
        AlertPending.user_id == user_id))
    session.exec(delete(AlertSetting).where(  # type: ignore[call-overload]
        AlertSetting.user_id == user_id))


def still_wanted(session: Session, user_ids: set[int]) -> dict[int, tuple[str, bool]]:
    """{user: (mode, nudge)}, read when sending: a choice changed since is respected."""
    if not user_ids:
        return {}
    return {user_id: (mode, nudge) for user_id, mode, nudge in session.exec(
        select(AlertSetting.user_id, AlertSetting.mode, AlertSetting.nudge)
        .where(col(AlertSetting.user_id).in_(user_ids))).all()}


# --- the fan-out ------------------------------------------------------------------------


@dataclass(frozen=True)
class FanOut:
    """What one fan-out did."""

    emailed: int  # alert e-mails enqueued now
    held: int  # kept for the next digest (digest mode, or over the day's cap)


def _point(session: Session, mission: Mission) -> tuple[float, float]:
    if mission.exact_lat is not None and mission.exact_lon is not None:
        return mission.exact_lat, mission.exact_lon
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    assert hood is not None
    return hood.lat, hood.lon


def _subscribers(session: Session, mission: Mission) -> list:
    statuses = [VolunteerStatus.ACTIVE.value]
    if mission.kind == MissionKind.COLLECTIVE:  # not yet met: collective actions only
        statuses.append(VolunteerStatus.PENDING.value)
    involved = select(Participation.volunteer_id).where(Participation.mission_id == mission.id)
    return session.connection().execute(
        select(User.id, User.neighbourhood_id, VolunteerProfile.skills_key,
               VolunteerProfile.home_lat, VolunteerProfile.home_lon,
               VolunteerProfile.max_distance_km, AlertSetting.mode, AlertSetting.sent_day,
               AlertSetting.sent_today)
        .join(User, col(User.id) == AlertSetting.user_id)
        .join(VolunteerProfile, col(VolunteerProfile.user_id) == AlertSetting.user_id)
        .where(col(AlertSetting.mode).in_([AlertMode.INSTANT, AlertMode.DIGEST]),
               User.commune_id == mission.commune_id, col(User.is_active).is_(True),
               col(User.role).in_([r.value for r in VOLUNTEER_ROLES]),
               col(VolunteerProfile.status).in_(statuses),
               col(VolunteerProfile.skills_key).contains(mission.category),
               col(User.id).not_in(involved))).all()


def fan_out(session: Session, *, mission_id: int, now: datetime, timezone: str) -> FanOut:
    """Alert every subscriber the mission matches; hold the others' for their digest.

    Nothing for a mission no longer open or already started (published then
    cancelled before the job ran). Safe to run twice: the e-mails and held rows
    are keyed by mission and volunteer.
    """
    mission = session.get(Mission, mission_id)
    if mission is None or mission.status != MissionStatus.OPEN or mission.starts_at <= now:
        return FanOut(0, 0)
    lat, lon = _point(session, mission)
    hoods = {hood_id: (h_lat, h_lon) for hood_id, h_lat, h_lon in session.connection().execute(
        select(Neighbourhood.id, Neighbourhood.lat, Neighbourhood.lon)
        .where(Neighbourhood.commune_id == mission.commune_id))}
    today = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    # Flat-earth distances around the mission (within a commune: well under a metre off
    # the great circle, at a fraction of its cost for ten thousand people).
    km_lat, km_lon = KM_PER_LAT_DEGREE, KM_PER_LAT_DEGREE * math.cos(math.radians(lat))
    category = mission.category
    instant: list[int] = []
    held: list[int] = []
    for (user_id, hood_id, skills, home_lat, home_lon, max_km, mode, sent_day,
         sent_today) in _subscribers(session, mission):
        if category not in skills.split():
            continue  # the SQL filter is a substring test; a gesture is a whole word
        if home_lat is None or home_lon is None:
            home_lat, home_lon = hoods.get(hood_id, (None, None))
            if home_lat is None:
                continue
        dy, dx = (home_lat - lat) * km_lat, (home_lon - lon) * km_lon
        if dx * dx + dy * dy > max_km * max_km:
            continue
        if mode == AlertMode.INSTANT and under_cap(sent_day, sent_today, today):
            instant.append(user_id)
        else:
            held.append(user_id)
    _alert(session, mission, instant, now, timezone, today)
    _hold(session, mission.id or 0, held, now)
    return FanOut(len(instant), len(held))


def _alert(session: Session, mission: Mission, ids: list[int], now: datetime, timezone: str,
           today: str) -> None:
    if not ids:
        return
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    notify(session, kind=MessageKind.MISSION_ALERT, event=f"alert:{mission.id}", user_ids=ids,
           params=mission_params(mission, hood.name if hood else "",
                                 duration_minutes=mission.duration_minutes,
                                 category=mission.category),
           commune=commune_look(session, mission.commune_id), timezone=timezone,
           urgent=same_local_day(mission.starts_at, now, timezone), now=now)
    counted = case((AlertSetting.sent_day == today, AlertSetting.sent_today + 1), else_=1)
    for start in range(0, len(ids), _CHUNK):
        session.execute(update(AlertSetting)
                        .where(among(session, col(AlertSetting.user_id),
                                     ids[start:start + _CHUNK]))
                        .values(sent_today=counted, sent_day=today)
                        .execution_options(synchronize_session=False))


def _hold(session: Session, mission_id: int, ids: list[int], now: datetime) -> None:
    insert_ignoring_duplicates(session, AlertPending.__table__, [
        {"user_id": user_id, "mission_id": mission_id, "created_at": now} for user_id in ids])


# --- the daily digest -------------------------------------------------------------------


def enqueue_digests(session: Session, *, now: datetime, timezone: str) -> int:
    """One e-mail per volunteer with the missions held for them, still open; then clear.

    At most :data:`DIGEST_MAX_MISSIONS` missions, the soonest first. Once per
    volunteer and day. Returns how many e-mails were wanted.
    """
    rows = session.exec(
        select(AlertPending.user_id, Mission, Neighbourhood.name)
        .join(Mission, col(Mission.id) == AlertPending.mission_id)
        .join(Neighbourhood, col(Neighbourhood.id) == Mission.neighbourhood_id)
        .join(AlertSetting, col(AlertSetting.user_id) == AlertPending.user_id)
        .where(Mission.status == MissionStatus.OPEN.value, col(Mission.starts_at) > now,
               AlertSetting.mode != AlertMode.OFF, col(AlertPending.created_at) <= now)
        .order_by(col(AlertPending.user_id), col(Mission.starts_at), col(Mission.id))).all()
    by_user: dict[int, list] = defaultdict(list)
    for user_id, mission, hood_name in rows:
        if len(by_user[user_id]) < DIGEST_MAX_MISSIONS:
            by_user[user_id].append((mission, hood_name))
    day = now.astimezone(ZoneInfo(timezone)).date().isoformat()
    looks: dict[int, dict] = {}
    wanted = 0
    for user_id, found in by_user.items():
        commune_id = found[0][0].commune_id
        looks.setdefault(commune_id, commune_look(session, commune_id))
        wanted += notify(session, kind=MessageKind.ALERT_DIGEST, event=f"digest:{day}",
                         user_ids=[user_id], commune=looks[commune_id], timezone=timezone,
                         now=now, params={"missions": [
                             mission_params(m, hood, category=m.category) for m, hood in found]})
    session.exec(delete(AlertPending).where(  # type: ignore[call-overload]
        col(AlertPending.created_at) <= now))
    return wanted


# --- the monthly nudge ------------------------------------------------------------------

# A nudge is gentle: once a month, on the 20th (ten days left to give the hour).
NUDGE_DAY = 20
NUDGE_TIME = time(10, 0)
PLEDGE_MINUTES = 60


def enqueue_nudges(session: Session, *, now: datetime, timezone: str) -> int:
    """Nudge each volunteer who asked for it and has not given this month's hour yet.

    Not a paused volunteer, nor a closed account. Once per volunteer and month.
    """
    month = month_key(now, timezone)
    given = (select(HourEntry.volunteer_id).group_by(col(HourEntry.volunteer_id))
             .where(HourEntry.month == month)
             .having(func.sum(HourEntry.minutes) >= PLEDGE_MINUTES))
    rows = session.exec(
        select(User.id, User.commune_id)
        .join(AlertSetting, col(AlertSetting.user_id) == User.id)
        .join(VolunteerProfile, col(VolunteerProfile.user_id) == User.id)
        .where(col(AlertSetting.nudge).is_(True), col(User.is_active).is_(True),
               VolunteerProfile.status != VolunteerStatus.PAUSED.value,
               col(User.id).not_in(given))).all()
    by_commune: dict[int, list[int]] = defaultdict(list)
    for user_id, commune_id in rows:
        by_commune[commune_id].append(user_id)
    return sum(notify(session, kind=MessageKind.HOUR_NUDGE, event=f"nudge:{month}",
                      user_ids=ids, params={"month": month},
                      commune=commune_look(session, commune_id), timezone=timezone, now=now)
               for commune_id, ids in by_commune.items())


def next_nudge_day(after: datetime, timezone: str) -> datetime:
    """The first 20th of a month at 10:00 local strictly after ``after``."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    due = datetime.combine(local.date().replace(day=NUDGE_DAY), NUDGE_TIME, tzinfo=zone)
    if due <= local:
        first_next = (local.date().replace(day=28) + timedelta(days=4)).replace(day=1)
        due = datetime.combine(first_next.replace(day=NUDGE_DAY), NUDGE_TIME, tzinfo=zone)
    return due.astimezone(after.tzinfo)
