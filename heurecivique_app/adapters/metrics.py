"""Prometheus metrics of one backend worker (``prometheus_client``'s default registry).

What is counted, and where it is fed from:
- ``hc_event_seconds{handler}``: every Reflex event, from the moment the tab's
  state is locked to the end of the handler's task (state/identity.py);
  ``hc_event_errors_total{handler}`` the ones that raised. ``handler`` is the
  event's registered name (``app_state.board_state.accept``): Reflex resolves it
  before any middleware runs, so a client cannot invent new label values.
- ``hc_live_deliveries_total{kind}``: live-board payloads sent to a room
  (realtime/live.py), ``hc_websocket_connections`` the sockets open on this worker.
- ``hc_outbox_jobs{status}``: the job table's pending and running rows, read
  when the scraper asks (:func:`refresh_outbox`), so it is the database's truth.
- ``hc_login_failures_total{reason}``: refused logins, ``wrong`` (bad e-mail or
  password) or ``throttled`` (tried while made to wait), from services/auth.log_in:
  the login page and the password change's check of the current password.
- The client library's own process metrics (memory, CPU, open files, GC).

Each worker keeps its own figures: scrape every worker at its own address (the
systemd units give each one a port) and let Prometheus add them up;
``sum by (handler)`` etc. The job backlog is the database's, the same on all.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import func, select
from sqlmodel import Session

from heurecivique_app.domain.notifications import Job, JobStatus

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Most events are a read or a small write: the buckets are fine up to 250 ms (the
# accept target is a p95 of 150 ms), coarse beyond.
EVENT_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LOGIN_FAILURE_REASONS = ("wrong", "throttled")

EVENT_SECONDS = Histogram("hc_event_seconds", "Reflex events handled, by handler: duration",
                          ["handler"], buckets=EVENT_BUCKETS)
EVENT_ERRORS = Counter("hc_event_errors_total", "Reflex events whose handler raised",
                       ["handler"])
LIVE_DELIVERIES = Counter("hc_live_deliveries_total",
                          "Live-board payloads sent to a room of viewers", ["kind"])
WEBSOCKETS = Gauge("hc_websocket_connections", "Websocket connections open on this worker")
OUTBOX = Gauge("hc_outbox_jobs", "Jobs in the outbox (e-mails, reminders) by status",
               ["status"])
LOGIN_FAILURES = Counter("hc_login_failures_total", "Refused logins by reason", ["reason"])
for _reason in LOGIN_FAILURE_REASONS:  # present at 0 from the start: rate() needs a base
    LOGIN_FAILURES.labels(_reason)


def observe_event(handler: str, seconds: float, *, failed: bool = False) -> None:
    """Count one handled event.

    Args:
        handler: the event's registered name.
        seconds: how long it took.
        failed: whether its handler raised.
    """
    EVENT_SECONDS.labels(handler).observe(seconds)
    if failed:
        EVENT_ERRORS.labels(handler).inc()


def live_delivered(kind: str, rooms: int = 1) -> None:
    """Count live payloads sent.

    Args:
        kind: the channel's kind ("board", "mission"…).
        rooms: how many rooms (channel and language) received one.
    """
    LIVE_DELIVERIES.labels(kind).inc(rooms)


def login_failed(reason: str) -> None:
    """Count a refused login.

    Args:
        reason: "wrong" or "throttled".
    """
    LOGIN_FAILURES.labels(reason if reason in LOGIN_FAILURE_REASONS else "wrong").inc()


def count_websockets(counter: Callable[[], int]) -> None:
    """Read the open sockets from ``counter`` whenever the metrics are scraped.

    Args:
        counter: returns how many sockets this worker holds now.
    """
    WEBSOCKETS.set_function(counter)


def refresh_outbox(session: Session) -> None:
    """Read the job table's backlog (pending and running rows) into ``hc_outbox_jobs``.

    Args:
        session: a read session.
    """
    counts = dict(session.exec(
        select(Job.status, func.count()).where(
            Job.status.in_([JobStatus.PENDING, JobStatus.RUNNING]))  # type: ignore[attr-defined]
        .group_by(Job.status)).all())
    for status in (JobStatus.PENDING, JobStatus.RUNNING):
        OUTBOX.labels(str(status)).set(counts.get(status, 0))


def exposition() -> bytes:
    """Every metric of this worker in Prometheus' text format."""
    return generate_latest(REGISTRY)
