"""The citizen's charter in full, versioned: a new version asks every volunteer again.

The text is made of message ids (English source), translated at the edge. Change
``CHARTER_VERSION`` whenever the text changes in substance: volunteers who
approved an older version are asked to approve the new one before they accept
a mission.
"""

from __future__ import annotations

from dataclasses import dataclass

from heurecivique_app.domain.text import N_

CHARTER_VERSION = "2024-01"


@dataclass(frozen=True)
class CharterArticle:
    """One article of the citizen's charter: message ids of its title and text."""

    title: str
    text: str


CHARTER_ARTICLES: tuple[CharterArticle, ...] = (
    CharterArticle(N_("1. One hour, freely given"), N_(
        "I give about one hour a month to a neighbour or to a collective action, "
        "freely and without any payment, near my home.")),
    CharterArticle(N_("2. Respect"), N_(
        "I respect the people I help, their opinions, their privacy and their home. "
        "I never judge and I keep to myself what I see and hear.")),
    CharterArticle(N_("3. Never instead of a professional"), N_(
        "My help never replaces a professional (care, cleaning, repairs, transport "
        "services). Requests are one-off, not recurring, and never emergencies: in an "
        "emergency I call 15, 17, 18 or 112.")),
    CharterArticle(N_("4. Money, cards and medicines"), N_(
        "I never handle money, bank cards, cheques or medicines for the person, and I "
        "accept no gift.")),
    CharterArticle(N_("5. Keeping my word"), N_(
        "I keep to what was agreed. If I cannot come, I cancel in the app as early as "
        "possible, or I phone the referent.")),
    CharterArticle(N_("6. Personal data"), N_(
        "The address and phone number of the person I help are given to me only for the "
        "mission. I do not keep or share them.")),
    CharterArticle(N_("7. Insurance"), N_(
        "Each party's own civil liability insurance applies during the action.")),
    CharterArticle(N_("8. Telling the referent"), N_(
        "I tell the town hall's referent if something worries me about a person or "
        "if a problem happened during a mission.")),
)


def charter_is_current(version: str | None) -> bool:
    """Whether a volunteer's approved version is the one in force."""
    return version == CHARTER_VERSION
