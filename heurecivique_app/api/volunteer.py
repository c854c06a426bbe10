"""Plain HTTP routes of the volunteer app: the login right after sign-up, my data as JSON.

Both read or set the HttpOnly session cookie on the server; no token ever
reaches page scripts or LocalStorage.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import cross_site, request_actor, set_session_cookie
from heurecivique_app.domain.errors import DomainError
from heurecivique_app.services import accounts, signup
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

HOME = "/home"


async def handoff(request: Request) -> Response:
    """Exchange the sign-up page's one-time code for the session cookie, then go home."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    settings = get_settings()
    with session_scope() as session:
        token = signup.redeem_handoff(session, code=str(form.get("code") or ""),
                                      ttl_hours=settings.session_ttl_hours)
    if token is None:
        return RedirectResponse("/login", status_code=303)
    response = RedirectResponse(f"{HOME}?welcome=1", status_code=303)
    set_session_cookie(response, token, settings)
    return response


async def export_my_data(request: Request) -> Response:
    """Download everything the app holds about me (JSON), for the logged-in volunteer."""
    try:
        with session_scope() as session:
            actor = request_actor(request, session)
            if actor is None:
                return Response(status_code=401)
            data = accounts.export_data(session, actor=actor)
    except DomainError:
        return Response(status_code=403)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="mes-donnees-heurecivique.json"',
                 "Cache-Control": "no-store"},
    )


routes = [
    Route("/api/auth/handoff", handoff, methods=["POST"]),
    Route("/api/me/export", export_my_data, methods=["GET"]),
]
