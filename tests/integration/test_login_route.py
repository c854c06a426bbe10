"""POST /api/auth/login under the throttle: 40 wrong passwords, the redirects the page reads."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import parse_qs, urlsplit

import factories as f
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import session as api_session
from heurecivique_app.services import auth


@pytest.fixture
def client(sqlite_engine: Engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(sqlite_engine) as session:
            yield session

    monkeypatch.setattr(api_session, "session_scope", scope)
    with session_scope(sqlite_engine) as s:
        f.volunteer(s, email="claire@example.org", display_name="Claire")
    return TestClient(Starlette(routes=api_session.routes), follow_redirects=False)


def post(client: TestClient, password: str, email: str = "claire@example.org"):
    answer = client.post("/api/auth/login", data={"email": email, "password": password,
                                                  "next": "/home"})
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    return location.path, parse_qs(location.query), answer


def test_forty_wrong_passwords_then_the_right_one_is_refused(client: TestClient) -> None:
    errors = [post(client, f"guess-{i}")[1]["error"][0] for i in range(40)]
    # The script goes far faster than the delays allow: told to wait, then locked out.
    assert errors[0] == "credentials"
    assert "wait" in errors
    path, query, answer = post(client, f.PASSWORD)
    assert path == "/login" and query["error"] in (["wait"], ["locked"])
    assert int(query["wait"][0]) > 0 and query["next"] == ["/home"]
    assert auth.SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_unknown_and_known_emails_get_the_same_redirects(client: TestClient) -> None:
    known = [post(client, "wrong")[1] for _ in range(6)]
    unknown = [post(client, "wrong", email="nobody@example.org")[1] for _ in range(6)]
    assert [q["error"] for q in known[:3]] == [q["error"] for q in unknown[:3]] == \
           [["credentials"]] * 3


def test_right_password_logs_in(client: TestClient) -> None:
    path, _, answer = post(client, f.PASSWORD)
    assert path == "/home"
    assert auth.SESSION_COOKIE in answer.headers["set-cookie"]
