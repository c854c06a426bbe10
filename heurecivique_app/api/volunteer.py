"""Plain HTTP routes of the volunteer app: the sign-up's e-mail link, my data as JSON, a
mission I take part in as an .ics file for my calendar.

Both read or set the HttpOnly session cookie on the server; no token ever
reaches page scripts or LocalStorage.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import (
    cross_site,
    request_actor,
    request_locale,
    set_session_cookie,
)
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.presenters.calendar import ICS_TYPE, mission_ics
from heurecivique_app.presenters.confirm_email import confirm_page
from heurecivique_app.services import accounts, notices, signup
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

HOME = "/home"


# The token is in the address: keep the page out of caches. (Other sites never see it in
# a Referer: api/headers.py. Not "no-referrer" here: browsers would then send
# "Origin: null" with the button's POST, which cross_site refuses.)
_PRIVATE = {"Cache-Control": "no-store"}


async def confirm_link(request: Request) -> Response:
    """The e-mail link: a button that confirms. A GET changes nothing (mail scanners)."""
    token = request.query_params.get("token", "")
    with session_scope() as session:
        usable = signup.confirmation_is_usable(session, token=token)
    return HTMLResponse(confirm_page(request_locale(request), token=token, usable=usable),
                        status_code=200 if usable else 410, headers=_PRIVATE)


async def confirm(request: Request) -> Response:
    """Use up the link: the e-mail is confirmed, the session cookie set, then home."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    settings = get_settings()
    with session_scope() as session:
        token = signup.confirm_email(session, token=str(form.get("token") or ""),
                                     ttl_hours=settings.session_ttl_hours,
                                     timezone=settings.timezone)
    if token is None:
        return HTMLResponse(confirm_page(request_locale(request), token="", usable=False),
                            status_code=410, headers=_PRIVATE)
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


async def mission_calendar(request: Request) -> Response:
    """« Add to my calendar »: the .ics of a mission the signed-in person holds a place in.

    Anyone else (not signed in, no place, another commune) gets 404: ids reveal nothing.
    """
    settings = get_settings()
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return Response(status_code=404)
        try:
            entry = notices.calendar_entry(session, actor=actor,
                                           mission_id=request.path_params["id"])
        except NotFound:
            return Response(status_code=404)
    site = settings.public_url or f"{request.url.scheme}://{request.url.netloc}"
    data = mission_ics(mission_id=entry.mission_id, title=entry.title,
                       starts_at=entry.starts_at, duration_minutes=entry.duration_minutes,
                       neighbourhood=entry.neighbourhood, commune=entry.commune,
                       url=f"{site}/missions/{entry.mission_id}",
                       locale=request_locale(request))
    return Response(data, media_type=f"{ICS_TYPE}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="mission-{entry.mission_id}.ics"',
        "Cache-Control": "no-store"})


routes = [
    Route("/api/auth/confirm", confirm_link, methods=["GET"]),
    Route("/api/auth/confirm", confirm, methods=["POST"]),
    Route("/api/me/export", export_my_data, methods=["GET"]),
    Route("/api/missions/{id:int}/calendar.ics", mission_calendar, methods=["GET"]),
]
