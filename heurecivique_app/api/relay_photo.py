"""``POST /api/relay/photo``: the photo of the report a relay is writing (/relay/issue).

The page's file input sends the file as the request's body (``fetch``, the file's
own type as ``Content-Type``: pages/relay_issue.py), so the server stops reading one
byte past the limit and never spools a multipart body. The answer is JSON, never
kept (``Cache-Control: no-store``):

- 201 ``{"ticket": …}``: the photo was checked, cleaned of its metadata and stored;
  the ticket is its name signed for the sender (``services.report_photos``), which
  the page hands to ``RelayState.photo_sent``;
- 401 no session, 403 not a relay or a cross-site request, 413 too big, 415 a body
  type a page of ours never sends, 400 not a JPEG, PNG or WebP image:
  ``{"error": …}`` in the visitor's language.

Who sends it comes from the session cookie only. Cross-site requests are refused
three times over: the session cookie is ``SameSite=Lax`` (a cross-site POST comes
without it), a cross-site ``Origin`` is refused (``cross_site``), and the body must
be an image type (or ``application/octet-stream``), which another site's form
cannot send and ``fetch`` cannot send cross-site without a preflight we never allow.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from heurecivique_app.api.common import cross_site, request_actor, request_locale
from heurecivique_app.domain.enums import Role
from heurecivique_app.domain.errors import DomainError, NotAllowed
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate
from heurecivique_app.services import report_photos
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import read_scope, wiring

PATH = "/api/relay/photo"
_PRIVATE = {"Cache-Control": "no-store"}
SIGNED_OUT = N_("Your session has ended: log in again to send the photo.")


def _refusal(request: Request, status: int, message: str, **params) -> JSONResponse:
    text = translate(message, request_locale(request), **params)
    return JSONResponse({"error": text}, status_code=status, headers=_PRIVATE)


def _body_type_taken(request: Request) -> bool:
    """An image type, or no declared type (a file the phone could not name)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind.startswith("image/") or kind == "application/octet-stream"


async def _body(request: Request, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the body: enough to tell a photo is too big."""
    data = bytearray()
    async for chunk in request.stream():
        data += chunk[:limit + 1 - len(data)]
        if len(data) > limit:
            break
    return bytes(data)


async def relay_photo(request: Request) -> JSONResponse:
    if cross_site(request):
        return _refusal(request, 403, NotAllowed().message)
    # The login session is read first, then released: a phone's upload may take a while.
    with read_scope() as session:
        actor = request_actor(request, session)
    if actor is None:
        return _refusal(request, 401, SIGNED_OUT)
    if actor.role != Role.RELAY:  # the service checks it again
        return _refusal(request, 403, NotAllowed().message)
    if not _body_type_taken(request):
        return _refusal(request, 415, report_photos.NOT_A_PHOTO)
    settings = get_settings()
    limit = settings.max_photo_bytes
    size = limit // (1024 * 1024)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _refusal(request, 413, report_photos.TOO_BIG, size=size)
    data = await _body(request, limit)
    if len(data) > limit:
        return _refusal(request, 413, report_photos.TOO_BIG, size=size)
    try:
        # Decoding and re-encoding an image takes a while: off the worker's event loop.
        name = await run_in_threadpool(report_photos.store_report_photo, actor=actor,
                                       data=data, photos=wiring().photos, max_bytes=limit)
    except NotAllowed as refused:
        return _refusal(request, 403, refused.message)
    except DomainError as refused:  # adapters.photos.PhotoRejected: empty, big, not an image
        return _refusal(request, 400, refused.message, **refused.params)
    ticket = report_photos.photo_ticket(settings.secret_key, actor=actor, photo_name=name)
    return JSONResponse({"ticket": ticket}, status_code=201, headers=_PRIVATE)


routes = [Route(PATH, relay_photo, methods=["POST"])]
