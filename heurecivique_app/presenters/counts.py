"""The count line above a filtered list. No reflex."""

from __future__ import annotations

from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate


def count_line(message: str, total: int, shown: int, locale: str) -> str:
    """The count line of a list, translated.

    ``message`` with ``{count}`` = ``total`` and, when the list on screen is cut, that
    it shows only the first ``shown`` (the export holds every match).
    """
    text = translate(message, locale, count=total)
    if shown < total:
        text += ". " + translate(N_("Only the first {shown} are listed: narrow the search."),
                                locale, shown=shown)
    return text
