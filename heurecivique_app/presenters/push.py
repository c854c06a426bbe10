"""What a push notification says: a title, one short line and the page it opens.

The words are the e-mail's (``presenters/emails.py``): its subject as the title
and its first paragraph as the text, in the recipient's language. A notification
shows on a locked screen and crosses the browser vendor's push service
(encrypted), so it carries no more than the recipient sees in the app about this
mission, and no address nor phone number; the URL is a path of this site.
"""

from __future__ import annotations

import json
from typing import TypedDict

from heurecivique_app.domain.push import relative_url
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate
from heurecivique_app.presenters.emails import headline

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
    title, body, link = headline(kind, params, locale=locale, timezone=timezone,
                                 commune_name=commune_name)
    if len(body) > MAX_TEXT:
        body = body[:MAX_TEXT - 1].rstrip() + "…"
    mission = params.get("mission_id")
    return PushMessage(title=title, body=body, url=relative_url(link or "/home"),
                       tag=f"mission-{mission}" if mission else kind)


# /account's notifications section: its explanation and buttons, and the
# message of each outcome of a tap (assets/push.js shows it). Sent in state vars
# rather than compiled into the page in both languages: the page's JavaScript stays
# within its budget (bench/frontend.py), and the section is below the fold.
ACCOUNT_TEXTS = {
    "turn_on": N_("Turn on notifications"),
    "turn_off": N_("Turn them off on this device"),
    "why": N_("Get a notification on this phone or computer when a referent proposes you a "
              "mission, the day before a mission, or when a mission you take part in "
              "changes. It says no more than the app, and you can turn it off here."),
    "on": N_("Notifications are on for this device."),
    "off": N_("Notifications are off for this device."),
    "denied": N_("Your browser blocks notifications from this site: allow them in its "
                 "settings, then try again."),
    "unsupported": N_("This browser cannot receive notifications. On an iPhone, add the app "
                      "to the home screen first."),
    "error": N_("That did not work: notifications are unchanged. Try again later."),
}


OUTCOMES = ("on", "off", "denied", "unsupported", "error")


def account_texts(locale: str) -> tuple[dict[str, str], str]:
    """The section's texts in ``locale`` by key, and the outcomes' messages as JSON."""
    texts = {key: translate(message, locale) for key, message in ACCOUNT_TEXTS.items()}
    return texts, json.dumps({key: texts[key] for key in OUTCOMES}, ensure_ascii=False)
