"""Structured logs: one JSON object a line, tagged with the request or event and the user.

Why: a town hall's IT service feeds the logs to a collector (journald, Loki, an
ELK stack) and must be able to follow one request, or every event of one user,
without the logs becoming a second, uncontrolled copy of the residents' data.

How:
- :func:`bind` records, in context variables, the id of the HTTP request or
  Reflex event being handled and the id (a number) of the signed-in user; every
  line logged from that task carries them (``request_id``, ``user_id``). The
  HTTP middleware and the event middleware call it; nothing else needs to.
- :class:`RedactPersonalData` rewrites each record's message, arguments already
  merged in, and its traceback: e-mail addresses and phone numbers become
  ``[email]`` and ``[phone]``. It sits on the handler, so it applies to every
  logger, ours and the libraries'. Names and postal addresses cannot be told
  from other words: the code never logs them (only ids), and this filter is
  the net for the two kinds that leak by accident (a login form echoed in an
  exception, an SMTP error quoting the recipient).
- :func:`configure_logging` installs the handler on the root logger when
  ``HC_LOG_FORMAT=json`` (and the filter in every format).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

REQUEST_ID: ContextVar[str] = ContextVar("hc_request_id", default="")
USER_ID: ContextVar[int | None] = ContextVar("hc_user_id", default=None)

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers (06 12 34 56 78, 06.12.34.56.78, 0612345678) and international
# ones (+33 6 12 34 56 78, 0033 6…, +44 20 7946 0958): a leading 0 or + is required,
# so dates, durations and database ids are left alone.
PHONE = re.compile(
    r"(?<![\w.+])(?:"
    r"0[1-9](?:[ .\-]?\d{2}){4}"
    r"|(?:\+|00)[1-9]\d{0,2}[ .\-]?(?:\(0\)[ .\-]?)?\d(?:[ .\-]?\d){5,12}"
    r")(?![\w])"
)
# Attributes every LogRecord has: anything else was passed with ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Where the libraries we run under log each request or query: sent to the root handler.
_LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "granian",
                    "granian.access", "reflex", "alembic", "sqlalchemy")


def redact(text: str) -> str:
    """``text`` with every e-mail address and phone number blanked.

    Args:
        text: any text bound for a log.

    Returns:
        The text with ``[email]`` and ``[phone]`` in their place.
    """
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


def new_id() -> str:
    """A fresh random id for a request or an event (16 hex digits)."""
    return uuid.uuid4().hex[:16]


def bind(*, request_id: str | None = None, user_id: int | None = None) -> None:
    """Tag what the current task logs from now on.

    Args:
        request_id: the request's or event's id (None: keep the current one).
        user_id: the signed-in user's id (None: keep the current one).
    """
    if request_id is not None:
        REQUEST_ID.set(request_id)
    if user_id is not None:
        USER_ID.set(user_id)


def clear() -> None:
    """Forget the request id and the user (a new request begins)."""
    REQUEST_ID.set("")
    USER_ID.set(None)


class RedactPersonalData(logging.Filter):
    """Blanks e-mail addresses and phone numbers in a record's message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; always keep it.

        Args:
            record: the record about to be emitted.

        Returns:
            True: the record is kept, cleaned.
        """
        try:
            message = record.getMessage()
        except Exception:  # a malformed %-format: keep what we can, cleaned
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # the traceback lives on, cleaned, in exc_text
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, ids, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line.

        Args:
            record: the record (already through :class:`RedactPersonalData`).

        Returns:
            The JSON text, without a trailing newline.
        """
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        if request_id := REQUEST_ID.get():
            entry["request_id"] = request_id
        if (user_id := USER_ID.get()) is not None:
            entry["user_id"] = user_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, int | float | bool) or value is None \
                    else redact(str(value))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(*, fmt: str, level: str,
                      stream: TextIO | None = None) -> logging.Handler | None:
    """Clean every log line of personal data; with ``fmt="json"``, write JSON lines.

    In the text format the handlers already there (the server's own) stay and get
    the filter; in the JSON format one root handler replaces them all.

    Args:
        fmt: "json" (structured lines) or "text" (whatever the server prints).
        level: the root level name ("INFO", "DEBUG"…), in the JSON format.
        stream: where to write JSON (default: standard error, kept by systemd's journal).

    Returns:
        The JSON handler installed (tests read or remove it), None in the text format.
    """
    root = logging.getLogger()
    if fmt != "json":
        for handler in root.handlers:
            if not any(isinstance(f, RedactPersonalData) for f in handler.filters):
                handler.addFilter(RedactPersonalData())
        return None
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactPersonalData())
    handler.setFormatter(JsonFormatter())
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One format for everything: the servers' own handlers would print plain text.
    for name in _LIBRARY_LOGGERS:
        library = logging.getLogger(name)
        library.handlers.clear()
        library.propagate = True
    return handler


# The proxy's own id (nginx's $request_id, Caddy's {http.request.uuid}) when it sends
# one, so that its access log and ours name a request alike; else a fresh one.
_REQUEST_ID_HEADER = b"x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContext:
    """ASGI middleware: each HTTP request logs under its own id (and no user yet).

    Routes that find the signed-in user add its id with :func:`bind`. The answer
    carries the id in ``X-Request-ID``, for a user's bug report.

    Args:
        app: the ASGI application to wrap.
    """

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Awaitable[Any]],
                       send: Callable[..., Awaitable[None]]) -> None:
        """Bind a request id for the request's task, then serve it.

        Args:
            scope: the ASGI scope.
            receive: the ASGI receive channel.
            send: the ASGI send channel.
        """
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(_REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = given if _SAFE_ID.match(given) else new_id()
        clear()
        bind(request_id=request_id)

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (_REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        await self.app(scope, receive, send_with_id)
