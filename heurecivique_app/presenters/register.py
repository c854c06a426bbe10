"""The « registre des traitements » translated, for its page and its PDF. No reflex."""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.domain.privacy import PurgeRun
from heurecivique_app.domain.register import Processing, Said
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_datetime_short, translate
from heurecivique_app.services.retention import ErasureRow

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


class RegisterRow(TypedDict):
    """One processing of the register: its name and each of ``COLUMNS``, translated."""

    name: str
    purpose: str
    legal_basis: str
    people: str
    categories: str
    recipients: str
    retention: str


class ErasureLine(TypedDict):
    """One erasure request of the register: the record's initials, never its name."""

    id: str
    who: str
    href: str
    channel: str
    received: str  # the day
    done: str
    by: str


class PurgeRunRow(TypedDict):
    """One run of the retention purge and what it erased."""

    id: str
    when: str
    missions: str
    contacts: str
    people: str


def register_rows(processings: list[Processing], locale: str) -> list[RegisterRow]:
    """One row per processing: its name and each column, translated."""
    return [RegisterRow(name=said(p.name, locale),
                        **{key: said(getattr(p, key), locale) for key, _ in COLUMNS})
            for p in processings]


def erasure_line(row: ErasureRow, locale: str, timezone: str) -> ErasureLine:
    """An erasure request as the privacy page lists it (staff only)."""
    return ErasureLine(
        id=str(row.id), who=row.initials, href=f"/console/beneficiaries/{row.beneficiary_id}",
        channel=translate(row.channel_label, locale),
        received=format_datetime_short(row.received_at, locale, timezone)[:10],
        done=format_datetime_short(row.done_at, locale, timezone), by=row.done_by)


def purge_run_row(run: PurgeRun, locale: str, timezone: str) -> PurgeRunRow:
    """A purge run as the privacy page lists it."""
    return PurgeRunRow(
        id=str(run.id), when=format_datetime_short(run.ran_at, locale, timezone),
        missions=str(run.missions_purged), contacts=str(run.contacts_erased),
        people=str(run.beneficiaries_pseudonymised))


def column_labels(locale: str) -> list[tuple[str, str]]:
    """(key, translated label) of each column."""
    return [(key, translate(label, locale)) for key, label in COLUMNS]
