"""Outgoing e-mail. Embedded mode: messages are written as .eml files to an outbox folder.

No SMTP server is configured in the embedded (laptop) mode, so forwarding a
report to the technical services writes a standard RFC 5322 file under
``<data_dir>/outbox`` that any mail client can open or a cron job can send.
"""

from __future__ import annotations

import secrets
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


class EmlOutbox:
    """Writes each message to ``<data_dir>/outbox/<timestamp>-<token>.eml``."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "outbox"

    def send(self, *, sender: str, to: str, subject: str, body: str,
             attachment: Path | None = None) -> Path:
        """Write one message (with an optional image attached); returns its file."""
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to
        message["Subject"] = subject
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
