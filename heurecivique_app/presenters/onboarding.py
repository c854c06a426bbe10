"""The admin pages' rows: communes, quarters, and a drawing of the quarters' contours.

The drawing is a plain SVG (no map tiles: the admin pages work offline and load no
map library): longitudes are scaled by the cosine of the latitude, so quarters keep
their shape at French latitudes, and the whole set fits a fixed box.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TypedDict

from heurecivique_app.domain.contours import Contour, rings
from heurecivique_app.domain.models import Commune, Departement, Neighbourhood
from heurecivique_app.domain.text import N_
from heurecivique_app.i18n import translate

BOX = 400.0  # the drawing's width and height, in SVG units
MARGIN = 10.0


class CommuneRow(TypedDict):
    """One commune in the admin list."""

    id: str
    name: str
    departement: str
    slug: str
    insee_code: str


class HoodRow(TypedDict):
    """One quarter of the commune being edited."""

    id: str
    name: str
    shape: str  # "Contour" or "Circle of 600 m", translated


class ShapeRow(TypedDict):
    """One quarter in the SVG drawing: its path and where its name goes."""

    name: str
    d: str
    x: str
    y: str


class DepartementOption(TypedDict):
    """A département in the new commune's select."""

    id: str
    name: str


def commune_row(commune: Commune, departement: Departement) -> CommuneRow:
    """A commune of the admin list."""
    return CommuneRow(id=str(commune.id), name=commune.name,
                      departement=f"{departement.code} {departement.name}",
                      slug=commune.slug, insee_code=commune.insee_code)


def departement_option(departement: Departement) -> DepartementOption:
    """A département as a choice: its code is what the form sends."""
    return DepartementOption(id=departement.code, name=f"{departement.code} {departement.name}")


def hood_row(hood: Neighbourhood, locale: str) -> HoodRow:
    """A quarter, and whether it has a contour or is a circle."""
    shape = (translate(N_("Contour"), locale) if hood.contour
             else translate(N_("Circle of {metres} m"), locale, metres=hood.radius_m))
    return HoodRow(id=str(hood.id), name=hood.name, shape=shape)


def drawing(quarters: Iterable[tuple[str, str]]) -> list[ShapeRow]:
    """(name, contour GeoJSON) → SVG paths in a BOX × BOX square, names at their centres."""
    shapes = [(name, rings(contour)) for name, contour in quarters]
    points = [p for _, shape in shapes for ring in shape for p in ring]
    if not points:
        return []
    west, east = min(x for x, _ in points), max(x for x, _ in points)
    south, north = min(y for _, y in points), max(y for _, y in points)
    squeeze = math.cos(math.radians((south + north) / 2))
    width, height = (east - west) * squeeze, north - south
    scale = (BOX - 2 * MARGIN) / max(width, height, 1e-9)

    def at(lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - west) * squeeze * scale, MARGIN + (north - lat) * scale)

    rows = []
    for name, shape in shapes:
        d = " ".join("M" + " L".join("{:.1f} {:.1f}".format(*at(x, y)) for x, y in ring) + " Z"
                     for ring in shape)
        outer = shape[0]
        cx, cy = at(sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer))
        rows.append(ShapeRow(name=name, d=d, x=f"{cx:.1f}", y=f"{cy:.1f}"))
    return rows


def contour_drawing(contours: Sequence[Contour]) -> list[ShapeRow]:
    """The drawing of a file's quarters before they are imported."""
    return drawing((c.name, c.geojson) for c in contours)


def hoods_drawing(hoods: Sequence[Neighbourhood]) -> list[ShapeRow]:
    """The drawing of a commune's quarters that have contours."""
    return drawing((h.name, h.contour) for h in hoods if h.contour)
