"""Summary tables of the evaluation figures, kept up to date on every write.

A year of a département is ~33,000 missions and ~25,000 hour entries: reading
them raw at each dashboard change costs seconds (bench/stats.py). These tables
hold the same figures added up by commune and local month ("YYYY-MM", in the
time zone of :class:`StatsSummaryState`), so that a dashboard of whole months
adds up a few thousand rows. ``services/stats_upkeep.py`` recomputes a
(commune, month) *bucket* from the raw rows in the transaction that changes
them; ``services/stats_summary.py`` reads them.

Three kinds of bucket, by which month a row belongs to:

- ``missions``: missions by the month they were created in
  (:class:`StatsMissionMonth`, :class:`StatsMissionFact`);
- ``hours``: the hour ledger by the month the time counts for
  (:class:`StatsMinutes`, :class:`StatsGiver`);
- ``people``: volunteers by the month they signed up in, or were validated in
  (:class:`StatsPeople`).

``""`` in a key column means "every category" / "every channel".
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.types import UTCDateTime

ALL = ""  # a key column's value for "every category" or "every channel"

# The bucket kinds (StatsBucket.kind).
MISSIONS, HOURS, PEOPLE = "missions", "hours", "people"

# StatsPeople.measure: signed up that month, validated that month, or (signed up
# that month and) gave time N months later (N of domain.stats.RETENTION_OFFSETS).
SIGNED_UP, VALIDATED, GAVE_AFTER = "signed_up", "validated", "gave_after_"

# Without a rowid on SQLite the rows are stored in their key's order, so that a
# commune's months are read in one sweep of the table.
_CLUSTERED = {"sqlite_with_rowid": False}


class StatsSummaryState(SQLModel, table=True):
    """One row once the summaries are built: the time zone of their months.

    Without it (or with another time zone) the figures are read from the raw rows.
    """

    __tablename__ = "stats_summary_state"

    id: int = Field(default=1, primary_key=True)
    timezone: str = Field(max_length=64)
    built_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class StatsBucket(SQLModel, table=True):
    """One bucket's lock: its recomputation takes this row first (see services/stats_upkeep)."""

    __tablename__ = "stats_bucket"
    __table_args__ = _CLUSTERED

    kind: str = Field(max_length=16, primary_key=True)
    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    version: int = Field(default=0)


class StatsMissionMonth(SQLModel, table=True):
    """Missions created in a month (drafts aside), what became of them, their follow-ups.

    One row per (category, channel), per category (channel ``""``) and per channel
    (category ``""``).
    """

    __tablename__ = "stats_mission_month"
    __table_args__ = _CLUSTERED

    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    category: str = Field(max_length=32, primary_key=True)
    channel: str = Field(max_length=16, primary_key=True)
    created: int = 0
    filled: int = 0
    done: int = 0
    cancelled: int = 0
    expired: int = 0
    # Collective actions' accepted volunteers checked on the day, and those present.
    checked: int = 0
    present: int = 0
    incidents: int = 0
    # Follow-ups by satisfaction score 1..5 of the beneficiary (b) and the volunteer (v).
    b1: int = 0
    b2: int = 0
    b3: int = 0
    b4: int = 0
    b5: int = 0
    v1: int = 0
    v2: int = 0
    v3: int = 0
    v4: int = 0
    v5: int = 0


class StatsMissionFact(SQLModel, table=True):
    """What cannot be added up, one row per mission created in the month that has any.

    ``hours``: creation to the first accepted participation still standing (time to
    find a volunteer); ``beneficiary_id``: the person helped, once the mission is done.
    """

    __tablename__ = "stats_mission_fact"
    __table_args__ = _CLUSTERED

    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    mission_id: int = Field(primary_key=True)
    category: str = Field(max_length=32)
    channel: str = Field(max_length=16)
    hours: float | None = None
    beneficiary_id: int | None = None


class StatsMinutes(SQLModel, table=True):
    """Minutes of the ledger that count for a month, by the mission's commune and category."""

    __tablename__ = "stats_minutes"
    __table_args__ = _CLUSTERED

    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    category: str = Field(max_length=32, primary_key=True)
    minutes: int = 0


class StatsGiver(SQLModel, table=True):
    """A volunteer's minutes of a month on one commune's missions, of a category or all."""

    __tablename__ = "stats_giver"
    __table_args__ = _CLUSTERED

    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    category: str = Field(max_length=32, primary_key=True)
    volunteer_id: int = Field(primary_key=True)
    minutes: int = 0


class StatsPeople(SQLModel, table=True):
    """Volunteers (and relays) of a commune counted by month: see ``SIGNED_UP`` and al."""

    __tablename__ = "stats_people"
    __table_args__ = _CLUSTERED

    commune_id: int = Field(primary_key=True)
    month: str = Field(max_length=7, primary_key=True)
    measure: str = Field(max_length=16, primary_key=True)
    volunteers: int = 0


SUMMARY_TABLES = (StatsMissionMonth, StatsMissionFact, StatsMinutes, StatsGiver, StatsPeople)


def gave_after(offset: int) -> str:
    """The measure of those who gave time ``offset`` months after signing up."""
    return f"{GAVE_AFTER}{offset}"
