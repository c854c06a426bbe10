"""Outgoing e-mail. Embedded mode: messages are written as .eml files to an outbox folder.

No SMTP server is configured in the embedded (laptop) mode, so forwarding a
report to the technical services writes a standard RFC 5322 file under
``<data_dir>/outbox`` that any mail client can open or a cron job can send.
"""

from __future__ import annotations

import re
import secrets
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

# Line breaks, other control characters and Unicode line separators: in a header
# they would end it (header injection), so the standard library refuses them.
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(value: str) -> str:
    """``value`` made safe for a header: every break or control run becomes one space.

    A report's title typed before titles were kept to one line may hold CR/LF;
    non-ASCII text is left alone (the message encodes it per RFC 2047).
    """
    return " ".join(_HEADER_BREAKS.sub(" ", value).split())


class EmlOutbox:
    """Writes each message to ``<data_dir>/outbox/<timestamp>-<token>.eml``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "outbox"

    def send(self, *, sender: str, to: str, subject: str, body: str,
             attachment: Path | None = None) -> Path:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to
        message["Subject"] = header_text(subject)
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="heurecivique.local")
        message.set_content(body)
        if attachment is not None:
            subtype = {"jpg": "jpeg"}.get(attachment.suffix.lstrip("."),
                                          attachment.suffix.lstrip("."))
            message.add_attachment(attachment.read_bytes(), maintype="image", subtype=subtype,
                                   filename=attachment.name)
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"{formatdate(usegmt=True)[5:25].replace(' ', '-').replace(':', '')}" \
                           f"-{secrets.token_hex(4)}.eml"
        path.write_bytes(bytes(message))
        return path
