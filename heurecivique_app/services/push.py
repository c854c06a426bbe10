"""Web push: the site's VAPID keys, people's subscriptions, and the push jobs of an event.

Where the VAPID key pair lives: in the database (table ``push_vapid_key``), not in
the data folder. Every subscription is bound to the public key it was made with,
so the pair must be the same for every worker and must travel with the
subscriptions: the database is the one thing all workers share (several machines
in the scale-out mode need not share a folder), and a backup restores both
together. Creation is race-free: each worker that finds no pair inserts its own
under the fixed primary key 1 with ``ON CONFLICT DO NOTHING``, then reads the row
back, so they all use the first one written. ``HC_VAPID_*`` override it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from heurecivique_app.adapters.bulk import among
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.models import UserSession
from heurecivique_app.domain.notifications import delivery_key, outside_quiet_hours
from heurecivique_app.domain.push import (
    PUSH,
    PUSH_KINDS,
    PushSubscription,
    VapidKey,
    endpoint_allowed,
    keys_valid,
)
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.jobs.queue import job_row
from heurecivique_app.services.actor import Actor

SEND_PUSH = "push.send"  # the job kind of a push delivery
# A person's browsers: more is a script, not a person.
MAX_DEVICES = 10


@dataclass(frozen=True)
class VapidKeys:
    """The site's VAPID pair, base64url (the public key is what browsers subscribe with)."""

    private_key: str
    public_key: str


def vapid_keys(session: Session, *, configured: VapidKeys | None,
               generate: Callable[[], tuple[str, str]]) -> VapidKeys:
    """The VAPID pair to use.

    ``configured`` (HC_VAPID_*) if given, else the stored one, created with
    ``generate()`` (private, public) by the first caller. A pair it writes is
    committed with the caller's unit of work; a concurrent writer's insert waits
    for the first one's commit, then does nothing.
    """
    if configured is not None:
        return configured
    row = session.get(VapidKey, 1)
    if row is None:
        private, public = generate()
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(VapidKey).values(
            id=1, private_key=private, public_key=public, created_at=utcnow(),
        ).on_conflict_do_nothing(index_elements=["id"]))
        row = session.get(VapidKey, 1, populate_existing=True)
        assert row is not None
    return VapidKeys(private_key=row.private_key, public_key=row.public_key)


def subscribe(session: Session, *, actor: Actor, endpoint: object, p256dh: object,
              auth: object, login_session_id: int | None) -> None:
    """Keep the actor's browser subscription (the same endpoint again: updated).

    An endpoint already stored for another account moves to this one: it is one
    browser, and whoever signs in on it now is who it notifies. It is tied to the
    login (``login_session_id``) that subscribed it: it notifies nobody once that
    login ends (see :func:`subscriptions_of`).

    Raises:
        ValidationFailed: not a push service's address, or keys of the wrong shape.
    """
    if not endpoint_allowed(endpoint):
        raise ValidationFailed({"endpoint": N_("This is not a push service's address.")})
    if not keys_valid(p256dh, auth):
        raise ValidationFailed({"keys": N_("These are not a browser's push keys.")})
    assert isinstance(endpoint, str) and isinstance(p256dh, str) and isinstance(auth, str)
    row = session.exec(select(PushSubscription).where(
        PushSubscription.endpoint == endpoint)).first()
    if row is None:
        if device_count(session, actor=actor) >= MAX_DEVICES:
            raise ValidationFailed({"endpoint": N_("Too many devices receive your "
                                                   "notifications: turn one off first.")})
        row = PushSubscription(user_id=actor.user_id, endpoint=endpoint, p256dh=p256dh,
                               auth=auth)
    row.user_id, row.p256dh, row.auth = actor.user_id, p256dh, auth
    row.login_session_id = login_session_id
    row.last_error = ""
    session.add(row)
    session.flush()


def unsubscribe(session: Session, *, actor: Actor, endpoint: object) -> bool:
    """Forget the actor's subscription at ``endpoint``; whether there was one."""
    if not isinstance(endpoint, str):
        return False
    result = session.execute(delete(PushSubscription).where(
        PushSubscription.user_id == actor.user_id, PushSubscription.endpoint == endpoint))
    return result.rowcount > 0


def forget_devices(session: Session, *, user_id: int) -> None:
    """Drop every browser subscription of a person (their account is deleted)."""
    session.execute(delete(PushSubscription).where(PushSubscription.user_id == user_id))


def devices_export(session: Session, *, user_id: int) -> list[dict]:
    """A person's subscribed browsers for their data export: the push service and dates."""
    rows = session.exec(select(PushSubscription).where(PushSubscription.user_id == user_id)
                        .order_by(col(PushSubscription.id)))
    return [{"push_service": urlsplit(row.endpoint).hostname or "",
             "subscribed_at": row.created_at.isoformat(),
             "last_delivered_at": row.last_success_at.isoformat() if row.last_success_at
             else None} for row in rows]


def device_count(session: Session, *, actor: Actor) -> int:
    """How many browsers receive the actor's notifications."""
    return len(session.exec(select(PushSubscription.id).where(
        PushSubscription.user_id == actor.user_id)).all())


def push_jobs(session: Session, *, kind: str, event: str, user_ids: Iterable[int],
              params: dict, commune: dict[str, str], timezone: str,
              urgent: bool = False, now: datetime | None = None,
              turned_off: Callable[[list[int]], set[int]]) -> list[dict]:
    """The push jobs of one event: one per recipient with a subscribed browser.

    Same arguments and quiet hours as ``notifications.email_jobs``; ``turned_off``
    gives which of the ids turned the kind off for push. Kinds outside
    ``PUSH_KINDS`` give none. The person's browsers are read when the job runs, so
    one subscribed meanwhile receives it too.
    """
    if kind not in PUSH_KINDS:
        return []
    ids = list(dict.fromkeys(user_ids))
    subscribed = set(session.exec(select(PushSubscription.user_id).where(
        among(session, col(PushSubscription.user_id), ids)).distinct())) if ids else set()
    ids = [i for i in ids if i in subscribed]
    if not ids:
        return []
    off = turned_off(ids)
    now = now or utcnow()
    due = now if urgent else outside_quiet_hours(now, timezone)
    payload = {"kind": kind, "params": params, "commune": commune,
               "quiet_hours": not urgent, "urgent": urgent}
    return [job_row(kind=SEND_PUSH, key=delivery_key(event, user_id, PUSH), payload=payload,
                    due_at=due, user_id=user_id)
            for user_id in ids if user_id not in off]


def subscriptions_of(session: Session,
                     user_ids: Iterable[int]) -> dict[int, list[PushSubscription]]:
    """Each person's subscribed browsers whose login is still open, oldest first.

    A browser whose login ended (logout on a shared tablet, revoked, expired) is
    left out: whoever uses it next must not see the previous person's messages.
    """
    found: dict[int, list[PushSubscription]] = {}
    rows = session.exec(
        select(PushSubscription)
        .join(UserSession, col(UserSession.id) == PushSubscription.login_session_id)
        .where(col(PushSubscription.user_id).in_(list(user_ids)),
               col(UserSession.user_id) == PushSubscription.user_id,
               col(UserSession.revoked_at).is_(None), col(UserSession.expires_at) > utcnow())
        .order_by(col(PushSubscription.id)))
    for row in rows:
        found.setdefault(row.user_id, []).append(row)
    return found


def record_sends(session: Session, *, delivered: Iterable[int], failed: dict[int, str],
                 gone: Iterable[int], now: datetime) -> None:
    """After a batch: when each subscription last worked or failed; gone ones dropped."""
    delivered, gone = list(delivered), list(gone)
    if delivered:
        session.execute(update(PushSubscription).where(col(PushSubscription.id).in_(delivered))
                        .values(last_success_at=now, last_error=""))
    for sub_id, error in failed.items():
        session.execute(update(PushSubscription).where(PushSubscription.id == sub_id)
                        .values(last_failure_at=now, last_error=error[:300]))
    if gone:
        session.execute(delete(PushSubscription).where(col(PushSubscription.id).in_(gone)))
