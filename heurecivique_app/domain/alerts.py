"""Opt-in alerts for new missions near home and the monthly nudge: settings and rules.

A volunteer who opts in hears of a newly published mission that matches their
gestures (the categories they chose) within the distance they go from home: at
once (at most :data:`ALERTS_PER_DAY` e-mails a day; further matches wait for the
next digest) or as one daily digest. The nudge reminds, once a month, a volunteer
who asked for it that this month's hour is not yet given.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import UTCDateTime, utcnow


class AlertMode:
    """How a volunteer hears of new missions near home (stored as plain strings)."""

    OFF = "off"
    INSTANT = "instant"
    DIGEST = "digest"


ALERT_MODES: dict[str, str] = {
    AlertMode.OFF: N_("No alerts"),
    AlertMode.INSTANT: N_("At once (at most 3 e-mails a day)"),
    AlertMode.DIGEST: N_("One e-mail a day with the new missions"),
}

# At most this many alert e-mails a day for "at once"; more matches go to the digest.
ALERTS_PER_DAY = 3
# A digest lists at most this many missions, the soonest first.
DIGEST_MAX_MISSIONS = 10


class AlertSetting(SQLModel, table=True):
    """A volunteer's opt-in choices; no row: no alerts and no nudge.

    ``sent_day`` and ``sent_today`` count the alert e-mails of the local day, for the cap.
    """

    __tablename__ = "alert_setting"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    mode: str = Field(default=AlertMode.OFF, max_length=10, index=True)
    nudge: bool = Field(default=False)
    sent_day: str = Field(default="", max_length=10)
    sent_today: int = Field(default=0)
    updated_at: datetime = Field(default_factory=utcnow,
                                 sa_column=Column(UTCDateTime(), nullable=False))


class AlertPending(SQLModel, table=True):
    """A mission waiting for a volunteer's next digest (digest mode, or over the cap)."""

    __tablename__ = "alert_pending"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    mission_id: int = Field(foreign_key="mission.id", primary_key=True)
    created_at: datetime = Field(default_factory=utcnow,
                                 sa_column=Column(UTCDateTime(), nullable=False))


def under_cap(sent_day: str, sent_today: int, today: str) -> bool:
    """Whether one more alert e-mail may go today (a new day starts from zero)."""
    return sent_day != today or sent_today < ALERTS_PER_DAY
