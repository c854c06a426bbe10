"""The plain account routes (api/recovery.py) in a test: aimed at the test's database,
reached through a Starlette client in English, signed in or not."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import recovery as api_recovery
from heurecivique_app.domain.models import User
from heurecivique_app.i18n import LOCALE_COOKIE
from heurecivique_app.services import auth

SITE = "https://heure.vitre.example"


def aim_routes(db_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """Body of an ``engine`` fixture: the routes use ``db_engine`` and write links to SITE."""

    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_recovery, "session_scope", scope)
    monkeypatch.setenv("HC_PUBLIC_URL", SITE)
    api_recovery.get_settings.cache_clear()
    yield db_engine
    api_recovery.get_settings.cache_clear()


def client() -> TestClient:
    """A browser without a session, in English."""
    web = TestClient(Starlette(routes=api_recovery.routes), follow_redirects=False)
    web.cookies.set(LOCALE_COOKIE, "en")
    return web


def signed_in_client(engine: Engine, user_id: int) -> tuple[TestClient, str]:
    """A browser logged in as ``user_id``, and its session token."""
    with session_scope(engine) as s:
        token = auth.open_session(s, user=s.get(User, user_id), ttl_hours=24)
    web = client()
    web.cookies.set(auth.SESSION_COOKIE, token)
    return web, token
