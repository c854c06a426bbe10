"""A signed-in user's change of e-mail address, confirmed from the new address.

The user gives the new address and their current password (checked under the
login throttle, like :func:`recovery.change_password`). A job
(``EMAIL_CHANGE_LINK_JOB``, jobs/kinds.py) then writes a single-use token (only
its SHA-256 is stored, never the raw token in the job table) and e-mails its
link, valid 24 hours, to the NEW address. Following the link shows a button; the
POST that follows changes the address (mail scanners only GET).

No account enumeration: an address that already has an account gets the same
answer as a free one, and nothing is sent to it (its owner is not told either:
the person asking already knows that address, and an e-mail would let anyone
with a login make another person's inbox ring). The refusal is audited
(``auth.email_change_refused``). At most one request per account every
``REQUEST_WINDOW_MINUTES``.

Applying the change confirms the new address, voids the account's other open
links (e-mail changes and password resets sent to the old address), ends the
account's other sessions and e-mails a notice to the OLD address, so that the
owner learns of a change they did not make.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.models import EmailChange, PasswordReset, User
from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FormCheck, link_token_shape
from heurecivique_app.domain.volunteering import clean_email
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services import notifications, recovery
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

EMAIL_CHANGE_LINK_JOB = "auth.email_change_link"
LINK_HOURS = 24
REQUEST_WINDOW_MINUTES = 5


def _digest(token: str) -> str:
    # Distinct from the other digests: this token opens nothing else.
    return hashlib.sha256(f"email-change:{token}".encode()).hexdigest()


def request_change(session: Session, *, actor: Actor, new_email: object, current: object,
                   address: str, site_url: str, now: datetime | None = None) -> None:
    """Queue the confirmation link to ``new_email`` when it is free; the same end otherwise.

    The caller shows the same answer whether the address is free or taken.

    Args:
        session: the unit of work (committed by the caller even on a refusal: the
            throttle's count of a wrong password stays).
        actor: the signed-in user.
        new_email: the new address as typed.
        current: the current password as typed.
        address: the client's address, for the login throttle.
        site_url: the site's address, for the link.
        now: the time of the request (tests move it).

    Raises:
        ValidationFailed: a malformed address, the account's own address, or a
            wrong current password (``current_email``); nothing is queued.
    """
    now = now or utcnow()
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active or user.id is None:
        raise ValidationFailed({"current_email": N_("Wrong email or password.")})
    check = FormCheck()
    check.take("new_email", lambda: clean_email(new_email if isinstance(new_email, str)
                                                else None))
    wanted = check.result()["new_email"]
    if wanted == user.email:
        raise ValidationFailed({"new_email": N_("This is already your e-mail address.")})
    recovery.check_current_password(session, user=user, current=current, address=address,
                                    field="current_email")
    taken = session.exec(select(User.id).where(User.email == wanted)).first() is not None
    if taken:
        audit(session, actor=actor, action="auth.email_change_refused", entity="user",
              entity_id=user.id, commune_id=user.commune_id, reason="address_taken")
        return
    recent = session.exec(select(EmailChange.id).where(
        EmailChange.user_id == user.id,
        EmailChange.created_at > now - timedelta(minutes=REQUEST_WINDOW_MINUTES))).first()
    if recent is not None:
        return  # no flood of someone's inbox through the form; the page says to wait
    change = EmailChange(user_id=user.id, new_email=wanted, created_at=now)
    session.add(change)
    session.flush()
    enqueue_rows(session, [job_row(
        kind=EMAIL_CHANGE_LINK_JOB, key=f"email_change:{change.id}", due_at=now,
        user_id=user.id,
        payload={"change_id": change.id, "site_url": site_url,
                 "commune": notifications.commune_look(session, user.commune_id)})])
    audit(session, actor=actor, action="auth.email_change_requested", entity="user",
          entity_id=user.id, commune_id=user.commune_id, change_id=change.id)


@dataclass(frozen=True)
class ChangeLink:
    """What the sending job needs: where to send the link, in which language, the link."""

    to: str
    name: str
    locale: str
    url: str


def new_change_link(session: Session, *, change_id: int, site_url: str,
                    now: datetime | None = None) -> ChangeLink | None:
    """Write the request's token (hashed) and start its 24 hours; the job e-mails the link.

    Args:
        session: the job's unit of work (committed before the e-mail leaves).
        change_id: the request.
        site_url: the site's address, for the link.
        now: the sending time.

    Returns:
        The link and its recipient (the NEW address); None when the request was
        used or voided, or the account closed, meanwhile.
    """
    now = now or utcnow()
    change = session.get(EmailChange, change_id)
    if change is None or change.used_at is not None:
        return None
    user = session.get(User, change.user_id)
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    change.token_hash = _digest(token)
    change.expires_at = now + timedelta(hours=LINK_HOURS)
    session.add(change)
    return ChangeLink(to=change.new_email, name=user.display_name, locale=user.locale,
                      url=f"{site_url}/api/auth/email?token={token}")


def _usable(session: Session, token: object, now: datetime) -> tuple[EmailChange, User] | None:
    if not link_token_shape(token):
        return None
    row = session.exec(select(EmailChange, User)
                       .join(User, col(User.id) == EmailChange.user_id)
                       .where(EmailChange.token_hash == _digest(token))).first()
    if row is None:
        return None
    change, user = row
    if (change.used_at is not None or change.expires_at is None or change.expires_at <= now
            or not user.is_active):
        return None
    return change, user


def pending_address(session: Session, *, token: object,
                    now: datetime | None = None) -> str | None:
    """The new address a usable link would set; None if it cannot be used (read only).

    Args:
        session: a unit of work (nothing is written).
        token: the link's token.
        now: the time of the visit.

    Returns:
        The address, for the confirmation page's button; None for an unknown, used
        or expired link.
    """
    found = _usable(session, token, now or utcnow())
    return found[0].new_email if found else None


def confirm_change(session: Session, *, token: object, keep_session: str | None,
                   now: datetime | None = None) -> bool:
    """Set the account's address to the link's; end its other sessions; tell the old address.

    Args:
        session: the unit of work.
        token: the link's token.
        keep_session: this browser's session token, kept open if it is the account's.
        now: the time of the confirmation.

    Returns:
        True when the address changed; False when the link is unknown, used or
        expired, or the address got an account meanwhile (the link is then used up).
    """
    now = now or utcnow()
    found = _usable(session, token, now)
    if found is None:
        return False
    change, user = found
    change.used_at = now
    session.add(change)
    if session.exec(select(User.id).where(User.email == change.new_email)).first() is not None:
        audit(session, actor=None, action="auth.email_change_refused", entity="user",
              entity_id=user.id, commune_id=user.commune_id, reason="address_taken",
              change_id=change.id)
        return False
    old = user.email
    user.email = change.new_email
    user.email_confirmed = True  # following the e-mailed link proved the new address
    session.add(user)
    for other in session.exec(select(EmailChange).where(
            EmailChange.user_id == user.id, EmailChange.id != change.id,
            EmailChange.used_at == None)).all():  # noqa: E711
        other.used_at = now
        other.new_email = ""  # an address never confirmed is not kept
        session.add(other)
    for reset in session.exec(select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at == None)).all():  # noqa: E711
        reset.used_at = now  # those links went to the old address
        session.add(reset)
    ended = recovery.end_other_sessions(session, user_id=user.id, keep_session=keep_session,
                                        now=now)
    notifications.notify_address(
        session, kind=MessageKind.EMAIL_CHANGED, event=f"email_changed:{change.id}", to=old,
        params={"new_email": _masked(change.new_email)},
        commune=notifications.commune_look(session, user.commune_id), locale=user.locale)
    audit(session, actor=Actor.from_user(user), action="auth.email_changed", entity="user",
          entity_id=user.id, commune_id=user.commune_id, change_id=change.id,
          other_sessions_ended=ended)
    return True


def _masked(address: str) -> str:
    """The new address as the old one's notice shows it: enough to recognise, not to read."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


def forget_requests(session: Session, *, user_id: int) -> None:
    """Erase the account's e-mail change requests (the account is being deleted)."""
    for change in session.exec(select(EmailChange).where(EmailChange.user_id == user_id)).all():
        session.delete(change)
