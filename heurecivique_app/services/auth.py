"""Login sessions: password check, opaque cookie tokens stored hashed, logout."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, select

from heurecivique_app.adapters.passwords import verify_password
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import User, UserSession
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.audit import audit

SESSION_COOKIE = "hc_session"


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def authenticate(session: Session, *, email: str, password: str) -> User:
    """The active user with these credentials, or a translatable error."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        raise DomainError(N_("Wrong email or password."))
    return user


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


def _live_user(session: Session, raw_token: str | None) -> User | None:
    """The active user whose session this cookie token opens, if it is still live."""
    if not raw_token:
        return None
    row = session.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == _digest(raw_token))
    ).first()
    if row is None:
        return None
    login, user = row
    if login.revoked_at is not None or login.expires_at <= utcnow() or not user.is_active:
        return None
    return user


def actor_for_token(session: Session, raw_token: str | None) -> Actor | None:
    """The actor behind a cookie token, if the session is live and the user active."""
    user = _live_user(session, raw_token)
    return Actor.from_user(user) if user is not None else None


def live_session_key(session: Session, raw_token: str | None) -> str:
    """A name for the live login session behind a cookie token; "" when there is none.

    It is the session's stored digest (it logs nobody in), so a tab's state can
    record which session it was built for and notice a logout, an expiry or
    another login.
    """
    return _digest(raw_token) if raw_token and _live_user(session, raw_token) else ""


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
