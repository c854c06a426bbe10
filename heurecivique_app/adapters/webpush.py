"""Web push to browsers' push services with ``pywebpush`` (RFC 8030, 8291, 8292).

``pywebpush`` encrypts the payload for the browser's keys (aes128gcm, through
``http_ece``), signs a VAPID header with our key pair (``py-vapid``) and POSTs it
to the subscription's endpoint. This module turns the push service's answer into
the outcomes the job runner knows (see :func:`PushSender.send`).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from heurecivique_app.adapters.mail import Gate, PermanentFailure, TemporaryFailure

# How long a push service keeps a message for a phone that is off: a day, so a
# reminder of tomorrow still arrives; later it would be stale.
TTL_S = 24 * 3600


class SubscriptionGone(PermanentFailure):
    """The push service says the subscription no longer exists (404, 410): drop it."""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_vapid_keys() -> tuple[str, str]:
    """A fresh P-256 key pair: (private key's 32 raw bytes, public key's 65), base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    return _b64url(private), _b64url(public)


@dataclass(frozen=True)
class Target:
    """Where one message goes: a subscription's endpoint and the browser's keys."""

    endpoint: str
    p256dh: str
    auth: str


class PushSender:
    """Sends push messages, one HTTP connection per push service kept across a batch.

    Args:
        private_key: the VAPID private key (base64url raw or DER, as py-vapid reads it).
        subject: the ``sub`` claim, a ``mailto:`` or ``https:`` contact.
        timeout_s: per request; a push service that does not answer in time is retried.
    """

    def __init__(self, private_key: str, subject: str, timeout_s: float = 10.0) -> None:
        self.vapid = Vapid.from_string(private_key)
        self.subject = subject
        self.timeout_s = timeout_s
        self.http = requests.Session()

    def send(self, target: Target, message: dict, *, urgent: bool = False,
             before_accept: Gate | None = None) -> None:
        """Encrypt ``message`` (JSON) for ``target`` and hand it to its push service.

        ``before_accept``, when given, is called once the message is encrypted and
        signed, right before the POST (see ``adapters.mail.Mailer``).

        Raises:
            SubscriptionGone: 404 or 410, the browser unsubscribed or the
                subscription expired.
            TemporaryFailure: no answer in time, no connection, 429 or 5xx: try later.
            PermanentFailure: any other refusal (400 malformed, 403 bad signature,
                413 too large): trying again would be refused the same way.
        """
        parts = urlsplit(target.endpoint)
        try:
            webpush({"endpoint": target.endpoint,
                     "keys": {"p256dh": target.p256dh, "auth": target.auth}},
                    data=json.dumps(message, ensure_ascii=False, separators=(",", ":")),
                    vapid_private_key=self.vapid,
                    # A fresh dict each time: pywebpush writes the audience and expiry in.
                    vapid_claims={"sub": self.subject,
                                  "aud": f"{parts.scheme}://{parts.netloc}"},
                    ttl=TTL_S, timeout=self.timeout_s,
                    requests_session=self.http if before_accept is None
                    else _GatedSession(self.http, before_accept),
                    headers={"Urgency": "high" if urgent else "normal"})
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            if status in (404, 410):
                raise SubscriptionGone(f"push service answered {status}") from None
            if status is None or status == 429 or status >= 500:
                raise TemporaryFailure(f"push service answered {status}") from None
            raise PermanentFailure(f"push service answered {status}") from None
        except requests.RequestException as error:  # timeout, refused connection, TLS
            raise TemporaryFailure(f"push service unreachable: {type(error).__name__}") from None

    def close(self) -> None:
        """Close the kept connections."""
        self.http.close()


@dataclass(frozen=True)
class _GatedSession:
    """What pywebpush posts through: ``before_accept``, then the kept session's POST."""

    http: requests.Session
    before_accept: Gate

    def post(self, *args: object, **kwargs: object) -> requests.Response:
        self.before_accept()
        return self.http.post(*args, **kwargs)
