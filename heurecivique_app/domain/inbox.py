"""The in-app notification centre: one row per message a person received in the app.

Written by ``services.inbox`` in the same transaction as the change that causes
it (through ``services.notifications.notify``), so the bell never shows a
message about something that was rolled back. The row keeps the message's kind
and parameters, not its text: it is worded when read, in the reader's language
(the same templates as the e-mails, ``presenters/emails.py``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.types import UTCDateTime, utcnow

INAPP = "inapp"  # the channel's name (opt-outs, delivery keys)

# Kinds that are about the account itself (a link to confirm, a reset): they go to an
# address, by e-mail only; the centre holds what happens in the scheme. The morning
# summary too: it lists beneficiaries' names and phones, which must not outlive their
# retention period in a row of the centre (the console shows the same visits, live).
EMAIL_ONLY = frozenset({
    MessageKind.REPORT_FORWARD, MessageKind.SIGNUP_CONFIRM, MessageKind.ACCOUNT_EXISTS,
    MessageKind.PASSWORD_RESET, MessageKind.STAFF_INVITATION,
    MessageKind.EMAIL_CHANGE_CONFIRM, MessageKind.EMAIL_CHANGED,
    MessageKind.MORNING_SUMMARY,
})

# The newest this many are listed; older ones stay until retention purges them.
LIST_LIMIT = 50


class InboxItem(SQLModel, table=True):
    """One message in a person's notification centre; ``read_at`` empty while unread."""

    __tablename__ = "inbox_item"
    # One row per (person, event): a retried request does not ring the bell twice.
    __table_args__ = (UniqueConstraint("user_id", "event", name="uq_inbox_item_user_event"),
                      Index("ix_inbox_item_user_read", "user_id", "read_at"))

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id")
    kind: str = Field(max_length=32)
    event: str = Field(max_length=160)
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                          nullable=False))
    read_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(),
                                                                    nullable=True))


def goes_in_app(kind: str) -> bool:
    """Whether a message of ``kind`` to a person also lands in their notification centre."""
    return kind not in EMAIL_ONLY
