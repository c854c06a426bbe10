"""Security and cache headers on every HTTP answer: pages, build files, API routes.

One ASGI middleware, the outermost layer of the backend (``api_transformer`` in
heurecivique_app.py), so it sees everything the single-port production server
answers: Reflex mounts the built frontend (``.web/build/client``, served by
``reflex.utils.exec.get_frontend_mount``) inside the app it hands to the
transformers, beside our Starlette routes and the websocket endpoint.

Content-Security-Policy of the pages: scripts only from our origin plus the
inline scripts of the build, allowed by their SHA-256, computed from the built
HTML files themselves (Reflex's pre-rendered pages carry a few small inline
scripts: the colour-mode guess, React Router's context, React's streaming
helpers). No ``'unsafe-eval'``: this is why the app never uses ``rx.call_script``
(Reflex runs its code with ``eval``) but ``rx.call_function`` with code compiled
into the bundle. Styles keep ``'unsafe-inline'``: Emotion, used by Radix Themes,
inserts ``<style>`` elements at run time and React writes ``style`` attributes.
The map's tile host is allowed on the pages with a map only (``/map``, the
département's dashboard); links to them load them as a new document so that
their own policy applies.

The websocket handshake (``/_event``) gets nothing: a 101 answer is not a
document, and browsers apply none of these headers to it; its protection is the
Origin check set up in heurecivique_app.py.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from heurecivique_app.settings import Settings

# Vite writes the build's JS and CSS under /assets/ with a content hash in each
# name (``root-BrQXjJO0.js``): a new build means new names, so they never change.
HASHED_ASSET = re.compile(r"^/assets/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+(\.gz|\.br)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
# Answers computed per user: never kept by a browser or a proxy.
# Probes and metrics too: a cached "ready" or a cached figure would lie.
DYNAMIC_PREFIXES = ("/api/", "/_event", "/_upload", "/healthz", "/readyz", "/metrics",
                    "/hand-off")
# The pages that draw a map: the tile host is allowed in their documents only.
MAP_PATHS = frozenset({"/map", "/console/stats/departement"})
MAP_PREFIXES = ("/place/",)  # the referent places a need: /place/<mission id>

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)

# Only features Chromium knows (an unknown one is a console warning on every page).
PERMISSIONS_POLICY = ("geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
                      "serial=(), midi=()")


def inline_script_hashes(html_pages: Iterable[str]) -> list[str]:
    """The CSP source (``'sha256-…'``) of every inline script of these pages, sorted.

    Scripts with a ``src`` are left out (``'self'`` covers them), so are data
    blocks (``type="application/json"``), which browsers never run.
    """
    found = set()
    for html in html_pages:
        for attrs, body in _INLINE_SCRIPT.findall(html):
            if re.search(r"\bsrc\s*=", attrs) or "application/json" in attrs or not body:
                continue
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            found.add(f"'sha256-{digest}'")
    return sorted(found)


def build_script_hashes(build_dir: Path) -> list[str]:
    """Hashes of the inline scripts of every built HTML page (empty if not built yet)."""
    if not build_dir.is_dir():
        return []
    return inline_script_hashes(p.read_text(encoding="utf-8")
                                for p in sorted(build_dir.rglob("*.html")))


def tile_origin(tile_url: str) -> str:
    """The origin of the map's tile URL template (``https://tile.openstreetmap.org``)."""
    parts = urlsplit(tile_url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def page_policy(script_hashes: Iterable[str], *, tiles: str = "", https: bool = False) -> str:
    """The Content-Security-Policy of an HTML page."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src " + " ".join(filter(None, ["'self'", "data:", "blob:", tiles])),
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",  # the built pages have no <base> (ASVS 5.0 3.4.3)
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if https:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


@dataclass(frozen=True)
class HeaderRules:
    """What to add to each answer; built once from the settings and the build."""

    page_csp: str
    map_csp: str
    https: bool

    def headers(self, *, path: str, status: int, content_type: str,
                cache_control: str | None) -> dict[str, str]:
        """The headers to set on an answer to ``path`` (existing ones not repeated).

        Args:
            path: the request path.
            status: the answer's status code.
            content_type: the answer's Content-Type ("" if none).
            cache_control: the Cache-Control the route set itself, if any.
        """
        out = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": PERMISSIONS_POLICY,
        }
        if content_type.startswith("text/html"):
            on_map = path.rstrip("/") in MAP_PATHS or path.startswith(MAP_PREFIXES)
            out["Content-Security-Policy"] = self.map_csp if on_map else self.page_csp
        elif "javascript" in content_type:
            # A script's own policy binds it only when it runs as a worker: the service
            # worker (sw.js) must fetch the app's shell from our origin.
            out["Content-Security-Policy"] = "default-src 'self'"
        elif content_type:
            # Not a document: nothing may run, nothing may frame it.
            out["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
        # No body type (a 304 revalidating a cached page, a redirect): no policy, because
        # browsers merge a 304's headers into the cached page's and would replace its own.
        if self.https:
            out["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if cache_control is None:
            out["Cache-Control"] = self.cache_control(path, status)
        return out

    @staticmethod
    def cache_control(path: str, status: int) -> str:
        """Hashed build files forever; per-user answers never; the rest revalidated."""
        if status in (200, 304) and HASHED_ASSET.match(path):
            return IMMUTABLE
        if path.startswith(DYNAMIC_PREFIXES) or status >= 400:
            return "no-store"
        # Pages and unhashed files (pwa.js, styles.css, icons): the same for everyone,
        # but a new build must show up at once.
        return "no-cache"


class SecurityHeaders:
    """ASGI middleware adding ``HeaderRules`` headers to every HTTP answer.

    The inline-script hashes are read from the build on the first page answer
    (the production build may finish after this module is imported), then kept.
    """

    def __init__(self, app: ASGIApp, *, settings: Settings, build_dir: Path) -> None:
        self.app = app
        self.settings = settings
        self.build_dir = build_dir
        self._rules: HeaderRules | None = None

    def rules(self) -> HeaderRules:
        if self._rules is not None:
            return self._rules
        hashes = build_script_hashes(self.build_dir)
        rules = HeaderRules(
            page_csp=page_policy(hashes, https=self.settings.https),
            map_csp=page_policy(hashes, tiles=tile_origin(self.settings.map_tile_url),
                                https=self.settings.https),
            https=self.settings.https,
        )
        if hashes:  # not built yet (dev server, tests): look again next time
            self._rules = rules
        return rules

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                extra = self.rules().headers(
                    path=path, status=message["status"],
                    content_type=headers.get("content-type", ""),
                    cache_control=headers.get("cache-control"))
                for name, value in extra.items():
                    if name.lower() not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def security_headers(settings: Settings, build_dir: Path):
    """The ``api_transformer`` that wraps the backend in ``SecurityHeaders``."""
    def wrap(app: ASGIApp) -> ASGIApp:
        return SecurityHeaders(app, settings=settings, build_dir=build_dir)
    return wrap
