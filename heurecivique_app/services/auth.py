"""Login sessions: password check, opaque cookie tokens stored hashed, logout."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlmodel import Session, select

from heurecivique_app.adapters import metrics
from heurecivique_app.adapters.passwords import verify_nobody, verify_password
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import User, UserSession
from heurecivique_app.domain.push import PushSubscription
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import login_throttle
from heurecivique_app.services.actor import Actor, actor_of
from heurecivique_app.services.audit import audit

SESSION_COOKIE = "hc_session"


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def session_digest(raw_token: str) -> str:
    """How a session's cookie token is stored (``UserSession.token_hash``)."""
    return _digest(raw_token)


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The active user with these credentials, or a translatable error.

    Unknown e-mails and inactive accounts cost one argon2 check too, like a real
    account, so the answer's time does not tell whether the e-mail has an account.
    """
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        verify_nobody(password)
        raise DomainError(N_("Wrong email or password."))
    # An unconfirmed sign-up is refused with the same words: were it let in, anyone could
    # sign up with an address and try the password they chose, and getting in would show
    # the address was new (a taken address keeps its owner's password). Confirming the
    # e-mail link logs the new volunteer in anyway (services/signup.py).
    if (not verify_password(user.password_hash, password) or not user.is_active
            or not user.email_confirmed):
        raise DomainError(N_("Wrong email or password."))
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """What a login try gave: the user, or why not.

    Attributes:
        user: the logged-in user; None if refused.
        retry_after: seconds before a new try will be checked (0: none imposed).
        locked: the refusal is a lock (minutes), not a short delay.
        checked: the password was checked (False: refused before, by the throttle).
    """

    user: User | None
    retry_after: int = 0
    locked: bool = False
    checked: bool = True


def _typable(value: object, most: int) -> str:
    """``value`` if it is text a person could type (printable, ``most`` characters at most)."""
    return value if isinstance(value, str) and len(value) <= most and value.isprintable() else ""


def log_in(session: Session, *, email: str, password: str, address: str,
           now: datetime | None = None) -> LoginOutcome:
    """Check credentials under the throttle of the e-mail and the client address.

    Every try is audited: refused while waiting (``auth.throttled``), wrong
    (``auth.failed``), the one that locks a key (``auth.locked``), right
    (``auth.login``, written by ``open_session``). The caller commits even on
    refusal, so the counts survive.
    """
    now = now or utcnow()
    # A hand-made request may send anything: what no one could type (not text, control
    # characters, lone surrogates, too long) is a wrong try like any other.
    email, address = (_typable(value, 254) for value in (email, address))
    password = password if isinstance(password, str) else ""
    attempt = login_throttle.begin(session, email=email, address=address, now=now)
    known = session.exec(select(User).where(User.email == email.strip().lower())).first()
    where = {"entity": "user", "entity_id": known.id if known else None,
             "commune_id": known.commune_id if known else None}
    trace = {"address": address, "email_key": login_throttle.email_key(email)[6:22]}
    if attempt.retry_after:
        metrics.login_failed("throttled")
        audit(session, actor=None, action="auth.throttled", **where, **trace,
              retry_after=attempt.retry_after, locked=attempt.locked)
        return LoginOutcome(None, attempt.retry_after, attempt.locked, checked=False)
    try:
        user = authenticate(session, email=email, password=password)
    except DomainError:
        attempt.failed()
        metrics.login_failed("wrong")
        audit(session, actor=None, action="auth.failed", **where, **trace,
              failures=attempt.rows[0][0].failures)
        for kind in attempt.newly_locked:
            audit(session, actor=None, action="auth.locked", **where, **trace, key=kind,
                  seconds=attempt.retry_after)
        return LoginOutcome(None, attempt.retry_after, attempt.locked)
    attempt.succeeded(session)
    return LoginOutcome(user)


def clear_login_lock(session: Session, *, user: User, actor: Actor | None = None) -> bool:
    """Lift the delays and lock on a user's e-mail; the password reset calls this.

    Returns:
        True if a lock was lifted (audited as ``auth.unlocked``).
    """
    lifted = login_throttle.clear_email(session, email=user.email)
    if lifted:
        audit(session, actor=actor, action="auth.unlocked", entity="user", entity_id=user.id,
              commune_id=user.commune_id, reason="password_reset")
    return lifted


def open_session(session: Session, *, user: User, ttl_hours: int) -> str:
    """Start a login session; returns the raw token for the cookie (stored hashed)."""
    raw = secrets.token_urlsafe(32)
    assert user.id is not None
    session.add(
        UserSession(
            token_hash=_digest(raw),
            user_id=user.id,
            expires_at=utcnow() + timedelta(hours=ttl_hours),
        )
    )
    audit(session, actor=Actor.from_user(user), action="auth.login", entity="user",
          entity_id=user.id, commune_id=user.commune_id)
    return raw


# Every event checks its cookie: the statement is built once (building it cost more
# than running it).
_LOGIN_AND_USER = (select(UserSession, User).join(User, User.id == UserSession.user_id)
                   .where(UserSession.token_hash == bindparam("token_hash")))


def _live_login(session: Session, raw_token: str | None) -> tuple[UserSession, User] | None:
    """The live login session this cookie token opens and its active user, if any."""
    if not raw_token:
        return None
    row = session.exec(_LOGIN_AND_USER, params={"token_hash": _digest(raw_token)}).first()
    if row is None:
        return None
    login, user = row
    if login.revoked_at is not None or login.expires_at <= utcnow() or not user.is_active:
        return None
    return login, user


def _live_user(session: Session, raw_token: str | None) -> User | None:
    """The active user whose session this cookie token opens, if it is still live."""
    live = _live_login(session, raw_token)
    return live[1] if live is not None else None


def actor_for_token(session: Session, raw_token: str | None) -> Actor | None:
    """The actor behind a cookie token, if the session is live and the user active.

    Their reach and the commune they chose to work on come from the database
    (``services.actor.actor_of``), so a role changed since is taken at once.
    """
    live = _live_login(session, raw_token)
    if live is None:
        return None
    login, user = live
    return actor_of(session, user, login.commune_id)


def live_session_key(session: Session, raw_token: str | None) -> str:
    """A name for the live login session behind a cookie token; "" when there is none.

    It is the session's stored digest (it logs nobody in), so a tab's state can
    record which session it was built for and notice a logout, an expiry or
    another login.
    """
    return live_session(session, raw_token)[0]


def live_session(session: Session, raw_token: str | None) -> tuple[str, int | None]:
    """:func:`live_session_key` and the id of its user (None when there is none).

    Args:
        session: a database session.
        raw_token: the cookie's token, if any.

    Returns:
        The session's key ("" for none) and its user's id (logs name users by id).
    """
    user = _live_user(session, raw_token) if raw_token else None
    return (_digest(raw_token), user.id) if raw_token and user is not None else ("", None)


def live_login_id(session: Session, raw_token: str | None) -> int | None:
    """The id of the live login session behind a cookie token (None when there is none)."""
    live = _live_login(session, raw_token)
    return live[0].id if live is not None else None


def close_session(session: Session, *, raw_token: str | None) -> None:
    """Revoke the login session on the server (logout)."""
    if not raw_token:
        return
    login = session.exec(
        select(UserSession).where(UserSession.token_hash == _digest(raw_token))
    ).first()
    if login is not None and login.revoked_at is None:
        login.revoked_at = utcnow()
        session.add(login)
        # This browser's push subscription notified that login only (services.push).
        session.execute(delete(PushSubscription).where(
            PushSubscription.login_session_id == login.id))
