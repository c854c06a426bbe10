"""Security and cache headers (api/headers.py) on representative answers, through the middleware."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from heurecivique_app.api.headers import (
    IMMUTABLE,
    SecurityHeaders,
    inline_script_hashes,
    tile_origin,
)
from heurecivique_app.settings import Settings

INLINE = 'window.__ctx = {"a": 1};'
PAGE = (f"<html><head><script>{INLINE}</script><script src='/assets/x-AbCdEf12.js'></script>"
        '<script type="application/json">{"no": "run"}</script></head></html>')


def sha(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "root-BrQXjJO0.js").write_text("export {};")
    (tmp_path / "pwa.js").write_text("// not hashed")
    (tmp_path / "board.html").write_text(PAGE)
    (tmp_path / "map.html").write_text(PAGE)
    return tmp_path


def client_for(build: Path, public_url: str = "") -> TestClient:
    async def export(_request):
        return PlainTextResponse("name;phone", media_type="text/csv")

    async def manifest(_request):
        return Response("{}", media_type="application/manifest+json",
                        headers={"Cache-Control": "public, max-age=3600"})

    inner = Starlette(routes=[
        Route("/api/reports.csv", export),
        Route("/manifest.webmanifest", manifest),
        # Reflex's frontend mount answers /board with board.html; the same answer here.
        *[Route(f"/{name}", lambda _r: HTMLResponse(PAGE))
          for name in ("board", "map", "console/stats", "console/stats/departement",
                       "place/7")],
        Mount("/", StaticFiles(directory=build, html=True)),
    ])
    settings = dataclasses.replace(Settings.from_env({}), public_url=public_url)
    return TestClient(SecurityHeaders(inner, settings=settings, build_dir=build))


def test_pages_get_the_full_policy_with_the_build_hashes(build: Path) -> None:
    answer = client_for(build).get("/board")
    assert answer.status_code == 200
    csp = answer.headers["content-security-policy"]
    directives = dict(d.split(" ", 1) for d in csp.split("; "))
    assert directives["script-src"].split() == ["'self'", sha(INLINE)]
    assert "unsafe-eval" not in csp and "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert "tile.openstreetmap.org" not in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=(self)" in answer.headers["permissions-policy"]
    assert answer.headers["cache-control"] == "no-cache"
    assert "strict-transport-security" not in answer.headers


def test_only_the_map_page_may_load_tiles(build: Path) -> None:
    csp = client_for(build).get("/map").headers["content-security-policy"]
    img = next(d for d in csp.split("; ") if d.startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img.split()


def test_the_departements_dashboard_draws_a_map_too(build: Path) -> None:
    client = client_for(build)
    csp = client.get("/console/stats/departement").headers["content-security-policy"]
    assert "https://tile.openstreetmap.org" in csp
    assert "tile.openstreetmap.org" not in client.get(
        "/console/stats").headers["content-security-policy"]


def test_the_page_where_a_referent_places_a_need_draws_a_map_too(build: Path) -> None:
    csp = client_for(build).get("/place/7").headers["content-security-policy"]
    assert "https://tile.openstreetmap.org" in csp


def test_hashed_build_files_are_immutable_others_revalidated(build: Path) -> None:
    client = client_for(build)
    asset = client.get("/assets/root-BrQXjJO0.js")
    assert asset.headers["cache-control"] == IMMUTABLE
    assert asset.headers["x-content-type-options"] == "nosniff"
    # A script's policy binds it only as a worker: the service worker fetches from our origin.
    assert asset.headers["content-security-policy"] == "default-src 'self'"
    assert client.get("/pwa.js").headers["cache-control"] == "no-cache"
    assert client.get("/assets/missing-AbCdEf12.js").headers["cache-control"] == "no-store"


def test_a_revalidated_page_keeps_its_own_policy(build: Path) -> None:
    client = client_for(build)
    first = client.get("/pwa.js")
    again = client.get("/pwa.js", headers={"if-none-match": first.headers["etag"]})
    assert again.status_code == 304
    # The browser merges a 304's headers into the cached answer's: none may replace its CSP.
    assert "content-security-policy" not in again.headers
    assert again.headers["x-frame-options"] == "DENY"


def test_personal_data_is_never_stored(build: Path) -> None:
    answer = client_for(build).get("/api/reports.csv")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert answer.headers["x-frame-options"] == "DENY"


def test_a_route_s_own_cache_control_is_kept(build: Path) -> None:
    answer = client_for(build).get("/manifest.webmanifest")
    assert answer.headers["cache-control"] == "public, max-age=3600"
    assert answer.headers.get_list("cache-control") == ["public, max-age=3600"]


def test_https_adds_hsts_and_upgrades(build: Path) -> None:
    answer = client_for(build, public_url="https://heure.vitre.example").get("/board")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "upgrade-insecure-requests" in answer.headers["content-security-policy"]


def test_pages_built_after_start_are_picked_up(tmp_path: Path) -> None:
    client = client_for(tmp_path)
    assert "sha256" not in client.get("/board").headers["content-security-policy"]
    (tmp_path / "board.html").write_text(PAGE)  # the build finishes after the first answer
    assert sha(INLINE) in client.get("/board").headers["content-security-policy"]


def test_hashes_skip_external_and_data_scripts() -> None:
    assert inline_script_hashes([PAGE, PAGE]) == [sha(INLINE)]


def test_https_settings_make_cookies_secure() -> None:
    assert Settings.from_env({"HC_PUBLIC_URL": "https://heure.vitre.example"}).cookie_secure
    assert not Settings.from_env({"HC_PUBLIC_URL": "http://localhost:3000"}).cookie_secure
    assert not Settings.from_env({"HC_PUBLIC_URL": "https://x.example",
                                  "HC_COOKIE_SECURE": "0"}).cookie_secure


def test_tile_origin() -> None:
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == \
        "https://a.tile.example.org"
    assert tile_origin("/tiles/{z}/{x}/{y}.png") == ""
