"""What a planned stop asks of this worker: set by realtime/rebalance.py's lifespan task
(scale-out only), called by ``POST /hand-off`` (api/health.py). A module of its own so
that the HTTP side imports nothing of Reflex."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# Closes this worker's tabs' sockets in waves; how many it closed.
hand_off: Callable[[], Awaitable[int]] | None = None
