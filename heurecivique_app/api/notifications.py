"""One-click unsubscribe (RFC 8058) from the link every optional e-mail carries.

The mail client's « unsubscribe » button POSTs ``List-Unsubscribe=One-Click`` to
the link; a person who opens the link gets a page with a button that POSTs the
same form. GET never changes anything: mail scanners open every link. The token
in the address is signed (services.notifications.unsubscribe_token): no login.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import request_locale
from heurecivique_app.domain.errors import NotFound
from heurecivique_app.domain.text import N_
from heurecivique_app.presenters.emails import UNSUBSCRIBE_QUESTION, unsubscribe_page
from heurecivique_app.services import notifications
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

INVALID = N_("This link is not valid (any more).")


def _kind_of(token: str) -> str | None:
    kind = token.split(".")[1] if token.count(".") == 2 else ""
    return kind if kind in UNSUBSCRIBE_QUESTION else None


async def ask(request: Request) -> Response:
    locale = request_locale(request)
    kind = _kind_of(request.path_params["token"])
    if kind is None:
        return HTMLResponse(unsubscribe_page(locale, INVALID), status_code=404)
    return HTMLResponse(unsubscribe_page(locale, UNSUBSCRIBE_QUESTION[kind],
                                         confirm=N_("Stop these e-mails")),
                        headers={"Cache-Control": "no-store"})


async def one_click(request: Request) -> Response:
    locale = request_locale(request)
    try:
        with session_scope() as session:
            notifications.unsubscribe(session, secret=get_settings().secret_key,
                                      token=request.path_params["token"])
    except NotFound:
        return HTMLResponse(unsubscribe_page(locale, INVALID), status_code=404)
    return HTMLResponse(unsubscribe_page(locale, N_("Done: you will not receive these "
                                                    "e-mails any more.")))


routes = [
    Route("/api/unsubscribe/{token}", ask, methods=["GET"]),
    Route("/api/unsubscribe/{token}", one_click, methods=["POST"]),
]
