"""Web push: a browser's subscription, the site's VAPID key pair, and their checks.

A subscription is what the browser's ``PushManager.subscribe`` returns: the push
service's endpoint URL and two keys of the browser's (``p256dh``, its ECDH public
key, and ``auth``, a shared secret) that encrypt each message end to end, so the
push service carries it without reading it. The VAPID key pair signs our requests
to push services; a browser subscribed with its public key accepts only messages
signed with it, so the pair must stay the same for as long as subscriptions live.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from heurecivique_app.domain.notifications import MessageKind
from heurecivique_app.domain.types import UTCDateTime, utcnow

PUSH = "push"  # the channel (NotificationOptOut.channel, delivery keys)

# The kinds also sent as a push: messages about a mission the person takes part in or is
# offered, whose notification opens that mission. Account links (sign-up, password) and
# service e-mails never are: they belong to one address, not to every subscribed device.
PUSH_KINDS = frozenset({
    MessageKind.PROPOSAL, MessageKind.REMINDER, MessageKind.MISSION_CHANGED,
    MessageKind.MISSION_CANCELLED, MessageKind.TAKEN_OFF, MessageKind.HANDED_TO_YOU,
    # Issue 17 item 5: what a volunteer or relay waits for on their phone.
    MessageKind.CONFIRMED, MessageKind.WAITLIST_PLACE, MessageKind.VALIDATED,
    MessageKind.MISSION_ALERT, MessageKind.ALERT_DIGEST, MessageKind.HOUR_NUDGE,
    MessageKind.REPORT_ANSWER,
})

MAX_ENDPOINT = 1000  # real endpoints are 150-500 characters


class PushSubscription(SQLModel, table=True):
    """One browser (a phone, a computer) that accepts our notifications for a person."""

    __tablename__ = "push_subscription"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    endpoint: str = Field(max_length=MAX_ENDPOINT, unique=True)
    p256dh: str = Field(max_length=100)  # 65 bytes, base64url: 87 characters
    auth: str = Field(max_length=40)  # 16 bytes, base64url: 22 characters
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                          nullable=False))
    last_success_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(),
                                                                            nullable=True))
    last_failure_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(),
                                                                            nullable=True))
    last_error: str = Field(default="", max_length=300)


class VapidKey(SQLModel, table=True):
    """The site's VAPID key pair, written once by whichever worker needs it first.

    One row (id 1): two workers creating it at the same moment insert the same
    primary key, the second insert is dropped, and both read the first one's pair.
    """

    __tablename__ = "push_vapid_key"

    id: int = Field(default=1, primary_key=True)
    # base64url, unpadded: the private key's 32 raw bytes, the public key's 65 (X9.62).
    private_key: str = Field(sa_column=Column(Text, nullable=False))
    public_key: str = Field(max_length=100)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(),
                                                                          nullable=False))


def _b64url_bytes(text: object) -> bytes | None:
    if not isinstance(text, str) or not text or len(text) > 200:
        return None
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def endpoint_allowed(endpoint: object) -> bool:
    """Whether ``endpoint`` may be a push service's address.

    Browsers give ``https://`` addresses of their vendor's push service. Anything
    else is refused: the server POSTs to this address, so a plain-HTTP, local or
    IP-literal one would let a signed-in person aim our requests at the inside.
    """
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= MAX_ENDPOINT:
        return False
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme != "https" or not host or "." not in host or port not in (None, 443) \
            or parts.username or parts.password or host.endswith((".local", ".localhost")):
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def keys_valid(p256dh: object, auth: object) -> bool:
    """Whether the browser's keys have the shapes of RFC 8291 (a P-256 point, 16 bytes)."""
    point, secret = _b64url_bytes(p256dh), _b64url_bytes(auth)
    return point is not None and len(point) == 65 and point[0] == 4 \
        and secret is not None and len(secret) == 16


def relative_url(url: object) -> str:
    """A path of this site for a notification to open, else "/home".

    The service worker opens it as given: an absolute or protocol-relative
    address would send the person to another site.
    """
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//") \
            and "\\" not in url and len(url) <= 300:
        return url
    return "/home"
