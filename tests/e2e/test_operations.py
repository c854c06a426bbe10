"""The production server's probes, metrics and logs (api/health.py, adapters/logs.py).

Against the real single-port server: the routes are reached through Reflex's
mount (our Starlette app wraps the frontend and the websocket), events handled
in a real browser show up in the metrics, and the server's JSON log lines carry
request ids and never the e-mail address someone logged in with.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from email.message import Message

from conftest import METRICS_TOKEN, PHONE, login
from playwright.sync_api import Page

REFERENT = "referent@vitre.demo"


def fetch(url: str, token: str | None = None) -> tuple[int, Message, str]:
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_probes(app_server) -> None:
    status, headers, body = fetch(app_server.url + "/healthz")
    assert status == 200 and json.loads(body) == {"status": "alive"}
    assert headers["Cache-Control"] == "no-store" and len(headers["X-Request-ID"]) == 16
    status, headers, body = fetch(app_server.url + "/readyz")
    assert status == 200, body
    assert json.loads(body) == {"status": "ready",
                                "checks": {"database": "ok", "migrations": "ok"}}
    assert headers["Cache-Control"] == "no-store"


def test_metrics_and_logs_of_a_real_session(app_server, new_context) -> None:
    assert fetch(app_server.url + "/metrics")[0] == 404
    assert fetch(app_server.url + "/metrics", token="wrong")[0] == 404

    page: Page = new_context(PHONE).new_page()
    login(page, REFERENT, "/console")
    deadline = time.monotonic() + 15
    while True:  # the console's events and its socket show a moment after its address
        status, headers, body = fetch(app_server.url + "/metrics", token=METRICS_TOKEN)
        handled = re.findall(r'^hc_event_seconds_count\{handler="([^"]+)"\} ([0-9.]+)',
                             body, re.M)
        socket_open = re.search(r'^hc_websocket_connections [1-9]', body, re.M)
        if (any("console_state" in name for name, _ in handled) and socket_open
                or time.monotonic() > deadline):
            break
        time.sleep(0.5)
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert re.search(r'^hc_websocket_connections [1-9]', body, re.M), body[-3000:]
    assert any("console_state" in name and float(n) >= 1 for name, n in handled), handled
    assert 'hc_outbox_jobs{status="pending"}' in body
    page.context.close()

    lines = [json.loads(line) for line in app_server.log.read_text().splitlines()
             if line.startswith("{")]
    assert lines and all({"ts", "level", "logger", "message"} <= set(line) for line in lines)
    logins = [line for line in lines if line["message"] == "login accepted"]
    assert logins and logins[-1]["request_id"] and logins[-1]["user_id"] > 0
    assert REFERENT not in app_server.log.read_text()
