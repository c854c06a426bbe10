"""Personal data's lifecycle: retention settings, the erasure register, purge runs.

Kept apart from ``models.py`` (imported at its end) so that the GDPR side of the
app reads as one unit: its tables, its documented defaults and its pure rules.

Defaults (docs/retention.md says why):

- a mission's exact address and point, the beneficiary's phone and access notes
  and the notes written about it are erased ``DEFAULT_MISSION_CONTACT_DAYS`` days
  after the mission closed (done, closed, cancelled or expired);
- a beneficiary with no activity for ``DEFAULT_INACTIVE_MONTHS`` months is
  pseudonymised: initials only, contact erased; their missions and hours stay
  for the statistics.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import UTCDateTime, utcnow

DEFAULT_MISSION_CONTACT_DAYS = 30
DEFAULT_INACTIVE_MONTHS = 24
# The bounds a commune may choose within (a week to a year; one to five years).
MISSION_CONTACT_DAYS_RANGE = (7, 365)
INACTIVE_MONTHS_RANGE = (12, 60)
# A month of the inactivity rule, in days (the purge needs no calendar).
DAYS_PER_MONTH = 30.44

# The statuses after which a mission is over: its contact is kept only for a while.
CLOSED_STATUSES = frozenset({MissionStatus.DONE, MissionStatus.CLOSED,
                             MissionStatus.CANCELLED, MissionStatus.EXPIRED})

# The information notice read to a beneficiary before their details are stored.
# Change the version whenever its text changes in substance.
NOTICE_VERSION = "2026-12"
NOTICE_TEXT = N_(
    "The town hall records your name, phone, address and access notes to find a "
    "volunteer for your request. Only the town's referents see them, and the volunteer "
    "who accepts, for the time of the help. The exact address and notes are erased "
    "{days} days after the help; your record is made anonymous after {months} months "
    "without a request. You may see, correct or erase your details at any time by "
    "asking the town hall."
)

# Minors as relays: under this age a parent's consent is recorded at enrolment.
PARENTAL_CONSENT_AGE = 15
ADULT_AGE = 18


class ErasureChannel(StrEnum):
    """How an erasure request reached the town hall."""

    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in_person"


ERASURE_CHANNEL_LABELS: dict[str, str] = {
    ErasureChannel.PHONE: N_("Phone call"),
    ErasureChannel.LETTER: N_("Letter"),
    ErasureChannel.EMAIL: N_("Email"),
    ErasureChannel.IN_PERSON: N_("At the town hall"),
}


class ConsentMethod(StrEnum):
    """How a parent gave their consent for a minor relay."""

    SIGNED_FORM = "signed_form"
    IN_PERSON = "in_person"
    EMAIL = "email"


CONSENT_METHOD_LABELS: dict[str, str] = {
    ConsentMethod.SIGNED_FORM: N_("Signed paper form"),
    ConsentMethod.IN_PERSON: N_("In person at the town hall"),
    ConsentMethod.EMAIL: N_("By e-mail"),
}


def _utc(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


class CommuneRetention(SQLModel, table=True):
    """A commune's own retention periods (no row: the documented defaults)."""

    __tablename__ = "commune_retention"

    commune_id: int = Field(foreign_key="commune.id", primary_key=True)
    mission_contact_days: int = Field(default=DEFAULT_MISSION_CONTACT_DAYS)
    inactive_months: int = Field(default=DEFAULT_INACTIVE_MONTHS)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_utc())


class ErasureRequest(SQLModel, table=True):
    """The register of erasure requests: when, how, who carried it out. No personal data."""

    __tablename__ = "erasure_request"

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    beneficiary_id: int = Field(foreign_key="beneficiary.id")
    channel: str = Field(max_length=16)
    received_at: datetime = Field(sa_column=_utc())
    done_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    done_by_id: int = Field(foreign_key="user.id")


class PurgeRun(SQLModel, table=True):
    """One run of the retention purge: when, for which clock, what it erased."""

    __tablename__ = "purge_run"

    id: int | None = Field(default=None, primary_key=True)
    ran_at: datetime = Field(default_factory=utcnow, sa_column=_utc())
    # The instant the run purged for (the job's clock: tests move it).
    as_of: datetime = Field(sa_column=_utc())
    missions_purged: int = Field(default=0)
    contacts_erased: int = Field(default=0)
    beneficiaries_pseudonymised: int = Field(default=0)


class ParentalConsent(SQLModel, table=True):
    """A parent's consent for a relay under 15: who gave it, when, how, who recorded it."""

    __tablename__ = "parental_consent"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    parent_name: str = Field(max_length=120)
    method: str = Field(max_length=16)
    given_on: date
    recorded_by_id: int = Field(foreign_key="user.id")
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=_utc())


def initials(full_name: str) -> str:
    """« Mme Jeanne Le Goff » → « J. L. G. »: what a pseudonymised record keeps."""
    words = [w for w in re.split(r"[\s'’.-]+", full_name)
             if w and w.casefold() not in {"m", "mme", "mlle", "mr", "mrs", "ms", "dr"}]
    return " ".join(f"{w[0].upper()}." for w in words)[:20] or "—"


def mission_closed_at(status: str, starts_at: datetime, duration_minutes: int,
                      updated_at: datetime) -> datetime | None:
    """When a mission was over (None: not over). The later of its end and its last change.

    Taking the later of the two never erases a contact early: a mission cancelled
    before its date counts from the cancellation, one done late from its record.
    """
    if status not in CLOSED_STATUSES:
        return None
    return max(starts_at + timedelta(minutes=duration_minutes), updated_at)


def inactive_before(now: datetime, months: int) -> datetime:
    """The instant before which a beneficiary's last activity makes them inactive."""
    return now - timedelta(days=round(months * DAYS_PER_MONTH))


def age_on(birth: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
