"""Pre-rendered pages answered at their own address, without a redirect.

The production build writes a page as ``<route>/index.html`` (``login/index.html``),
and the frontend's file server (Starlette's ``StaticFiles`` in HTML mode, mounted by
Reflex) answers ``/login`` with a 307 to ``/login/``: every first load of a page,
and every link the app or its e-mails give, paid one more round trip before the
page's HTML (on a phone on slow 4G, about as long as the HTML itself; issue 16).
This middleware hands the file server ``/login/`` for ``/login`` when that folder
holds a page: the same file, at the address the links use.

A dynamic route's page (``/c/vitre``, ``/missions/12``) has no folder of its own: the
build pre-renders its template at ``c/_/index.html`` (build_hooks.py), and the
middleware hands the file server ``/c/_/`` for it. Anything else (API routes, the
websocket, build files, unknown paths) passes untouched.
"""

from __future__ import annotations

from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

# Routes of the backend, never pages of the build.
from heurecivique_app.api.headers import DYNAMIC_PREFIXES as BACKEND_PREFIXES
from heurecivique_app.page_templates import TEMPLATE_SEGMENT


def _page_parts(path: str) -> list[str] | None:
    """The segments of ``path`` if it may name a page (not a file, not the backend)."""
    if (not path.startswith("/") or path == "/" or path.endswith("/")
            or path.startswith(BACKEND_PREFIXES)):
        return None
    parts = path.strip("/").split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts) or \
            "." in parts[-1]:
        return None
    return parts


def page_target(build_dir: Path, path: str) -> str | None:
    """Where the file server finds the page at ``path`` (no trailing slash): its own
    folder (``/login/``), else its dynamic route's template (``/c/_/`` for
    ``/c/vitre``); None if no page of the build answers there."""
    parts = _page_parts(path)
    if parts is None:
        return None
    if (build_dir.joinpath(*parts) / "index.html").is_file():
        return path + "/"
    template = [*parts[:-1], TEMPLATE_SEGMENT]
    if len(parts) >= 2 and (build_dir.joinpath(*template) / "index.html").is_file():
        return "/" + "/".join(template) + "/"
    return None


class PageIndex:
    """ASGI middleware: a page's GET or HEAD reaches the file server at ``page_target``."""

    def __init__(self, app: ASGIApp, *, build_dir: Path) -> None:
        self.app = app
        self.build_dir = build_dir

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") and \
                (target := page_target(self.build_dir, scope["path"])) is not None:
            # The query string stays in scope["query_string"], untouched.
            scope = {**scope, "path": target, "raw_path": target.encode()}
        await self.app(scope, receive, send)


def page_index(build_dir: Path):
    """The ``api_transformer`` that wraps the backend in ``PageIndex``."""
    def wrap(app: ASGIApp) -> ASGIApp:
        return PageIndex(app, build_dir=build_dir)
    return wrap
