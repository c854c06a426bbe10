"""The citizen's charter as a page shows it: its articles in one language. No reflex."""

from __future__ import annotations

from heurecivique_app.domain.charter import CHARTER_ARTICLES
from heurecivique_app.i18n import translate


def charter_articles(locale: str) -> list[dict[str, str]]:
    """Each article's title and text, translated into ``locale``, in the charter's order."""
    return [{"title": translate(article.title, locale), "text": translate(article.text, locale)}
            for article in CHARTER_ARTICLES]
