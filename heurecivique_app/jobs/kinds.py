"""The registry of job kinds: e-mail deliveries, e-mailed links, the daily reminder scan,
mission expiry, the retention purge; the alerts' fan-out and digest, the scan of missions
soon without a volunteer, the staff's morning summary and the monthly nudge.

Adding background work means adding a kind here (a name, a handler and, if it
recurs, when it runs next) — never a second scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from email.message import Message
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from heurecivique_app.adapters.mail import Mail, compose
from heurecivique_app.adapters.photos import PhotoStore
from heurecivique_app.domain.alerts import AlertMode
from heurecivique_app.domain.models import User
from heurecivique_app.domain.notifications import (
    EMAIL,
    OPT_IN_KINDS,
    OPTIONAL_KINDS,
    MessageKind,
    NotificationOptOut,
)
from heurecivique_app.jobs.push import send_pushes
from heurecivique_app.jobs.queue import Claimed
from heurecivique_app.jobs.runner import JobContext, JobKind, Outcome, Skip, one_by_one
from heurecivique_app.presenters.calendar import ICS_TYPE, mission_ics
from heurecivique_app.presenters.emails import Context, render
from heurecivique_app.services import (
    alerts,
    email_change,
    notices,
    notifications,
    push,
    recovery,
    retention,
    signup,
    staff,
)
from heurecivique_app.services.missions import control

log = logging.getLogger(__name__)

REMINDER_SCAN = "reminders.daily"
# The day-before reminders go out at 17:00 local: after work, before the evening.
REMINDER_TIME = time(17, 0)
RETENTION_PURGE = "retention.purge"
# The purge runs at night, when no one is at the console.
PURGE_TIME = time(3, 0)
EXPIRY_SCAN = "missions.expire"
# Open missions past their start leave the boards within a quarter of an hour.
EXPIRY_EVERY = timedelta(minutes=15)
ALERT_DIGEST = "alerts.digest"
# The digest of new missions near home leaves at 18:00 local, after the day's publishing.
DIGEST_TIME = time(18, 0)
UNSTAFFED_SCAN = "missions.unstaffed"
# Missions starting within 48 hours without a volunteer are looked for every hour.
UNSTAFFED_EVERY = timedelta(hours=1)
MORNING_SUMMARY = "summary.morning"
# The staff's list of visits to phone about: at 08:00, the end of the quiet hours.
MORNING_TIME = time(8, 0)
HOUR_NUDGE = "hours.nudge"
# A nudge missed while the app was stopped still goes within three days, not later.
NUDGE_CATCH_UP = timedelta(days=3)
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def app_url(settings) -> str:
    """The site's address for links in e-mails (HC_PUBLIC_URL, else the local demo)."""
    return settings.public_url or "http://localhost:3000"


def send_emails(ctx: JobContext, jobs: list[Claimed]) -> Iterator[tuple[Claimed, Outcome]]:
    """Send a batch of e-mails through one mailer connection.

    A person's address, name, language and choices are read at sending time (one
    read for the batch): an address changed since, a kind turned off or an account
    deleted meanwhile are respected.
    """
    user_ids = {job.user_id for job in jobs if job.user_id is not None}
    with Session(ctx.engine) as session:
        users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
        off = set(session.exec(select(NotificationOptOut.user_id, NotificationOptOut.kind)
                               .where(col(NotificationOptOut.user_id).in_(user_ids),
                                      NotificationOptOut.channel == EMAIL)).all())
        opted = alerts.still_wanted(session, {job.user_id for job in jobs if job.user_id
                                              and job.payload.get("kind") in OPT_IN_KINDS})
    off |= {(user_id, kind) for user_id, (mode, nudge) in opted.items()
            for kind in OPT_IN_KINDS if not _still_on(kind, mode, nudge)}
    off |= {(job.user_id, job.payload.get("kind")) for job in jobs
            if job.payload.get("kind") in OPT_IN_KINDS and job.user_id not in opted}
    settings = ctx.settings
    photos = PhotoStore(settings.data_dir)

    def prepare(job: Claimed) -> tuple[Message | None, Exception | None]:
        try:
            return _message(job, users, off, settings, photos), None
        except Exception as error:  # a Skip, an unusable address: this job's outcome
            return None, error

    # Each message is composed while the server answers the one before (the mailer's
    # ``while_accepting``): that CPU work overlaps the wait instead of following it.
    ahead: list[tuple[Message | None, Exception | None]] = []
    for index, job in enumerate(jobs):
        message, error = ahead.pop() if ahead else prepare(job)
        following = jobs[index + 1] if index + 1 < len(jobs) else None

        def compose_following(following: Claimed | None = following) -> None:
            if following is not None and not ahead:
                ahead.append(prepare(following))

        if error is None:
            try:
                ctx.mailer.deliver(message, before_accept=ctx.settle,
                                   while_accepting=compose_following)
            except Exception as failure:  # recorded by the runner (retry, fail or skip)
                error = failure
        yield job, error


def _still_on(kind: str, mode: str, nudge: bool) -> bool:
    """Whether an opt-in kind is still wanted (alerts and digests: any mode but off)."""
    return nudge if kind == MessageKind.HOUR_NUDGE else mode != AlertMode.OFF


def _invitation(params: dict, commune: dict, locale: str, settings) -> tuple:
    """The mission's .ics invitation, as an attachment (name, type, bytes)."""
    url = f"{app_url(settings)}/missions/{params['mission_id']}"
    data = mission_ics(mission_id=params["mission_id"], title=params["title"],
                       starts_at=datetime.fromisoformat(params["starts_at"]),
                       duration_minutes=params["duration_minutes"],
                       neighbourhood=params["neighbourhood"], url=url,
                       commune=commune["name"], locale=locale)
    return ((f"mission-{params['mission_id']}.ics", ICS_TYPE, data),)


def _message(job: Claimed, users: dict[int, User], off: set, settings,
             photos: PhotoStore):
    payload = job.payload
    kind = payload["kind"]
    unsubscribe_url = ""
    if job.user_id is not None:
        user = users.get(job.user_id)
        if user is None or not user.is_active:
            raise Skip("account closed")
        if (job.user_id, kind) in off:
            raise Skip("turned off by the person")
        to, name, locale = user.email, user.display_name, user.locale
        if kind in OPTIONAL_KINDS or kind in OPT_IN_KINDS:
            token = notifications.unsubscribe_token(settings.secret_key, job.user_id, kind)
            unsubscribe_url = f"{app_url(settings)}/api/unsubscribe/{token}"
    else:
        to, name, locale = payload["to"], "", payload.get("locale", "fr")
    commune = payload["commune"]
    rendered = render(payload["template"], Context(
        locale=locale, timezone=settings.timezone, commune_name=commune["name"],
        commune_colour=commune["colour"], app_url=app_url(settings), name=name,
        unsubscribe_url=unsubscribe_url), payload["params"])
    headers = {}
    if unsubscribe_url:
        # RFC 8058: mail clients show an « unsubscribe » button that POSTs here.
        headers = {"List-Unsubscribe": f"<{unsubscribe_url}>",
                   "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    attachments = tuple(path for name_ in payload.get("attachments", [])
                        if (path := photos.path(name_)) is not None)
    files = (_invitation(payload["params"], commune, locale, settings)
             if payload["params"].get("ics") else ())
    return compose(Mail(sender=settings.mail_from, to=to, subject=rendered.subject,
                        text=rendered.text, html=rendered.html, headers=headers,
                        attachments=attachments, files=files, idempotency_key=job.key))


def _mail_link(ctx: JobContext, job: Claimed, template: str, *, to: str, name: str,
               locale: str, params: dict) -> None:
    """Render an e-mailed link's message in the recipient's language and send it now."""
    commune = job.payload["commune"]
    rendered = render(template, Context(
        locale=locale, timezone=ctx.settings.timezone, commune_name=commune["name"],
        commune_colour=commune["colour"], app_url=job.payload["site_url"], name=name), params)
    ctx.mailer.deliver(compose(Mail(sender=ctx.settings.mail_from, to=to,
                                    subject=rendered.subject, text=rendered.text,
                                    html=rendered.html, idempotency_key=job.key)),
                       before_accept=ctx.settle)


LinkMaker = Callable[..., str | None]


def link_mail(template: str, make_link: LinkMaker) -> Callable[[JobContext, Claimed], None]:
    """A job that writes a single-use link's token and e-mails the link to the account.

    ``make_link`` (services/signup.new_confirmation_link, recovery.new_reset_link)
    stores the token's digest and returns the link. The token is committed before
    the e-mail leaves: a failed delivery leaves an unused token that expires, and
    the retry writes and sends another. The raw token is never in the job table.
    """

    def run(ctx: JobContext, job: Claimed) -> None:
        assert job.user_id is not None
        payload = job.payload
        with Session(ctx.engine) as session:
            user = session.get(User, job.user_id)
            url = make_link(session, user_id=job.user_id, site_url=payload["site_url"],
                            now=ctx.clock())
            if user is None or url is None:
                raise Skip("nothing to send any more (account closed or confirmed)")
            session.commit()
            to, name, locale = user.email, user.display_name, user.locale
        _mail_link(ctx, job, template, to=to, name=name, locale=locale, params={"url": url})

    return run


def _send_invitation(ctx: JobContext, job: Claimed) -> None:
    """Write a staff invitation's token and e-mail its link (services/staff.py)."""
    payload = job.payload
    with Session(ctx.engine) as session:
        found = staff.new_invitation_link(session, invitation_id=payload["invitation_id"],
                                          site_url=payload["site_url"], now=ctx.clock())
        if found is None:
            raise Skip("invitation used or cancelled")
        invitation, url = found
        to, name = invitation.email, invitation.display_name
        session.commit()
    _mail_link(ctx, job, MessageKind.STAFF_INVITATION, to=to, name=name,
               locale=payload.get("locale", "fr"),
               params={"url": url, "inviter": payload["inviter"]})


def _send_email_change_link(ctx: JobContext, job: Claimed) -> None:
    """Write an e-mail change's token and e-mail its link to the NEW address.

    Like :func:`link_mail`, the token is committed before the e-mail leaves and the
    raw token is never in the job table (services/email_change.py).
    """
    payload = job.payload
    with Session(ctx.engine) as session:
        link = email_change.new_change_link(session, change_id=payload["change_id"],
                                            site_url=payload["site_url"], now=ctx.clock())
        if link is None:
            raise Skip("request used or account closed")
        session.commit()
    _mail_link(ctx, job, MessageKind.EMAIL_CHANGE_CONFIRM, to=link.to, name=link.name,
               locale=link.locale, params={"url": link.url})


def _scan_reminders(ctx: JobContext, job: Claimed) -> None:
    with Session(ctx.engine) as session:
        notifications.enqueue_reminders(session, now=ctx.clock(),
                                        timezone=ctx.settings.timezone)
        session.commit()


def _daily(name: str, at: time, after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first ``at`` local strictly after ``after``, and the key of that run."""
    zone = ZoneInfo(timezone)
    local = after.astimezone(zone)
    day = local.date() if local.time() < at else local.date() + timedelta(days=1)
    due = datetime.combine(day, at, tzinfo=zone)
    return due.astimezone(after.tzinfo), f"{name}:{day.isoformat()}"


def next_reminder_scan(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first 17:00 local strictly after ``after``, and the key of that run."""
    return _daily(REMINDER_SCAN, REMINDER_TIME, after, timezone)


def _purge(ctx: JobContext, job: Claimed) -> None:
    """Erase what the communes' retention periods say is due (services.retention)."""
    with Session(ctx.engine) as session:
        run = retention.purge(session, now=ctx.clock())
        counts = (run.missions_purged, run.contacts_erased, run.beneficiaries_pseudonymised)
        session.commit()
    log.info("retention purge: %s missions, %s contacts, %s pseudonymised", *counts)


def next_purge(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first 03:00 local strictly after ``after``, and the key of that run."""
    return _daily(RETENTION_PURGE, PURGE_TIME, after, timezone)


def _expire_missions(ctx: JobContext, job: Claimed) -> None:
    with Session(ctx.engine) as session:
        control.expire_past_missions(session, now=ctx.clock())
        session.commit()  # the boards hear of each expiry after this commit


def next_expiry_scan(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first quarter of an hour strictly after ``after``, and the key of that run."""
    due = _EPOCH + ((after - _EPOCH) // EXPIRY_EVERY + 1) * EXPIRY_EVERY
    return due.astimezone(after.tzinfo), f"{EXPIRY_SCAN}:{due:%Y-%m-%dT%H:%M}"


def _in_session(work: Callable[..., object]) -> Callable[[JobContext, Claimed], None]:
    """A job that runs ``work(session, now=…, timezone=…)`` in one transaction."""

    def run(ctx: JobContext, job: Claimed) -> None:
        with Session(ctx.engine) as session:
            work(session, now=ctx.clock(), timezone=ctx.settings.timezone)
            session.commit()

    return run


def _fan_out(ctx: JobContext, job: Claimed) -> None:
    """Alert the subscribers a newly published mission matches (services.alerts)."""
    with Session(ctx.engine) as session:
        done = alerts.fan_out(session, mission_id=job.payload["mission_id"], now=ctx.clock(),
                              timezone=ctx.settings.timezone)
        session.commit()
    log.info("alerts for mission %s: %s e-mailed, %s held for the digest",
             job.payload["mission_id"], done.emailed, done.held)


def next_digest(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first 18:00 local strictly after ``after``, and the key of that run."""
    return _daily(ALERT_DIGEST, DIGEST_TIME, after, timezone)


def next_morning_summary(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first 08:00 local strictly after ``after``, and the key of that run."""
    return _daily(MORNING_SUMMARY, MORNING_TIME, after, timezone)


def next_unstaffed_scan(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first full hour strictly after ``after``, and the key of that run."""
    due = _EPOCH + ((after - _EPOCH) // UNSTAFFED_EVERY + 1) * UNSTAFFED_EVERY
    return due.astimezone(after.tzinfo), f"{UNSTAFFED_SCAN}:{due:%Y-%m-%dT%H}"


def next_nudge(after: datetime, timezone: str) -> tuple[datetime, str]:
    """The first 20th of a month at 10:00 local strictly after ``after``, and its key."""
    due = alerts.next_nudge_day(after, timezone)
    return due, f"{HOUR_NUDGE}:{due.astimezone(ZoneInfo(timezone)):%Y-%m}"


KINDS: dict[str, JobKind] = {kind.name: kind for kind in (
    JobKind(notifications.SEND_EMAIL, send_emails),
    JobKind(push.SEND_PUSH, send_pushes),
    JobKind(REMINDER_SCAN, one_by_one(_scan_reminders), next_run=next_reminder_scan),
    JobKind(RETENTION_PURGE, one_by_one(_purge), next_run=next_purge),
    JobKind(signup.CONFIRMATION_LINK_JOB, one_by_one(
        link_mail(MessageKind.SIGNUP_CONFIRM, signup.new_confirmation_link))),
    JobKind(recovery.RESET_LINK_JOB, one_by_one(
        link_mail(MessageKind.PASSWORD_RESET, recovery.new_reset_link))),
    JobKind(staff.INVITATION_JOB, one_by_one(_send_invitation)),
    JobKind(email_change.EMAIL_CHANGE_LINK_JOB, one_by_one(_send_email_change_link)),
    JobKind(EXPIRY_SCAN, one_by_one(_expire_missions), next_run=next_expiry_scan,
            catch_up=EXPIRY_EVERY),
    JobKind(alerts.FANOUT_JOB, one_by_one(_fan_out)),
    JobKind(ALERT_DIGEST, one_by_one(_in_session(alerts.enqueue_digests)),
            next_run=next_digest),
    JobKind(UNSTAFFED_SCAN, one_by_one(_in_session(notices.enqueue_unstaffed)),
            next_run=next_unstaffed_scan, catch_up=UNSTAFFED_EVERY),
    JobKind(MORNING_SUMMARY, one_by_one(_in_session(notices.enqueue_morning_summaries)),
            next_run=next_morning_summary),
    JobKind(HOUR_NUDGE, one_by_one(_in_session(alerts.enqueue_nudges)), next_run=next_nudge,
            catch_up=NUDGE_CATCH_UP),
)}
