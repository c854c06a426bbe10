"""Pre-rendered pages at their own address (api/page_paths.py): no redirect to ``/route/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.testclient import TestClient

from heurecivique_app.api.page_paths import PageIndex, page_target


@pytest.fixture
def build(tmp_path: Path) -> Path:
    for folder, text in (("login", "the login page"), ("console/reports", "triage"),
                         ("c/_", "a commune's page"), ("c/special", "a page of its own")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "index.html").write_text(text)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "root-BrQXjJO0.js").write_text("export {};")
    (tmp_path / "empty").mkdir()
    return tmp_path


def client(build: Path, *, wrapped: bool) -> TestClient:
    # As in production: our routes, then the build mounted at the root (html mode).
    async def login_api(_request):
        return PlainTextResponse("api")

    app = Starlette(routes=[Route("/api/auth/login", login_api, methods=["GET", "POST"]),
                            Mount("/", app=StaticFiles(directory=build, html=True))])
    return TestClient(PageIndex(app, build_dir=build) if wrapped else app,
                      follow_redirects=False)


def test_the_file_server_alone_redirects_a_page_to_its_folder(build: Path) -> None:
    # What the middleware is for: without it, every first load pays a 307.
    answer = client(build, wrapped=False).get("/login")
    assert answer.status_code == 307 and answer.headers["location"].endswith("/login/")


@pytest.mark.parametrize(("path", "body"), [
    ("/login", "the login page"), ("/login/", "the login page"),
    ("/console/reports", "triage"), ("/login?next=/board", "the login page"),
])
def test_a_page_is_answered_at_its_own_address(build: Path, path: str, body: str) -> None:
    answer = client(build, wrapped=True).get(path)
    assert (answer.status_code, answer.text) == (200, body)


def test_the_rest_passes_untouched(build: Path) -> None:
    web = client(build, wrapped=True)
    assert web.get("/api/auth/login").text == "api"
    assert web.get("/assets/root-BrQXjJO0.js").status_code == 200
    assert web.get("/nowhere").status_code == 404
    # A folder without a page keeps the file server's own answer.
    assert web.get("/empty").status_code == 404


@pytest.mark.parametrize("path", ["/", "/login/", "/../login", "/.hidden", "/login/x.js",
                                  "/api/login", "/_event", "/nowhere"])
def test_only_a_page_folder_is_rewritten(build: Path, path: str) -> None:
    (build / "api" / "login").mkdir(parents=True)
    (build / "api" / "login" / "index.html").write_text("not a page")
    assert page_target(build, path) is None
    assert page_target(build, "/login") == "/login/"
    assert page_target(build, "/console/reports") == "/console/reports/"


@pytest.mark.parametrize("path", ["/c/vitre", "/c/vitre?from=poster", "/c/_"])
def test_a_dynamic_route_is_answered_with_its_template(build: Path, path: str) -> None:
    answer = client(build, wrapped=True).get(path)
    assert (answer.status_code, answer.text) == (200, "a commune's page")


@pytest.mark.parametrize("path", ["/c/special", "/c/vitre/", "/c/vitre.js", "/c/../login",
                                  "/c", "/d/vitre", "/c/vitre/more", "/api/c/vitre"])
def test_only_a_dynamic_route_with_a_template_is_rewritten(build: Path, path: str) -> None:
    # A page of its own wins; files, other depths and the backend never reach a template.
    assert page_target(build, path) != "/c/_/"
    assert page_target(build, "/c/vitre") == "/c/_/"
    assert client(build, wrapped=True).get("/c/special").text == "a page of its own"
