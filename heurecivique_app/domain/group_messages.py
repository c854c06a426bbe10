"""A referent's message to a group of volunteers: who it may go to, its text, its pace.

Pure rules; ``services/group_messages.py`` reads the recipients and sends through
``notify`` (e-mail, the notification centre, and any later channel).
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from heurecivique_app.domain.text import N_
from heurecivique_app.domain.validation import FormCheck, required_text


class Audience(StrEnum):
    """Who a group message goes to (always within the referent's commune)."""

    MISSION = "mission"  # the volunteers taking part in one mission (or waiting, or asked)
    COLLECTIVE = "collective"  # the same, for a collective action
    NEIGHBOURHOOD = "neighbourhood"  # the volunteers who live in one neighbourhood
    POOL = "pool"  # every volunteer of the commune


AUDIENCE_LABELS: dict[str, str] = {
    Audience.MISSION: N_("The volunteers of a mission"),
    Audience.COLLECTIVE: N_("The volunteers of a collective action"),
    Audience.NEIGHBOURHOOD: N_("The volunteers of a neighbourhood"),
    Audience.POOL: N_("All the commune's volunteers"),
}

MAX_LENGTH = 1000  # a message read on a phone, not a newsletter
# At most this many group messages per referent per hour: a slip (the same message sent
# again and again, a script on a stolen session) cannot flood the whole pool.
PER_HOUR = 5
WINDOW = timedelta(hours=1)
TOO_MANY = N_("You sent {count} group messages within the hour: wait a little before the "
              "next one.")
NOBODY = N_("Nobody would receive this message: choose another group.")


def check_message(text: object) -> str:
    """The message's clean text; ValidationFailed naming the field ``text`` otherwise."""
    check = FormCheck()
    check.take("text", lambda: required_text(text, max_length=MAX_LENGTH))  # type: ignore[arg-type]
    return check.result()["text"]
