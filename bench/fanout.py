"""Live board fan-out: the app's broadcast against a bare python-socketio server.

    python bench/fanout.py                      # embedded: SQLite, one worker
    python bench/fanout.py --mode scaleout      # PostgreSQL, Redis, two workers
    python bench/fanout.py --sizes 10,100 --samples 10

For each size N it prints one JSON line. N raw websocket clients speak the
app's own protocol (engine.io/socket.io frames, the session cookie, the
board page's load event), each logged in as its own volunteer watching the
same neighbourhood board. About 40 of them, spread across the join order,
timestamp every board update; the others only count them (they drain their
socket after each sample, outside the timed window). A driver volunteer
accepts, then withdraws from, a mission of that board once a second through
the real event handlers; latency runs from the driver's send to an
observer's receipt, all in this process (one clock).

In the same run, the same N, observers, samples and payload size go through
a bare python-socketio server (bench/socketio_baseline_server.py): the
transport's own cost. Embedded mode pins each server to core 0 and this
client to core 1, as the reference probes did. Everything is on loopback;
every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import psutil
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

OBSERVERS = 40
INTERVAL_S = 1.0
DRAIN_AFTER_S = 0.7  # passive clients read their sockets this long after each update
LIVE_MARK = "live_version_rx_state_"


def pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], 1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the server side ------------------------------------------------------------------------


def tree(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


def cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def rss_kib(processes: list[psutil.Process]) -> float:
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / 1024


def pin(processes: list[psutil.Process], cores: list[int]) -> None:
    for process in processes:
        try:
            process.cpu_affinity(cores)
        except (psutil.NoSuchProcess, AttributeError):
            pass


def wait_http(url: str, process: subprocess.Popen, log: Path, seconds: int = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"server not up after {seconds}s")


@dataclass
class Fixture:
    """The database the app runs on: demo data plus N volunteers logged in on one board."""

    database_url: str
    viewer_cookies: list[str] = field(default_factory=list)
    driver_cookie: str = ""
    mission_id: int = 0


def prepare_database(database_url: str, viewers: int) -> Fixture:
    from sqlmodel import select

    from heurecivique_app.adapters.db import make_engine, session_scope
    from heurecivique_app.domain.enums import MissionStatus, Role, VolunteerStatus
    from heurecivique_app.domain.models import (
        Mission,
        Neighbourhood,
        User,
        VolunteerProfile,
    )
    from heurecivique_app.domain.types import utcnow
    from heurecivique_app.manage import seed
    from heurecivique_app.services import auth

    seed(database_url)
    engine = make_engine(database_url)
    fixture = Fixture(database_url)
    with session_scope(engine) as session:
        hood = session.exec(select(Neighbourhood).where(
            Neighbourhood.slug == "centre-historique")).one()
        driver = session.exec(select(User).where(User.email == "volontaire@vitre.demo")).one()
        fixture.driver_cookie = auth.open_session(session, user=driver, ttl_hours=4)
        mission = Mission(
            commune_id=hood.commune_id, neighbourhood_id=hood.id, category="visit",
            title="Mission du banc d'essai", status=MissionStatus.OPEN, capacity=1,
            approx_lat=hood.lat, approx_lon=hood.lon, exact_address="1 place du Château",
            starts_at=utcnow() + timedelta(days=3), duration_minutes=60,
        )
        session.add(mission)
        session.flush()
        fixture.mission_id = mission.id
        for i in range(viewers):
            user = User(commune_id=hood.commune_id, email=f"bench{i}@bench.invalid",
                        password_hash="!", display_name=f"Bench {i}", role=Role.VOLUNTEER,
                        neighbourhood_id=hood.id)
            session.add(user)
            session.flush()
            session.add(VolunteerProfile(user_id=user.id, status=VolunteerStatus.ACTIVE))
            fixture.viewer_cookies.append(auth.open_session(session, user=user, ttl_hours=4))
    engine.dispose()
    return fixture


def start_app(work: Path, port: int, env_extra: dict[str, str]) -> subprocess.Popen:
    env = dict(os.environ)
    env.update({
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
                f"{env.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1", "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "NPM_CONFIG_REGISTRY": env.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/"),
        "HC_DATA_DIR": str(work), **env_extra,
    })
    if "REDIS_URL" not in env_extra:
        env.pop("REDIS_URL", None)
    log = work / "app.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
         "--backend-port", str(port), "--loglevel", "warning"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_http(f"http://127.0.0.1:{port}/api/health", process, log)
    return process


def start_baseline(work: Path, port: int) -> subprocess.Popen:
    log = work / "baseline.log"
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench/socketio_baseline_server.py"), str(port)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.2)
    raise SystemExit("baseline server did not start")


# --- the client side ------------------------------------------------------------------------


class Protocol:
    """The app's websocket protocol: Reflex events over socket.io on /_event."""

    def __init__(self, port: int) -> None:
        from heurecivique_app.state.board import BoardState
        from heurecivique_app.state.mission import MissionState

        self.port = port
        self.root = BoardState.get_root_state().get_full_name()
        self.board_load = f"{BoardState.get_full_name()}.load"
        self.mission = MissionState.get_full_name()

    @staticmethod
    def event(token: str, name: str, path: str, query: dict, payload: dict | None = None) -> str:
        router = {"pathname": path, "asPath": path, "query": query}
        body = {"token": token, "name": name, "router_data": router, "payload": payload or {}}
        return "42/_event," + json.dumps(["event", body])

    async def open(self, cookie: str, path: str, query: dict, load: str, loaded_mark: str,
                   max_queue: int | None = 16):
        token = str(uuid.uuid4())
        ws = await connect(
            f"ws://127.0.0.1:{self.port}/_event/?EIO=4&transport=websocket&token={token}",
            additional_headers={"Cookie": f"hc_session={cookie}; hc_locale=fr"},
            origin=f"http://127.0.0.1:{self.port}", compression=None, max_queue=max_queue,
            open_timeout=120, ping_interval=None,
        )
        await ws.recv()  # engine.io open
        await ws.send("40/_event,")
        while not (await ws.recv()).startswith("40/_event"):
            pass
        await ws.send(self.event(token, f"{self.root}.hydrate", path, query))
        await ws.send(self.event(token, load, path, query))
        while True:  # until the page's data arrived
            message = await ws.recv()
            if message == "2":
                await ws.send("3")
            elif loaded_mark in message:
                return token, ws


async def observe(ws, log: list[tuple[float, str]]) -> None:
    """Timestamp every frame at once; parse later."""
    try:
        async for message in ws:
            stamp = time.perf_counter()
            if message == "2":
                await ws.send("3")
            else:
                log.append((stamp, message))
    except Exception:  # closed at the end of the run
        pass


async def drain(ws, counts: list[str]) -> None:
    """A passive client reads what arrived (answering pings), outside the timed window."""
    while True:
        try:
            message = await asyncio.wait_for(ws.recv(), timeout=0.001)
        except TimeoutError:
            return
        except Exception:
            return
        if message == "2":
            await ws.send("3")
        else:
            counts.append(message)


def observer_indexes(n: int) -> set[int]:
    k = min(OBSERVERS, n)
    return {round(i * (n - 1) / max(1, k - 1)) for i in range(k)}


@dataclass
class Figures:
    latencies: list[float]
    lost: int
    duplicates: int
    cpu_s: float
    rss_kib_added: float
    payload_bytes: int


@dataclass
class Crowd:
    """N viewers of one board: ~40 timestamping observers, the others counting passively."""

    server: list[psutil.Process]
    observers: list = field(default_factory=list)
    passives: list = field(default_factory=list)
    logs: list[list[tuple[float, str]]] = field(default_factory=list)
    passive_frames: list[list[str]] = field(default_factory=list)
    tasks: list[asyncio.Task] = field(default_factory=list)
    rss_kib_added: float = 0.0

    async def connect(self, n: int, open_one) -> None:
        """Open ``open_one(i)`` for i < n, 50 at a time; note the server's memory growth."""
        rss_before = rss_kib(self.server)
        watched = observer_indexes(n)
        for start in range(0, n, 50):
            batch = range(start, min(n, start + 50))
            opened = await asyncio.gather(*[open_one(i) for i in batch])
            for i, ws in zip(batch, opened, strict=True):
                (self.observers if i in watched else self.passives).append(ws)
        await asyncio.sleep(1)
        self.rss_kib_added = rss_kib(self.server) - rss_before
        self.logs = [[] for _ in self.observers]
        self.passive_frames = [[] for _ in self.passives]

    def observe(self, extra: list[tuple[object, list]] = ()) -> None:
        """Observers (and ``extra`` (ws, log) pairs) timestamp every frame from now on."""
        pairs = [*zip(self.observers, self.logs, strict=True), *extra]
        self.tasks = [asyncio.create_task(observe(ws, log)) for ws, log in pairs]

    async def drain(self) -> None:
        await asyncio.gather(*[drain(ws, frames) for ws, frames in
                               zip(self.passives, self.passive_frames, strict=True)])

    def forget(self, *logs: list) -> None:
        """Drop what was received so far (the warm-up)."""
        for log in [*self.logs, *logs]:
            log.clear()
        self.passive_frames = [[] for _ in self.passives]

    async def sample(self, samples: int, send) -> tuple[list[float], float]:
        """One ``send(seq)`` per interval; passives read after each. (send times, CPU s)."""
        sent: list[float] = []
        cpu_before = cpu_seconds(self.server)
        for seq in range(samples):
            sent.append(time.perf_counter())
            await send(seq)
            await asyncio.sleep(DRAIN_AFTER_S)
            await self.drain()
            await asyncio.sleep(max(0.0, INTERVAL_S - DRAIN_AFTER_S))
        await asyncio.sleep(2)
        await self.drain()
        return sent, cpu_seconds(self.server) - cpu_before

    async def close(self, *others) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*[ws.close() for ws in [*self.observers, *self.passives, *others]],
                             return_exceptions=True)


async def run_app(protocol: Protocol, fixture: Fixture, n: int, samples: int,
                  server: list[psutil.Process]) -> Figures:
    crowd = Crowd(server)

    async def open_viewer(i: int):
        _token, ws = await protocol.open(fixture.viewer_cookies[i], "/board", {},
                                         protocol.board_load, "missions_rx_state_")
        return ws

    await crowd.connect(n, open_viewer)
    mission_path = f"/missions/{fixture.mission_id}"
    query = {"mission_id": str(fixture.mission_id)}
    driver_token, driver = await protocol.open(
        fixture.driver_cookie, mission_path, query, f"{protocol.mission}.load",
        "status_rx_state_")
    driver_log: list[tuple[float, str]] = []
    crowd.observe([(driver, driver_log)])

    async def trigger(seq: int) -> None:
        action = "accept" if seq % 2 == 0 else "decline"
        payload = {} if action == "accept" else {"form_data": {"reason": ""}}
        await driver.send(protocol.event(driver_token, f"{protocol.mission}.{action}",
                                         mission_path, query, payload))

    for seq in range(2):  # warm-up (first use of each code path), not measured
        await trigger(seq)
        await asyncio.sleep(INTERVAL_S)
    await crowd.drain()
    crowd.forget(driver_log)
    sent, cpu_used = await crowd.sample(samples, trigger)
    await crowd.close(driver)

    version = re.compile(LIVE_MARK + r'":"(\d+)"')
    # The driver's page gets the same broadcast batch: its version names the sample.
    versions = []
    for _stamp, message in driver_log:
        found = version.search(message)
        if found and found.group(1) not in versions:
            versions.append(found.group(1))
    sample_of = {v: i for i, v in enumerate(versions[:samples])}

    def sample_in(message: str) -> int | None:
        found = version.search(message) if "missions_rx_state_" in message else None
        return sample_of.get(found.group(1), -1) if found else None

    figures = tally(crowd, samples, sent, sample_in)
    figures.lost += (samples - len(sample_of)) * n  # samples the driver never saw broadcast
    figures.cpu_s = cpu_used
    return figures


def tally(crowd: Crowd, samples: int, sent: list[float], sample_in) -> Figures:
    """Latencies, losses and duplicates; ``sample_in(message)`` names a frame's sample
    (None: not an update; -1: an update of no measured sample)."""
    latencies, lost, duplicates, payload = [], 0, 0, 0
    for log in crowd.logs:
        seen = set()
        for stamp, message in log:
            seq = sample_in(message)
            if seq is None:
                continue
            payload = max(payload, len(message))
            if seq in seen:
                duplicates += 1
                continue
            seen.add(seq)
            if seq >= 0:
                latencies.append((stamp - sent[seq]) * 1000)
        lost += samples - len(seen - {-1})
    for frames in crowd.passive_frames:
        got = [seq for message in frames if (seq := sample_in(message)) is not None]
        duplicates += len(got) - len(set(got))
        lost += samples - len(set(got) - {-1})
    return Figures(latencies, lost, duplicates, 0.0, crowd.rss_kib_added, payload)


async def run_baseline(port: int, n: int, samples: int, payload_bytes: int,
                       server: list[psutil.Process]) -> Figures:
    url = f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket"
    room = f"board-{uuid.uuid4().hex[:6]}"

    async def open_client(_i: int = 0):
        ws = await connect(url, compression=None, open_timeout=120, ping_interval=None)
        await ws.recv()
        await ws.send("40")
        while not (await ws.recv()).startswith("40"):
            pass
        await ws.send(f'420["join","{room}"]')
        while not (await ws.recv()).startswith("430"):
            pass
        return ws

    crowd = Crowd(server)
    await crowd.connect(n, open_client)
    publisher = await open_client()
    crowd.observe([(publisher, [])])
    pad = "x" * max(0, payload_bytes - 60)

    async def publish(seq: int) -> None:
        message = {"room": room, "seq": seq, "pad": pad}
        await publisher.send("42" + json.dumps(["publish", message]))

    sent, cpu_used = await crowd.sample(samples, publish)
    await crowd.close(publisher)
    seq_mark = re.compile(r'"seq":\s*(\d+)')

    def sample_in(message: str) -> int | None:
        found = seq_mark.search(message)
        return int(found.group(1)) if found else None

    figures = tally(crowd, samples, sent, sample_in)
    figures.cpu_s = cpu_used
    figures.payload_bytes = payload_bytes
    return figures


# --- orchestration --------------------------------------------------------------------------


def scratch_postgres(stack: ExitStack) -> str:
    sys.path.insert(0, str(ROOT / "tests"))
    from scratch_db import scratch_pg_database

    return stack.enter_context(scratch_pg_database())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["embedded", "scaleout"], default="embedded")
    parser.add_argument("--sizes", default="10,100,500,1000")
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-fanout-")))
        if args.mode == "embedded":
            database_url = f"sqlite:///{work / 'bench.db'}"
            env = {"DATABASE_URL": database_url}
        else:
            import redis

            database_url = scratch_postgres(stack)
            redis_url = "redis://127.0.0.1:6379/10"
            redis.Redis.from_url(redis_url).flushdb()
            env = {"DATABASE_URL": database_url, "REDIS_URL": redis_url,
                   "GRANIAN_WORKERS": "2"}
        fixture = prepare_database(database_url, max(sizes))
        app_port, baseline_port = free_port(), free_port()
        app = start_app(work, app_port, env)
        stack.callback(lambda: (os.killpg(app.pid, 15), app.wait(timeout=30)))
        baseline = start_baseline(work, baseline_port)
        stack.callback(lambda: (os.killpg(baseline.pid, 15), baseline.wait(timeout=10)))

        app_server = tree(app.pid)
        baseline_server = tree(baseline.pid)
        if args.mode == "scaleout":
            app_server += [p for p in psutil.process_iter(["name"])
                           if p.info["name"] == "redis-server"]
        else:
            pin(app_server, [0])
            pin(baseline_server, [0])
            os.sched_setaffinity(0, {1})

        protocol = Protocol(app_port)
        for n in sizes:
            ours = asyncio.run(run_app(protocol, fixture, n, args.samples, app_server))
            base = asyncio.run(run_baseline(baseline_port, n, args.samples,
                                            ours.payload_bytes, baseline_server))
            deliveries = n * args.samples
            print(json.dumps({
                "mode": args.mode,
                "viewers": n,
                "p50_ms": pct(ours.latencies, 50),
                "p95_ms": pct(ours.latencies, 95),
                "p99_ms": pct(ours.latencies, 99),
                "lost": ours.lost,
                "duplicates": ours.duplicates,
                "cpu_us_per_delivery": round(ours.cpu_s / deliveries * 1e6, 1),
                "rss_kib_per_connection": round(ours.rss_kib_added / n, 1),
                "payload_bytes": ours.payload_bytes,
                "baseline_p50_ms": pct(base.latencies, 50),
                "baseline_p95_ms": pct(base.latencies, 95),
                "baseline_p99_ms": pct(base.latencies, 99),
                "baseline_lost": base.lost,
                "baseline_cpu_us_per_delivery": round(base.cpu_s / deliveries * 1e6, 1),
                "baseline_rss_kib_per_connection": round(base.rss_kib_added / n, 1),
                "samples": args.samples,
            }), flush=True)


if __name__ == "__main__":
    main()
