"""The registry of job kinds: e-mail deliveries, e-mailed links, the daily reminder scan,
mission expiry, the retention purge.

Adding background work means adding a kind here (a name, a handler and, if it
recurs, when it runs next) — never a second scheduler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from heurecivique_app.adapters.mail import Mail, compose
from heurecivique_app.adapters.photos import PhotoStore
from heurecivique_app.domain.models import User
from heurecivique_app.domain.notifications import (
    EMAIL,
    OPTIONAL_KINDS,
    MessageKind,
    NotificationOptOut,
)
from heurecivique_app.jobs.push import send_pushes
from heurecivique_app.jobs.queue import Claimed
from heurecivique_app.jobs.runner import JobContext, JobKind, Outcome, Skip, one_by_one
from heurecivique_app.presenters.emails import Context, render
from heurecivique_app.services import (
    email_change,
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
    settings = ctx.settings
    photos = PhotoStore(settings.data_dir)
    for job in jobs:
        try:
            ctx.mailer.deliver(_message(job, users, off, settings, photos))
        except Exception as error:  # recorded by the runner (retry, fail or skip)
            yield job, error
        else:
            yield job, None


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
        if kind in OPTIONAL_KINDS:
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
    return compose(Mail(sender=settings.mail_from, to=to, subject=rendered.subject,
                        text=rendered.text, html=rendered.html, headers=headers,
                        attachments=attachments, idempotency_key=job.key))


def _mail_link(ctx: JobContext, job: Claimed, template: str, *, to: str, name: str,
               locale: str, params: dict) -> None:
    """Render an e-mailed link's message in the recipient's language and send it now."""
    commune = job.payload["commune"]
    rendered = render(template, Context(
        locale=locale, timezone=ctx.settings.timezone, commune_name=commune["name"],
        commune_colour=commune["colour"], app_url=job.payload["site_url"], name=name), params)
    ctx.mailer.deliver(compose(Mail(sender=ctx.settings.mail_from, to=to,
                                    subject=rendered.subject, text=rendered.text,
                                    html=rendered.html, idempotency_key=job.key)))


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
)}
