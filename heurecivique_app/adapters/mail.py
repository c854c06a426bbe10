"""Outgoing e-mail: real SMTP when configured, else .eml files in an outbox folder.

Production sends through any SMTP relay (STARTTLS or implicit TLS, login)
configured in settings. The embedded (laptop) mode has no mail server: each
message is written as a standard RFC 5322 file under ``<data_dir>/outbox`` that
any mail client can open. Both take the same :class:`email.message.Message`
(see :func:`compose`), so what is tested on one is what the other sends.

Failures are sorted for the job runner: :class:`PermanentFailure` (the server
answered 5xx for this message: retrying cannot help) or :class:`TemporaryFailure`
(4xx, the server unreachable, a timeout: try again later).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import random
import re
import secrets
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.policy import Compat32
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from heurecivique_app.settings import Settings


class PermanentFailure(Exception):
    """The server refused this message for good (SMTP 5xx, an unusable address)."""


class TemporaryFailure(Exception):
    """The message could not be sent now (SMTP 4xx, no connection): try again later."""


@dataclass(frozen=True)
class Mail:
    """One message to compose.

    Attributes:
        sender: the From header, e.g. ``"L'Heure Civique <noreply@vitre.fr>"``.
        to: the recipient's address.
        subject: the subject line.
        text: the plain-text part (always present).
        html: an HTML alternative, or None.
        headers: extra headers (List-Unsubscribe, …).
        attachments: files to attach (images).
        files: generated attachments as (file name, MIME type, bytes), e.g. a mission's
            ``text/calendar`` invitation.
        idempotency_key: when given, the Message-ID is derived from it, so the same
            delivery sent twice (a worker killed between the server's acceptance and
            its own record of it) carries one Message-ID that mail systems collapse.
    """

    sender: str
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    attachments: tuple[Path, ...] = ()
    files: tuple[tuple[str, str, bytes], ...] = ()
    idempotency_key: str | None = None


@functools.lru_cache(maxsize=64)
def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "heurecivique.local"


@functools.lru_cache(maxsize=64)
def _from_header(sender: str) -> str:
    """The From header of ``sender`` (parsed once: a worker sends thousands with one)."""
    return formataddr(parseaddr(sender))


@functools.lru_cache(maxsize=64)
def _envelope_sender(from_header: str) -> str:
    return parseaddr(from_header)[1]


def _envelope(message: Message) -> tuple[str | None, list[str] | None]:
    """MAIL FROM and RCPT TO of a message :func:`compose` made (one To, no Cc or Bcc).

    Given to smtplib, they spare it parsing the From and To headers of every message;
    for any other message (None, None) lets smtplib read the headers as usual.
    """
    to = message.get_all("To") or []
    sender = message["From"]
    if len(to) != 1 or not _ADDRESS.match(to[0]) or not sender or "Cc" in message or \
            "Bcc" in message or "Resent-Date" in message:
        return None, None
    return _envelope_sender(sender), [to[0]]


class _OneLineHeaders(Compat32):
    """compat32 with headers on one line each (up to SMTP's 998 characters).

    A plain ASCII value that fits is written as it is, which is what compat32 writes
    for it, without building a ``Header`` to find out: half the cost of flattening a
    message (measured). Anything else (non-ASCII, too long) goes through compat32.
    """

    def fold(self, name: str, value: object) -> str:  # noqa: D102 - compat32's
        return self._as_is(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value: object) -> bytes:  # noqa: D102 - compat32's
        line = self._as_is(name, value)
        return line.encode("ascii") if line else super().fold_binary(name, value)

    def _as_is(self, name: str, value: object) -> str:
        if not isinstance(value, str) or "\n" in value or "\r" in value:
            return ""
        if not value.isascii():
            if name.lower() != "subject":  # addresses have a grammar of their own
                return ""
            value = _encoded_words(value)
        if len(name) + len(value) < 996:
            return f"{name}: {value}{self.linesep}"
        return ""


def _encoded_words(text: str) -> str:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), on one line.

    What compat32 writes for a non-ASCII subject, less its search for the shorter of
    quoted-printable and base64 character by character (most of the CPU of flattening
    a French message, profiled). Each word holds at most 45 bytes (60 base64
    characters, a 72-character word: RFC 2047 allows 75) and never splits a character.
    """
    data, words, start = text.encode(), [], 0
    while start < len(data):
        end = min(start + 45, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # inside a character
            end -= 1
        words.append(f"=?utf-8?b?{base64.b64encode(data[start:end]).decode()}?=")
        start = end
    return " ".join(words)


_ONE_LINE_HEADERS = _OneLineHeaders(max_line_length=998)
_SMTP_HEADERS = _ONE_LINE_HEADERS.clone(linesep="\r\n")
# One address, nothing around it: no display name, no list, no line break.
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$")


def compose(mail: Mail) -> Message:
    """The standard message for ``mail``: text, optional HTML alternative, attachments.

    The parts are those of the ``email.mime`` classes, written directly (see
    :func:`_text_part`): a worker composes one message per recipient, and
    ``EmailMessage``'s header objects cost a few times more (measured in
    bench/notify.py); non-ASCII subjects and names are encoded as RFC 2047 words
    all the same.

    Raises:
        PermanentFailure: the recipient's address cannot be written in a header.
    """
    if not _ADDRESS.match(mail.to):
        raise PermanentFailure(f"invalid address: {mail.to!r}")
    body = _text_part(mail.text, "plain")
    if mail.html is not None:
        body = _multipart("alternative", [body, _text_part(mail.html, "html")])
    message = body
    if mail.attachments or mail.files:
        message = _multipart("mixed", [body])
        for path in mail.attachments:
            suffix = path.suffix.lstrip(".").lower()
            image = MIMEImage(path.read_bytes(), _subtype={"jpg": "jpeg"}.get(suffix, suffix))
            image.add_header("Content-Disposition", "attachment", filename=path.name)
            message.attach(image)
        for filename, mime_type, data in mail.files:
            major, _, minor = mime_type.partition("/")
            part = (_text_part(data.decode(), minor) if major == "text"
                    else MIMEApplication(data, minor))
            if mime_type == "text/calendar":
                part.set_param("method", "PUBLISH")  # an event to add, not a meeting request
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
    message["From"] = _from_header(mail.sender)
    message["To"] = mail.to
    message["Subject"] = " ".join(mail.subject.split())  # never a line break in a header
    message["Date"] = formatdate(localtime=False)
    if mail.idempotency_key:
        digest = hashlib.sha256(mail.idempotency_key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<{digest}@{_domain(mail.sender)}>"
    else:
        message["Message-ID"] = make_msgid(domain=_domain(mail.sender))
    for header, value in mail.headers.items():
        message[header] = value
    # Headers on one line each (up to SMTP's 998): a folded List-Unsubscribe address
    # is read with a leading space by some mail clients.
    message.policy = _ONE_LINE_HEADERS
    return message


def _text_part(text: str, subtype: str) -> Message:
    """The part ``MIMEText(text, subtype, "utf-8")`` makes, written directly.

    The same headers, the UTF-8 text in base64 lines of 76 characters. MIMEText gets
    there through its charset and parameter machinery, which parses the Content-Type
    it has just written several times over (two thirds of composing, measured).
    """
    part = Message()
    part["Content-Type"] = f'text/{subtype}; charset="utf-8"'
    part["MIME-Version"] = "1.0"
    part["Content-Transfer-Encoding"] = "base64"
    part.set_payload(base64.encodebytes(text.encode()).decode("ascii"))
    return part


def _multipart(subtype: str, parts: list[Message]) -> Message:
    """What ``MIMEMultipart(subtype, boundary=…, _subparts=parts)`` makes."""
    message = Message()
    message["Content-Type"] = f'multipart/{subtype}; boundary="{_boundary()}"'
    message["MIME-Version"] = "1.0"
    message.set_payload(list(parts))
    return message


def wire_bytes(message: Message) -> bytes | None:
    """``message`` as smtplib's ``send_message`` writes it, for a message :func:`compose` made.

    The same bytes as ``BytesGenerator(…).flatten(message, linesep=CRLF)`` (tested),
    written without the generator's buffers and clones per part: a worker flattens
    one message per recipient, and the generator cost about as much as composing.
    None for any other message (not composed here, or a part not in base64): the
    generator writes those.
    """
    if message.policy is not _ONE_LINE_HEADERS:
        return None
    out: list[bytes] = []
    if not _write_part(message, out):
        return None
    return b"".join(out)


def _write_part(part: Message, out: list[bytes]) -> bool:
    """Appends ``part``'s bytes to ``out``; False if the generator must write it."""
    out.extend(_SMTP_HEADERS.fold_binary(name, value) for name, value in part.raw_items())
    out.append(b"\r\n")
    payload = part.get_payload()
    if isinstance(payload, list):
        boundary = part.get_boundary()
        if not boundary or part.preamble is not None or part.epilogue is not None:
            return False
        delimiter = boundary.encode("ascii")
        for index, sub in enumerate(payload):
            out.append((b"--" if index == 0 else b"\r\n--") + delimiter + b"\r\n")
            if not _write_part(sub, out):
                return False
        out.append(b"\r\n--" + delimiter + b"--\r\n")
        return True
    if part.get("Content-Transfer-Encoding") != "base64" or not isinstance(payload, str):
        return False  # compose writes every part in base64, the generator the rest
    # Base64 lines end with "\n" alone, and never hold what the generator would
    # escape ("From " at a line start): only the line breaks change.
    out.append(payload.replace("\n", "\r\n").encode("ascii"))
    return True


Gate = Callable[[], None]


def _boundary() -> str:
    """A multipart boundary no part can contain, so the generator need not search for it.

    Every part is base64 (text in UTF-8, images, files), whose alphabet has no
    ``_``; left unset, the generator compiles and runs a new regular expression over
    the whole message to check its random boundary, for every message.
    """
    # Not a secret: random's generator spares a system call per message (which lets the
    # outcome writer thread take the GIL in the middle of composing).
    return f"=_{random.getrandbits(128):032x}"


class Mailer(Protocol):
    """Where composed messages go. ``close`` ends a batch (an SMTP connection).

    ``before_accept``, when given, is called once the message is ready to go and before
    the other end can accept it: for SMTP, once the envelope and the content are sent
    and before the final ``.`` of DATA, the line that asks the server to take the
    message (RFC 5321 §4.1.1.4: a transaction without it is aborted, not delivered);
    for the outbox, once the file is written and before it is renamed into place. What
    the job runner records before it (the previous messages' outcomes) is thus
    committed before this message can be accepted; if it raises, the message is not
    accepted (the SMTP connection is dropped mid-DATA, the partial file removed) and
    the error goes on.

    ``while_accepting``, when given, is called at most once, when the message has been
    handed over whole and the other end is deciding whether to take it (SMTP: after
    the final ``.``, before its answer is read): the job runner composes the next
    message meanwhile. It must not raise; a mailer that has no such wait may skip it.
    """

    def deliver(self, message: Message, *, before_accept: Gate | None = None,
                while_accepting: Gate | None = None) -> None:
        """Send or store one message."""
        ...

    def close(self) -> None:
        """End the batch."""
        ...


class EmlOutbox:
    """Writes each message to ``<data_dir>/outbox/<timestamp>-<token>.eml``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "outbox"

    def deliver(self, message: Message, *, before_accept: Gate | None = None,
                while_accepting: Gate | None = None) -> Path:
        """Write ``message`` as a new .eml file (the file appears whole or not at all).

        No answer to wait for: ``while_accepting`` is not called.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = formatdate(usegmt=True)[5:25].replace(" ", "-").replace(":", "")
        path = self.root / f"{stamp}-{secrets.token_hex(4)}.eml"
        partial = path.with_suffix(".part")
        partial.write_bytes(bytes(message))
        if before_accept is not None:
            try:
                before_accept()
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
        partial.rename(path)  # a reader never sees a half-written message
        return path

    def send(self, *, sender: str, to: str, subject: str, body: str,
             attachment: Path | None = None) -> Path:
        """Compose a plain-text message and write it (the simple entry point)."""
        return self.deliver(compose(Mail(
            sender=sender, to=to, subject=subject, text=body,
            attachments=(attachment,) if attachment is not None else ())))

    def close(self) -> None:
        """Nothing to close: each message is its own file."""


class SmtpMailer:
    """Sends through an SMTP server; one connection is reused until :meth:`close`.

    Args:
        host, port: the server.
        user, password: the login (none when ``user`` is empty).
        tls: "starttls" (upgrade a plain connection), "ssl" (implicit TLS) or "none".
        timeout_s: for connecting and for each command.
        ssl_context: the certificates to trust (default: the system's).
    """

    def __init__(self, *, host: str, port: int, user: str = "", password: str = "",
                 tls: str = "starttls", timeout_s: float = 20.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.tls = tls
        self.timeout_s = timeout_s
        self.ssl_context = ssl_context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> _GatedSMTP | _GatedSMTPSSL:
        if self.tls == "ssl":
            smtp: _GatedSMTP | _GatedSMTPSSL = _GatedSMTPSSL(
                self.host, self.port, timeout=self.timeout_s, context=self.ssl_context)
        else:
            smtp = _GatedSMTP(self.host, self.port, timeout=self.timeout_s)
            if self.tls == "starttls":
                smtp.starttls(context=self.ssl_context)
        if self.user:
            smtp.login(self.user, self.password)
        return smtp

    def deliver(self, message: Message, *, before_accept: Gate | None = None,
                while_accepting: Gate | None = None) -> None:
        """Send ``message``; ``before_accept`` is called right before the end of its DATA.

        So the envelope (MAIL FROM, RCPT TO) and the content travel while the runner
        still commits the previous outcome; only the final ``.`` waits for it.
        ``while_accepting`` runs while the server reads that end and answers.

        Raises:
            PermanentFailure: a 5xx answer about this message or its recipient.
            TemporaryFailure: anything else (4xx, connection, TLS, login): the
                connection is dropped and the next message opens a new one.
            whatever ``before_accept`` raised: the connection was dropped before the
                end of the DATA, so the server accepted nothing of this message; the
                next message opens a new connection.
        """
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.before_accept = before_accept
            self._smtp.while_accepting = while_accepting
            sender, recipients = _envelope(message)
            content = wire_bytes(message) if sender is not None else None
            if content is not None and (sender + recipients[0]).isascii():
                self._smtp.sendmail(sender, recipients, content)
            else:  # smtplib reads the headers, writes the bytes, asks for SMTPUTF8
                self._smtp.send_message(message, sender, recipients)
        except _GateFailed as failed:
            self._smtp = None  # closed mid-DATA by _Gated.data
            raise failed.__cause__ from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise _by_code(min(codes, default=450), _describe(exc.recipients)) from exc
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {_text(exc.smtp_error)}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            # The account is wrong, not the recipient: every message waits for a fix.
            self.close()
            raise TemporaryFailure(f"login refused: {exc.smtp_code}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}"[:300]) from exc

    def close(self) -> None:
        """End the batch: say goodbye to the server (quietly if it is gone)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


class _GateFailed(Exception):
    """``before_accept`` raised (its error is the cause); the connection is closed."""


class _Gated:
    """An SMTP client that calls ``before_accept`` right before the end of a message's DATA.

    smtplib's ``data`` sends the content and its final ``.`` in one write. Here the
    content goes first, then ``before_accept`` runs, then the ``.``: the server can
    accept the message only after the gate returned. If the gate raises, the
    connection is closed without the ``.`` (no RSET can be sent mid-DATA): an SMTP
    server discards a transaction whose data never ended, as it does when a worker
    is killed at that point. ``while_accepting`` runs after the ``.``, before the
    server's answer is read.
    """

    before_accept: Gate | None = None
    while_accepting: Gate | None = None

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        sock = super()._get_socket(host, port, timeout)  # type: ignore[misc]
        # The final ``.`` is a small write after the content's: with Nagle's algorithm
        # it would wait for the server's delayed ACK of the content (40 ms on Linux).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def data(self, msg: bytes | str) -> tuple[int, bytes]:
        gate = self.before_accept
        if gate is None or not isinstance(msg, bytes):  # send_message() passes bytes
            return super().data(msg)  # type: ignore[misc]
        self.putcmd("data")  # type: ignore[attr-defined]
        code, reply = self.getreply()  # type: ignore[attr-defined]
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        content = _DOT_AT_LINE_START.sub(b"..", msg)  # RFC 5321 §4.5.2 transparency
        if not content.endswith(b"\r\n"):
            content += b"\r\n"
        self.send(content)  # type: ignore[attr-defined]
        try:
            gate()
        except BaseException as error:
            self.close()  # type: ignore[attr-defined]
            raise _GateFailed() from error
        self.send(b".\r\n")  # type: ignore[attr-defined]
        if self.while_accepting is not None:
            self.while_accepting()  # while the server stores the message and answers
        return self.getreply()  # type: ignore[attr-defined]


_DOT_AT_LINE_START = re.compile(rb"(?m)^\.")


class _GatedSMTP(_Gated, smtplib.SMTP):
    pass


class _GatedSMTPSSL(_Gated, smtplib.SMTP_SSL):
    pass


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _describe(recipients: dict) -> str:
    return "; ".join(f"{to}: {code} {_text(text)}" for to, (code, text) in recipients.items())


def _by_code(code: int, detail: str) -> Exception:
    return (PermanentFailure if 500 <= code < 600 else TemporaryFailure)(detail[:300])


def mailer_from_settings(settings: Settings) -> EmlOutbox | SmtpMailer:
    """SMTP when ``settings.smtp_host`` is set, else the .eml outbox of the data folder."""
    if not settings.smtp_host:
        return EmlOutbox(settings.data_dir)
    return SmtpMailer(host=settings.smtp_host, port=settings.smtp_port,
                      user=settings.smtp_user, password=settings.smtp_password,
                      tls=settings.smtp_tls, timeout_s=settings.smtp_timeout_s)
