"""``bench/soak.py --trace DIR``: where each event's time goes inside a worker.

Put first on the workers' PYTHONPATH by the soak test only (never in production).
Each worker process appends one JSON line per event to ``DIR/events-<pid>.jsonl``:
wall-clock start, handler name, a token prefix, and milliseconds spent waiting for
its turn (realtime/admission.py), waiting for its tab's state lock in Redis, and
in all (from the event's task start to its end).
"""

from __future__ import annotations

import contextvars
import json
import os
import sys
import time

_DIR = os.environ.get("HC_SOAK_TRACE_DIR")
_current: contextvars.ContextVar[dict | None] = contextvars.ContextVar("hc_trace", default=None)


def _install() -> None:
    from reflex.istate.manager.redis import StateManagerRedis
    from reflex_base.event.processor.base_state_processor import BaseStateEventProcessor

    out = open(os.path.join(_DIR, f"events-{os.getpid()}.jsonl"), "a", buffering=1)  # noqa: SIM115

    process = BaseStateEventProcessor._process_event_queue_entry
    execute = BaseStateEventProcessor._execute_event
    wait_lock = StateManagerRedis._wait_lock

    async def traced_process(self, *, entry, registered_handler):
        row = {"t": time.time(), "name": entry.event.name.rsplit(".", 1)[-1],
               "state": entry.event.name.rsplit(".", 2)[-2][-24:],
               "token": entry.ctx.token[:8], "admit_ms": 0.0, "lock_ms": 0.0}
        started = time.perf_counter()
        _current.set(row)
        try:
            await process(self, entry=entry, registered_handler=registered_handler)
            row["ok"] = True
        except BaseException as failed:
            row["ok"] = type(failed).__name__
            raise
        finally:
            row["ms"] = round((time.perf_counter() - started) * 1000, 1)
            out.write(json.dumps(row) + "\n")

    async def traced_execute(self, **kwargs):
        row = _current.get()
        if row is not None:
            row["admit_ms"] = round((time.time() - row["t"]) * 1000, 1)
        return await execute(self, **kwargs)

    async def traced_wait_lock(self, lock_key, lock_id):
        started = time.perf_counter()
        try:
            return await wait_lock(self, lock_key, lock_id)
        finally:
            row = _current.get()
            if row is not None:
                row["lock_ms"] = round(row["lock_ms"] + (time.perf_counter() - started) * 1000, 1)

    BaseStateEventProcessor._process_event_queue_entry = traced_process
    BaseStateEventProcessor._execute_event = traced_execute
    StateManagerRedis._wait_lock = traced_wait_lock


if _DIR:
    try:
        _install()
    except Exception as failed:  # never stop a worker for the bench's tracing
        print(f"soak trace not installed: {failed!r}", file=sys.stderr)
