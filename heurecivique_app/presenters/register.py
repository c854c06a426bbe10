"""The « registre des traitements » translated, for its page and its PDF. No reflex."""

from __future__ import annotations

from heurecivique_app.domain.register import Processing, Said
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate

# The columns, in the order of the CNIL's model register.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("purpose", N_("Purpose")),
    ("legal_basis", N_("Legal basis")),
    ("people", N_("People concerned")),
    ("categories", N_("Categories of data")),
    ("recipients", N_("Recipients")),
    ("retention", N_("Retention")),
)
REGISTER_TITLE = N_("Register of processing activities")


def said(text: Said, locale: str) -> str:
    """A message with its parameters, translated (a parameter may be a message too)."""
    params = {k: said(v, locale) if isinstance(v, Said) else v for k, v in text.params.items()}
    return translate(text.message, locale, **params)


def register_rows(processings: list[Processing], locale: str) -> list[dict[str, str]]:
    """One dict per processing: its name and each column, translated."""
    return [{"name": said(p.name, locale),
             **{key: said(getattr(p, key), locale) for key, _ in COLUMNS}}
            for p in processings]


def column_labels(locale: str) -> list[tuple[str, str]]:
    """(key, translated label) of each column."""
    return [(key, translate(label, locale)) for key, label in COLUMNS]
