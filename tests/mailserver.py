"""A real SMTP server on loopback (aiosmtpd) that keeps what it received.

It can refuse chosen recipients (a 5xx or 4xx answer), hold the first RCPT of a
chosen address until released (to kill a worker in the middle of a send), slow
every message down, and speak STARTTLS with a login.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "mailer", "s3cret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Recorder:
    """The aiosmtpd handler: records accepted messages, refuses or holds as told."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 …" answer
    hold_once: set[str] = field(default_factory=set)
    held: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    delay_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Every recipient the server said 250 to at RCPT, accepted at the end of DATA or not.
    rcpts: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return self.refuse[address]
        if address in self.hold_once:
            self.hold_once.discard(address)
            self.held.set()
            while not self.released.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 held by the test"
        envelope.rcpt_tos.append(address)
        with self.lock:
            self.rcpts.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        """The To address of every message received, in order."""
        with self.lock:
            return [str(m["To"]) for m in self.messages]


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True,
                   capture_output=True)
    return cert, key


@contextmanager
def smtp_server(recorder: Recorder | None = None, *, tls_dir: Path | None = None
                ) -> Iterator[tuple[Controller, Recorder]]:
    """Run the server on a free loopback port; with ``tls_dir``, STARTTLS and login
    are required (the certificate is ``tls_dir/cert.pem``)."""
    recorder = recorder or Recorder()
    options: dict = {}
    if tls_dir is not None:
        cert, key = self_signed(tls_dir)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        options = {"tls_context": context, "require_starttls": True,
                   "authenticator": _authenticate, "auth_require_tls": True}
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    try:
        yield controller, recorder
    finally:
        recorder.released.set()
        controller.stop()


def run_jobs_by_smtp(engine, tmp_path: Path, at=None) -> list[EmailMessage]:
    """Run every queued job (the app's job kinds) with a mailer on a loopback SMTP server.

    ``at`` fixes the jobs' clock (else the real time). Returns the e-mails received.
    """
    from heurecivique_app.adapters.mail import mailer_from_settings
    from heurecivique_app.domain.types import utcnow
    from heurecivique_app.jobs.kinds import KINDS
    from heurecivique_app.jobs.runner import JobContext, Runner
    from heurecivique_app.settings import Settings

    with smtp_server() as (controller, recorder):
        settings = Settings.from_env({
            "HC_DATA_DIR": str(tmp_path), "HC_SMTP_HOST": controller.hostname,
            "HC_SMTP_PORT": str(controller.port), "HC_SMTP_TLS": "none"})
        Runner(JobContext(engine=engine, mailer=mailer_from_settings(settings),
                          settings=settings, clock=(lambda: at) if at else utcnow),
               KINDS, worker="test").run_until_idle()
    return list(recorder.messages)
