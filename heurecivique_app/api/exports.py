"""/api/exports/<missions|beneficiaries|volunteers>.<csv|xlsx>?<the list's filters>.

Plain Starlette routes: the session cookie is read on the server, only the
commune's staff get a file, and every export (personal data) is audited.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from heurecivique_app.api.common import request_locale, request_staff
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.presenters import exports as tables
from heurecivique_app.services import search
from heurecivique_app.services.audit import audit
from heurecivique_app.settings import get_settings
from heurecivique_app.wiring import session_scope, table_file

KINDS = {
    "missions": (lambda s, a, f, tz: search.missions(s, actor=a, filters=f, timezone=tz),
                 tables.missions_table, "missions"),
    "beneficiaries": (lambda s, a, f, tz: search.beneficiaries(s, actor=a, filters=f),
                      tables.beneficiaries_table, "beneficiaires"),
    "volunteers": (lambda s, a, f, tz: search.volunteers(s, actor=a, filters=f),
                   tables.volunteers_table, "volontaires"),
}
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def export(request: Request) -> Response:
    kind, fmt = request.path_params["kind"], request.path_params["fmt"]
    if kind not in KINDS or fmt not in MEDIA:
        return Response(status_code=404)
    # Thousands of rows take a second or more: off the event loop, which serves every socket.
    return await run_in_threadpool(_export, request, kind, fmt)


def _export(request: Request, kind: str, fmt: str) -> Response:
    select_rows, to_table, file_stem = KINDS[kind]
    locale = request_locale(request)
    timezone = get_settings().timezone
    with session_scope() as session:
        actor = request_staff(request, session)
        if actor is None:
            return Response(status_code=403)
        try:
            filters = search.parse_filters(request.query_params)
        except ValidationFailed:
            return Response(status_code=400)
        lines = select_rows(session, actor, filters, timezone)
        headers, rows = to_table(lines, locale, timezone)
        audit(session, actor=actor, action="export.downloaded", entity=kind, entity_id=None,
              commune_id=actor.commune_id, format=fmt, rows=len(rows),
              filters=_logged(filters.as_query()))
    data = table_file(fmt, headers, rows, title=file_stem)
    name = f"heure-civique-{file_stem}.{fmt}"
    return Response(data, media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


def _logged(query: dict[str, str]) -> dict[str, str]:
    """The filters as the audit log keeps them: a searched text may be a person's name or
    address, which an erasure could not find there afterwards, so only its presence."""
    return {**query, "q": "…"} if query.get("q") else query


routes = [Route("/api/exports/{kind}.{fmt}", export, methods=["GET"])]
