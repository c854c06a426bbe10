"""The département's public site (/d/<code>): its communes as rows and as dots on a light map.

The map is a plain SVG (no tiles, no map library): each commune at the middle of
its neighbourhoods, longitudes scaled by the cosine of the latitude.
"""

from __future__ import annotations

import math
from typing import TypedDict

from heurecivique_app.services.public import DepartementSite

WIDTH, HEIGHT, MARGIN = 400.0, 300.0, 40.0


class TownRow(TypedDict):
    """A participating commune: its link, and its dot on the map."""

    name: str
    slug: str
    x: str
    y: str
    on_map: bool


def town_rows(site: DepartementSite) -> list[TownRow]:
    """The communes in the site's order, placed in a WIDTH × HEIGHT box."""
    placed = [(c, lat, lon) for c, lat, lon in site.communes if lat is not None
              and lon is not None]
    if placed:
        south, north = min(p[1] for p in placed), max(p[1] for p in placed)
        west, east = min(p[2] for p in placed), max(p[2] for p in placed)
        squeeze = math.cos(math.radians((south + north) / 2))
        span = max((east - west) * squeeze / (WIDTH - 2 * MARGIN),
                   (north - south) / (HEIGHT - 2 * MARGIN), 1e-9)
    rows = []
    for commune, lat, lon in site.communes:
        x = y = 0.0
        if lat is not None and lon is not None:
            # Centred in the box whatever the spread (a single commune sits in the middle).
            x = WIDTH / 2 + ((lon - (west + east) / 2) * squeeze) / span
            y = HEIGHT / 2 - (lat - (south + north) / 2) / span
        rows.append(TownRow(name=commune.name, slug=commune.slug, x=f"{x:.1f}", y=f"{y:.1f}",
                            on_map=lat is not None))
    return rows
