"""Due work and notifications: the durable job table, opt-outs, and their pure rules.

One table holds every piece of work to do later — an e-mail to deliver, the
daily reminder scan, and later expiry and retention purges (issue 19). A row is
written in the same transaction as the change that causes it, so after commit
nothing is lost; ``heurecivique_app.jobs`` claims and runs the due rows.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import UTCDateTime, utcnow


class JobStatus:
    """Where a job stands (stored as plain strings)."""

    PENDING = "pending"  # waiting for its due time (first try or a retry)
    RUNNING = "running"  # claimed by a worker until ``locked_until``
    DONE = "done"
    FAILED = "failed"  # gave up: a permanent failure or too many tries (see last_error)
    SKIPPED = "skipped"  # nothing to do any more (turned off, account deleted)


class Job(SQLModel, table=True):
    """One piece of due work; ``key`` makes it idempotent.

    For a delivery the key is ``<event>|<recipient>|<channel>``: whoever enqueues
    the same delivery twice (a retried request, two workers expanding one fan-out)
    writes one row only, because of the unique constraint.
    """

    __table_args__ = (Index("ix_job_due", "status", "due_at"),
                      Index("ix_job_user", "user_id", "status"))

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    key: str = Field(max_length=200, unique=True)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The person it is addressed to, if any: their record shows a delivery that failed.
    user_id: int | None = Field(default=None, foreign_key="user.id")
    status: str = Field(default=JobStatus.PENDING, max_length=10)
    due_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                        nullable=False))
    attempts: int = Field(default=0)
    # The claim: which worker holds the row and until when (a lease, so the rows of a
    # worker that died are taken again once it runs out).
    locked_by: str | None = Field(default=None, max_length=64)
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(),
                                                                         nullable=True))
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                          nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(),
                                                                        nullable=True))


class NotificationOptOut(SQLModel, table=True):
    """A kind of message a person turned off.

    Turned off from the account page or a one-click unsubscribe link; no row: the kind is on.
    """

    __tablename__ = "notification_optout"

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    kind: str = Field(max_length=32, primary_key=True)
    channel: str = Field(default="email", max_length=16, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                          nullable=False))


EMAIL = "email"


class MessageKind:
    """The kinds of message a person receives. Only the optional ones can be turned off."""

    PROPOSAL = "proposal"  # a referent proposes a mission to a volunteer
    REMINDER = "reminder"  # the day before a mission
    # A referent's message to a group: a mission's volunteers, a neighbourhood, the pool.
    GROUP_MESSAGE = "group_message"
    REPORT_FORWARD = "report_forward"  # a relay's report, to the technical services
    SIGNUP_CONFIRM = "signup_confirm"  # the link that confirms a new volunteer's address
    ACCOUNT_EXISTS = "account_exists"  # someone signed up with an address that has an account
    PASSWORD_RESET = "password_reset"  # the link that sets a forgotten password
    STAFF_INVITATION = "staff_invitation"  # an administrator invites someone to the staff
    EMAIL_CHANGE_CONFIRM = "email_change_confirm"  # the link sent to a new address
    EMAIL_CHANGED = "email_changed"  # the notice sent to the old address once changed
    # A referent changed a mission someone takes part in (never turned off: they must know).
    MISSION_CHANGED = "mission_changed"
    MISSION_CANCELLED = "mission_cancelled"
    TAKEN_OFF = "taken_off"  # the referent took this volunteer off the mission
    HANDED_TO_YOU = "handed_to_you"  # the referent gave this volunteer someone else's place
    # Volunteers (issue 17 item 5): a place confirmed (with an .ics invitation), a place
    # given from a waiting list, validated after the interview, alerts, the monthly nudge.
    CONFIRMED = "confirmed"
    WAITLIST_PLACE = "waitlist_place"
    VALIDATED = "validated"
    MISSION_ALERT = "mission_alert"
    ALERT_DIGEST = "alert_digest"
    HOUR_NUDGE = "hour_nudge"
    # The commune's staff: a withdrawal, a problem report, a mission soon without anyone,
    # a relay's report, a volunteer awaiting validation, the morning summary.
    WITHDRAWAL = "withdrawal"
    PROBLEM_REPORTED = "problem_reported"
    UNSTAFFED = "unstaffed"
    RELAY_REPORT = "relay_report"
    AWAITING_VALIDATION = "awaiting_validation"
    MORNING_SUMMARY = "morning_summary"
    # The relay: the referent's answer to a report.
    REPORT_ANSWER = "report_answer"


# Kinds a person may turn off, with the label of their switch on the account page.
OPTIONAL_KINDS: dict[str, str] = {
    MessageKind.PROPOSAL: N_("When a referent proposes a mission to me"),
    MessageKind.REMINDER: N_("A reminder the day before a mission"),
    MessageKind.GROUP_MESSAGE: N_("The town hall's messages to a group of volunteers"),
    MessageKind.CONFIRMED: N_("The confirmation of a mission, with its calendar invitation"),
    MessageKind.REPORT_ANSWER: N_("The town hall's answer to my reports"),
    MessageKind.WITHDRAWAL: N_("A volunteer withdraws from a mission"),
    MessageKind.PROBLEM_REPORTED: N_("A volunteer reports a problem after a mission"),
    MessageKind.UNSTAFFED: N_("A mission starts within 48 hours without a volunteer"),
    MessageKind.RELAY_REPORT: N_("A neighbourhood relay sends a report"),
    MessageKind.AWAITING_VALIDATION: N_("A new volunteer awaits validation"),
    MessageKind.MORNING_SUMMARY: N_("The morning summary of the visits to phone about"),
}

# The optional kinds each kind of account is offered on its account page (the others
# never receive them); alerts and the nudge are opt-in, chosen apart (domain.alerts).
VOLUNTEER_KINDS = (MessageKind.PROPOSAL, MessageKind.REMINDER, MessageKind.CONFIRMED,
                   MessageKind.GROUP_MESSAGE)
RELAY_KINDS = (*VOLUNTEER_KINDS, MessageKind.REPORT_ANSWER)
STAFF_KINDS = (MessageKind.WITHDRAWAL, MessageKind.PROBLEM_REPORTED, MessageKind.UNSTAFFED,
               MessageKind.RELAY_REPORT, MessageKind.AWAITING_VALIDATION,
               MessageKind.MORNING_SUMMARY)

# Opt-in kinds: sent only to those who asked (domain.alerts.AlertSetting), and stopped
# by their own unsubscribe link like the optional ones.
OPT_IN_KINDS: dict[str, str] = {
    MessageKind.MISSION_ALERT: N_("Alerts for new missions near home"),
    MessageKind.ALERT_DIGEST: N_("The daily digest of new missions near home"),
    MessageKind.HOUR_NUDGE: N_("A gentle nudge when this month's hour is not given yet"),
}

def kinds_offered(role: str) -> tuple[str, ...]:
    """The optional kinds an account of ``role`` receives, so may turn off."""
    if role == "relay":
        return RELAY_KINDS
    if role == "volunteer":
        return VOLUNTEER_KINDS
    return STAFF_KINDS


# The commune's time zone when a caller does not say (HC_TIMEZONE's default): states
# pass the configured one; tests and scripts may rely on this.
DEFAULT_TIMEZONE = "Europe/Paris"

QUIET_START = time(21, 0)
QUIET_END = time(8, 0)


def outside_quiet_hours(moment: datetime, timezone: str) -> datetime:
    """``moment``, or 08:00 local if it falls between 21:00 and 08:00.

    Nobody's phone should buzz at night for a message that can wait.
    """
    local = moment.astimezone(ZoneInfo(timezone))
    if QUIET_END <= local.time() < QUIET_START:
        return moment
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_END, tzinfo=ZoneInfo(timezone)).astimezone(moment.tzinfo)


def same_local_day(a: datetime, b: datetime, timezone: str) -> bool:
    """Whether two moments fall on the same calendar day in ``timezone``."""
    zone = ZoneInfo(timezone)
    return a.astimezone(zone).date() == b.astimezone(zone).date()


MAX_ATTEMPTS = 10
_FIRST_DELAY = timedelta(seconds=30)
_LONGEST_DELAY = timedelta(hours=1)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off after ``attempts`` failed tries: 30 s, 1 min, 2 min … 1 h.

    Ten tries span about four hours: a mail server down for a morning is waited
    for, one that keeps refusing does not get a request every second.
    """
    return min(_FIRST_DELAY * (2 ** max(attempts - 1, 0)), _LONGEST_DELAY)


def delivery_key(event: str, recipient: str | int, channel: str = EMAIL) -> str:
    """The idempotency key of one delivery: one message per (event, recipient, channel)."""
    return f"{event}|{recipient}|{channel}"
