"""One production build of the app, served once for the whole e2e session.

The server runs `reflex run --env prod --single-port` on a fresh SQLite
database loaded with the demo data; browsers are Debian's Chromium driven by
Playwright (Playwright cannot download its own browser here).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("HC_CHROMIUM", "/usr/lib/chromium/chromium")
PASSWORD = "heure-civique"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
TABLET = {"viewport": {"width": 1024, "height": 1366}, "has_touch": True}

expect.set_options(timeout=15_000)


METRICS_TOKEN = "e2e-metrics-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
                f"{env.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "NPM_CONFIG_REGISTRY": env.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org/"),
        "HC_DATA_DIR": str(data_dir),
        "DATABASE_URL": f"sqlite:///{data_dir / 'e2e.db'}",
        "PYTHONUNBUFFERED": "1",
        # Production's observability on: JSON logs (test_operations.py reads them) and
        # /metrics behind this token.
        "HC_LOG_FORMAT": "json",
        "HC_METRICS_TOKEN": METRICS_TOKEN,
    })
    env.pop("REDIS_URL", None)
    env.update(extra or {})
    return env


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: int) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/api/health", timeout=2) as response:
                if response.status == 200:
                    with urllib.request.urlopen(url + "/login", timeout=5):
                        return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"server not up after {seconds}s:\n{log.read_text()[-4000:]}")


class AppServer:
    """A running production server; can be restarted on the same port and database."""

    def __init__(self, data_dir: Path, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir / "server.log"
        self.process: subprocess.Popen | None = None
        self.env = _server_env(data_dir, extra_env)

    def seed(self) -> None:
        subprocess.run([sys.executable, "-m", "heurecivique_app.manage", "seed"], cwd=ROOT,
                       env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self, timeout: int = 420) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
                 "--backend-port", str(self.port), "--loglevel", "info"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(self.url, self.process, self.log, timeout)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    server = AppServer(tmp_path_factory.mktemp("e2e"))
    server.seed()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def new_context(browser: Browser, app_server: AppServer):
    """Factory for isolated browser contexts (each a separate user and cookie jar)."""
    contexts: list[BrowserContext] = []

    def make(device: dict, locale: str = "fr-FR") -> BrowserContext:
        context = browser.new_context(base_url=app_server.url, locale=locale, **device)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def ws_frames(page: Page) -> list[str]:
    """Every socket.io message this page receives from now on (pings left out)."""
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda frame: frames.append(str(frame)) if str(frame)[:1] == "4"
        else None))
    return frames


def login(page: Page, email: str, expected_path: str) -> None:
    """Log in through the real form (the server sets the HttpOnly cookie), then go to
    ``expected_path`` (volunteers otherwise land on their home, /home)."""
    page.goto(f"/login?next={expected_path}")
    # The form's hidden "next" is filled by the page's state: wait for it before sending.
    expect(page.locator("input[name=next]")).to_have_value(expected_path)
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    # A full page load of a route comes back with a trailing slash (/board/).
    page.wait_for_url(re.compile(".*" + re.escape(expected_path) + r"/?(\?.*)?$"),
                      timeout=30_000)


def demo_ids(app_server: AppServer) -> dict[str, object]:
    """Real ids of the demo data, for the pages with a parameter."""
    db = sqlite3.connect(app_server.data_dir / "e2e.db")
    try:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "mission": one("SELECT id FROM mission WHERE status = 'open' ORDER BY id"),
            # A mission the demo volunteer took (her page shows the contact and her part).
            "accepted": one(
                "SELECT p.mission_id FROM participation p JOIN user u ON u.id = p.volunteer_id "
                "JOIN mission m ON m.id = p.mission_id WHERE u.email = 'volontaire@vitre.demo' "
                "AND p.status = 'accepted' AND m.status IN ('open', 'full') ORDER BY m.id"),
            "collective": one("SELECT id FROM mission WHERE kind = 'collective' ORDER BY id"),
            "volunteer": one("SELECT id FROM user WHERE role = 'volunteer' ORDER BY id"),
            "beneficiary": one("SELECT id FROM beneficiary ORDER BY id"),
            "slug": one("SELECT slug FROM commune ORDER BY id"),
        }
    finally:
        db.close()


def open_menu(page: Page) -> None:
    """Open the header's user menu (name, password, log out: components/layout.py)."""
    page.locator("#menu-button").click()


def logout(page: Page) -> None:
    """Log out through the header's menu."""
    open_menu(page)
    page.locator("#logout").click()


E2E_DIR = Path(__file__).resolve().parent


def pytest_itemcollected(item: pytest.Item) -> None:
    """Every test under tests/e2e carries the ``e2e`` marker, so ``-m "not e2e"`` leaves
    the browser tests out (the hook sees the whole session's items, hence the path)."""
    if E2E_DIR in Path(str(item.path)).resolve().parents:
        item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(trylast=True)  # after pytest's own reordering by fixture parameters
def pytest_collection_modifyitems(config, items):
    """Scale-out and proxy tests last: their servers rebuild the shared frontend
    (.web), whose bundle names the backend's address, so the embedded server's pages
    would then talk to the wrong server."""
    last = [item for item in items
            if "test_live_scaleout" in item.nodeid or "test_proxy_rollout" in item.nodeid]
    items[:] = [item for item in items if item not in last] + last
