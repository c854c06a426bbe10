"""What a push notification says: a title, one short line and the page it opens.

The words are the e-mail's (``presenters/emails.py``): its subject as the title
and its first paragraph as the text, in the recipient's language. A notification
shows on a locked screen and crosses the browser vendor's push service
(encrypted), so it carries no more than the recipient sees in the app about this
mission, and no address nor phone number; the URL is a path of this site.
"""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.domain.push import relative_url
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.emails import TEMPLATES, Context

MAX_TEXT = 180  # the lines a phone shows; push services take 4 KB at most


class PushMessage(TypedDict):
    """The JSON the service worker receives (assets/sw.js reads these keys)."""

    title: str
    body: str
    url: str
    tag: str  # a newer message of the same tag replaces the older one on the screen


def push_message(kind: str, params: dict, *, locale: str, timezone: str,
                 commune_name: str) -> PushMessage:
    """The notification of a message of ``kind`` (an e-mail template) in ``locale``."""
    # app_url "" makes the e-mail's links paths of this site ("/missions/12").
    draft = TEMPLATES[kind](Context(locale=locale, timezone=timezone,
                                    commune_name=commune_name, commune_colour="",
                                    app_url=""), params)

    def tr(message: str, values: dict) -> str:
        return translate(message, locale, **values)

    body = tr(*draft.paragraphs[0]) if draft.paragraphs else ""
    if len(body) > MAX_TEXT:
        body = body[:MAX_TEXT - 1].rstrip() + "…"
    mission = params.get("mission_id")
    return PushMessage(title=tr(*draft.subject), body=body,
                       url=relative_url(draft.link[1] if draft.link else "/home"),
                       tag=f"mission-{mission}" if mission else kind)
