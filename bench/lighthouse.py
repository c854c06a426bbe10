"""Lighthouse on the production build with the demo data: what a phone on slow 4G sees.

Builds and serves the production app (demo data on a fresh SQLite database, one
port) and, in the same run, a blank Reflex app of plain elements built with the
same toolchain, without Radix Themes (the baseline: what Reflex itself costs
under the same preset), twice: its largest text in the HTML, then set by an
on_load handler (what a page whose largest text is data costs at the least).
Each page is audited by Lighthouse 12 driving Debian's Chromium, logged in where
the page needs it (the session cookie of a login through the real form, passed as
a header). Phone pages use Lighthouse's default mobile preset (simulated slow 4G,
4x CPU slowdown); the referent's console uses the desktop preset (a tablet on the
town hall's Wi-Fi). Prints one JSON object per page, then the target check:

    {"page", "preset", "performance", "accessibility", "best_practices",
     "fcp_ms", "lcp_ms", "tbt_ms", "cls"}

    python bench/lighthouse.py                      # 5-10 minutes (three builds, 11 audits)
    python bench/lighthouse.py --url http://127.0.0.1:3000 --no-baseline   # a running demo
    python bench/lighthouse.py --pages /login /home
    python bench/lighthouse.py --throttling devtools   # the same preset applied for real
    python bench/lighthouse.py --lang en-US            # an English-speaking visitor

Lighthouse is not a dependency of the app or of its tests: the first run
installs the pinned npm package into ``.bench-tools/`` (ignored by git).
Simulated throttling still scales with the CPU time the machine gives the
page: note the load (``uptime``) next to the figures on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from fanout import ROOT, free_port
from frontend import CHROMIUM, VOLUNTEER, logged_in, serve_demo, start_blank_app, stop
from playwright.sync_api import sync_playwright

LIGHTHOUSE_VERSION = "12.8.2"
TOOLS = ROOT / ".bench-tools"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
REFERENT = "referent@vitre.demo"

# The baseline: plain elements, no Radix Themes (rxconfig of the blank app names no plugin).
PLAIN_APP = '''
import reflex as rx


def index() -> rx.Component:
    return rx.el.main(rx.el.h1("Welcome to Reflex!"), rx.el.p("A blank app of plain elements."))


app = rx.App()
app.add_page(index)
'''

# The second baseline, for the pages whose largest text is data (/home, /board,
# /missions/<id>): the same blank app, its largest text set by an on_load handler and
# sent over the websocket, as every Reflex page gets its data. What Reflex itself
# costs before such a page's largest paint.
DATA_APP = '''
import reflex as rx


class Board(rx.State):
    summary: str = ""

    @rx.event
    def load(self):
        self.summary = ("Ce mois-ci, trois missions près de chez vous attendent un volontaire : "
                        "des courses pour un voisin, une visite rue de la Poterie et la collecte "
                        "des boîtes de Noël samedi matin.")


def index() -> rx.Component:
    return rx.el.main(rx.el.h1("Bonjour"), rx.el.p(Board.summary, style={"min_height": "6em"}))


app = rx.App()
app.add_page(index, on_load=Board.load)
'''
BASELINES = (("/ (blank Reflex app, plain elements)", "/blank", PLAIN_APP),
             ("/ (blank Reflex app, its largest text from on_load)", "/blank-data", DATA_APP))
RELAY = "relais@vitre.demo"

# Issue 16's targets for every phone page.
TARGETS = {"performance": (">=", 95), "lcp_ms": ("<=", 2000), "tbt_ms": ("<=", 150),
           "cls": ("<=", 0.02), "accessibility": (">=", 100)}


@dataclass(frozen=True)
class Audit:
    path: str  # "{mission}" is replaced by a mission of the volunteer's board
    login: str | None = None  # the demo account to log in as first
    desktop: bool = False  # the console: desktop preset, outside the phone targets


AUDITS = (
    Audit("/c/vitre"),
    Audit("/signup"),
    Audit("/login"),
    Audit("/home", VOLUNTEER),
    Audit("/board", VOLUNTEER),
    Audit("/missions/{mission}", VOLUNTEER),
    Audit("/map", VOLUNTEER),
    Audit("/relay", RELAY),
    Audit("/console", REFERENT, desktop=True),
)


def install_lighthouse() -> None:
    if LIGHTHOUSE.exists():
        return
    print(f"installing lighthouse {LIGHTHOUSE_VERSION} into {TOOLS}", file=sys.stderr)
    TOOLS.mkdir(exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True,
                   stdout=subprocess.DEVNULL)


def run_lighthouse(url: str, *, cookie: str, desktop: bool, work: Path,
                   keep: Path | None = None, throttling: str = "simulate",
                   lang: str = "fr-FR") -> dict:
    """One audit of ``url``: the scores and metrics of its JSON report (kept as ``keep``)."""
    report = keep or work / "report.json"
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices",
        f"--chrome-flags=--headless=new --no-sandbox --disable-gpu --accept-lang={lang}",
    ]
    if desktop:
        command.append("--preset=desktop")
    if throttling != "simulate":  # the preset's network and CPU, applied to the real load
        command.append(f"--throttling-method={throttling}")
    # The language as a header too: headless Chromium's own Accept-Language stays en-US.
    headers = {"Accept-Language": f"{lang},{lang.split('-')[0]};q=0.9"}
    if cookie:
        headers["Cookie"] = cookie
    command.append("--extra-headers=" + json.dumps(headers))
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=300)
    data = json.loads(report.read_text())
    audits, categories = data["audits"], data["categories"]
    if data.get("runtimeError"):
        raise SystemExit(f"{url}: {data['runtimeError']}")

    def score(name: str) -> int | None:
        value = categories[name]["score"]
        return None if value is None else round(value * 100)

    def metric(name: str) -> float:
        return audits[name]["numericValue"]

    return {
        "performance": score("performance"),
        "accessibility": score("accessibility"),
        "best_practices": score("best-practices"),
        "fcp_ms": round(metric("first-contentful-paint")),
        "lcp_ms": round(metric("largest-contentful-paint")),
        "tbt_ms": round(metric("total-blocking-time")),
        "cls": round(metric("cumulative-layout-shift"), 3),
        "final_url": data["finalDisplayedUrl"],
    }


def cookie_header(storage_state: dict) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in storage_state["cookies"])


def misses(row: dict) -> list[str]:
    """The phone targets this row does not meet."""
    failed = []
    for key, (sense, limit) in TARGETS.items():
        value = row[key]
        met = value is not None and (value >= limit if sense == ">=" else value <= limit)
        if not met:
            failed.append(f"{key} {value} (target {sense} {limit})")
    return failed


def report_path(folder: Path | None, path: str) -> Path | None:
    """Where the full report of ``path`` is kept, if reports are kept."""
    if folder is None:
        return None
    return folder / f"{path.strip('/').replace('/', '_') or 'root'}.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="audit an app already running there (demo data)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--pages", nargs="*", help="only these paths (as in AUDITS)")
    parser.add_argument(
        "--throttling", choices=("simulate", "devtools"), default="simulate",
        help="simulate (the preset, issue 16's figures): Lighthouse estimates the slow "
             "load from a fast one; devtools: the browser itself is slowed to the same "
             "network and CPU, and the paints are the ones seen (a cross-check)")
    parser.add_argument(
        "--lang", default="fr-FR",
        help="the browser's language (Accept-Language): fr-FR, a phone in the commune "
             "(default); en-US, an English-speaking visitor, whose pre-rendered French "
             "page switches to English when its state arrives")
    parser.add_argument("--reports", type=Path,
                        help="keep each page's full Lighthouse JSON report in this folder")
    args = parser.parse_args()
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    install_lighthouse()
    audits = [a for a in AUDITS if not args.pages or a.path in args.pages]
    rows: list[dict] = []
    with sync_playwright() as playwright, ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-lighthouse-")))
        base_url = serve_demo(stack, work, args.url)
        # Sessions are opened once, through the real login form, in a throwaway browser.
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        cookies: dict[str, str] = {}
        mission = ""
        for email in {a.login for a in audits if a.login}:
            state, found = logged_in(browser, base_url, email)
            cookies[email], mission = cookie_header(state), found or mission
        browser.close()
        for audit in audits:
            path = audit.path.format(mission=mission or "1")
            figures = run_lighthouse(base_url + path, cookie=cookies.get(audit.login or "", ""),
                                     desktop=audit.desktop, work=work,
                                     keep=report_path(args.reports, path),
                                     throttling=args.throttling, lang=args.lang)
            landed = figures.pop("final_url").removeprefix(base_url).split("?")[0]
            if landed.rstrip("/") != path.rstrip("/"):  # a lost session lands on /login
                raise SystemExit(f"{path} ended on {landed}: not measured")
            rows.append({"label": "app", "page": path,
                         "preset": "desktop" if audit.desktop else "mobile",
                         "throttling": args.throttling, "lang": args.lang, **figures})
            print(json.dumps(rows[-1]), flush=True)
        if not args.no_baseline:
            for page, report, source in BASELINES:
                port = free_port()
                started = time.monotonic()
                blank = start_blank_app(work / report.strip("/"), port, source)
                try:
                    figures = run_lighthouse(f"http://127.0.0.1:{port}/", cookie="",
                                             desktop=False, work=work,
                                             keep=report_path(args.reports, report),
                                             throttling=args.throttling, lang=args.lang)
                finally:
                    stop(blank)
                figures.pop("final_url")
                rows.append({"label": "baseline", "page": page, "preset": "mobile",
                             "throttling": args.throttling, "lang": args.lang,
                             "build_s": round(time.monotonic() - started), **figures})
                print(json.dumps(rows[-1]), flush=True)
    phone = [r for r in rows if r["label"] == "app" and r["preset"] == "mobile"]
    failed = {r["page"]: misses(r) for r in phone if misses(r)}
    print(json.dumps({"label": "target", "what": "issue 16's phone targets", "targets":
                      {k: f"{s} {v}" for k, (s, v) in TARGETS.items()},
                      "met": not failed, "missed": failed, "load": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
