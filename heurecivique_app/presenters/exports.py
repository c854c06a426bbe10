"""The lists of missions, beneficiaries and volunteers as translated tables (for the exports)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from heurecivique_app.domain.enums import VOLUNTEER_STATUS_LABELS
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import format_phone, format_when, translate
from heurecivique_app.presenters.labels import categories_text, category_label, status_label
from heurecivique_app.services.search import BeneficiaryLine, MissionLine, VolunteerLine

KIND_LABELS = {"individual": N_("Individual"), "collective": N_("Collective action")}
Table = tuple[list[str], list[list[Any]]]


def _headers(names: Sequence[str], locale: str) -> list[str]:
    return [translate(name, locale) for name in names]


def _yes_no(value: bool | None, locale: str) -> str:
    return "" if value is None else translate(N_("Yes") if value else N_("No"), locale)


def missions_table(lines: list[MissionLine], locale: str, timezone: str) -> Table:
    """The missions list as a translated table: headers and one row per mission."""
    headers = _headers([N_("Number"), N_("Mission"), N_("Kind"), N_("Category"), N_("Status"),
                        N_("Neighbourhood"), N_("When"), N_("Duration (minutes)"),
                        N_("Places"), N_("Places taken"), N_("Beneficiary"), N_("Volunteers"),
                        N_("Minutes credited"), N_("Went well"), N_("Incident")], locale)
    rows = [[
        line.id, line.title, translate(KIND_LABELS.get(line.kind, line.kind), locale),
        category_label(line.category, locale), status_label(line.status, locale),
        line.neighbourhood,
        format_when(line.starts_at, locale, timezone), line.duration_minutes, line.capacity,
        line.accepted_count, line.beneficiary, line.volunteers, line.minutes_credited,
        _yes_no(line.went_well, locale), line.incident,
    ] for line in lines]
    return headers, rows


def beneficiaries_table(lines: list[BeneficiaryLine], locale: str, timezone: str) -> Table:
    """The beneficiaries list as a translated table (staff only: it holds contacts)."""
    headers = _headers([N_("Number"), N_("Full name"), N_("Phone"), N_("Address"),
                        N_("Neighbourhood"), N_("Needs"), N_("Last need"),
                        N_("Recurring request")], locale)
    rows = [[
        line.id, line.full_name, format_phone(line.phone or ""), line.address,
        line.neighbourhood, line.needs,
        format_when(line.last_need, locale, timezone) if line.last_need else "",
        category_label(line.recurring_category, locale) if line.recurring_category else "",
    ] for line in lines]
    return headers, rows


def volunteers_table(lines: list[VolunteerLine], locale: str, timezone: str) -> Table:
    """The volunteers list as a translated table (staff only: it holds contacts)."""
    headers = _headers([N_("Number"), N_("Full name"), N_("Email"), N_("Phone"),
                        N_("Neighbourhood"), N_("Status"), N_("Skills"), N_("Missions done"),
                        N_("Minutes given"), N_("Signed up")], locale)
    rows = [[
        line.id, line.name, line.email, format_phone(line.phone or ""), line.neighbourhood,
        translate(VOLUNTEER_STATUS_LABELS.get(line.status, line.status), locale),
        categories_text([s for s in line.skills.split(",") if s.strip()], locale),
        line.missions_done, line.minutes_total, format_when(line.signed_up, locale, timezone),
    ] for line in lines]
    return headers, rows
