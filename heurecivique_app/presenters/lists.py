"""Rows of the console's search lists (/console/missions, /console/beneficiaries).

Staff of the commune only: the beneficiaries' names are there to find them.
"""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.i18n import format_when
from heurecivique_app.presenters.labels import category_label, status_label
from heurecivique_app.services.search import BeneficiaryLine, MissionLine


class MissionListRow(TypedDict):
    """One mission found, linking to its follow-up page."""

    id: str
    title: str
    status: str
    status_label: str
    category: str
    neighbourhood: str
    when: str
    beneficiary: str
    volunteers: str
    href: str


class BeneficiaryListRow(TypedDict):
    """One beneficiary found, linking to the list of their missions."""

    id: str
    name: str
    neighbourhood: str
    needs: str
    last: str
    recurring: str  # the category they keep asking for, or ""
    href: str


def mission_list_row(line: MissionLine, locale: str, timezone: str) -> MissionListRow:
    """A mission of the search list, translated."""
    return MissionListRow(
        id=str(line.id), title=line.title, status=line.status,
        status_label=status_label(line.status, locale),
        category=category_label(line.category, locale),
        neighbourhood=line.neighbourhood, when=format_when(line.starts_at, locale, timezone),
        beneficiary=line.beneficiary, volunteers=line.volunteers,
        href=f"/console/missions/{line.id}",
    )


def beneficiary_list_row(line: BeneficiaryLine, locale: str, timezone: str
                         ) -> BeneficiaryListRow:
    """A beneficiary of the search list, translated."""
    return BeneficiaryListRow(
        id=str(line.id), name=line.full_name, neighbourhood=line.neighbourhood,
        needs=str(line.needs),
        last=format_when(line.last_need, locale, timezone) if line.last_need else "",
        recurring=(category_label(line.recurring_category, locale)
                   if line.recurring_category else ""),
        href=f"/console/beneficiaries/{line.id}",
    )
