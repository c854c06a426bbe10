"""Plain HTTP routes of the relays' feature and the commune's public face.

PDFs (poster, flyer, paper intake flyer), photos and the CSV export of the
triage queue are files, not pages: Starlette serves them. Private files check
the session cookie on the server, like every state does.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import request_staff
from heurecivique_app.domain.community import RelayReport
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.i18n import SUPPORTED_LOCALES
from heurecivique_app.services import public, triage
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope, wiring

PRINTABLES = {"poster": "affiche", "flyer": "flyer", "besoins": "besoins-a-completer"}


def signup_url(request: Request, slug: str) -> str:
    """The commune's sign-up page, as printed in QR codes."""
    base = get_settings().public_url or str(request.base_url).rstrip("/")
    return f"{base}/c/{slug}#sign-up"


async def printable(request: Request) -> Response:
    slug = request.path_params["slug"]
    kind = request.path_params["kind"]
    lang = request.query_params.get("lang", "fr")
    if kind not in PRINTABLES or lang not in SUPPORTED_LOCALES:
        return Response(status_code=404)
    try:
        with session_scope() as session:
            commune = public.commune_by_slug(session, slug)
    except DomainError:
        return Response(status_code=404)
    data = public.printable(commune, kind=kind, signup_url=signup_url(request, slug), locale=lang)
    name = f"heure-civique-{slug}-{PRINTABLES[kind]}.pdf"
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


def _photo(name: str | None, cache: str) -> Response:
    """The stored photo ``name`` with its ``Cache-Control``; 404 if there is none."""
    path = wiring().photos.path(name)
    if path is None:
        return Response(status_code=404)
    return FileResponse(path, headers={"Cache-Control": cache,
                                       "X-Content-Type-Options": "nosniff"})


async def logo(request: Request) -> Response:
    """The commune's logo (public; the admin page adds ?v= when it changes)."""
    try:
        with session_scope() as session:
            name = public.commune_by_slug(session, request.path_params["slug"]).logo_name
    except DomainError:
        return Response(status_code=404)
    return _photo(name, cache="public, max-age=3600")


async def story_photo(request: Request) -> Response:
    try:
        with session_scope() as session:
            name = public.story_photo_name(session, story_id=int(request.path_params["id"]))
    except (DomainError, ValueError):
        return Response(status_code=404)
    # Public once published, but consent can be withdrawn: not kept by shared caches.
    return _photo(name, cache="private, max-age=3600")


async def report_photo(request: Request) -> Response:
    """Only the commune's staff see a report's photo."""
    with session_scope() as session:
        actor = request_staff(request, session)
        report = session.get(RelayReport, int(request.path_params["id"]))
        if actor is None or report is None or not actor.runs(report.commune_id):
            return Response(status_code=404)
        name = report.photo_name
    # Staff only (a doorway, a face): never kept on a town hall's shared tablet.
    return _photo(name, cache="no-store")


async def reports_csv(request: Request) -> Response:
    with session_scope() as session:
        actor = request_staff(request, session)
        if actor is None:
            return Response(status_code=403)
        data = triage.export_csv(session, actor=actor)
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="signalements.csv"'})


routes = [
    Route("/api/c/{slug}/{kind}.pdf", printable, methods=["GET"]),
    Route("/api/c/{slug}/logo", logo, methods=["GET"]),
    Route("/api/stories/{id:int}/photo", story_photo, methods=["GET"]),
    Route("/api/reports/{id:int}/photo", report_photo, methods=["GET"]),
    Route("/api/reports.csv", reports_csv, methods=["GET"]),
]
