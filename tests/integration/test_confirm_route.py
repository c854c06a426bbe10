"""/api/auth/confirm: the GET shows a button and changes nothing, the POST confirms once."""

from __future__ import annotations

from contextlib import contextmanager

import factories as f
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient
from test_volunteer_app import SITE, Outbox, good_form, link_token

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import volunteer as api_volunteer
from heurecivique_app.domain.models import User
from heurecivique_app.i18n import LOCALE_COOKIE
from heurecivique_app.services import auth, signup


@pytest.fixture
def engine(db_engine: Engine, monkeypatch) -> Engine:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_volunteer, "session_scope", scope)
    return db_engine


def test_link_shows_a_button_then_confirms_once(engine: Engine, tmp_path) -> None:
    box = Outbox(engine, tmp_path)
    with session_scope(engine) as s:
        world = f.world(s)
        user_id = signup.sign_up(s, site_url=SITE, geocoder=f.GEOCODER,
                                 form=good_form(world.commune, world.neighbourhood)).id
    token = link_token(box.mails()[0])
    client = TestClient(Starlette(routes=api_volunteer.routes), follow_redirects=False)
    client.cookies.set(LOCALE_COOKIE, "en")
    for _ in range(2):  # a mail scanner's GET, then the person's: nothing is used up
        shown = client.get("/api/auth/confirm", params={"token": token})
        assert shown.status_code == 200 and 'id="confirm-email"' in shown.text
        assert shown.headers["cache-control"] == "no-store"
    with session_scope(engine) as s:
        assert not s.get(User, user_id).email_confirmed
    done = client.post("/api/auth/confirm", data={"token": token})
    assert done.status_code == 303 and done.headers["location"] == "/home?welcome=1"
    cookie = done.cookies.get(auth.SESSION_COOKIE)
    assert cookie and "httponly" in done.headers["set-cookie"].lower()
    with session_scope(engine) as s:
        assert s.get(User, user_id).email_confirmed
        assert auth.actor_for_token(s, cookie).user_id == user_id
    again = client.post("/api/auth/confirm", data={"token": token})
    assert again.status_code == 410 and "no longer valid" in again.text
    assert auth.SESSION_COOKIE not in again.headers.get("set-cookie", "")
    assert client.get("/api/auth/confirm", params={"token": token}).status_code == 410
