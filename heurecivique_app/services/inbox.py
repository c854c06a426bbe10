"""The in-app notification centre: write a person's messages, read them, mark them read.

``services.notifications.notify`` calls :func:`deliver` in the caller's transaction,
for every kind that goes to a person (``domain.inbox.goes_in_app``). After commit
the event ``inbox.changed`` names the recipients; the live hub turns it into a
signal on each one's own channel (``realtime.channels.inbox_channel``), and only
their tabs then read their centre, from their own session.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, func, update
from sqlmodel import Session, col, select

from heurecivique_app.adapters.bulk import insert_ignoring_duplicates
from heurecivique_app.domain import events
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.event_kinds import EventKind
from heurecivique_app.domain.inbox import LIST_LIMIT, InboxItem, goes_in_app
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import form_id
from heurecivique_app.services.actor import Actor

ITEM = InboxItem.__table__


def deliver(session: Session, *, kind: str, event: str, user_ids: Iterable[int],
            params: dict, commune_id: int, now: datetime | None = None) -> int:
    """Write one unread row per recipient (once per event and person); how many were wanted.

    Written in bulk, ignoring duplicates (``adapters.bulk``): the same event twice (a
    retried request) rings nobody's bell twice, and a fan-out to a whole pool is one
    statement on PostgreSQL.
    """
    ids = list(dict.fromkeys(user_ids))
    if not ids or not goes_in_app(kind):
        return 0
    at = now or utcnow()
    rows = [{"user_id": user_id, "kind": kind, "event": event[:160], "params": params,
             "created_at": at, "read_at": None} for user_id in ids]
    insert_ignoring_duplicates(session, ITEM, rows, conflict=["user_id", "event"])
    _changed(session, commune_id, ids)
    return len(ids)


def _changed(session: Session, commune_id: int, user_ids: list[int]) -> None:
    """After commit, these people's tabs read their centre again (and only theirs)."""
    events.record(session, events.DomainEvent(kind=EventKind.INBOX_CHANGED,
                                              commune_id=commune_id,
                                              data={"user_ids": user_ids}))


# Read on every page (the bell): built once.
_UNREAD = select(func.count()).select_from(InboxItem).where(
    InboxItem.user_id == bindparam("user_id"), col(InboxItem.read_at).is_(None))


def unread_count(session: Session, *, actor: Actor) -> int:
    """How many of the actor's messages are unread (the bell's figure)."""
    return int(session.exec(_UNREAD, params={"user_id": actor.user_id}).one())


def latest(session: Session, *, actor: Actor, limit: int = LIST_LIMIT) -> list[InboxItem]:
    """The actor's newest messages, newest first."""
    return list(session.exec(select(InboxItem).where(InboxItem.user_id == actor.user_id)
                             .order_by(col(InboxItem.id).desc()).limit(limit)))


def mark_read(session: Session, *, actor: Actor, item_id: object) -> InboxItem:
    """Mark one of the actor's messages read; the message (to follow its link).

    Raises:
        NotFound: no such message, or someone else's (ids reveal nothing).
    """
    wanted = form_id(item_id)
    item = session.get(InboxItem, wanted) if wanted else None
    if item is None or item.user_id != actor.user_id:
        raise NotFound()
    if item.read_at is None:
        item.read_at = utcnow()
        session.add(item)
        session.flush()
        _changed(session, actor.commune_id, [actor.user_id])
    return item


def mark_all_read(session: Session, *, actor: Actor) -> int:
    """Mark every unread message of the actor read; how many were."""
    done = session.execute(update(InboxItem).where(
        col(InboxItem.user_id) == actor.user_id, col(InboxItem.read_at).is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount:
        _changed(session, actor.commune_id, [actor.user_id])
    return int(done.rowcount or 0)


def forget(session: Session, *, user_id: int) -> None:
    """Delete a person's messages (their account is erased)."""
    session.exec(delete(InboxItem).where(  # type: ignore[call-overload]
        col(InboxItem.user_id) == user_id))
