"""Tables and vocabularies of the relays' reports and the commune's public face.

Kept apart from ``models.py`` (imported at its end) so that the relay feature
reads as one unit: relay ↔ neighbourhood links, relay reports, success stories.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import UTCDateTime, utcnow


def _utc_column(nullable: bool = False, index: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable, index=index)

# Stored photos are named by a random token (see adapters.photos), nothing else.
PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|png|webp)$")


class ReportKind(StrEnum):
    """What a relay reports."""

    NEED = "need"  # a need on behalf of a neighbour: becomes a draft mission
    ISSUE = "issue"  # a neighbourhood issue: street light, isolated person, crossing


class IssueCategory(StrEnum):
    """The kinds of neighbourhood issue a relay reports."""

    COMFORT = "comfort"
    HEALTH = "health"
    SAFETY = "safety"


class ReportStatus(StrEnum):
    """Where a relay's report stands in the referent's triage queue."""

    NEW = "new"  # waiting in the referent's triage queue
    MISSION = "mission"  # turned into a mission draft
    FORWARDED = "forwarded"  # sent to the town's technical services
    CLOSED = "closed"  # closed with an answer to the relay


ISSUE_CATEGORY_LABELS: dict[str, str] = {
    IssueCategory.COMFORT: N_("Comfort (street light, pavement, litter…)"),
    IssueCategory.HEALTH: N_("Health (an isolated or fragile person…)"),
    IssueCategory.SAFETY: N_("Safety (a dangerous crossing…)"),
}

REPORT_KIND_LABELS: dict[str, str] = {
    ReportKind.NEED: N_("Need of a neighbour"),
    ReportKind.ISSUE: N_("Neighbourhood issue"),
}

REPORT_STATUS_LABELS: dict[str, str] = {
    ReportStatus.NEW: N_("Received"),
    ReportStatus.MISSION: N_("Turned into a mission"),
    ReportStatus.FORWARDED: N_("Sent to the technical services"),
    ReportStatus.CLOSED: N_("Closed"),
}


class RelayNeighbourhood(SQLModel, table=True):
    """A relay watches over a neighbourhood, as decided by a referent."""

    __tablename__ = "relay_neighbourhood"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    neighbourhood_id: int = Field(foreign_key="neighbourhood.id", primary_key=True)
    assigned_by_id: int | None = Field(default=None, foreign_key="user.id")
    assigned_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class RelayReport(SQLModel, table=True):
    """What a relay reported; the referent triages it."""

    __tablename__ = "relay_report"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    neighbourhood_id: int = Field(foreign_key="neighbourhood.id")
    relay_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=16)
    # An IssueCategory for issues, a mission Category for needs.
    category: str = Field(max_length=32)
    title: str = Field(max_length=120)
    description: str = Field(default="", max_length=2000)
    status: str = Field(default=ReportStatus.NEW, max_length=16, index=True)
    # The referent's answer, shown to the relay.
    answer: str = Field(default="", max_length=1000)
    # A file name in the photo store (EXIF stripped), never a path from the client.
    photo_name: str | None = Field(default=None, max_length=64)
    lat: float | None = None
    lon: float | None = None
    # The draft mission a need became (right away) or an issue was turned into.
    mission_id: int | None = Field(default=None, foreign_key="mission.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())


class SuccessStory(SQLModel, table=True):
    """A success published by the referent on the commune's public site."""

    __tablename__ = "success_story"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    title: str = Field(max_length=120)
    text: str = Field(max_length=4000)
    photo_name: str | None = Field(default=None, max_length=64)
    # The people shown in the photo agreed to its publication.
    photo_consent: bool = Field(default=False)
    published: bool = Field(default=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_column=_utc_column())
