"""/api/stats/<table>.csv?<the dashboard's filters>, and /api/stats/report.pdf.

A chart's data table as a file, exactly the rows the page shows (small counts
hidden the same way). The session cookie is read on the server; the stats
service decides who may see which figures (NotFound otherwise: a 404 here).
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from heurecivique_app.api.common import request_actor, request_locale
from heurecivique_app.domain.errors import DomainError, NotFound
from heurecivique_app.domain.types import utcnow
from heurecivique_app.presenters import stats as view
from heurecivique_app.services import stats
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import council_report, session_scope, table_file


def _report(request: Request) -> Response | tuple[stats.StatsReport, list[tuple[str, str]]]:
    """The figures the query string asks for, as the cookie's owner may see them, and the
    scope's success stories; or the error's response."""
    with session_scope() as session:
        actor = request_actor(request, session)
        if actor is None:
            return Response(status_code=403)
        try:
            query = stats.parse_query(request.query_params, today=utcnow().date())
            report = stats.for_query(session, actor=actor, query=query,
                                     timezone=get_settings().timezone)
        except NotFound:
            return Response(status_code=404)
        except DomainError:
            return Response(status_code=400)
        return report, stats.success_stories(session, scope=report.scope)


async def table_csv(request: Request) -> Response:
    key = request.path_params["key"]
    if key not in view.TABLE_KEYS:
        return Response(status_code=404)
    return await run_in_threadpool(_table_csv, request, key)


def _table_csv(request: Request, key: str) -> Response:
    found = _report(request)
    if isinstance(found, Response):
        return found
    tables = view.dashboard(found[0], request_locale(request)).tables
    if key not in tables:
        return Response(status_code=404)
    table = tables[key]
    data = table_file("csv", table.headers, table.rows, title=key)
    return Response(data, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="heure-civique-stats-{key}.csv"',
        "Cache-Control": "no-store"})


async def report_pdf(request: Request) -> Response:
    return await run_in_threadpool(_report_pdf, request)


def _report_pdf(request: Request) -> Response:
    found = _report(request)
    if isinstance(found, Response):
        return found
    report, stories = found
    data = council_report(view.report_text(report, stories, request_locale(request)))
    return Response(data, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="heure-civique-evaluation.pdf"',
        "Cache-Control": "no-store"})


routes = [Route("/api/stats/report.pdf", report_pdf, methods=["GET"]),
          Route("/api/stats/{key}.csv", table_csv, methods=["GET"])]
