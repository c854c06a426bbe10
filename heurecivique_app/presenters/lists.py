"""Rows of the console's search lists (/console/missions, /console/beneficiaries).

Staff of the commune only: the beneficiaries' names are there to find them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict
from urllib.parse import urlencode

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


class PageLink(TypedDict):
    """A link of a list's page navigation ("" as number: a gap, drawn as an ellipsis)."""

    number: str
    href: str
    current: bool


def page_links(path: str, query: Mapping[str, str], page: int, pages: int,
               around: int = 2) -> list[PageLink]:
    """The numbered links of a paginated list.

    The first, the last, and ``around`` pages each side of ``page``; a gap stands
    for the pages left out. The filters of ``query``
    travel in every link, so each page is an address one can bookmark.
    """
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    links: list[PageLink] = []
    for index, number in enumerate(shown):
        if index and number - shown[index - 1] > 1:
            links.append(PageLink(number="", href="", current=False))
        links.append(PageLink(number=str(number), href=page_href(path, query, number),
                              current=number == page))
    return links


def page_href(path: str, query: Mapping[str, str], number: int) -> str:
    """The address of page ``number`` of the list at ``path`` with the filters ``query``."""
    params = {**query, "page": str(number)} if number > 1 else dict(query)
    return f"{path}?{urlencode(params)}" if params else path
