"""Health, readiness and metrics for the reverse proxy, the supervisor and Prometheus.

- ``/healthz``: the process answers (no I/O at all), for a liveness probe: a
  failure means "restart me".
- ``/readyz``: the database answers, Redis answers (when ``REDIS_URL`` is set)
  and the schema is at the code's head revision; else 503 with a JSON body that
  names each failing part, for the proxy (take the worker out of the pool) and
  for a deployment (do not switch traffic before the migrations ran).
- ``/metrics``: Prometheus' text format, only when ``HC_METRICS_TOKEN`` is set
  and the request carries ``Authorization: Bearer <token>``; otherwise 404, as if
  the route did not exist. Each worker answers with its own figures
  (adapters/metrics.py): scrape each worker at its own port.
- ``POST /hand-off``: with ``HC_HAND_OFF_TOKEN`` set and several workers, the same
  bearer check; the worker closes its tabs' sockets in waves so that they reconnect
  to the others (deploy/rolling-restart.sh calls it before a stop).

All four answer ``Cache-Control: no-store`` (api/headers.py) and a JSON or text
body, so they get the ``default-src 'none'`` policy of non-documents.
"""

from __future__ import annotations

import asyncio
import hmac
import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from heurecivique_app.realtime import stop_hooks
from heurecivique_app.settings import Settings, get_settings
from heurecivique_app.wiring import get_engine, metrics, read_scope, readiness

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}
# Past this the worker is not ready, whatever the reason: a proxy probe must not hang.
READY_TIMEOUT_S = 5.0


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "alive"}, headers=NO_STORE)


def readiness_checks(settings: Settings) -> dict[str, str]:
    """Each part's state: "ok" or why not (the migrations are not read without a database)."""
    engine = get_engine()
    checks = {"database": readiness.check_database(engine) or "ok"}
    if checks["database"] == "ok":
        checks["migrations"] = readiness.check_migrations(engine) or "ok"
    if settings.redis_url:
        checks["redis"] = readiness.check_redis(settings.redis_url) or "ok"
    return checks


async def readyz(_request: Request) -> Response:
    settings = get_settings()
    try:
        checks = await asyncio.wait_for(run_in_threadpool(readiness_checks, settings),
                                        READY_TIMEOUT_S)
    except TimeoutError:
        checks = {"timeout": f"no answer within {READY_TIMEOUT_S:g} s"}
    failing = sorted(name for name, state in checks.items() if state != "ok")
    if failing:
        log.warning("not ready: %s", ", ".join(f"{n} {checks[n]}" for n in failing))
        return JSONResponse({"status": "unavailable", "failing": failing, "checks": checks},
                            status_code=503, headers=NO_STORE)
    return JSONResponse({"status": "ready", "checks": checks}, headers=NO_STORE)


def authorised(request: Request, token: str) -> bool:
    """Whether the request carries ``Bearer <token>`` (compared in constant time)."""
    given = request.headers.get("authorization", "").encode()
    return bool(token) and hmac.compare_digest(given, f"Bearer {token}".encode())


def _refresh_outbox() -> None:
    with read_scope(get_engine()) as session:
        metrics.refresh_outbox(session)


async def metrics_endpoint(request: Request) -> Response:
    if not authorised(request, get_settings().metrics_token):
        return Response(status_code=404, headers=NO_STORE)
    try:
        await run_in_threadpool(_refresh_outbox)
    except Exception:  # the other figures are still worth a scrape
        log.warning("outbox backlog unreadable", exc_info=True)
    return Response(metrics.exposition(), headers={**NO_STORE,
                                                   "Content-Type": metrics.CONTENT_TYPE})


async def hand_off_endpoint(request: Request) -> Response:
    """Before a planned stop: this worker's tabs move to the others in waves
    (realtime/rebalance.py); answers once they are gone, with how many."""
    hand_off = stop_hooks.hand_off
    if not authorised(request, get_settings().hand_off_token) or hand_off is None:
        return Response(status_code=404, headers=NO_STORE)
    moved = await hand_off()
    return JSONResponse({"handed_off": moved}, headers=NO_STORE)


routes = [
    Route("/healthz", healthz, methods=["GET", "HEAD"]),
    Route("/readyz", readyz, methods=["GET", "HEAD"]),
    Route("/metrics", metrics_endpoint, methods=["GET"]),
    Route("/hand-off", hand_off_endpoint, methods=["POST"]),
]
