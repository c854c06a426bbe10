"""Plain HTTP routes of passwords: a forgotten one (ask for a link, follow it, set a new
password), a signed-in user's change of password or e-mail address (confirmed by a link
sent to the new address), and a staff invitation's link.

The pages are plain HTML (presenters/recovery.py). Every answer is kept out of
caches; the link's token never reaches another site (api/headers.py sets the
referrer policy).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from heurecivique_app.api.common import (
    client_address,
    cross_site,
    request_actor,
    request_locale,
)
from heurecivique_app.domain.errors import NotFound, ValidationFailed
from heurecivique_app.domain.models import Commune
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.presenters.recovery import (
    change_page,
    email_confirm_page,
    forgot_page,
    invitation_page,
    reset_page,
)
from heurecivique_app.services import auth, email_change, recovery, staff
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope

_PRIVATE = {"Cache-Control": "no-store"}


def _site_url(request: Request) -> str:
    """The site's address for the e-mailed link (HC_PUBLIC_URL, else this request's)."""
    url = urlsplit(str(request.url))
    return get_settings().public_url or f"{url.scheme}://{url.netloc}"


def _errors(refused: ValidationFailed, locale: str) -> dict[str, str]:
    """A refusal's messages by field, in the visitor's language."""
    return refused.translated(lambda message, **params: translate(message, locale, **params))


async def forgot_form(request: Request) -> Response:
    return HTMLResponse(forgot_page(request_locale(request)), headers=_PRIVATE)


async def forgot(request: Request) -> Response:
    """Queue the link if the address has an account; the same answer in every case."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    with session_scope() as session:
        recovery.request_reset(session, email=form.get("email"), site_url=_site_url(request))
    return HTMLResponse(forgot_page(request_locale(request), sent=True), headers=_PRIVATE)


async def reset_form(request: Request) -> Response:
    """The e-mailed link: the new-password form. A GET changes nothing (mail scanners)."""
    token = request.query_params.get("token", "")
    with session_scope() as session:
        usable = recovery.reset_is_usable(session, token=token)
    return HTMLResponse(reset_page(request_locale(request), token=token, usable=usable),
                        status_code=200 if usable else 410, headers=_PRIVATE)


async def reset(request: Request) -> Response:
    """Set the new password; every session of the account ends; then the login page."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    token = str(form.get("token") or "")
    locale = request_locale(request)
    try:
        with session_scope() as session:
            done = recovery.reset_password(session, token=token, password=form.get("password"),
                                           repeat=form.get("repeat"))
    except ValidationFailed as refused:
        errors = _errors(refused, locale)
        return HTMLResponse(reset_page(locale, token=token, usable=True, errors=errors),
                            status_code=400, headers=_PRIVATE)
    if not done:
        return HTMLResponse(reset_page(locale, token="", usable=False), status_code=410,
                            headers=_PRIVATE)
    return RedirectResponse("/login?reset=1", status_code=303)


def _sessions(session, actor, request: Request, locale: str) -> list[tuple[int, str, bool]]:
    tz = get_settings().timezone
    return [(s.session_id, format_datetime_short(s.opened_at, locale, tz), s.this_device)
            for s in recovery.open_sessions(session, actor=actor,
                                            current=request.cookies.get(auth.SESSION_COOKIE))]


async def password_form(request: Request) -> Response:
    """A signed-in user's change of password and open sessions (any role)."""
    locale = request_locale(request)
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return RedirectResponse("/login?next=/api/auth/password", status_code=303)
        sessions = _sessions(session, actor, request, locale)
    return HTMLResponse(change_page(locale, sessions=sessions), headers=_PRIVATE)


async def end_session(request: Request) -> Response:
    """Log one of the user's other devices out; back to the list."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    try:
        with session_scope() as session:
            actor = request_actor(request, session)
            if actor is None:
                return RedirectResponse("/login?next=/api/auth/password", status_code=303)
            recovery.end_session(session, actor=actor, session_id=form.get("session_id"))
    except NotFound:
        return Response(status_code=404)
    return RedirectResponse("/api/auth/password", status_code=303)


async def change_password(request: Request) -> Response:
    """Check the current password (throttled like a login), set the new one."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    locale = request_locale(request)
    settings = get_settings()
    keep = request.cookies.get(auth.SESSION_COOKIE)
    refused = None
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return RedirectResponse("/login?next=/api/auth/password", status_code=303)
        try:
            recovery.change_password(
                session, actor=actor, current=form.get("current"),
                password=form.get("password"), repeat=form.get("repeat"),
                address=client_address(request, settings), keep_session=keep)
        except ValidationFailed as error:
            refused = error  # still committed: the throttle's count of a wrong try stays
    if refused is not None:
        errors = _errors(refused, locale)
        with session_scope() as session:
            sessions = _sessions(session, actor, request, locale)
        return HTMLResponse(change_page(locale, errors=errors, sessions=sessions),
                            status_code=400, headers=_PRIVATE)
    return HTMLResponse(change_page(locale, done=True), headers=_PRIVATE)


async def request_email_change(request: Request) -> Response:
    """Check the current password (throttled like a login); the same answer for any address."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    locale = request_locale(request)
    settings = get_settings()
    refused = None
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return RedirectResponse("/login?next=/api/auth/password", status_code=303)
        try:
            email_change.request_change(
                session, actor=actor, new_email=form.get("new_email"),
                current=form.get("current_email"), address=client_address(request, settings),
                site_url=_site_url(request))
        except ValidationFailed as error:
            refused = error  # still committed: the throttle's count of a wrong try stays
        sessions = _sessions(session, actor, request, locale)
    if refused is not None:
        errors = _errors(refused, locale)
        return HTMLResponse(change_page(locale, errors=errors, sessions=sessions),
                            status_code=400, headers=_PRIVATE)
    return HTMLResponse(change_page(locale, sessions=sessions, email_sent=True),
                        headers=_PRIVATE)


async def email_confirm_form(request: Request) -> Response:
    """The link sent to the new address: a button. A GET changes nothing (mail scanners)."""
    token = request.query_params.get("token", "")
    with session_scope() as session:
        new_email = email_change.pending_address(session, token=token)
    return HTMLResponse(email_confirm_page(request_locale(request), token=token,
                                           new_email=new_email),
                        status_code=200 if new_email else 410, headers=_PRIVATE)


async def confirm_email(request: Request) -> Response:
    """Change the account's address; its other sessions end; the old address is told."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    locale = request_locale(request)
    with session_scope() as session:
        done = email_change.confirm_change(session, token=str(form.get("token") or ""),
                                           keep_session=request.cookies.get(auth.SESSION_COOKIE))
    if not done:
        return HTMLResponse(email_confirm_page(locale, token="", new_email=None),
                            status_code=410, headers=_PRIVATE)
    return HTMLResponse(email_confirm_page(locale, token="", new_email=None, done=True),
                        headers=_PRIVATE)


def _invitation_view(session, invitation, locale: str, token: str,
                     errors: dict[str, str] | None = None) -> str:
    commune = session.get(Commune, invitation.commune_id)
    return invitation_page(locale, token=token, name=invitation.display_name,
                           commune=commune.name if commune else "", role=invitation.role,
                           errors=errors)


async def invitation_form(request: Request) -> Response:
    """The invitation's link: choose a password. A GET changes nothing (mail scanners)."""
    token = request.query_params.get("token", "")
    locale = request_locale(request)
    with session_scope() as session:
        invitation = staff.invitation_for(session, token=token)
        if invitation is not None:
            return HTMLResponse(_invitation_view(session, invitation, locale, token),
                                headers=_PRIVATE)
    return HTMLResponse(invitation_page(locale, token="", usable=False), status_code=410,
                        headers=_PRIVATE)


async def accept_invitation(request: Request) -> Response:
    """Create the invited person's account; then the login page."""
    if cross_site(request):
        return Response(status_code=403)
    form = await request.form()
    token = str(form.get("token") or "")
    locale = request_locale(request)
    try:
        with session_scope() as session:
            user = staff.accept(session, token=token, password=form.get("password"),
                                repeat=form.get("repeat"))
    except ValidationFailed as refused:
        errors = _errors(refused, locale)
        with session_scope() as session:
            invitation = staff.invitation_for(session, token=token)
            if invitation is not None:
                return HTMLResponse(_invitation_view(session, invitation, locale, token,
                                                     errors), status_code=400, headers=_PRIVATE)
        user = None
    if user is None:
        return HTMLResponse(invitation_page(locale, token="", usable=False), status_code=410,
                            headers=_PRIVATE)
    return RedirectResponse("/login?reset=1", status_code=303)


routes = [
    Route("/api/auth/forgot", forgot_form, methods=["GET"]),
    Route("/api/auth/forgot", forgot, methods=["POST"]),
    Route("/api/auth/reset", reset_form, methods=["GET"]),
    Route("/api/auth/reset", reset, methods=["POST"]),
    Route("/api/auth/password", password_form, methods=["GET"]),
    Route("/api/auth/password", change_password, methods=["POST"]),
    Route("/api/auth/sessions/end", end_session, methods=["POST"]),
    Route("/api/auth/email/change", request_email_change, methods=["POST"]),
    Route("/api/auth/email", email_confirm_form, methods=["GET"]),
    Route("/api/auth/email", confirm_email, methods=["POST"]),
    Route("/api/auth/invitation", invitation_form, methods=["GET"]),
    Route("/api/auth/invitation", accept_invitation, methods=["POST"]),
]
