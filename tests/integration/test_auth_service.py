"""Login sessions: opaque cookie tokens, stored only as their SHA-256, expiring and revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import factories as f
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import select

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.domain.models import AuditEntry, User, UserSession
from heurecivique_app.domain.types import utcnow
from heurecivique_app.services import auth


@pytest.fixture
def person(db_engine: Engine) -> User:
    with session_scope(db_engine) as s:
        return f.volunteer(s, email="claire@example.org", display_name="Claire")


def login(engine: Engine, person: User, ttl_hours: int = 24) -> str:
    with session_scope(engine) as s:
        return auth.open_session(s, user=person, ttl_hours=ttl_hours)


def whoami(engine: Engine, raw: str | None):
    with session_scope(engine) as s:
        return auth.actor_for_token(s, raw)


def test_open_resolve_close(db_engine: Engine, person: User) -> None:
    raw = login(db_engine, person)
    assert len(raw) >= 40

    actor = whoami(db_engine, raw)
    assert actor is not None
    assert (actor.user_id, actor.role, actor.commune_id) == (
        person.id, Role.VOLUNTEER, person.commune_id)

    with session_scope(db_engine) as s:
        auth.close_session(s, raw_token=raw)
    assert whoami(db_engine, raw) is None
    with session_scope(db_engine) as s:
        (row,) = s.exec(select(UserSession)).all()
        assert row.revoked_at is not None
        assert s.exec(select(AuditEntry).where(AuditEntry.action == "auth.login")).one()


def test_only_the_hash_is_stored(db_engine: Engine, person: User) -> None:
    raw = login(db_engine, person)
    with db_engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM user_session")).all()
    assert len(rows) == 1
    assert raw not in repr(rows)
    with session_scope(db_engine) as s:
        stored = s.exec(select(UserSession)).one()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    # Knowing the stored hash is not enough to log in.
    assert whoami(db_engine, stored.token_hash) is None


def test_expired_session_gives_no_actor(db_engine: Engine, person: User) -> None:
    raw = login(db_engine, person)
    with session_scope(db_engine) as s:
        row = s.exec(select(UserSession)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    assert whoami(db_engine, raw) is None


def test_revoked_session_stays_revoked_but_others_live(db_engine: Engine, person: User) -> None:
    phone, tablet = login(db_engine, person), login(db_engine, person)
    assert phone != tablet
    with session_scope(db_engine) as s:
        auth.close_session(s, raw_token=phone)
        auth.close_session(s, raw_token=phone)  # logging out twice is harmless
    assert whoami(db_engine, phone) is None
    assert whoami(db_engine, tablet) is not None


def test_deactivated_user_loses_their_sessions(db_engine: Engine, person: User) -> None:
    raw = login(db_engine, person)
    with session_scope(db_engine) as s:
        user = s.get(User, person.id)
        user.is_active = False
        s.add(user)
    assert whoami(db_engine, raw) is None


@pytest.mark.parametrize("token", [None, "", "not-a-token"])
def test_unknown_token_gives_no_actor(db_engine: Engine, person: User, token) -> None:
    login(db_engine, person)
    assert whoami(db_engine, token) is None


def test_authenticate(db_engine: Engine, person: User) -> None:
    with session_scope(db_engine) as s:
        assert auth.authenticate(s, email="  Claire@Example.org ", password=f.PASSWORD).id \
            == person.id
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email="claire@example.org", password="nope")
        with pytest.raises(DomainError, match="Wrong email or password"):
            auth.authenticate(s, email="nobody@example.org", password=f.PASSWORD)


def test_a_session_key_names_a_live_session_only(db_engine: Engine, person: User) -> None:
    """What a tab's state is bound to (state/identity.py): it changes with the session."""
    phone, tablet = login(db_engine, person), login(db_engine, person)
    with session_scope(db_engine) as s:
        keys = [auth.live_session_key(s, raw) for raw in (phone, tablet, None, "not-a-token")]
    assert keys[0] and keys[1] and keys[0] != keys[1] and keys[2:] == ["", ""]
    assert phone not in keys  # the stored digest, never what logs someone in
    with session_scope(db_engine) as s:
        auth.close_session(s, raw_token=phone)
        row = s.exec(select(UserSession).where(
            UserSession.token_hash == hashlib.sha256(tablet.encode()).hexdigest())).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        s.add(row)
    with session_scope(db_engine) as s:
        assert auth.live_session_key(s, phone) == auth.live_session_key(s, tablet) == ""
