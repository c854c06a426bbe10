"""Photos served by api/community.py: a relay report's photo to the commune's staff only
and never kept by the browser (``no-store``: a town hall's tablet is shared); a published
story's photo to anyone, kept an hour by the browser only."""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import factories as f
import pytest
from PIL import Image
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.adapters.photos import PhotoStore
from heurecivique_app.api import community
from heurecivique_app.domain.community import RelayReport, SuccessStory
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.models import User
from heurecivique_app.services import auth


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def client(db_engine: Engine, monkeypatch, tmp_path: Path) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    photos = PhotoStore(tmp_path)
    monkeypatch.setattr(community, "session_scope", scope)
    monkeypatch.setattr(community, "wiring", lambda: SimpleNamespace(photos=photos))
    test_client = TestClient(Starlette(routes=community.routes))
    test_client.photo_name = photos.save(_jpeg(), max_bytes=1_000_000)
    return test_client


def _cookie(engine: Engine, user_id: int) -> dict[str, str]:
    with session_scope(engine) as s:
        return {auth.SESSION_COOKIE: auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)}


def test_a_reports_photo_goes_to_staff_only_and_is_never_stored(db_engine, client) -> None:
    with session_scope(db_engine) as s:
        world = f.world(s)
        relay = f.user(s, neighbourhood_=world.neighbourhood, role=Role.RELAY)
        report = RelayReport(commune_id=world.commune.id, neighbourhood_id=world.neighbourhood.id,
                             relay_id=relay.id, kind="issue", category="comfort",
                             title="Porche abîmé", photo_name=client.photo_name)
        s.add(report)
        s.flush()
        url = f"/api/reports/{report.id}/photo"
    assert client.get(url).status_code == 404
    client.cookies = _cookie(db_engine, world.volunteer.id)
    assert client.get(url).status_code == 404
    client.cookies = _cookie(db_engine, world.referent.id)
    shown = client.get(url)
    assert shown.status_code == 200 and shown.content.startswith(b"\xff\xd8")
    assert shown.headers["cache-control"] == "no-store"


def test_a_published_storys_photo_is_kept_by_the_browser_only(db_engine, client) -> None:
    with session_scope(db_engine) as s:
        world = f.world(s)
        story = SuccessStory(commune_id=world.commune.id, title="Un après-midi", text="…",
                             photo_name=client.photo_name, photo_consent=True, published=True)
        s.add(story)
        s.flush()
        url = f"/api/stories/{story.id}/photo"
    shown = client.get(url)
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "private, max-age=3600"
