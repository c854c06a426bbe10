"""The referent's follow-up of a mission, and the rule that flags recurring requests.

Kept apart from ``models.py`` (imported at its end) so that the follow-up
feature reads as one unit: its table, its scale and its rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import UTCDateTime, utcnow

# How satisfied each side was, asked by the referent on the phone.
SATISFACTION_LABELS: dict[str, str] = {
    "1": N_("1 — Not at all satisfied"),
    "2": N_("2 — Not very satisfied"),
    "3": N_("3 — Fairly satisfied"),
    "4": N_("4 — Satisfied"),
    "5": N_("5 — Very satisfied"),
}

# The scheme is for one-off help: this many needs of one category for one
# beneficiary within the window means the person probably needs regular help.
RECURRING_THRESHOLD = 3
RECURRING_WINDOW_DAYS = 90
RECURRING_EXPLANATION = N_(
    "{count} requests of this kind for this person in {days} days. L'Heure Civique is for "
    "one-off help: consider referring the person to the CCAS or a home-help service."
)


class MissionFollowUp(SQLModel, table=True):
    """What the referent checked after the date: one per mission, updated until closed."""

    __tablename__ = "mission_followup"

    id: int | None = Field(default=None, primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", unique=True)
    beneficiary_called: bool = Field(default=False)
    went_well: bool = Field(default=True)
    # Credited to each volunteer present (replaces their provisional entry).
    minutes: int
    beneficiary_satisfaction: int | None = Field(default=None)
    volunteer_satisfaction: int | None = Field(default=None)
    incident: str = Field(default="", max_length=1000)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow,
                                 sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow,
                                 sa_column=Column(UTCDateTime(), nullable=False))


@dataclass(frozen=True)
class RecurringFlag:
    """A beneficiary asks again and again for the same kind of help."""

    category: str
    count: int
    days: int = RECURRING_WINDOW_DAYS


def recurring_flag(
    needs: Iterable[tuple[str, datetime]], *, category: str, now: datetime,
    threshold: int = RECURRING_THRESHOLD, window_days: int = RECURRING_WINDOW_DAYS,
) -> RecurringFlag | None:
    """Flag ``category`` if the beneficiary's needs ``(category, date)`` recur.

    A need counts when its date falls within ``window_days`` before or after
    ``now`` (a duplicate planned next week counts as much as last month's).
    Cancelled needs should be left out by the caller: they were not help given.
    """
    window = timedelta(days=window_days)
    count = sum(1 for kind, when in needs if kind == category and abs(when - now) <= window)
    if count >= threshold:
        return RecurringFlag(category=category, count=count, days=window_days)
    return None
