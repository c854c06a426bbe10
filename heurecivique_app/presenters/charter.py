"""The citizen's charter as a page shows it: its articles in one language. No reflex."""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.domain.charter import CHARTER_ARTICLES
from heurecivique_app.i18n import translate


class CharterArticle(TypedDict):
    """One article of the charter, translated."""

    title: str
    text: str


def charter_articles(locale: str) -> list[CharterArticle]:
    """Each article's title and text, translated into ``locale``, in the charter's order."""
    return [CharterArticle(title=translate(article.title, locale),
                           text=translate(article.text, locale))
            for article in CHARTER_ARTICLES]
