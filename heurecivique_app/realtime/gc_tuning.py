"""Garbage-collector settings for a worker that holds many live tabs.

Measured with bench/fanout.py (1,000 viewers on one board): with CPython's
defaults, a full collection walks every tab's state and the compiled app,
and pauses the event loop for up to a second; every broadcast is late then.
Freezing what exists at start-up (modules, the compiled app: about 120,000
objects, permanent anyway) takes it out of every collection, and larger
thresholds make collections rarer. Objects created later (tab states) are
still collected as usual, so nothing leaks.
"""

import gc

THRESHOLDS = (20_000, 10, 10)  # CPython's defaults: (700, 10, 10)


async def tune_garbage_collector() -> None:
    """Lifespan task: runs once the app is loaded."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
