"""The notification centre as a page shows it: each message worded in the reader's language.

A row reuses the e-mail's template (``presenters/emails.py``): its subject is the
row's title, its first paragraph the row's text, its link the page to open. So a
new kind of message needs one template, and reads the same in the app and by mail.
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from sqlmodel import Session

from heurecivique_app.domain.inbox import InboxItem
from heurecivique_app.domain.push import relative_url
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.presenters.emails import headline

log = logging.getLogger(__name__)


class InboxRow(TypedDict):
    """One message of the list; ``unread`` is "1" while unread, else ""."""

    id: str
    title: str
    text: str
    when: str
    href: str
    unread: str


def inbox_row(item: InboxItem, locale: str, timezone: str) -> InboxRow:
    """One message, worded for ``locale``; a link inside the app ("/" if it has none)."""
    title, text, href = translate(N_("New message"), locale), "", "/"
    try:
        title, text, link = headline(item.kind, item.params, locale=locale, timezone=timezone)
        # Only a path of this site: the row's link is never another site's.
        href = relative_url(link) if link else "/"
    except (KeyError, ValueError):  # no template, or written before its template changed
        log.warning("inbox item %s of kind %s cannot be worded", item.id, item.kind)
    return {"id": str(item.id), "title": title, "text": text,
            "when": format_datetime_short(item.created_at, locale, timezone), "href": href,
            "unread": "" if item.read_at else "1"}


def inbox_vars(session: Session, user_id: int, locale: str, timezone: str) -> dict[str, Any]:
    """The broadcast of a person's channel: nothing but a new version (``inbox_version``).

    Even on their own channel no message travels in the broadcast: a tab left in the
    room after its session ended must not receive one. Each tab asks for its own
    centre from its session cookie when the version changes (``components.live_follow``).
    """
    return {"inbox_version": ""}
