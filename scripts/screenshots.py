"""Regenerate docs/screenshots/: each main page on a phone (360x640) and the console on a tablet.

Builds and serves the production app on the demo data (as bench/frontend.py does),
logs in through the real form where a page needs it, waits for the live data, and
writes one PNG per page. The README shows them.

    python scripts/screenshots.py              # 2-4 minutes (one production build)
    python scripts/screenshots.py --url http://127.0.0.1:3000   # a running demo
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from frontend import CHROMIUM, VOLUNTEER, logged_in, serve_demo  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 640}
TABLET = {"width": 1024, "height": 768}


@dataclass(frozen=True)
class Shot:
    name: str  # the PNG's name
    path: str  # "{mission}" is replaced by a mission of the volunteer's board
    viewport: dict
    login: str | None = None  # the demo account to log in as first


SHOTS = (
    Shot("public-site", "/c/vitre", PHONE),
    Shot("login", "/login", PHONE),
    Shot("signup", "/signup", PHONE),
    Shot("home", "/home", PHONE, VOLUNTEER),
    Shot("board", "/board", PHONE, VOLUNTEER),
    Shot("mission", "/missions/{mission}", PHONE, VOLUNTEER),
    Shot("map", "/map", PHONE, VOLUNTEER),
    Shot("account", "/account", PHONE, VOLUNTEER),
    Shot("relay", "/relay", PHONE, "relais@vitre.demo"),
    Shot("console", "/console", TABLET, "referent@vitre.demo"),
    Shot("stats", "/console/stats", TABLET, "referent@vitre.demo"),
)


def take(browser: Browser, base_url: str, shot: Shot, session: dict | None,
         mission: str) -> Path:
    context = browser.new_context(base_url=base_url, storage_state=session,
                                  viewport=shot.viewport, device_scale_factor=1,
                                  locale="fr-FR", is_mobile=shot.viewport is PHONE)
    page = context.new_page()
    page.goto(shot.path.format(mission=mission or "1"), wait_until="networkidle")
    page.wait_for_timeout(1500)  # the state arrives over the websocket after load
    target = OUT / f"{shot.name}.png"
    page.screenshot(path=str(target))
    context.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="a demo already running there")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright, ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hc-shots-")))
        base_url = serve_demo(stack, work, args.url)
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu"])
        stack.callback(browser.close)
        sessions: dict[str, dict] = {}
        mission = ""
        for email in {s.login for s in SHOTS if s.login}:
            sessions[email], found = logged_in(browser, base_url, email)
            mission = found or mission
        for shot in SHOTS:
            path = take(browser, base_url, shot, sessions.get(shot.login or ""), mission)
            print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
