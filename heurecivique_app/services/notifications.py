"""Notifications: which deliveries a change causes, the person's choices, unsubscribing.

A service that causes a message calls :func:`notify` inside its own transaction:
one e-mail job per recipient goes into the job table with the change, keyed by
(event, recipient, channel), so a retried request never mails twice and a
committed change is never left unannounced. What the message says is rendered
when it is sent (``presenters/emails.py``), in the recipient's language then.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete
from sqlmodel import Session, col, select

from heurecivique_app.adapters.bulk import among
from heurecivique_app.domain.alerts import AlertMode, AlertPending, AlertSetting
from heurecivique_app.domain.enums import MissionStatus, ParticipationStatus
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.models import Commune, Mission, Neighbourhood, Participation, User
from heurecivique_app.domain.notifications import (
    EMAIL,
    OPT_IN_KINDS,
    OPTIONAL_KINDS,
    Job,
    JobStatus,
    MessageKind,
    NotificationOptOut,
    delivery_key,
    kinds_offered,
    outside_quiet_hours,
    same_local_day,
)
from heurecivique_app.domain.push import PUSH
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_id
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services import inbox, push
from heurecivique_app.services.actor import Actor, require_staff

SEND_EMAIL = "email.send"  # the job kind of an e-mail delivery


def commune_look(session: Session, commune_id: int) -> dict[str, Any]:
    """The commune's name and colour, as e-mails show them."""
    commune = session.get(Commune, commune_id)
    if commune is None:
        raise NotFound()
    return {"name": commune.name, "colour": commune.theme_color, "id": commune_id}


def turned_off(session: Session, user_ids: Iterable[int], kind: str,
               channel: str = EMAIL) -> set[int]:
    """Which of ``user_ids`` turned ``kind`` off."""
    ids = list(user_ids)
    if kind not in OPTIONAL_KINDS or not ids:
        return set()
    return set(session.exec(select(NotificationOptOut.user_id).where(
        among(session, col(NotificationOptOut.user_id), ids), NotificationOptOut.kind == kind,
        NotificationOptOut.channel == channel)))


def email_jobs(session: Session, *, kind: str, event: str, user_ids: Iterable[int],
               params: dict, commune: dict[str, str], timezone: str,
               urgent: bool = False, now: datetime | None = None) -> list[dict]:
    """The e-mail jobs of one event for the people who did not turn ``kind`` off.

    Args:
        session: the caller's unit of work (the opt-outs are read there).
        kind: a :class:`MessageKind` (also the template).
        event: names the event, e.g. ``proposal:<participation id>:<when>``.
        user_ids: the recipients (duplicates are sent once).
        params: the template's parameters (JSON-safe).
        commune: :func:`commune_look` of the commune concerned.
        timezone: the commune's time zone, for the quiet hours.
        now: the current time (tests move it).
        urgent: a same-day change goes out at once; anything else waits for the
            end of the quiet hours (21:00–08:00 local).
    """
    now = now or utcnow()
    ids = list(dict.fromkeys(user_ids))
    off = turned_off(session, ids, kind)
    due = now if urgent else outside_quiet_hours(now, timezone)
    payload = {"template": kind, "kind": kind, "params": params, "commune": commune,
               "quiet_hours": not urgent}
    return [job_row(kind=SEND_EMAIL, key=delivery_key(event, user_id), payload=payload,
                    due_at=due, user_id=user_id)
            for user_id in ids if user_id not in off]


def delivery_jobs(session: Session, **kwargs: object) -> list[dict]:
    """Every channel's jobs of one event: e-mail, and push to subscribed browsers.

    The arguments are :func:`email_jobs`' (push: ``services/push.push_jobs``).
    """
    return email_jobs(session, **kwargs) + push.push_jobs(
        session, **kwargs, turned_off=lambda ids: turned_off(session, ids, kwargs["kind"], PUSH))


def notify(session: Session, **kwargs: Any) -> int:  # noqa: ANN401 - email_jobs' arguments
    """Enqueue the deliveries of one event in the caller's transaction; how many were wanted.

    The arguments are :func:`email_jobs`'. Each recipient also finds the message in
    the app's notification centre (``services.inbox``), in the same transaction.
    """
    kwargs["user_ids"] = list(kwargs["user_ids"])  # read twice: an iterator would not be
    rows = delivery_jobs(session, **kwargs)
    enqueue_rows(session, rows)
    inbox.deliver(session, kind=kwargs["kind"], event=kwargs["event"],
                  user_ids=kwargs["user_ids"], params=kwargs["params"],
                  commune_id=int(kwargs["commune"].get("id") or 0), now=kwargs.get("now"))
    return len(rows)


def notify_address(session: Session, *, kind: str, event: str, to: str, params: dict,
                   commune: dict[str, str], locale: str = "fr",
                   attachments: list[str] | None = None) -> None:
    """Enqueue an e-mail to an address without an account (a town service).

    It is not a person's subscription, so it has no unsubscribe link and no quiet hours.
    """
    enqueue_rows(session, [job_row(
        kind=SEND_EMAIL, key=delivery_key(event, to.lower()),
        payload={"template": kind, "kind": kind, "params": params, "commune": commune,
                 "to": to, "locale": locale, "attachments": attachments or []})])


def mission_params(mission: Mission, neighbourhood: str, **extra: object) -> dict:
    """A mission's details as e-mails show them (its date stays an ISO string)."""
    return {"mission_id": mission.id, "title": mission.title,
            "starts_at": mission.starts_at.isoformat(), "neighbourhood": neighbourhood,
            **extra}


def notify_proposal(session: Session, *, mission: Mission, actor: Actor,
                    proposals: list[Participation], timezone: str) -> None:
    """E-mail each volunteer a referent just proposed ``mission`` to."""
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    now = utcnow()
    for row in proposals:
        # Re-proposing after a decline is a new event; the same proposal twice is not.
        notify(session, kind=MessageKind.PROPOSAL, user_ids=[row.volunteer_id],
               event=f"proposal:{row.id}:{row.updated_at.isoformat()}",
               params=mission_params(mission, hood.name if hood else "",
                                     referent=actor.display_name),
               commune=commune_look(session, mission.commune_id), timezone=timezone,
               urgent=same_local_day(mission.starts_at, now, timezone), now=now)


def notify_about_mission(session: Session, *, mission: Mission, kind: str, event: str,
                         user_ids: Iterable[int], timezone: str,
                         now: datetime | None = None, **extra: object) -> int:
    """E-mail people about a change of ``mission`` (a :class:`MessageKind` of the referent's).

    A mission within the next day is urgent: its message leaves at once, even at
    night, since it changes what someone does tomorrow morning.

    Returns:
        How many e-mails were enqueued.
    """
    ids = list(user_ids)
    if not ids:
        return 0
    now = now or utcnow()
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    return notify(session, kind=kind, event=event, user_ids=ids,
                  params=mission_params(mission, hood.name if hood else "",
                                        duration_minutes=mission.duration_minutes, **extra),
                  commune=commune_look(session, mission.commune_id), timezone=timezone,
                  urgent=mission.starts_at - now < timedelta(hours=24), now=now)


def enqueue_reminders(session: Session, *, now: datetime, timezone: str) -> int:
    """Enqueue the reminder of every mission of tomorrow (local) to its volunteers.

    Safe to run any number of times: each reminder's key names the participation
    and the mission's day, so a mission moved to another day is reminded again.
    """
    zone = ZoneInfo(timezone)
    tomorrow = (now.astimezone(zone) + timedelta(days=1)).date()
    start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=zone)
    rows = session.exec(
        select(Participation.id, Participation.volunteer_id, Mission, Neighbourhood.name)
        .join(Mission, col(Mission.id) == Participation.mission_id)
        .join(Neighbourhood, col(Neighbourhood.id) == Mission.neighbourhood_id)
        .where(Participation.status == ParticipationStatus.ACCEPTED,
               col(Mission.status).in_([MissionStatus.OPEN, MissionStatus.FULL]),
               col(Mission.starts_at) >= start,
               col(Mission.starts_at) < start + timedelta(days=1))).all()
    looks: dict[int, dict[str, Any]] = {}
    count = 0
    for participation_id, volunteer_id, mission, hood_name in rows:
        if mission.commune_id not in looks:
            looks[mission.commune_id] = commune_look(session, mission.commune_id)
        count += notify(session, kind=MessageKind.REMINDER, user_ids=[volunteer_id],
                        event=f"reminder:{participation_id}:{tomorrow.isoformat()}",
                        params=mission_params(mission, hood_name),
                        commune=looks[mission.commune_id], timezone=timezone, now=now)
    return count


def preferences(session: Session, *, actor: Actor, channel: str = EMAIL) -> dict[str, bool]:
    """Each optional kind the actor's role receives on ``channel``: on (True) or turned off."""
    off = set(session.exec(select(NotificationOptOut.kind).where(
        NotificationOptOut.user_id == actor.user_id, NotificationOptOut.channel == channel)))
    return {kind: kind not in off for kind in kinds_offered(actor.role)}


def set_preferences(session: Session, *, actor: Actor, enabled: dict[str, bool],
                    channel: str = EMAIL) -> None:
    """Turn optional kinds on or off on ``channel`` (kinds not named are left as they are)."""
    for kind, on in enabled.items():
        if not isinstance(kind, str) or kind not in kinds_offered(actor.role) or \
                not isinstance(on, bool):
            continue  # only the page's own switches mean something
        _set(session, actor.user_id, kind, on, channel)


def _set(session: Session, user_id: int, kind: str, on: bool, channel: str = EMAIL) -> None:
    session.exec(delete(NotificationOptOut).where(  # type: ignore[call-overload]
        NotificationOptOut.user_id == user_id, NotificationOptOut.kind == kind,
        NotificationOptOut.channel == channel))
    if not on:
        session.add(NotificationOptOut(user_id=user_id, kind=kind, channel=channel))
    session.flush()


def _signature(secret: str, user_id: int, kind: str) -> str:
    digest = hmac.new(secret.encode(), f"unsubscribe:{user_id}:{kind}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def unsubscribe_token(secret: str, user_id: int, kind: str) -> str:
    """The signed token of a one-click unsubscribe link.

    It never expires: an old e-mail's link must still work.
    """
    return f"{user_id}.{kind}.{_signature(secret, user_id, kind)}"


def unsubscribe(session: Session, *, secret: str, token: str) -> str:
    """Turn off the kind named by a valid token; the kind.

    Raises:
        NotFound: the token is not one this site signed, or its account is gone.
    """
    if not isinstance(token, str) or not token.isascii():
        raise NotFound()
    user_id_text, _, rest = token.partition(".")
    kind, _, signature = rest.partition(".")
    user_id = form_id(user_id_text)
    if user_id is None or (kind not in OPTIONAL_KINDS and kind not in OPT_IN_KINDS) or \
            not hmac.compare_digest(
            signature.encode(), _signature(secret, user_id, kind).encode()):
        raise NotFound()
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound()
    if kind in OPT_IN_KINDS:
        stop_opt_in(session, user_id=user.id, kind=kind)
    else:
        _set(session, user.id, kind, False)
    return kind


def stop_opt_in(session: Session, *, user_id: int, kind: str) -> None:
    """Turn off an alert, digest or nudge the person had asked for (an unsubscribe link)."""
    row = session.get(AlertSetting, user_id)
    if row is None:
        return
    if kind == MessageKind.HOUR_NUDGE:
        row.nudge = False
    else:
        row.mode = AlertMode.OFF
        session.exec(delete(AlertPending).where(  # type: ignore[call-overload]
            AlertPending.user_id == user_id))
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


@dataclass(frozen=True)
class DeliveryProblem:
    """An e-mail that could not be delivered, as the referent sees it."""

    kind: str
    at: datetime
    error: str
    final: bool  # failed for good (else: will be tried again)


def delivery_problems(session: Session, *, actor: Actor, user_id: int,
                      limit: int = 5) -> list[DeliveryProblem]:
    """The latest failed or retried e-mails of a person of the actor's commune."""
    person = session.get(User, user_id)
    if person is None:
        raise NotFound()
    require_staff(actor, person.commune_id)
    rows = session.exec(select(Job).where(
        Job.user_id == user_id, Job.kind == SEND_EMAIL,
        col(Job.status).in_([JobStatus.FAILED, JobStatus.PENDING]), Job.last_error != "")
        .order_by(col(Job.id).desc()).limit(limit)).all()
    return [DeliveryProblem(kind=row.payload.get("kind", ""),
                            at=row.finished_at or row.due_at, error=row.last_error,
                            final=row.status == JobStatus.FAILED) for row in rows]
