"""Passwords: a forgotten one, through an e-mailed link; a signed-in user's change.

Asking answers the same whether the address has an account or not (the page
says "if an account exists, an e-mail is on its way"). For a known, active
account a job is queued (``RESET_LINK_JOB``, jobs/kinds.py); that job writes the
token when the e-mail leaves, so the job table never holds a usable link, and
only the token's SHA-256 is stored. At most one e-mail per account every
``REQUEST_WINDOW_MINUTES``, so nobody can flood an inbox through the form.

Setting the new password uses the link up (and every other open link of the
account), revokes every login session of the account (a thief logged in is
logged out), lifts any login lock and confirms the e-mail address, which the
link has just proved.

A signed-in user changes their password with the current one
(:func:`change_password`), checked under the login throttle; their other
sessions end. They also see their open sessions and end any one of them
(:func:`open_sessions`, :func:`end_session`), e.g. a tablet left logged in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from heurecivique_app.adapters.passwords import hash_password
from heurecivique_app.domain.errors import NotFound, ValidationFailed
from heurecivique_app.domain.models import PasswordReset, User, UserSession
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FieldError, FormCheck, known_id, link_token_shape
from heurecivique_app.domain.volunteering import clean_email, clean_password
from heurecivique_app.jobs.queue import enqueue_rows, job_row
from heurecivique_app.services import auth, notifications
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

RESET_LINK_JOB = "auth.reset_link"
RESET_MINUTES = 30
REQUEST_WINDOW_MINUTES = 5


def _digest(token: str) -> str:
    # Distinct from session and confirmation digests: a reset token opens nothing else.
    return hashlib.sha256(f"reset:{token}".encode()).hexdigest()


def request_reset(session: Session, *, email: object, site_url: str,
                  now: datetime | None = None) -> None:
    """Queue a reset e-mail if ``email`` belongs to an active account; else do nothing.

    The caller shows the same answer either way. A malformed address is treated
    like an unknown one (no error that would differ from a real address's).

    Args:
        session: the unit of work the job is written in.
        email: the address as typed.
        site_url: the site's address, for the link.
        now: the time of the request (tests move it).
    """
    now = now or utcnow()
    try:
        address = clean_email(email if isinstance(email, str) else "")
    except FieldError:
        return
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or not user.is_active or user.id is None:
        return
    window = int(now.timestamp()) // (REQUEST_WINDOW_MINUTES * 60)
    enqueue_rows(session, [job_row(
        kind=RESET_LINK_JOB, key=f"reset:{user.id}:{window}", due_at=now, user_id=user.id,
        payload={"site_url": site_url,
                 "commune": notifications.commune_look(session, user.commune_id)})])
    audit(session, actor=None, action="auth.reset_requested", entity="user",
          entity_id=user.id, commune_id=user.commune_id)


def new_reset_link(session: Session, *, user_id: int, site_url: str,
                   now: datetime | None = None) -> str | None:
    """Store a new reset token (hashed); its link, to e-mail at once (the job calls this).

    Returns:
        The link, or None when the account is gone or closed.
    """
    now = now or utcnow()
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(token_hash=_digest(token), user_id=user_id, created_at=now,
                              expires_at=now + timedelta(minutes=RESET_MINUTES)))
    return f"{site_url}/api/auth/reset?token={token}"


def _usable(session: Session, token: object, now: datetime) -> tuple[PasswordReset, User] | None:
    if not link_token_shape(token):
        return None
    row = session.exec(select(PasswordReset, User)
                       .join(User, User.id == PasswordReset.user_id)
                       .where(PasswordReset.token_hash == _digest(token))).first()
    if row is None:
        return None
    link, user = row
    if link.used_at is not None or link.expires_at <= now or not user.is_active:
        return None
    return link, user


def reset_is_usable(session: Session, *, token: object, now: datetime | None = None) -> bool:
    """Whether the link can still set a password (read only: the GET page asks this)."""
    return _usable(session, token, now or utcnow()) is not None


def reset_password(session: Session, *, token: object, password: object, repeat: object,
                   now: datetime | None = None) -> bool:
    """Set the account's new password through a reset link.

    Returns:
        True when the password was set; False when the link is unknown, used or
        expired (the page then offers to ask for a new one).

    Raises:
        ValidationFailed: the new password is refused (too short, the two differ);
            nothing is written and the link stays usable.
    """
    now = now or utcnow()
    found = _usable(session, token, now)
    if found is None:
        return False
    link, user = found
    check = FormCheck()
    check.take("password", lambda: clean_password(password if isinstance(password, str)
                                                  else None))
    clean = check.result()
    if repeat != clean["password"]:
        raise ValidationFailed({"repeat": N_("The two passwords are not the same.")})
    user.password_hash = hash_password(clean["password"])
    user.email_confirmed = True  # following the e-mailed link proved the address
    session.add(user)
    for other in session.exec(select(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at == None)).all():  # noqa: E711
        other.used_at = now
        session.add(other)
    revoked = end_other_sessions(session, user_id=user.id, keep_session=None, now=now)
    actor = Actor.from_user(user)
    auth.clear_login_lock(session, user=user, actor=actor)
    audit(session, actor=actor, action="auth.password_reset", entity="user",
          entity_id=user.id, commune_id=user.commune_id, sessions_revoked=revoked,
          link_id=link.id)
    return True


def check_current_password(session: Session, *, user: User, current: object, address: str,
                           field: str = "current") -> None:
    """Refuse a wrong current password; each try counts in the login throttle like a login.

    Args:
        session: the unit of work (the caller commits even on a refusal, so the
            throttle's count stays).
        user: the signed-in account.
        current: the password as typed.
        address: the client's address, for the throttle.
        field: the form field the refusal is shown at.

    Raises:
        ValidationFailed: wrong, or tried too often (the wait is said).
    """
    tried = auth.log_in(session, email=user.email,
                        password=current if isinstance(current, str) else "", address=address)
    if tried.user is not None:
        return
    if tried.locked:
        raise ValidationFailed(
            {field: N_("Too many attempts: logging in with this email is paused for "
                       "{minutes} min.")},
            {field: {"minutes": max(-(-tried.retry_after // 60), 1)}})
    if tried.retry_after:
        raise ValidationFailed({field: N_("Too many attempts. Try again in {seconds} s.")},
                               {field: {"seconds": max(tried.retry_after, 1)}})
    raise ValidationFailed({field: N_("This is not your current password.")})


def end_other_sessions(session: Session, *, user_id: int | None, keep_session: str | None,
                       now: datetime | None = None) -> int:
    """End every open login of the account but ``keep_session`` (this browser's token).

    Returns:
        How many sessions ended.
    """
    now = now or utcnow()
    kept = auth.session_digest(keep_session) if keep_session else ""
    ended = 0
    for login in session.exec(select(UserSession).where(
            UserSession.user_id == user_id, UserSession.revoked_at == None)).all():  # noqa: E711
        if login.token_hash != kept:
            login.revoked_at = now
            session.add(login)
            ended += 1
    return ended


def change_password(session: Session, *, actor: Actor, current: object, password: object,
                    repeat: object, address: str, keep_session: str | None) -> None:
    """A signed-in user's new password, the current one required.

    The current password is checked under the login throttle (a stolen session
    cannot try passwords faster than the login page allows). Every other session
    of the account ends; ``keep_session`` (this browser's cookie token) stays.

    Raises:
        ValidationFailed: the current password is wrong (or tried too often), or the
            new one is refused; nothing is written but the throttle's count.
    """
    user = session.get(User, actor.user_id)
    if user is None or not user.is_active:
        raise ValidationFailed({"current": N_("Wrong email or password.")})
    check = FormCheck()
    check.take("password", lambda: clean_password(password if isinstance(password, str)
                                                  else None))
    clean = check.result()
    if repeat != clean["password"]:
        raise ValidationFailed({"repeat": N_("The two passwords are not the same.")})
    check_current_password(session, user=user, current=current, address=address)
    user.password_hash = hash_password(clean["password"])
    session.add(user)
    ended = end_other_sessions(session, user_id=user.id, keep_session=keep_session)
    audit(session, actor=actor, action="auth.password_changed", entity="user",
          entity_id=user.id, commune_id=user.commune_id, other_sessions_ended=ended)


@dataclass(frozen=True)
class OpenSession:
    """One of a user's live logins, as the account security page lists it."""

    session_id: int
    opened_at: datetime
    expires_at: datetime
    this_device: bool


def open_sessions(session: Session, *, actor: Actor, current: str | None,
                  now: datetime | None = None) -> list[OpenSession]:
    """The actor's live logins, newest first; ``current`` (the cookie token) marks this one."""
    now = now or utcnow()
    mine = auth.session_digest(current) if current else ""
    rows = session.exec(select(UserSession).where(
        UserSession.user_id == actor.user_id, UserSession.revoked_at == None)  # noqa: E711
        .order_by(UserSession.created_at.desc())).all()  # type: ignore[attr-defined]
    return [OpenSession(session_id=row.id, opened_at=row.created_at, expires_at=row.expires_at,
                        this_device=row.token_hash == mine)
            for row in rows if row.id is not None and row.expires_at > now]


def end_session(session: Session, *, actor: Actor, session_id: object) -> None:
    """End one of the actor's own logins (another device left logged in).

    Raises:
        NotFound: not a live login of the actor.
    """
    login = session.get(UserSession, known_id(session_id))
    if login is None or login.user_id != actor.user_id or login.revoked_at is not None:
        raise NotFound()
    login.revoked_at = utcnow()
    session.add(login)
    audit(session, actor=actor, action="auth.session_ended", entity="user",
          entity_id=actor.user_id, commune_id=actor.commune_id, session_id=login.id)
