"""Plain HTTP routes of the session: login, logout, language choice and health.

The session cookie is set here, HttpOnly, so page scripts never see it; states
read it on the server from the websocket's request headers.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import client_address, cross_site, set_session_cookie
from heurecivique_app.domain.validation import safe_next
from heurecivique_app.i18n import LOCALE_COOKIE, SUPPORTED_LOCALES
from heurecivique_app.services import auth
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import logs, session_scope

log = logging.getLogger(__name__)


def _next_of_referer(request: Request) -> str:
    """The ``next`` of the login page the form was posted from.

    The form's hidden ``next`` field is filled by the page's script (its static
    default is "/"): a tap before the script has run, on a slow phone, would
    otherwise lose where the user was going.
    """
    referer = urlsplit(request.headers.get("referer") or "")
    if referer.netloc != request.headers.get("host") or referer.path.rstrip("/") != "/login":
        return ""
    return (parse_qs(referer.query).get("next") or [""])[0]


async def login(request: Request) -> Response:
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    form_next = str(form.get("next") or "")
    if form_next in ("", "/"):  # the page's default: maybe its script had not run yet
        form_next = _next_of_referer(request) or form_next
    next_path = safe_next(form_next, "/")
    settings = get_settings()
    with session_scope() as session:
        # Committed even when refused: the throttle's counts and the audit must stay.
        outcome = auth.log_in(session, email=str(form.get("email") or ""),
                              password=str(form.get("password") or ""),
                              address=client_address(request, settings))
        token = (auth.open_session(session, user=outcome.user,
                                   ttl_hours=settings.session_ttl_hours)
                 if outcome.user is not None else None)
    if outcome.user is not None:
        logs.bind(user_id=outcome.user.id)
    # Ids only: the e-mail typed stays out of the logs (the audit keeps a keyed digest).
    log.info("login %s", "accepted" if token else "refused",
             extra={"retry_after": outcome.retry_after or 0})
    if token is None:
        query = {"error": "credentials", "next": next_path}
        if outcome.retry_after:
            query.update(error="locked" if outcome.locked else "wait",
                         wait=str(outcome.retry_after))
        return RedirectResponse(f"/login?{urlencode(query)}", status_code=303)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, token, settings)
    return response


async def logout(request: Request) -> Response:
    if cross_site(request):
        return Response(status_code=403)
    with session_scope() as session:
        auth.close_session(session, raw_token=request.cookies.get(auth.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


async def choose_locale(request: Request) -> Response:
    lang = request.query_params.get("lang", "")
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    if lang in SUPPORTED_LOCALES:
        response.set_cookie(LOCALE_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax",
                            path="/", secure=get_settings().cookie_secure)
    return response


async def health(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


routes = [
    Route("/api/auth/login", login, methods=["POST"]),
    Route("/api/auth/logout", logout, methods=["POST"]),
    Route("/api/locale", choose_locale, methods=["GET"]),
    Route("/api/health", health, methods=["GET"]),
]
