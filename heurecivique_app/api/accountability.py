"""/api/audit.csv (the audit log with the viewer's filters) and /api/register.pdf.

Staff of the commune only; the export of the audit log is itself audited.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from heurecivique_app.api.common import request_locale, request_staff
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.presenters.audit import audit_table
from heurecivique_app.presenters.register import REGISTER_TITLE, column_labels, register_rows
from heurecivique_app.services import audit_log, register
from heurecivique_app.services.audit import audit
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope, table_file

NO_STORE = {"Cache-Control": "no-store"}


def _audit_csv(request: Request) -> Response:
    locale, timezone = request_locale(request), get_settings().timezone
    with session_scope() as session:
        actor = request_staff(request, session)
        if actor is None:
            return Response(status_code=403)
        try:
            wanted = audit_log.parse_filter(request.query_params)
        except ValidationFailed:
            return Response(status_code=400)
        lines = audit_log.audit_entries(session, actor=actor, wanted=wanted, timezone=timezone)
        headers, rows = audit_table(lines, locale, timezone)
        audit(session, actor=actor, action="audit.exported", entity="audit_entry",
              entity_id=None, commune_id=actor.commune_id, rows=len(rows),
              filters=wanted.as_query())  # codes, ids and dates: no free text
    return Response(table_file("csv", headers, rows, title="audit"),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="journal-audit.csv"',
                             **NO_STORE})


async def audit_csv(request: Request) -> Response:
    return await run_in_threadpool(_audit_csv, request)


def _register_pdf(request: Request) -> Response:
    settings = get_settings()
    locale = request_locale(request)
    with session_scope() as session:
        actor = request_staff(request, session)
        if actor is None:
            return Response(status_code=403)
        processings = register.commune_register(
            session, actor=actor, contact_visible_hours=settings.contact_visible_hours_after,
            session_hours=settings.session_ttl_hours, charter_version=settings.charter_version)
        subtitle = translate(N_("Generated from the app's settings on {when}."), locale,
                             when=format_datetime_short(utcnow(), locale, settings.timezone))
        data = register.register_pdf(
            session, actor=actor, title=translate(REGISTER_TITLE, locale), subtitle=subtitle,
            columns=column_labels(locale), rows=register_rows(processings, locale),
            locale=locale)
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": 'inline; filename="registre-des-traitements.pdf"', **NO_STORE})


async def register_pdf(request: Request) -> Response:
    return await run_in_threadpool(_register_pdf, request)


routes = [
    Route("/api/audit.csv", audit_csv, methods=["GET"]),
    Route("/api/register.pdf", register_pdf, methods=["GET"]),
]
