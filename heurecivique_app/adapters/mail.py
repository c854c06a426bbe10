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

import hashlib
import re
import secrets
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.image import MIMEImage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
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


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "heurecivique.local"


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
        if isinstance(value, str) and value.isascii() and len(name) + len(value) < 996 and \
                "\n" not in value and "\r" not in value:
            return f"{name}: {value}{self.linesep}"
        return ""


_ONE_LINE_HEADERS = _OneLineHeaders(max_line_length=998)
# One address, nothing around it: no display name, no list, no line break.
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+$")


def compose(mail: Mail) -> Message:
    """The standard message for ``mail``: text, optional HTML alternative, attachments.

    Built with the ``email.mime`` classes: a worker composes one message per
    recipient, and these cost a few times less than ``EmailMessage``'s header
    objects (measured in bench/notify.py); non-ASCII subjects and names are
    encoded as RFC 2047 words all the same.

    Raises:
        PermanentFailure: the recipient's address cannot be written in a header.
    """
    if not _ADDRESS.match(mail.to):
        raise PermanentFailure(f"invalid address: {mail.to!r}")
    body: Message = MIMEText(mail.text, "plain", "utf-8")
    if mail.html is not None:
        body = MIMEMultipart("alternative", boundary=_boundary(),
                             _subparts=[body, MIMEText(mail.html, "html", "utf-8")])
    message = body
    if mail.attachments or mail.files:
        message = MIMEMultipart("mixed", boundary=_boundary(), _subparts=[body])
        for path in mail.attachments:
            suffix = path.suffix.lstrip(".").lower()
            image = MIMEImage(path.read_bytes(), _subtype={"jpg": "jpeg"}.get(suffix, suffix))
            image.add_header("Content-Disposition", "attachment", filename=path.name)
            message.attach(image)
        for filename, mime_type, data in mail.files:
            major, _, minor = mime_type.partition("/")
            part = (MIMEText(data.decode(), minor, "utf-8") if major == "text"
                    else MIMEApplication(data, minor))
            if mime_type == "text/calendar":
                part.set_param("method", "PUBLISH")  # an event to add, not a meeting request
            part.add_header("Content-Disposition", "attachment", filename=filename)
            message.attach(part)
    name, address = parseaddr(mail.sender)
    message["From"] = formataddr((name, address))
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


Gate = Callable[[], None]


def _boundary() -> str:
    """A multipart boundary no part can contain, so the generator need not search for it.

    Every part is base64 (MIMEText in UTF-8, images, files), whose alphabet has no
    ``_``; left unset, the generator compiles and runs a new regular expression over
    the whole message to check its random boundary, for every message.
    """
    return f"=_{secrets.token_hex(16)}"


class Mailer(Protocol):
    """Where composed messages go. ``close`` ends a batch (an SMTP connection).

    ``before_accept``, when given, is called once the message is ready to go (composed
    and flattened; the file written but not yet renamed) and before any of it reaches
    the other end. What the job runner records before it (the previous messages'
    outcomes) is thus committed before this message can be accepted; if it raises,
    nothing of the message is handed over and the error goes on.
    """

    def deliver(self, message: Message, *, before_accept: Gate | None = None) -> None:
        """Send or store one message."""
        ...

    def close(self) -> None:
        """End the batch."""
        ...


class EmlOutbox:
    """Writes each message to ``<data_dir>/outbox/<timestamp>-<token>.eml``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "outbox"

    def deliver(self, message: Message, *, before_accept: Gate | None = None) -> Path:
        """Write ``message`` as a new .eml file (the file appears whole or not at all)."""
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

    def deliver(self, message: Message, *, before_accept: Gate | None = None) -> None:
        """Send ``message``; ``before_accept`` is called before its transaction starts.

        Raises:
            PermanentFailure: a 5xx answer about this message or its recipient.
            TemporaryFailure: anything else (4xx, connection, TLS, login): the
                connection is dropped and the next message opens a new one.
            whatever ``before_accept`` raised: nothing of this message was sent.
        """
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            self._smtp.before_accept = before_accept
            self._smtp.send_message(message)
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


class _Gated:
    """An SMTP client that calls ``before_accept`` right before a message's MAIL FROM.

    By then ``send_message`` has flattened the message: only the exchange is left.
    """

    before_accept: Gate | None = None

    def sendmail(self, *args: object, **kwargs: object) -> dict:
        # send_message() flattens the message, then calls sendmail(): nothing is sent yet.
        if self.before_accept is not None:
            self.before_accept()
        return super().sendmail(*args, **kwargs)  # type: ignore[misc]


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
