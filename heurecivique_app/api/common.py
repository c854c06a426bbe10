"""What every plain HTTP route shares: the session cookie, the actor it names, the locale.

The cookie is HttpOnly: it is set and read here, on the server, and never
reaches page scripts. Routes that change something refuse cross-site posts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from heurecivique_app.i18n import negotiate
from heurecivique_app.services import auth
from heurecivique_app.services.actor import Actor
from heurecivique_app.settings import Settings
from heurecivique_app.wiring import logs


def cross_site(request: Request) -> bool:
    """True when a browser says the request comes from another site's page."""
    origin = request.headers.get("origin")
    return bool(origin) and urlsplit(origin).netloc != request.headers.get("host")


def client_address(request: Request, settings: Settings) -> str:
    """The address the request comes from, for the login throttle.

    Behind a reverse proxy every request comes from the proxy: with
    ``HC_TRUST_FORWARDED_FOR`` the last hop of ``X-Forwarded-For`` (the one our own
    proxy added, which a client cannot forge) is used instead.
    """
    if settings.trust_forwarded_for:
        hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
        if hops[-1]:
            return hops[-1]
    return request.client.host if request.client else "unknown"


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """Give the browser the login session: HttpOnly, same-site, for the session's lifetime."""
    response.set_cookie(
        auth.SESSION_COOKIE, token, max_age=settings.session_ttl_hours * 3600,
        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/",
    )


def request_actor(request: Request, session: Session) -> Actor | None:
    """The signed-in actor behind the request's session cookie, if any."""
    actor = auth.actor_for_token(session, request.cookies.get(auth.SESSION_COOKIE))
    if actor is not None:
        logs.bind(user_id=actor.user_id)  # the request's log lines name them, by id only
    return actor


def request_staff(request: Request, session: Session) -> Actor | None:
    """The signed-in actor if they are the commune's staff, else None."""
    actor = request_actor(request, session)
    return actor if actor is not None and actor.is_staff else None


def request_locale(request: Request) -> str:
    """The visitor's language: their explicit choice (cookie), else the browser's."""
    return negotiate(request.headers.get("cookie"), request.headers.get("accept-language"))
