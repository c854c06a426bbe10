"""Rows of the intake page: the known people a need may be about (staff only). No reflex."""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.i18n import format_phone, translate
from heurecivique_app.services.intake import BeneficiaryMatch


class KnownPersonRow(TypedDict):
    """A known beneficiary who looks like the one typed: the referent may pick them."""

    id: str
    name: str
    address: str
    phone: str  # formatted for reading, "" when none is known
    neighbourhood: str
    missions: str  # "3 earlier need(s)", translated


def known_person_row(match: BeneficiaryMatch, locale: str) -> KnownPersonRow:
    """One possible duplicate of the person being typed, as the intake form offers it."""
    return KnownPersonRow(
        id=str(match.id), name=match.full_name, address=match.address,
        phone=format_phone(match.phone) if match.phone else "",
        neighbourhood=match.neighbourhood,
        missions=translate("{count} earlier need(s)", locale, count=match.missions),
    )
