"""What a first visit downloads: gzipped JavaScript and CSS and the number of requests, per page.

Builds and serves the production app (demo data on a fresh SQLite database) and,
in the same run, a blank Reflex app built with the same toolchain (the baseline:
what Reflex itself costs). Each page is loaded in Chromium in a fresh browser
context (empty cache, no service worker yet), logged in where the page needs it,
until the network is idle. Prints one JSON object per page, then one ``target`` line per
budget of issue 16 (the worst page, the limit, ``met`` true or false).

    python bench/frontend.py                  # 1-2 minutes (two production builds)
    python bench/frontend.py --url http://127.0.0.1:3000 --no-baseline   # a running app

Bytes: each JavaScript and CSS response body gzipped (level 9; the server sends
Reflex's precompressed .gz files, within a few per cent). Requests: those the page
made (document, scripts, styles, fonts, images, manifest), not the websocket;
``worker_requests`` are the service worker's own (it stores the shell on install).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from fanout import ROOT, free_port, start_app, wait_http
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = os.environ.get("HC_CHROMIUM", "/usr/lib/chromium/chromium")
PASSWORD = "heure-civique"
VOLUNTEER = "volontaire@vitre.demo"
RELAY = "relais@vitre.demo"
# Issue 16's budgets, first load, gzipped. Phone pages: volunteer, relay and public.
PHONE_AUDIENCES = ("volunteer", "relay", "public")
PHONE_JS_BYTES = 175_000
PHONE_CSS_BYTES = 15_000
MAP_EXTRA_JS_BYTES = 50_000  # /map ships Leaflet: at most this much more than the phone budget
CONSOLE_JS_BYTES = 200_000


@dataclass(frozen=True)
class PageSpec:
    path: str  # "{mission}" is replaced by a mission of the volunteer's board
    audience: str  # volunteer, relay, public (phone budgets) or referent (console budget)
    login: str | None = None  # e-mail of the demo account to log in as first
    map: bool = False  # the map route ships Leaflet: its own, larger JavaScript budget


# One line per route; a new volunteer page is one more line here.
PAGES = (
    PageSpec("/login", "volunteer"),
    PageSpec("/signup", "volunteer"),
    PageSpec("/home", "volunteer", VOLUNTEER),
    PageSpec("/board", "volunteer", VOLUNTEER),
    PageSpec("/missions/{mission}", "volunteer", VOLUNTEER),
    PageSpec("/map", "volunteer", VOLUNTEER, map=True),
    PageSpec("/charter", "volunteer", VOLUNTEER),
    PageSpec("/account", "volunteer", VOLUNTEER),
    PageSpec("/notifications", "volunteer", VOLUNTEER),
    PageSpec("/relay", "relay", RELAY),
    PageSpec("/relay/issue", "relay", RELAY),
    PageSpec("/relay/need", "relay", RELAY),
    PageSpec("/c/vitre", "public"),
    PageSpec("/console", "referent", "referent@vitre.demo"),
    PageSpec("/console/reports", "referent", "referent@vitre.demo"),
    PageSpec("/console/intake", "referent", "referent@vitre.demo"),
    PageSpec("/console/volunteers", "referent", "referent@vitre.demo"),
    PageSpec("/console/missions", "referent", "referent@vitre.demo"),
)

# The baseline: what Reflex itself costs. Plain elements only (rx.el.*), no Radix Themes
# (rx.container, rx.vstack, rx.heading… would pull it in) and no plugin, like the app.
BLANK_APP = '''
import reflex as rx


def index() -> rx.Component:
    return rx.el.main(rx.el.h1("Welcome to Reflex!"), rx.el.p("A blank app."))


app = rx.App()
app.add_page(index)
'''
BLANK_CONFIG = '''
import reflex as rx

config = rx.Config(app_name="blank", telemetry_enabled=False, show_built_with_reflex=False,
                   plugins=[], disable_plugins=[rx.plugins.SitemapPlugin])
'''


def first_load(browser: Browser, base_url: str, path: str,
               storage_state: dict | None = None) -> dict:
    """Load one page in a fresh context and sum what it downloaded."""
    context = browser.new_context(base_url=base_url, storage_state=storage_state,
                                  viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page_requests: list[str] = []
    all_requests: list[str] = []
    responses = []
    page.on("request", lambda r: page_requests.append(r.url))
    context.on("request", lambda r: all_requests.append(r.url))
    page.on("response", lambda r: responses.append(r))
    page.goto(path, wait_until="networkidle")
    page.wait_for_timeout(1500)  # the service worker stores the shell after load
    sizes = {".js": 0, ".css": 0}
    for response in responses:  # bodies read once loaded, not inside the event handler
        kind = Path(urlsplit(response.url).path).suffix
        if kind in sizes and response.ok:
            sizes[kind] += len(gzip.compress(response.body(), compresslevel=9))
    result = {"js_gzip_bytes": sizes[".js"], "css_gzip_bytes": sizes[".css"],
              "requests": len(page_requests),
              "worker_requests": max(0, len(all_requests) - len(page_requests)),
              "final_path": page.url.removeprefix(base_url)}
    context.close()
    return result


def logged_in(browser: Browser, base_url: str, email: str) -> tuple[dict, str]:
    """The cookies of a session opened through the real form, and a mission of its board."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-submit").click()
    page.wait_for_load_state("networkidle")
    mission = ""
    if email == VOLUNTEER:
        link = page.locator("a[href^='/missions/']").first
        link.wait_for(timeout=30_000)
        mission = (link.get_attribute("href") or "").rsplit("/", 1)[-1]
    state = context.storage_state()
    context.close()
    return {"cookies": state["cookies"], "origins": []}, mission


def measure_app(browser: Browser, base_url: str) -> list[dict]:
    sessions: dict[str, dict] = {}
    mission = ""
    for email in {spec.login for spec in PAGES if spec.login}:
        sessions[email], found = logged_in(browser, base_url, email)
        mission = found or mission
    rows = []
    for spec in PAGES:
        path = spec.path.format(mission=mission)
        figures = first_load(browser, base_url, path, sessions.get(spec.login or ""))
        landed = figures["final_path"].split("?")[0].rstrip("/")
        if landed != path.rstrip("/"):  # e.g. a failed login sent it to /login instead
            raise SystemExit(f"{path} ended on {figures['final_path']}: not measured")
        rows.append({"label": "app", "page": path, "audience": spec.audience,
                     "map": spec.map, **figures})
    return rows


def start_blank_app(work: Path, port: int, source: str = BLANK_APP) -> subprocess.Popen:
    """A blank Reflex app (same Reflex, bun and Python), production build, one port."""
    app_dir = work / "blank"
    (app_dir / "blank").mkdir(parents=True)
    (app_dir / "blank" / "__init__.py").write_text("")
    (app_dir / "blank" / "blank.py").write_text(textwrap.dedent(source))
    (app_dir / "rxconfig.py").write_text(textwrap.dedent(BLANK_CONFIG))
    env = dict(os.environ)
    env.update({
        "PATH": f"{ROOT / '.tools/node_modules/.bin'}:{Path(sys.executable).parent}:"
                f"{env.get('PATH', '')}",
        "REFLEX_USE_SYSTEM_BUN": "1", "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
    })
    for name in ("DATABASE_URL", "REDIS_URL", "REFLEX_REDIS_URL"):
        env.pop(name, None)
    log = work / "blank.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port",
         "--backend-port", str(port), "--loglevel", "warning"],
        cwd=app_dir, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    wait_http(f"http://127.0.0.1:{port}/ping", process, log, seconds=900)
    wait_http(f"http://127.0.0.1:{port}/", process, log, seconds=120)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def seed(work: Path) -> dict[str, str]:
    env_extra = {"DATABASE_URL": f"sqlite:///{work / 'frontend.db'}", "HC_DATA_DIR": str(work)}
    subprocess.run([sys.executable, "-m", "heurecivique_app.manage", "seed"], cwd=ROOT,
                   env={**os.environ, **env_extra}, check=True, stdout=subprocess.DEVNULL)
    return env_extra


def serve_demo(stack: ExitStack, work: Path, url: str | None) -> str:
    """``url``, or a production build on fresh demo data (stopped with ``stack``)."""
    if url is None:
        port = free_port()
        stack.callback(stop, start_app(work, port, seed(work)))
        url = f"http://127.0.0.1:{port}"
    return url.rstrip("/")


def _target(what: str, rows: list[dict], key: str, limit: int) -> dict:
    worst = max(rows, key=lambda r: r[key])
    return {"label": "target", "what": what, "limit": limit, "max": worst[key],
            "max_page": worst["page"], "met": worst[key] <= limit}


def targets(rows: list[dict]) -> list[dict]:
    """Issue 16's budgets: one line per rule, with the worst page and whether it is met."""
    app = [r for r in rows if r["label"] == "app"]
    phone = [r for r in app if r["audience"] in PHONE_AUDIENCES]
    lines = []
    if [r for r in phone if not r["map"]]:
        lines.append(_target("js_gzip_bytes of volunteer, relay and public pages, map excluded",
                             [r for r in phone if not r["map"]], "js_gzip_bytes",
                             PHONE_JS_BYTES))
    if phone:
        lines.append(_target("css_gzip_bytes of volunteer, relay and public pages, map included",
                             phone, "css_gzip_bytes", PHONE_CSS_BYTES))
    if [r for r in app if r["map"]]:
        lines.append(_target("js_gzip_bytes of /map", [r for r in app if r["map"]],
                             "js_gzip_bytes", PHONE_JS_BYTES + MAP_EXTRA_JS_BYTES))
    console = [r for r in app if r["audience"] == "referent"]
    if console:
        lines.append(_target("js_gzip_bytes of console pages", console, "js_gzip_bytes",
                             CONSOLE_JS_BYTES))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="measure an app already running there (demo data)")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    rows: list[dict] = []
    # Playwright outlives the stack: the browser and servers close before it stops.
    with sync_playwright() as playwright, ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-frontend-")))
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        stack.callback(browser.close)
        rows += measure_app(browser, serve_demo(stack, work, args.url))
        for row in rows:
            print(json.dumps(row), flush=True)
        if not args.no_baseline:
            port = free_port()
            started = time.monotonic()
            blank = start_blank_app(work, port)
            stack.callback(stop, blank)
            figures = first_load(browser, f"http://127.0.0.1:{port}", "/")
            rows.append({"label": "baseline", "page": "/", "audience": "blank Reflex app",
                         "map": False, "build_s": round(time.monotonic() - started), **figures})
            print(json.dumps(rows[-1]), flush=True)
    for line in targets(rows):
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
