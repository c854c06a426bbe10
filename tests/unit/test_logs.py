"""Structured logs (adapters/logs.py): JSON lines with ids, never an e-mail or a phone."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import pytest
from aio import run_in_own_loop
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from heurecivique_app.adapters import logs

PERSONAL = [
    "claire.martin@example.org", "c.martin+asso@mairie-vitre.fr",
    "06 12 34 56 78", "06.12.34.56.78", "0612345678", "06-12-34-56-78",
    "+33 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78", "+33 (0)6 12 34 56 78",
    "+44 20 7946 0958",
]
HARMLESS = ["2026-12-04 23:19:22", "mission 123456789", "took 0.123456789 s",
            "version 1733350000000000000", "INSEE 35360", "user_id=42"]


@pytest.fixture
def json_log() -> io.StringIO:
    out = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    logs.configure_logging(fmt="json", level="INFO", stream=out)
    yield out
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logs.clear()


def lines(out: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


@pytest.mark.parametrize("value", PERSONAL)
def test_emails_and_phones_are_blanked(value: str) -> None:
    cleaned = logs.redact(f"sent to {value} today")
    assert value not in cleaned
    assert cleaned in ("sent to [email] today", "sent to [phone] today")


@pytest.mark.parametrize("value", HARMLESS)
def test_dates_ids_and_durations_are_left_alone(value: str) -> None:
    assert logs.redact(value) == value


def test_a_json_line_carries_the_ids_and_no_personal_data(json_log: io.StringIO) -> None:
    logs.bind(request_id="abc123", user_id=42)
    log = logging.getLogger("heurecivique_app.test")
    log.info("login refused for %s (phone %s)", "claire@example.org", "06 12 34 56 78",
             extra={"mission_id": 7, "note": "call 0612345678"})
    try:
        raise ValueError("bad address claire@example.org, +33 6 12 34 56 78")
    except ValueError:
        log.exception("failed")
    first, second = lines(json_log)
    assert first["message"] == "login refused for [email] (phone [phone])"
    assert first["request_id"] == "abc123" and first["user_id"] == 42
    assert first["level"] == "INFO" and first["logger"] == "heurecivique_app.test"
    assert first["mission_id"] == 7 and first["note"] == "call [phone]"
    assert "ValueError" in second["exception"]
    text = json_log.getvalue()
    assert "example.org" not in text and "12 34 56" not in text


def test_a_libraries_own_logger_goes_through_the_filter(json_log: io.StringIO) -> None:
    logging.getLogger("uvicorn.access").warning("GET /login?email=a.b@example.org 200")
    (line,) = lines(json_log)
    assert line["message"] == "GET /login?email=[email] 200"


def test_each_request_logs_under_its_own_id(json_log: io.StringIO) -> None:
    def page(_request):
        logging.getLogger("heurecivique_app.test").info("served")
        return PlainTextResponse("ok")

    client = TestClient(logs.RequestContext(Starlette(routes=[Route("/", page)])))
    first = client.get("/")
    second = client.get("/", headers={"X-Request-ID": "from-the-proxy-1"})
    third = client.get("/", headers={"X-Request-ID": "bad id\n{json}"})
    ids = [line["request_id"] for line in lines(json_log) if line["message"] == "served"]
    assert ids[0] == first.headers["x-request-id"] and len(ids[0]) == 16
    assert ids[1] == second.headers["x-request-id"] == "from-the-proxy-1"
    assert ids[2] == third.headers["x-request-id"] != "bad id\n{json}"
    assert len(set(ids)) == 3


def test_ids_do_not_leak_between_tasks(json_log: io.StringIO) -> None:
    async def event(n: int) -> None:
        logs.bind(request_id=f"event-{n}", user_id=n)
        await asyncio.sleep(0)
        logging.getLogger("heurecivique_app.test").info("handled")

    async def both() -> None:
        await asyncio.gather(asyncio.create_task(event(1)), asyncio.create_task(event(2)))

    run_in_own_loop(both())
    assert sorted((line["request_id"], line["user_id"]) for line in lines(json_log)) == \
        [("event-1", 1), ("event-2", 2)]


def test_text_format_keeps_the_handlers_and_adds_the_filter() -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        assert logs.configure_logging(fmt="text", level="INFO") is None
        logging.getLogger("heurecivique_app.test").warning("to claire@example.org")
    finally:
        root.removeHandler(handler)
    assert out.getvalue().strip() == "to [email]"
