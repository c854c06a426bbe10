"""Relay reports as the relay (their own) and the referent's triage queue show them.

Nothing about a beneficiary: a report carries only what the relay typed.
"""

from __future__ import annotations

from typing import TypedDict

from heurecivique_app.domain.community import (
    REPORT_KIND_LABELS,
    REPORT_STATUS_LABELS,
    ReportKind,
    ReportStatus,
)
from heurecivique_app.i18n import format_when, translate
from heurecivique_app.presenters.labels import report_category_label
from heurecivique_app.services.relays import RelayPerson, ReportView
from heurecivique_app.services.selectors import MissionCard


class ReportRow(TypedDict):
    """One report in the relay's own list."""

    id: str
    kind: str
    category: str
    title: str
    status: str
    status_label: str
    answer: str
    neighbourhood: str
    when: str


class TriageRow(ReportRow):
    """One report in the referent's queue, with what they may do with it."""

    description: str
    relay: str
    point: str  # "48.12345, -1.20850", or "" without a point
    map_href: str
    photo_href: str
    can_mission: bool
    can_forward: bool
    can_close: bool


class RelayRow(TypedDict):
    """A relay of the commune and the neighbourhoods they watch."""

    id: str
    name: str
    hoods: str


class ShareableRow(TypedDict):
    """An open mission of the relay's neighbourhoods, to pass on to a neighbour."""

    id: str
    title: str
    neighbourhood: str
    when: str
    href: str


def report_row(view: ReportView, locale: str, timezone: str) -> ReportRow:
    """A report, translated, as its relay sees it."""
    return ReportRow(
        id=str(view.id),
        kind=translate(REPORT_KIND_LABELS[view.kind], locale),
        category=report_category_label(view.category, locale),
        title=view.title,
        status=view.status,
        status_label=translate(REPORT_STATUS_LABELS[view.status], locale),
        answer=view.answer,
        neighbourhood=view.neighbourhood_name,
        when=format_when(view.created_at, locale, timezone),
    )


def _osm_link(lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"


def triage_row(view: ReportView, locale: str, timezone: str) -> TriageRow:
    """A report in the referent's queue, with what the referent may do with it.

    A new one may become a mission draft; a new neighbourhood issue may go to the
    technical services; any open one may be closed.
    """
    located = view.lat is not None and view.lon is not None
    return TriageRow(
        **report_row(view, locale, timezone),
        description=view.description,
        relay=view.relay_name,
        point=f"{view.lat:.5f}, {view.lon:.5f}" if located else "",
        map_href=_osm_link(view.lat, view.lon) if located else "",
        photo_href=f"/api/reports/{view.id}/photo" if view.has_photo else "",
        can_mission=view.status == ReportStatus.NEW,
        can_forward=view.status == ReportStatus.NEW and view.kind == ReportKind.ISSUE,
        can_close=view.status != ReportStatus.CLOSED,
    )


def relay_row(person: RelayPerson) -> RelayRow:
    """A relay and the neighbourhoods they watch, comma-separated."""
    return RelayRow(id=str(person.user_id), name=person.name,
                    hoods=", ".join(person.neighbourhood_names))


def shareable_row(card: MissionCard, locale: str, timezone: str) -> ShareableRow:
    """An open mission a relay may pass on."""
    return ShareableRow(id=str(card.id), title=card.title,
                        neighbourhood=card.neighbourhood_name,
                        when=format_when(card.starts_at, locale, timezone),
                        href=f"/missions/{card.id}")
