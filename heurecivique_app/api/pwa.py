"""Plain HTTP routes of the installable app: the web manifest and the offline page.

Served by Starlette rather than as static assets because they depend on the
database (the commune's name and colour) and on the visitor's language. The
service worker (assets/sw.js) keeps a copy of the offline page for when the
network is gone.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import request_actor, request_locale
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.i18n import SUPPORTED_LOCALES
from heurecivique_app.presenters import pwa
from heurecivique_app.services import public
from heurecivique_app.services.public import PublicCommune
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

SITE_PATH = re.compile(r"^/c/([a-z0-9-]+)/?$")
# Short: a change of the commune's colour reaches installed apps within the hour.
CACHE_CONTROL = "public, max-age=3600"


def _commune(request: Request) -> tuple[PublicCommune | None, bool]:
    """The commune the app is installed for, and whether it was named by its site.

    The browser fetches the manifest for the page it shows, naming it in the
    Referer (same origin: the whole address): from a commune's public site
    ``/c/<slug>`` the app is that commune's (``?c=<slug>`` says the same by hand).
    Elsewhere the signed-in person's commune, else the deployment's (HC_COMMUNE,
    or the first). The page's link cannot carry the slug: head links are the same
    on every page, and React owns them.
    """
    slug = request.query_params.get("c", "") or _site_slug(request.headers.get("referer", ""))
    try:
        with session_scope() as session:
            if slug:
                return public.commune_by_slug(session, slug), True
            actor = request_actor(request, session)
            if actor is not None:
                return public.commune_by_id(session, actor.commune_id), False
            return public.home_commune(session, slug=get_settings().commune_slug), False
    except DomainError:  # an unknown slug or HC_COMMUNE: stay installable, unbranded
        return None, False


def _site_slug(referer: str) -> str:
    found = SITE_PATH.match(urlsplit(referer).path)
    return found.group(1) if found else ""


def _locale(request: Request) -> str:
    lang = request.query_params.get("lang", "")
    if lang in SUPPORTED_LOCALES:
        return lang
    return request_locale(request)


async def manifest(request: Request) -> Response:
    commune, named = _commune(request)
    return JSONResponse(pwa.manifest(commune, _locale(request), own_start=named),
                        media_type="application/manifest+json",
                        headers={"Cache-Control": CACHE_CONTROL,
                                 "Vary": "Cookie, Accept-Language, Referer"})


async def offline(request: Request) -> Response:
    return HTMLResponse(pwa.offline_page(_locale(request), _commune(request)[0]),
                        headers={"Cache-Control": "no-cache"})


routes = [
    Route("/manifest.webmanifest", manifest, methods=["GET"]),
    Route("/offline", offline, methods=["GET"]),
]
