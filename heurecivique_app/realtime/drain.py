"""A worker that stops first finishes the events it has received.

Reflex's event processor cancels the handlers still running when its worker stops
(its ``graceful_shutdown_timeout`` is None). In a rolling restart the tabs of the
stopping worker reconnect to another one, but an event that reached the stopping
worker just before (an accept clicked at that moment) would be cancelled halfway,
its transaction rolled back: lost. With a drain time the handler ends; meanwhile
the tab's state lock in Redis makes its new worker wait for it, so the tab, once
reconnected, shows the outcome.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

log = logging.getLogger(__name__)

# Under the supervisor's stop timeout (deploy/systemd/heurecivique@.service: 30 s).
DRAIN_S = 10.0


@contextlib.asynccontextmanager
async def drain_events_on_stop(app) -> AsyncIterator[None]:
    """Lifespan task (after Reflex's own, which creates the processor, so it exits first)."""
    processor = app.event_processor
    processor.graceful_shutdown_timeout = DRAIN_S
    yield
    log.info("worker stopping: %d event(s) in progress, %d queued",
             len(processor._tasks), processor._queue.qsize() if processor._queue else 0)
