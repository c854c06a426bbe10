"""``POST /api/relay/photo`` (api/relay_photo.py): the photo a relay attaches to a report.

Who sends it comes from the session cookie only; only a relay may; another site's
page cannot post one; the photo is checked and cleaned as strictly as before (size
limit, image types, EXIF removed); the answer is never kept; refusals are translated.
"""

from __future__ import annotations

import io
import os
from dataclasses import replace
from functools import partial
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
from heurecivique_app.api import relay_photo
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.models import User
from heurecivique_app.services import auth, report_photos
from heurecivique_app.services.actor import Actor
from heurecivique_app.settings import Settings

URL = relay_photo.PATH
LIMIT = 1024 * 1024  # bytes: 1 MB, so that a photo over it is quick to make
SECRET = "test-secret"


def _jpeg_with_gps(side: int = 64, noise: bool = False) -> bytes:
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)) if noise \
        else Image.new("RGB", (side, side), "orange")
    exif = image.getexif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 7.0, 36.0), 3: "W", 4: (1.0, 12.0, 40.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


@pytest.fixture
def client(db_engine: Engine, monkeypatch, tmp_path: Path) -> TestClient:
    photos = PhotoStore(tmp_path)
    settings = replace(Settings.from_env({}), max_photo_bytes=LIMIT, secret_key=SECRET)
    monkeypatch.setattr(relay_photo, "read_scope", partial(session_scope, db_engine))
    monkeypatch.setattr(relay_photo, "wiring", lambda: SimpleNamespace(photos=photos))
    monkeypatch.setattr(relay_photo, "get_settings", lambda: settings)
    test_client = TestClient(Starlette(routes=relay_photo.routes),
                             base_url="http://testserver")
    test_client.photos = photos
    return test_client


@pytest.fixture
def people(db_engine: Engine) -> SimpleNamespace:
    with session_scope(db_engine) as s:
        world = f.world(s)
        relay = f.user(s, neighbourhood_=world.neighbourhood, role=Role.RELAY)
        other_relay = f.user(s, neighbourhood_=world.neighbourhood, role=Role.RELAY)
        return SimpleNamespace(relay=relay.id, other_relay=other_relay.id,
                               volunteer=world.volunteer.id, referent=world.referent.id)


def _cookie(engine: Engine, user_id: int) -> dict[str, str]:
    with session_scope(engine) as s:
        return {auth.SESSION_COOKIE: auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)}


def _actor(engine: Engine, user_id: int) -> Actor:
    with session_scope(engine) as s:
        raw = auth.open_session(s, user=s.get(User, user_id), ttl_hours=1)
        return auth.actor_for_token(s, raw)


def _post(client: TestClient, body: bytes, kind: str = "image/jpeg", **headers):
    return client.post(URL, content=body, headers={"Content-Type": kind, **headers})


def _stored(client: TestClient) -> list[Path]:
    root = client.photos.root
    return sorted(root.iterdir()) if root.is_dir() else []


def test_without_a_session_nothing_is_stored(client) -> None:
    answer = _post(client, _jpeg_with_gps())
    assert answer.status_code == 401
    assert answer.json()["error"] == ("Votre session a expiré : reconnectez-vous pour envoyer "
                                      "la photo.")
    assert answer.headers["cache-control"] == "no-store"
    assert _stored(client) == []


@pytest.mark.parametrize("who", ["volunteer", "referent"])
def test_only_a_relay_may_send_a_report_photo(db_engine, client, people, who) -> None:
    client.cookies = _cookie(db_engine, getattr(people, who))
    answer = _post(client, _jpeg_with_gps(), **{"Accept-Language": "en"})
    assert answer.status_code == 403
    assert answer.json()["error"] == "You are not allowed to do this."
    assert answer.headers["cache-control"] == "no-store"
    assert _stored(client) == []


def test_a_relays_photo_is_stored_without_its_exif_and_signed_for_them(
        db_engine, client, people) -> None:
    client.cookies = _cookie(db_engine, people.relay)
    answer = _post(client, _jpeg_with_gps())
    assert answer.status_code == 201
    assert answer.headers["cache-control"] == "no-store"
    ticket = answer.json()["ticket"]
    # The ticket gives the stored name to the relay who sent it, and to no one else.
    name = report_photos.photo_from_ticket(SECRET, actor=_actor(db_engine, people.relay),
                                           ticket=ticket)
    assert name is not None and [p.name for p in _stored(client)] == [name]
    assert report_photos.photo_from_ticket(
        SECRET, actor=_actor(db_engine, people.other_relay), ticket=ticket) is None
    data = client.photos.path(name).read_bytes()
    assert b"PhoneMaker" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert stored.format == "JPEG" and stored.getexif() == {}


def test_a_photo_over_the_limit_is_refused_in_the_visitors_language(
        db_engine, client, people) -> None:
    client.cookies = _cookie(db_engine, people.relay)
    big = _jpeg_with_gps(side=1000, noise=True)
    assert len(big) > LIMIT
    answer = _post(client, big)
    assert answer.status_code == 413
    assert answer.json()["error"] == "La photo est trop lourde (1 Mo au plus)."
    assert answer.headers["cache-control"] == "no-store"
    # Sent in chunks without a length: the route stops reading past the limit all the same.
    chunks = (big[i:i + 8192] for i in range(0, len(big), 8192))
    answer = client.post(URL, content=chunks, headers={"Content-Type": "image/jpeg",
                                                       "Accept-Language": "en"})
    assert answer.status_code == 413
    assert answer.json()["error"] == "The photo is too big (at most 1 MB)."
    assert _stored(client) == []


NOT_A_PHOTO = "Envoyez une photo JPEG, PNG ou WebP."


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(("body", "kind", "status", "error"), [
    (_gif(), "image/gif", 400, NOT_A_PHOTO),  # an image, of a type not taken
    (b"%PDF-1.4 not a photo", "image/jpeg", 400, NOT_A_PHOTO),  # says it is one; is not
    (b"", "image/jpeg", 400, "La photo est vide."),
    (b"photo=1", "application/x-www-form-urlencoded", 415, NOT_A_PHOTO),  # a form's type
])
def test_what_is_not_a_jpeg_png_or_webp_photo_is_refused(
        db_engine, client, people, body, kind, status, error) -> None:
    client.cookies = _cookie(db_engine, people.relay)
    answer = _post(client, body, kind)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.headers["cache-control"] == "no-store"
    assert _stored(client) == []


def test_another_sites_page_cannot_attach_a_photo(db_engine, client, people) -> None:
    client.cookies = _cookie(db_engine, people.relay)
    # fetch() from another site: the browser says where the page comes from.
    answer = _post(client, _jpeg_with_gps(), Origin="https://evil.example")
    assert answer.status_code == 403
    # A plain form of another site (were the cookie sent, SameSite=Lax keeps it home)
    # can only send form types: refused before anything is read.
    files = {"photo": ("banc.jpg", _jpeg_with_gps(), "image/jpeg")}
    assert client.post(URL, files=files).status_code == 415
    assert _stored(client) == []
    # Our own page's fetch (same origin) goes through.
    assert _post(client, _jpeg_with_gps(), Origin="http://testserver").status_code == 201
