"""Cache-Control of the production build as the single-port server answers it
(api/headers.py): the build's hashed files kept a year, pages and the service worker
revalidated at each load so that a deploy shows at once, answers with personal data
never stored. Behind nginx: tests/e2e/test_proxy_rollout.py."""

from __future__ import annotations

import json
import re

from conftest import PASSWORD, PHONE, ROOT

from heurecivique_app.api.headers import HASHED_ASSET

IMMUTABLE = "public, max-age=31536000, immutable"


def test_the_build_puts_only_hashed_files_under_assets(app_server):
    # nginx (deploy/nginx) and the service worker (assets/sw.js) keep everything under
    # /assets/ for good: right only while each name there carries its content's hash.
    # (app_server: the session's build, made by its start.)
    names = [p.name for p in (ROOT / ".web/build/client/assets").iterdir()]
    assert names and [n for n in names if not HASHED_ASSET.match(f"/assets/{n}")] == []


def test_pages_fetch_their_scripts_after_what_the_first_paint_needs(new_context):
    # heurecivique_app/build_hooks.py, run by the build: every module preload of a
    # pre-rendered page (static or the dynamic routes' fallback), as served, compressed
    # or not, is low priority, and the stylesheet is not.
    visitor = new_context(PHONE).request
    for path in ("/login", "/board", "/c/vitre", "/missions/1"):
        for encoding in ("identity", "gzip"):
            html = visitor.get(path, headers={"accept-encoding": encoding}).text()
            preloads = re.findall(r'<link rel="modulepreload"[^>]*>', html)
            assert len(preloads) >= 5, (path, encoding)
            assert all('fetchpriority="low"' in link for link in preloads), (path, encoding)
            stylesheet = re.search(r'<link[^>]* rel="stylesheet"[^>]*>', html)
            assert stylesheet and "fetchpriority" not in stylesheet.group(0)


def test_hashed_files_kept_pages_and_worker_revalidated_private_answers_not_stored(
        new_context):
    visitor = new_context(PHONE).request
    volunteer = new_context(PHONE).request
    signed_in = volunteer.post("/api/auth/login", max_redirects=0, form={
        "email": "volontaire@vitre.demo", "password": PASSWORD, "next": "/board"})
    assert signed_in.status == 303

    # A page: the same pre-rendered file for everyone (its data comes over the
    # websocket), so revalidated rather than never stored.
    page = visitor.get("/board/")
    assert page.ok and page.headers["cache-control"] == "no-cache" and page.headers["etag"]
    assert volunteer.get("/board/").body() == page.body()
    # At its own address too, without a 307 to /board/ (api/page_paths.py): the same file.
    direct = visitor.get("/board", max_redirects=0)
    assert direct.status == 200 and direct.body() == page.body()
    assert direct.headers["cache-control"] == "no-cache"

    script = re.search(r'<script type="module"[^>]* src="([^"]+)"', page.text()) or \
        re.search(r'<link rel="modulepreload"[^>]* href="([^"]+)"', page.text())
    assert script and script.group(1).endswith(".js") and HASHED_ASSET.match(script.group(1))
    asset = visitor.get(script.group(1))
    assert asset.ok and asset.headers["cache-control"] == IMMUTABLE

    # The service worker and the manifest: not kept long, so a new version is picked up.
    worker = visitor.get("/sw.js")
    assert worker.ok and "javascript" in worker.headers["content-type"]
    assert worker.headers["cache-control"] == "no-cache"
    manifest = visitor.get("/manifest.webmanifest")
    assert manifest.ok and manifest.headers["cache-control"] == "public, max-age=3600"

    # The volunteer's own data: never written to the browser's cache.
    export = volunteer.get("/api/me/export")
    assert export.ok and json.loads(export.body())["account"]["email"] == "volontaire@vitre.demo"
    assert export.headers["cache-control"] == "no-store"
