"""Soak test with faults: PostgreSQL, Redis, two backend workers, a crowd for minutes.

    python bench/soak.py                                   # 1,000 volunteers, 10 minutes
    python bench/soak.py --clients 200 --minutes 2 --restart-at 0.75,1.4

Everything runs on loopback and stops by itself. A scratch PostgreSQL database
(HC_TEST_PG_URL's server, dropped afterwards) gets the Vitré demo, the
volunteers, 20 referents (``--referents``), their session cookies, open
missions and yesterday's taken ones (bench/soak_world.py). A redis-server of
its own runs on a free port in a temporary folder (never the machine's shared
one), without persistence, as production's Redis holds nothing that must
survive. Two backend workers of the production build run as two processes,
``reflex run --env prod --backend-only`` on two ports, as they would behind the
reverse proxy (which serves the static build itself).

The people (bench/soak_clients.py) are raw websocket tabs speaking the app's
protocol, in ``--client-procs`` asyncio processes: volunteers browse their
board, open missions, accept, withdraw and mark yesterday's mission done;
referents read the console, take in needs (intake, published), open the match
page and propose a mission to two suggested volunteers, and follow up
yesterday's missions. Each waits a random think time (exponential, mean
``--think-s`` for volunteers, ``--referent-think-s`` for referents) between
actions; arrivals are spread over the first ``--ramp-s`` seconds.

Faults (``--restart-at``, in minutes from the start): at the first, worker A is
asked to hand its tabs over (``POST /hand-off``, as deploy/rolling-restart.sh
does: it closes their sockets in waves over 25 s; ``--no-hand-off`` skips it),
then stopped (SIGTERM, as systemd does) and started again; its tabs reconnect at
once to worker B (the proxy's failover). At the second, the
redis-server is stopped and started again, empty. A supervisor's probe reads
``/healthz`` and ``/readyz`` of both workers every second.

Printed: one JSON object. Latencies run from a tab's send to the answer frame
of that event, outside the restart windows (a restart's window runs from its first
step, the hand-off for the worker, until ``RESTART_WINDOW_S`` after the worker or
Redis was stopped: ``restart_windows_s``); ``in_restart_windows`` gives the same
inside them, ``accept_outside_30s_from_each_fault`` the accept's figures outside
windows of 30 s from each fault's first step (this test's windows before the
hand-off lengthened the restart by 25 s), ``accept_per_half_minute`` the accept's
count, p50 and p95 in each half minute of the run, and ``baseline``
the same figures over the quiet minutes before the first fault, measured in
this run. ``lost_accepts``: a place a volunteer was last shown as theirs that
the database does not hold (``lost_withdrawals`` the reverse); an event whose
answer never came (``unanswered_accepts``) may have been recorded or not
(``unanswered_recorded``) but never twice (``double_booked`` and
``count_mismatches``: a mission's ``accepted_count`` against its accepted rows).
``overfilled``: missions with more accepted volunteers than places;
``duplicate_hours``: two hour entries for one participation.
``reconnect``: per fault, the tabs whose socket dropped and the time until
their page was loaded again, split into phases (the socket open on the other
worker, the whole state, the page's load; and, before the drop, the time from the
fault to it), and the first answers of tabs whose state Redis had lost
(``rebuilt_events``). ``--trace DIR``: each worker writes every event's wait for
its turn, wait for its tab's lock and total time (bench/soak_trace).
``rss_start_mib`` / ``rss_end_mib``: each worker's resident memory once the crowd
is in, and at the end (worker A's "end" is that of the process started at the first
fault).

Measured: see the README's "Soak test with faults" section.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fanout import free_port, pct  # noqa: E402
from soak_world import check, prepare  # noqa: E402

RESTART_WINDOW_S = 30.0
HAND_OFF_TOKEN = "soak-hand-off"  # the workers' HC_HAND_OFF_TOKEN (loopback only)
BACK_WITHIN_S = 5.0
MIB = 1024 * 1024


# --- the servers ----------------------------------------------------------------------------


class Redis:
    """A redis-server of our own: free port, temporary folder, nothing saved."""

    def __init__(self, work: Path) -> None:
        self.port = free_port()
        self.work = work
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.work)],
            stdout=(self.work / "redis.log").open("ab"), stderr=subprocess.STDOUT)
        wait_until(lambda: _redis_ping(self.port), 20, "redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def _redis_ping(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(port=port, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def wait_until(ready, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise SystemExit(f"{what} not up after {seconds}s")


class Worker:
    """One backend worker of the production build, on a port of its own."""

    def __init__(self, name: str, work: Path, env: dict[str, str]) -> None:
        self.name, self.port, self.env = name, free_port(), env
        self.log = work / f"worker-{name}.log"
        self.process: subprocess.Popen | None = None
        self.cpu_s = 0.0  # of the processes stopped so far

    def start(self) -> float:
        """Start and wait until it answers; the seconds it took."""
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only",
             "--backend-port", str(self.port), "--loglevel", "warning"],
            cwd=ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True)
        wait_until(self.answers, 300, f"worker {self.name}")
        return time.monotonic() - started

    def answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise SystemExit(f"worker {self.name} exited:\n{self.log.read_text()[-3000:]}")
        return http_status(f"http://127.0.0.1:{self.port}/healthz") == 200

    def cpu_now(self) -> float:
        """CPU seconds used by this worker's processes, the stopped ones included."""
        if self.process is None or self.process.poll() is not None:
            return self.cpu_s
        try:
            root = psutil.Process(self.process.pid)
            return self.cpu_s + sum(sum(p.cpu_times()[:2])
                                    for p in [root, *root.children(recursive=True)])
        except psutil.NoSuchProcess:
            return self.cpu_s

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.cpu_s = self.cpu_now()
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def rss_mib(self) -> float | None:
        """The worker process's resident memory (granian's child of the CLI process)."""
        if self.process is None or self.process.poll() is not None:
            return None
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
            return round(sum(c.memory_info().rss for c in children) / MIB, 1)
        except psutil.NoSuchProcess:
            return None


def hand_off(port: int) -> int | None:
    """``POST /hand-off`` as deploy/rolling-restart.sh does: how many tabs were handed."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/hand-off", method="POST",
                                     headers={"Authorization": f"Bearer {HAND_OFF_TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=40) as response:
            return json.loads(response.read())["handed_off"]
    except (OSError, ValueError, KeyError):
        return None


def http_status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code
    except OSError:
        return None


def server_env(work: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
                f"{env.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1", "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false", "HC_DATA_DIR": str(work),
        "DATABASE_URL": database_url, "REDIS_URL": redis_url, "GRANIAN_WORKERS": "1",
        "PYTHONUNBUFFERED": "1", "HC_HAND_OFF_TOKEN": HAND_OFF_TOKEN,
        # This checkout's code, whatever the shared virtualenv's editable install points at.
        "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH")))),
    })
    return env


@dataclass
class Probe:
    """The supervisor's view: /healthz and /readyz of each worker every second."""

    ports: list[int]
    errors_5xx: int = 0
    not_ready_s: float = 0.0
    samples: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(1.0):
            for port in self.ports:
                health = http_status(f"http://127.0.0.1:{port}/healthz")
                ready = http_status(f"http://127.0.0.1:{port}/readyz")
                self.samples += 1
                # readyz answers 503 while Redis is away: that is its job, not an error.
                if health is not None and health >= 500:
                    self.errors_5xx += 1
                if ready != 200:
                    self.not_ready_s += 1.0


# --- the report -----------------------------------------------------------------------------


def figures(samples: list[float]) -> dict:
    return {"n": len(samples), "p50_ms": pct(samples, 50), "p95_ms": pct(samples, 95),
            "p99_ms": pct(samples, 99)}


def timeline(rows: list[tuple[float, float]], start: float, step_s: float = 30.0) -> list:
    """[seconds from the start, events, p50, p95] for each ``step_s`` of the run."""
    buckets: dict[int, list[float]] = defaultdict(list)
    for sent, ms in rows:
        buckets[int((sent - start) // step_s)].append(ms)
    return [[int(k * step_s), len(v), pct(v, 50), pct(v, 95)] for k, v in sorted(buckets.items())]


def spread(seconds: list[float]) -> dict:
    """p50 / p95 / max of durations in seconds."""
    if not seconds:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {"p50_s": round(pct(seconds, 50), 2), "p95_s": round(pct(seconds, 95), 2),
            "max_s": round(max(seconds), 2)}


def per_action(latencies: dict[str, list], keep) -> dict[str, dict]:
    return {action: figures([ms for sent, ms in rows if keep(sent)])
            for action, rows in sorted(latencies.items())}


def merge(records: list[dict]) -> dict:
    total: dict = {"latencies": defaultdict(list), "failures": defaultdict(int),
                   "failure_reasons": defaultdict(int),
                   "refusals": defaultdict(int), "reasons": defaultdict(lambda: defaultdict(int)),
                   "reconnects": [], "rebuilt": [], "believed": {},
                   "unanswered": set(), "history": {}, "broadcasts_at": defaultdict(int),
                   "tabs_on": defaultdict(int)}
    for record in records:
        for action, rows in record["latencies"].items():
            total["latencies"][action] += rows
        for key in ("failures", "refusals", "failure_reasons"):
            for action, count in record[key].items():
                total[key][action] += count
        for second, count in record["broadcasts_at"].items():
            total["broadcasts_at"][int(second)] += count
        for port, count in record["tabs_on"].items():
            total["tabs_on"][int(port)] += count
        for key in ("handler_errors", "errors_5xx", "never_back", "broadcasts",
                    "state_rebuilds", "reloads"):
            total[key] = total.get(key, 0) + record[key]
        for action, texts in record["reasons"].items():
            for said, count in texts.items():
                total["reasons"][action][said] += count
        total["reconnects"] += record["reconnects"]
        total["rebuilt"] += record["rebuilt"]
        total["history"].update({(v, m): steps for v, m, steps in record["history"]})
        total["believed"].update({(v, m): s for v, m, s in record["believed"]})
        total["unanswered"] |= {tuple(pair) for pair in record["unanswered"]}
    return total


def phases(per_second: dict[int, int], edges: list[float], end: float) -> list[float]:
    """Broadcast frames received per minute between consecutive ``edges`` (after the
    ramp, after each fault): a relay that stopped shows as a drop."""
    bounds = [*edges, end]
    return [round(sum(n for s, n in per_second.items() if a <= s < b) / max(b - a, 1) * 60)
            for a, b in zip(bounds, bounds[1:], strict=False)]


def backend_exceptions(workers: list[Worker]) -> int:
    return sum(w.log.read_text(errors="replace").count("Traceback") for w in workers)


EXCEPTION_LINE = re.compile(r"^\s*([A-Za-z_][\w.]*(?:Error|Exception|Exit|Cancelled\w*)):?")


def exception_kinds(workers: list[Worker]) -> dict[str, int]:
    """The workers' tracebacks by the exception that ends each one (printed on stderr)."""
    kinds: dict[str, int] = defaultdict(int)
    for worker in workers:
        for block in worker.log.read_text(errors="replace").split("Traceback (most recent")[1:]:
            names = [m.group(1) for m in map(EXCEPTION_LINE.match, block.splitlines()) if m]
            kinds[names[-1] if names else "?"] += 1
    return dict(kinds)


# --- the run --------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000, help="simulated volunteers")
    parser.add_argument("--referents", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--restart-at", default="3,6",
                        help="minutes: the worker restart, then the Redis restart")
    parser.add_argument("--think-s", type=float, default=30.0,
                        help="volunteers' mean pause between actions")
    parser.add_argument("--referent-think-s", type=float, default=8.0)
    parser.add_argument("--ramp-s", type=float, default=120.0)
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--no-hand-off", action="store_true",
                        help="stop worker A without asking it to hand its tabs over first "
                             "(POST /hand-off, as deploy/rolling-restart.sh does)")
    parser.add_argument("--keep-logs", type=Path, default=None,
                        help="copy the workers' and Redis's logs into this folder")
    parser.add_argument("--trace", type=Path, default=None,
                        help="the workers write each event's turn, lock and total times "
                             "into this folder (bench/soak_trace); faults get their wall time")
    return parser.parse_args()


def scratch_postgres(stack: ExitStack) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from scratch_db import scratch_pg_database

    return stack.enter_context(scratch_pg_database())


def main() -> None:  # noqa: PLR0915 - one timeline, read top to bottom
    args = parse_args()
    faults = [float(m) * 60 for m in args.restart_at.split(",") if m.strip()]
    duration = args.minutes * 60
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-soak-")))
        database_url = scratch_postgres(stack)
        world = prepare(database_url, args.clients, args.referents)
        redis = Redis(work)
        redis.start()
        stack.callback(redis.stop)
        env = server_env(work, database_url, redis.url)
        if args.trace:
            args.trace.mkdir(parents=True, exist_ok=True)
            env["HC_SOAK_TRACE_DIR"] = str(args.trace.resolve())
            env["PYTHONPATH"] = os.pathsep.join((str(ROOT / "bench/soak_trace"),
                                                 env["PYTHONPATH"]))
        workers = [Worker("A", work, env), Worker("B", work, env)]
        for worker in workers:
            stack.callback(worker.stop)
            worker.start()
        ports = [w.port for w in workers]
        probe = Probe(ports)
        threading.Thread(target=probe.run, daemon=True).start()
        stack.callback(probe.stop.set)

        load_start = os.getloadavg()
        worker_cpu_start = sum(w.cpu_now() for w in workers)
        start = time.monotonic()
        stop_at = start + duration
        past = {i % len(world.volunteers): m for i, m in enumerate(world.past_missions)}
        context = multiprocessing.get_context("spawn")
        procs, pipes = [], []
        for k in range(args.client_procs):
            mine = range(k, len(world.volunteers), args.client_procs)
            spec = {
                "stop_at": stop_at, "ports": ports, "hoods": world.hoods,
                "first_mission": world.first_mission,
                "past_missions": world.past_missions, "think_s": args.think_s,
                "referent_think_s": args.referent_think_s, "ramp_s": args.ramp_s,
                "volunteers": [(*world.volunteers[i], past.get(i)) for i in mine],
                "referents": world.referents[k::args.client_procs],
            }
            receive, send = context.Pipe(duplex=False)
            from soak_clients import run_crowd

            proc = context.Process(target=run_crowd, args=(spec, send), daemon=True)
            proc.start()
            procs.append(proc)
            pipes.append(receive)

        def at(offset: float) -> None:
            time.sleep(max(0.0, start + offset - time.monotonic()))

        at(min(args.ramp_s + 10, (faults[0] if faults else duration) - 5))
        rss_start = [w.rss_mib() for w in workers]
        fault_log = []
        for n, offset in enumerate(faults[:2]):
            at(offset)
            began = time.monotonic()
            if n == 0:
                handed = None if args.no_hand_off else hand_off(workers[0].port)
                handing_s = time.monotonic() - began
                stopped = time.monotonic()
                workers[0].stop()
                back = workers[0].start()
                fault_log.append({"fault": "worker A restart", "at_s": round(offset, 1),
                                  "hand_off_s": round(handing_s, 1), "handed_off": handed,
                                  "down_s": round(back, 1)})
                fault_log[-1]["stopped"] = stopped
            else:
                redis.stop()
                redis.start()
                fault_log.append({"fault": "redis restart", "at_s": round(offset, 1),
                                  "down_s": round(time.monotonic() - began, 2)})
            fault_log[-1]["began"] = began
            if args.trace:
                fault_log[-1]["wall"] = time.time() - (time.monotonic() - began)
        at(duration - 2)
        rss_end = [w.rss_mib() for w in workers]
        worker_cpu = sum(w.cpu_now() for w in workers) - worker_cpu_start
        records = [json.loads(pipe.recv()) for pipe in pipes]
        client_cpu = sum(record["cpu_s"] for record in records)
        for proc in procs:
            proc.join(timeout=60)
        load_end = os.getloadavg()
        probe.stop.set()
        for worker in workers:
            worker.stop()
        exceptions = backend_exceptions(workers)
        if exceptions:
            print(f"backend tracebacks by exception: {exception_kinds(workers)}", file=sys.stderr)
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in work.glob("*.log"):
                (args.keep_logs / log.name).write_bytes(log.read_bytes())
        total = merge(records)
        checks = check(database_url, total["believed"], total["unanswered"])

    for volunteer, mission, status in checks.mismatched:  # explain each loss on stderr
        steps = [(round(t - start, 2), what) for t, what in
                 total["history"].get((volunteer, mission), [])]
        print(f"mismatch: volunteer {volunteer}, mission {mission}, database {status}: {steps}",
              file=sys.stderr)
    # A restart's window: from its first step (the hand-off, for the worker) until
    # RESTART_WINDOW_S after the worker was stopped, or after Redis was.
    windows = [(f["began"], f.get("stopped", f["began"]) + RESTART_WINDOW_S)
               for f in fault_log]
    # The windows as they were before the hand-off (30 s from the fault's first step).
    short_windows = [(f["began"], f["began"] + RESTART_WINDOW_S) for f in fault_log]
    first_fault = fault_log[0]["began"] if fault_log else stop_at
    quiet_from = start + args.ramp_s

    def outside(sent: float) -> bool:
        return not any(a <= sent < b for a, b in windows)

    def inside(sent: float) -> bool:
        return not outside(sent)

    def quiet(sent: float) -> bool:
        return quiet_from <= sent < first_fault

    actions = per_action(total["latencies"], outside)
    accept_short_windows = figures([ms for sent, ms in total["latencies"].get("accept", [])
                                    if not any(a <= sent < b for a, b in short_windows)])
    accept = actions.get("accept", figures([]))
    reconnect = []
    # The drops a fault caused: within 30 s of its first step (the moves back after the
    # worker restart are counted apart, below).
    for f, (a, b) in zip(fault_log, short_windows, strict=True):
        times = [s for dropped, s, _ in total["reconnects"] if a <= dropped < b]
        split = [phases for dropped, _, phases in total["reconnects"] if a <= dropped < b]
        drops = [dropped - a for dropped, _, _ in total["reconnects"] if a <= dropped < b]
        rebuilt = [ms / 1000 for sent, ms in total["rebuilt"] if a <= sent < b]
        reconnect.append({
            "fault": f["fault"], "at_s": f["at_s"], "down_s": f["down_s"],
            "tabs_dropped": len(times), "p95_s": pct(times, 95) and round(pct(times, 95), 2),
            "max_s": round(max(times), 2) if times else None,
            "back_after_5s": sum(1 for s in times if s > BACK_WITHIN_S),
            # From the fault (SIGTERM sent) to the tab seeing its socket close.
            "drop_after_fault": spread(drops),
            # Where the time went: drop -> socket open (attempts and their pauses
            # included), -> whole state received, -> the page's on_load answer.
            "phases": {name: spread([p[name] for p in split if p[name] is not None])
                       for name in ("open_s", "hydrate_s", "load_s")},
            "attempts_max": max((p["attempts"] for p in split), default=None),
            # Tabs that kept their socket but whose state the server had lost (Redis
            # restarted empty): their first event's answer, state rebuilt first.
            "rebuilt_events": {"n": len(rebuilt), **spread(rebuilt)},
            "answered_events_in_window": sum(
                1 for rows in total["latencies"].values() for sent, _ in rows if a <= sent < b),
        })
    all_reconnects = [s for _, s, _ in total["reconnects"]]
    # Drops outside the faults' windows: tabs a worker moved to share the load.
    moves = [s for dropped, s, _ in total["reconnects"]
             if not any(a <= dropped < b for a, b in short_windows)]
    answered = sum(len(rows) for rows in total["latencies"].values())
    print(json.dumps({
        "clients": args.clients,
        "referents": args.referents,
        "minutes": args.minutes,
        "accept_p50_ms": accept["p50_ms"],
        "accept_p95_ms": accept["p95_ms"],
        "accept_p99_ms": accept["p99_ms"],
        "errors_5xx": total["errors_5xx"] + probe.errors_5xx,
        "lost_accepts": checks.lost_accepts,
        "overfilled": checks.overfilled,
        "duplicate_hours": checks.duplicate_hours,
        "max_reconnect_s": round(max(all_reconnects), 2) if all_reconnects else None,
        "rss_start_mib": rss_start,
        "rss_end_mib": rss_end,
        "actions": actions,
        "in_restart_windows": per_action(total["latencies"], inside),
        "restart_windows_s": [[round(a - start, 1), round(b - start, 1)] for a, b in windows],
        "accept_outside_30s_from_each_fault": accept_short_windows,
        "accept_per_half_minute": timeline(total["latencies"].get("accept", []), start),
        "baseline": {"what": "the same clients before the first fault, after the ramp",
                     "actions": per_action(total["latencies"], quiet)},
        "failures": dict(total["failures"]),
        "failure_reasons": dict(total["failure_reasons"]),
        "refusals": dict(total["refusals"]),
        "refusal_reasons": {a: dict(t) for a, t in total["reasons"].items()},
        "handler_errors": total["handler_errors"],
        "backend_tracebacks": exceptions,
        "lost_withdrawals": checks.lost_withdrawals,
        "double_booked": checks.double_booked,
        "count_mismatches": checks.count_mismatches,
        "unanswered_accepts": checks.unanswered_accepts,
        "unanswered_recorded": checks.unanswered_recorded,
        "reconnect": reconnect,
        # Tabs moved back after the restart (realtime/rebalance.py), each a reconnect:
        # how many, how long each was away; and where the tabs were at the end.
        "moved_tabs": {"n": len(moves), **spread(moves)},
        "tabs_per_worker_end": {w.name: total["tabs_on"].get(w.port, 0) for w in workers},
        "faults": [{k: v for k, v in f.items() if k != "began"} for f in fault_log],
        "never_back": total["never_back"],
        "reloads_after_no_answer": total["reloads"],
        "readyz_not_ready_s": probe.not_ready_s,
        "broadcast_frames": total["broadcasts"],
        "broadcasts_per_min": phases(total["broadcasts_at"], [start + args.ramp_s]
                                     + [f["began"] for f in fault_log], stop_at),
        "state_rebuilds": total["state_rebuilds"],
        "answered_events": answered,
        "worker_cpu_s": round(worker_cpu, 1),
        "client_cpu_s": round(client_cpu, 1),
        "worker_cpu_ms_per_answered_event": round(worker_cpu / max(answered, 1) * 1000, 1),
        "load_avg_start": [round(x, 2) for x in load_start],
        "load_avg_end": [round(x, 2) for x in load_end],
        "cpus": os.cpu_count(),
    }), flush=True)


if __name__ == "__main__":
    main()
