"""The photo of a relay's report, sent before the report itself (``POST /api/relay/photo``).

The phone posts the file to a plain HTTP route while the relay is still writing the
report; the report is sent later over the page's websocket. The route checks the
photo and stores it (size limit, JPEG/PNG/WebP decoded by Pillow, every metadata
block such as EXIF GPS dropped: ``adapters.photos``) and answers a *ticket*: the
stored name signed for the relay who sent it. The page hands the ticket to its
state (``RelayState.photo_sent``), which keeps the name for the report being
written only if the ticket was signed for the relay its own session cookie names
(:func:`photo_from_ticket`): a ticket taken from someone else, or made up, attaches
nothing. The name itself is random and never shown to anyone else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from heurecivique_app.adapters.photos import NOT_A_PHOTO, TOO_BIG, PhotoStore
from heurecivique_app.domain.community import PHOTO_NAME
from heurecivique_app.services.actor import Actor
from heurecivique_app.services.relays import require_relay

__all__ = ["NOT_A_PHOTO", "TOO_BIG", "photo_from_ticket", "photo_ticket",
           "store_report_photo"]


def store_report_photo(*, actor: Actor, data: bytes, photos: PhotoStore, max_bytes: int) -> str:
    """Check, clean (metadata removed) and store a relay's photo; its stored name.

    Args:
        actor: who sends it, from the session cookie.
        data: the file as sent (at most ``max_bytes + 1`` bytes need be read).
        photos: the photo store (``wiring().photos``).
        max_bytes: the largest photo taken (``settings.max_photo_bytes``).

    Raises:
        NotAllowed: the actor is not a relay.
        PhotoRejected: empty, too big, or not a JPEG, PNG or WebP image.
    """
    require_relay(actor)
    return photos.save(data, max_bytes=max_bytes)


def _signature(secret: str, user_id: int, photo_name: str) -> str:
    digest = hmac.new(secret.encode(), f"report-photo:{user_id}:{photo_name}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def photo_ticket(secret: str, *, actor: Actor, photo_name: str) -> str:
    """What the route answers for a stored photo: its name, signed for ``actor``."""
    return f"{photo_name}.{_signature(secret, actor.user_id, photo_name)}"


def photo_from_ticket(secret: str, *, actor: Actor, ticket: object) -> str | None:
    """The stored photo's name if ``ticket`` was signed for ``actor``, else None."""
    if not isinstance(ticket, str) or not ticket.isascii() or len(ticket) > 200:
        return None
    name, _, signature = ticket.rpartition(".")
    if not PHOTO_NAME.fullmatch(name):
        return None
    if not hmac.compare_digest(signature.encode(),
                               _signature(secret, actor.user_id, name).encode()):
        return None
    return name
