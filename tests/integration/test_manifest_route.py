"""The web manifest on a deployment of several communes (api/pwa.py): the commune whose
site the browser shows (its Referer), else the signed-in person's, else the first."""

from __future__ import annotations

from contextlib import contextmanager

import factories as f
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from heurecivique_app.adapters.db import session_scope
from heurecivique_app.api import pwa as api_pwa
from heurecivique_app.domain.models import User
from heurecivique_app.services import auth

SITE = "https://heure.example"


@pytest.fixture
def web(db_engine, monkeypatch) -> TestClient:
    @contextmanager
    def scope():
        with session_scope(db_engine) as session:
            yield session

    monkeypatch.setattr(api_pwa, "session_scope", scope)
    return TestClient(Starlette(routes=api_pwa.routes), base_url=SITE)


def test_each_communes_site_installs_its_own_app(db_engine, web) -> None:
    with session_scope(db_engine) as s:
        dep = f.departement(s)
        f.commune(s, departement_=dep, name="Vitré", slug="vitre", theme_color="#8c1d40")
        fougeres = f.commune(s, departement_=dep, name="Fougères", slug="fougeres",
                             theme_color="#0b6e4f")
        volunteer_id = f.volunteer(s, neighbourhood_=f.neighbourhood(s, commune_=fougeres)).id

    def manifest(**headers) -> dict:
        answer = web.get("/manifest.webmanifest?lang=fr", headers=headers)
        assert "Referer" in answer.headers["vary"]
        return answer.json()

    from_site = manifest(referer=f"{SITE}/c/fougeres")
    assert (from_site["name"], from_site["start_url"], from_site["id"]) == (
        "L'Heure Civique à Fougères", "/c/fougeres", "/c/fougeres")
    assert from_site["theme_color"] == "#0b6e4f"
    first = manifest()
    assert (first["name"], first["start_url"]) == ("L'Heure Civique à Vitré", "/")
    assert manifest(referer=f"{SITE}/c/nulle-part")["name"] == "L'Heure Civique"
    with session_scope(db_engine) as s:
        token = auth.open_session(s, user=s.get(User, volunteer_id), ttl_hours=24)
    web.cookies.set(auth.SESSION_COOKIE, token)
    mine = manifest(referer=f"{SITE}/home")
    assert (mine["name"], mine["start_url"]) == ("L'Heure Civique à Fougères", "/")
