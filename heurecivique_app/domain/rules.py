"""The four rules of L'Heure Civique, checked at intake.

A referent answers four questions about the need; each rule that fails yields
an explanation telling the beneficiary where to turn instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heurecivique_app.domain.duplicates import fold_words, normalise_name
from heurecivique_app.domain.text import N_


@dataclass(frozen=True)
class IntakeAnswers:
    """What the referent ticks while taking the call."""

    replaces_professional: bool
    recurring: bool
    urgent: bool
    insurance_acknowledged: bool


@dataclass(frozen=True)
class RuleBreach:
    """A rule the need breaks: the answer's field and the explanation's message id."""

    field: str
    message: str


RULE_TEXTS: dict[str, str] = {
    "not_professional": N_("An action never replaces a professional."),
    "one_off": N_("Requests are one-off and exceptional, not recurring."),
    "not_urgent": N_("No emergencies: they go to the right service."),
    "insurance": N_("Each party's own civil-liability insurance applies."),
}


# A mission's title and description are public (boards, the map, shared links); the
# beneficiary's name is given only to the volunteer who accepts.
NAMED_IN_PUBLIC_TEXT = N_(
    "This text is public: leave out the name of the person helped (“{name}”). "
    "The volunteer learns it once they accept."
)
# Name words too short or too common to point at anyone ("de", "le", "van"...).
_NAME_PARTICLES = frozenset({"de", "du", "des", "le", "la", "les", "van", "von", "der", "den",
                             "ben", "bin", "el", "al", "di", "da", "dos", "del", "della"})


def name_in_public_text(full_name: str, text: str) -> str | None:
    """The part of ``full_name`` that ``text`` writes as a whole word, or None.

    Case, accents and civilities do not matter: "Marcel Bouvier" is found in
    « M. BOUVIER sort peu », but not in « Bouvierre » nor in « le marcellin ».
    """
    words = set(fold_words(text))
    for part in re.split(r"[\s'’-]+", full_name):
        folded = normalise_name(part).split()
        if any(len(w) > 1 and w not in _NAME_PARTICLES and w in words for w in folded):
            return part
    return None


def check_intake(answers: IntakeAnswers) -> list[RuleBreach]:
    """Every rule the need breaks, with guidance; an empty list means it may proceed."""
    breaches: list[RuleBreach] = []
    if answers.replaces_professional:
        breaches.append(RuleBreach("replaces_professional", N_(
            "This need calls for a professional (care, cleaning, repairs, legal or medical "
            "advice). Refer the person to the CCAS or the relevant professional service."
        )))
    if answers.recurring:
        breaches.append(RuleBreach("recurring", N_(
            "L'Heure Civique is for one-off help. For regular help, refer the person to the "
            "CCAS or a home-help service (SAAD)."
        )))
    if answers.urgent:
        breaches.append(RuleBreach("urgent", N_(
            "Emergencies are not handled here: call 15 (SAMU), 17 (police), 18 (fire "
            "brigade) or 112."
        )))
    if not answers.insurance_acknowledged:
        breaches.append(RuleBreach("insurance_acknowledged", N_(
            "The person must be told that each party's civil-liability insurance applies "
            "before the need can be recorded."
        )))
    return breaches


# The paper flyer « Besoins à compléter » asks exactly what the intake form asks:
# one printed field per field of services.intake.NeedForm (``channel`` is the flyer itself, and
# ``answers`` are the four rule questions). A test keeps the two in step.
PAPER_FIELDS: dict[str, str] = {
    "category": N_("What kind of help? (shopping, visit, walk, lift, garden, digital, DIY)"),
    "title": N_("Your need in a few words"),
    "description": N_("Details"),
    "neighbourhood_id": N_("Neighbourhood"),
    "beneficiary_name": N_("Full name"),
    "beneficiary_phone": N_("Phone"),
    "address": N_("Address"),
    "access_notes": N_("Access notes (door code, floor…)"),
    "consent": N_("I agree that the town hall stores these details to organise the help"),
    "preferred_date": N_("Preferred date"),
    "preferred_time": N_("Time"),
    "duration_minutes": N_("Duration (minutes)"),
    "other_dates": N_("Other possible dates and times"),
    "answers": N_("Please tick to confirm"),
}
PAPER_NOT_PRINTED = frozenset({"channel", "beneficiary_choice"})
PAPER_RULE_QUESTIONS: tuple[str, ...] = (
    N_("This is not a job for a professional (care, cleaning, repairs)"),
    N_("This is a one-off need, not a regular one"),
    N_("This is not urgent"),
    N_("I know that each party's own civil-liability insurance applies"),
)
