"""The map page's rows, markers and legend: public data only.

Each mission shows as an approximate area, never its address or private point.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from heurecivique_app.domain.enums import CATEGORY_LABELS
from heurecivique_app.i18n import format_distance, format_duration, format_when, translate
from heurecivique_app.presenters.labels import category_label
from heurecivique_app.services.geography import NearbyCard

# One colour per category (colour-blind-safe palette, dark enough on a light map).
CATEGORY_COLOURS = {
    "shopping": "#0072b2",
    "visit": "#d55e00",
    "walk": "#009e73",
    "carpool": "#cc79a7",
    "gardening": "#4d7a00",
    "digital": "#6a3d9a",
    "diy": "#8c510a",
    "collective_event": "#b8860b",
    "cleanup": "#00838f",
}
# A category without a colour of its own (added to the catalogue since).
OTHER_COLOUR = "#555555"


class MapRow(TypedDict):
    """One mission of the list under the map, nearest first."""

    id: str
    title: str
    category: str
    colour: str
    distance: str
    when: str
    duration: str
    neighbourhood: str
    href: str


class MarkerPath(TypedDict):
    """Leaflet's path options of one area."""

    color: str
    fillColor: str  # Leaflet's own option names (camelCase)
    fillOpacity: float
    weight: int


class MapMarker(MapRow):
    """One mission's approximate area on the map."""

    center: list[float]
    radius: float  # metres
    path: MarkerPath


class LegendEntry(TypedDict):
    """A category shown on the map, and its colour."""

    label: str
    colour: str


def map_row(card: NearbyCard, locale: str, timezone: str) -> MapRow:
    """One mission of the list, translated and formatted."""
    return MapRow(
        id=str(card.id),
        title=card.title,
        category=category_label(card.category, locale),
        colour=CATEGORY_COLOURS.get(card.category, OTHER_COLOUR),
        distance=translate("at {distance}", locale,
                           distance=format_distance(card.distance_m, locale)),
        when=format_when(card.starts_at, locale, timezone),
        duration=format_duration(card.duration_minutes, locale),
        neighbourhood=card.neighbourhood_name,
        href=f"/missions/{card.id}",
    )


def map_marker(card: NearbyCard, row: MapRow) -> MapMarker:
    """The area of one mission (its offset centre and radius), in its category's colour."""
    colour = row["colour"]
    return MapMarker(
        **row,
        center=[round(card.approx_lat, 6), round(card.approx_lon, 6)],
        radius=float(card.approx_radius_m),
        path=MarkerPath(color=colour, fillColor=colour, fillOpacity=0.25, weight=2),
    )


def map_legend(cards: Sequence[NearbyCard], locale: str) -> list[LegendEntry]:
    """The categories present, in the catalogue's order."""
    present = {card.category for card in cards}
    return [LegendEntry(label=translate(CATEGORY_LABELS[code], locale), colour=colour)
            for code, colour in CATEGORY_COLOURS.items() if code in present]
