"""The civil-liability rule, versioned: acknowledged with each need and each sign-up.

Each party's own civil-liability insurance covers what they do: the volunteer's
for the volunteer, the beneficiary's for the beneficiary. The text is made of
message ids (English source), translated at the edge, and shown in plain words
on the public page ``/insurance``. Change ``INSURANCE_VERSION`` whenever the text
changes in substance: needs and sign-ups store the version they acknowledged.
"""

from __future__ import annotations

from heurecivique_app.domain.text import N_

INSURANCE_VERSION = "2026-12"

INSURANCE_TITLE = N_("Insurance: who covers what")
INSURANCE_PARAGRAPHS: tuple[str, ...] = (
    N_("L'Heure Civique is help between neighbours, given freely. It is not a service "
       "provided by the town hall, and no one is paid."),
    N_("Each person's own civil-liability insurance (« responsabilité civile », usually "
       "part of the home insurance) covers the damage they might cause: the volunteer's "
       "covers the volunteer, the person helped's covers the person helped."),
    N_("If you have no such insurance, tell the town hall before taking part: the "
       "referent will tell you what to do."),
    N_("A volunteer never does what needs a professional (repairs, care, transport "
       "services), never drives the person helped in their own car without checking "
       "their insurance, and never handles money or medicines."),
    N_("In case of an accident, tell the referent the same day: they will help you "
       "declare it to your insurer."),
)
