"""The ``push.send`` job: one person's notification to each of their subscribed browsers.

A job is one (event, person, push) delivery; the person's browsers are read when
it runs. Each browser's outcome is known separately: delivered, gone (404/410:
the subscription is deleted), refused for good, or to try again (timeout, 5xx).
When some browser must be tried again the job is retried, and the browsers that
already have the message are written into the job's payload (``sent_to``) first,
so the retry never shows it twice on the same phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import parseaddr

from sqlalchemy import update
from sqlmodel import Session, col, select

from heurecivique_app.adapters.mail import PermanentFailure, TemporaryFailure
from heurecivique_app.adapters.webpush import PushSender, SubscriptionGone, Target, new_vapid_keys
from heurecivique_app.domain.models import User
from heurecivique_app.domain.notifications import Job, NotificationOptOut
from heurecivique_app.domain.push import PUSH
from heurecivique_app.jobs.queue import Claimed
from heurecivique_app.jobs.runner import JobContext, Outcome, Skip
from heurecivique_app.presenters.push import push_message
from heurecivique_app.services import push


def configured_keys(settings) -> push.VapidKeys | None:
    """The pair HC_VAPID_* set, if any."""
    if settings.vapid_private_key:
        return push.VapidKeys(private_key=settings.vapid_private_key,
                              public_key=settings.vapid_public_key)
    return None


def keys_in(session: Session, settings) -> push.VapidKeys:
    """The site's VAPID pair, created in ``session`` by the first worker that asks."""
    return push.vapid_keys(session, configured=configured_keys(settings),
                           generate=new_vapid_keys)


def site_keys(engine, settings) -> push.VapidKeys:
    """:func:`keys_in` in a transaction of its own."""
    with Session(engine) as session:
        keys = keys_in(session, settings)
        session.commit()
    return keys


def vapid_subject(settings) -> str:
    """The contact push services see: HC_VAPID_SUBJECT, the site, or the e-mail sender."""
    if settings.vapid_subject:
        return settings.vapid_subject
    if settings.public_url.startswith("https://"):
        return settings.public_url
    return "mailto:" + (parseaddr(settings.mail_from)[1] or "heure-civique@localhost")


@dataclass
class _Tally:
    """Each browser's outcome in a batch, written once at its end (``record_sends``)."""

    delivered: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    gone: list[int] = field(default_factory=list)


def send_pushes(ctx: JobContext, jobs: list[Claimed]) -> Iterator[tuple[Claimed, Outcome]]:
    """Send a batch of push jobs; each person's language, choices and browsers read once.

    The browsers' last success or failure, and the deletion of gone ones, are written
    once for the batch: a worker killed before that loses only this bookkeeping (a gone
    browser answers 410 again next time). What a retry must know is written before
    the job's outcome (:func:`_remember_sent`).
    """
    settings = ctx.settings
    user_ids = {job.user_id for job in jobs if job.user_id is not None}
    with Session(ctx.engine) as session:
        users = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(user_ids)))}
        off = set(session.exec(select(NotificationOptOut.user_id, NotificationOptOut.kind).where(
            col(NotificationOptOut.user_id).in_(user_ids),
            NotificationOptOut.channel == PUSH)).all())
        browsers = push.subscriptions_of(session, user_ids)
    sender = PushSender(site_keys(ctx.engine, settings).private_key, vapid_subject(settings),
                        timeout_s=settings.push_timeout_s)
    tally = _Tally()
    try:
        for job in jobs:
            try:
                _send_one(ctx, sender, job, users, off, browsers, tally)
            except Exception as error:  # recorded by the runner (retry, fail or skip)
                yield job, error
            else:
                yield job, None
    finally:
        sender.close()
        with Session(ctx.engine) as session:
            push.record_sends(session, delivered=tally.delivered, failed=tally.failed,
                              gone=tally.gone, now=ctx.clock())
            session.commit()


def _send_one(ctx: JobContext, sender: PushSender, job: Claimed, users: dict, off: set,
              browsers: dict, tally: _Tally) -> None:
    user = users.get(job.user_id)
    payload = job.payload
    if user is None or not user.is_active:
        raise Skip("account closed")
    if (job.user_id, payload["kind"]) in off:
        raise Skip("turned off by the person")
    sent_to = set(payload.get("sent_to", []))
    targets = [b for b in browsers.get(job.user_id, []) if b.id not in sent_to]
    if not targets:
        raise Skip("no subscribed browser")
    message = push_message(payload["kind"], payload["params"], locale=user.locale,
                           timezone=ctx.settings.timezone,
                           commune_name=payload["commune"]["name"])
    delivered: list[int] = []
    retry = refused = None
    for browser in targets:
        try:
            sender.send(Target(browser.endpoint, browser.p256dh, browser.auth), dict(message),
                        urgent=bool(payload.get("urgent")), before_accept=ctx.settle)
        except SubscriptionGone:
            tally.gone.append(browser.id)
        except PermanentFailure as error:
            tally.failed[browser.id] = str(error)
            refused = error
        except TemporaryFailure as error:
            tally.failed[browser.id] = str(error)
            retry = error
        else:
            delivered.append(browser.id)
    tally.delivered += delivered
    if retry is not None:
        if delivered:
            _remember_sent(ctx, job, sent_to | set(delivered))
        raise retry
    if not delivered and refused is not None:
        raise refused
    if not delivered and not sent_to:
        raise Skip("every subscription was gone")


def _remember_sent(ctx: JobContext, job: Claimed, ids: set[int]) -> None:
    """Write which browsers already have this message into the job (fenced by the claim)."""
    with Session(ctx.engine) as session:
        session.execute(update(Job).where(Job.id == job.id, Job.attempts == job.attempts)
                        .values(payload={**job.payload, "sent_to": sorted(ids)}))
        session.commit()
