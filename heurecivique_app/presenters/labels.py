"""The labels every row shares, translated once here instead of in each state."""

from __future__ import annotations

from heurecivique_app.domain.community import ISSUE_CATEGORY_LABELS
from heurecivique_app.domain.enums import CATEGORY_LABELS, STATUS_LABELS
from heurecivique_app.i18n import translate


def category_label(code: str, locale: str) -> str:
    """A mission category (a volunteer's skill too) in the reader's language.

    An unknown code shows as it is: a category since removed still shows something.
    """
    return translate(CATEGORY_LABELS.get(code, code), locale)


def categories_text(codes: list[str], locale: str) -> str:
    """Several categories (a volunteer's skills), comma-separated."""
    return ", ".join(category_label(code.strip(), locale) for code in codes)


def report_category_label(code: str, locale: str) -> str:
    """A relay report's category: a neighbourhood issue, or the mission category of a need."""
    issue = ISSUE_CATEGORY_LABELS.get(code)
    return translate(issue, locale) if issue else category_label(code, locale)


def status_label(status: str, locale: str) -> str:
    """A mission's status in the reader's language."""
    return translate(STATUS_LABELS.get(status, status), locale)
