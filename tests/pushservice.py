"""A push service on loopback, and a browser's subscription keys made in the test.

The server records every POST (path, headers, encrypted body) and answers what
the test tells it per path (a status, or a pause longer than the sender's
timeout). :class:`Browser` holds the key pair and auth secret a browser would
make, so the test decrypts what the server received with ``http_ece``, as the
browser would.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    """A subscription's keys as a browser makes them (RFC 8291)."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict:
        """The JSON message of an aes128gcm body, decrypted with this browser's keys."""
        return json.loads(http_ece.decrypt(body, private_key=self.key,
                                           auth_secret=self.auth_secret,
                                           version="aes128gcm"))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """What the loopback push service got, and how it answers (per path)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)  # path -> status (default 201)
    pause_s: dict[str, float] = field(default_factory=dict)  # path -> seconds before answering
    lock: threading.Lock = field(default_factory=threading.Lock)

    def endpoint(self, name: str) -> str:
        return f"{self.url}/push/{name}"

    def to(self, name: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == f"/push/{name}"]


@contextmanager
def push_service(record: bool = True) -> Iterator[PushService]:
    """A threaded HTTP server on 127.0.0.1 playing a push service; ``record=False``
    only counts paths (the benchmark)."""
    state = PushService()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real push services

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            pause = state.pause_s.get(self.path, 0)
            if pause:
                time.sleep(pause)
            with state.lock:
                state.received.append(Received(self.path, dict(self.headers),
                                               body if record else b""))
            status = state.status.get(self.path, 201)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
