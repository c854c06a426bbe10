"""What the page says when the server cannot answer: a message too big to be sent.

The websocket server (python-engineio, configured by Reflex) closes the connection
on any frame longer than ``REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE`` (1 MB by default)
— before any handler runs, so no event can answer with an error; Reflex then
reconnects silently and the action is lost. The second part of ``assets/pwa.js``
(loaded by every page; it was ``assets/ws_guard.js``, one more request of every
first load) wraps ``WebSocket.send``: a frame over the limit still goes (Reflex's
queue expects it to), and the page shows the translated alert below, until the
next form is submitted. Its comments live here, as for the rest of ``pwa.js``.

Ordinary typing never gets there: every text field is far shorter than the limit,
and the services refuse a long text with a message naming the field's limit.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.environment import environment

from heurecivique_app.components.text import T


def socket_limit() -> int:
    """The longest websocket frame the server accepts (characters of a text frame)."""
    return int(environment.REFLEX_SOCKET_MAX_HTTP_BUFFER_SIZE.get())


def message_too_big() -> rx.Component:
    """Hidden until ``pwa.js`` sees a frame over the limit."""
    return rx.el.div(
        T("What you sent is too big to reach the server (more than 1 MB), so nothing was "
          "saved. Shorten the text, or send a smaller photo, then try again."),
        id="message-too-big", role="alert", hidden=True,
        custom_attrs={"data-limit": str(socket_limit())},
        style={"padding": "0.75rem 1rem", "border": "1px solid var(--error-line)",
               "borderRadius": "6px", "background": "var(--error-bg)"},
    )
