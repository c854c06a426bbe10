"""Neighbourhood contours: a GeoJSON file of polygons, checked, and the geometry boards need.

A town publishes its quarters (IRIS or its own « quartiers ») as GeoJSON: a
FeatureCollection of Polygon or MultiPolygon features in longitude/latitude
(WGS 84, RFC 7946), each named by a property. :func:`read_contours` checks the
whole file and returns every quarter, or raises ``ValidationFailed`` on the
``geojson`` field with the first fault it finds; nothing is half-read.

Each contour is stored as the GeoJSON text of its geometry (``Neighbourhood.contour``):
plain text works the same on SQLite and PostgreSQL, with no PostGIS. Its centre
(a point inside it) and the radius of a circle holding it are stored too, so every
use of the centre-and-radius model (a mission placed by its neighbourhood, the
map's starting point) keeps working for quarters that have contours.

shapely is imported inside the functions: it brings numpy (about 15 MB in each
worker), which a deployment whose quarters are all circles never needs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.territory import slug_of
from heurecivique_app.domain.text import N_

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

FIELD = "geojson"
MAX_FEATURES = 300
# Properties that name a quarter, in the order tried (IRIS files say NOM_IRIS).
NAME_KEYS = ("nom", "name", "nom_quartier", "quartier", "nom_iris", "libelle", "label")
# Published contours share edges drawn twice, with slivers between: two quarters
# overlap only when more than this share of the smaller one lies in the other...
OVERLAP_SHARE = 0.01
# ...and touch when they come closer than this (degrees; about 20 m of latitude).
TOUCH_DEGREES = 0.0002

NOT_GEOJSON = N_("This file is not GeoJSON: export the quarters as a .geojson file.")
NOT_COLLECTION = N_("The file must be a GeoJSON FeatureCollection of polygons.")
NOT_POLYGON = N_("Feature {number} is not a polygon.")
NO_NAME = N_("Feature {number} has no name (a property « nom » or « name »).")
NOT_DEGREES = N_("The coordinates of « {name} » are not longitudes and latitudes in degrees "
                 "(WGS 84): export the file in EPSG:4326.")
NOT_VALID = N_("The contour of « {name} » is not a valid polygon.")
CROSSES = N_("The contour of « {name} » crosses itself near longitude {lon}, latitude {lat}.")
SAME_NAME = N_("Two quarters are named « {name} ».")
OVERLAP = N_("« {first} » and « {second} » overlap: each place must be in one quarter only.")
TOO_MANY = N_("The file holds more than {count} quarters.")
EMPTY = N_("The file holds no quarter.")


@dataclass(frozen=True)
class Contour:
    """One quarter read from the file."""

    name: str
    geojson: str  # the geometry alone, compact GeoJSON text
    lat: float  # a point inside the quarter (its centre when it is convex)
    lon: float
    radius_m: int  # around (lat, lon), the circle that holds the whole quarter


def _refuse(message: str, **params: object) -> ValidationFailed:
    return ValidationFailed({FIELD: message}, params={FIELD: params} if params else None)


@lru_cache(maxsize=2048)
def shape_of(geojson: str) -> BaseGeometry:
    """The (prepared) geometry of a stored contour; cached, since boards ask again and again."""
    import shapely
    from shapely.geometry import shape

    geometry = shape(json.loads(geojson))
    shapely.prepare(geometry)
    return geometry


def covers(geojson: str, lat: float, lon: float) -> bool:
    """Whether the contour holds the point (its edge included)."""
    from shapely.geometry import Point

    return shape_of(geojson).covers(Point(lon, lat))


def touch(first: str, second: str) -> bool:
    """Whether two contours share an edge or a corner (to within a few metres)."""
    return shape_of(first).distance(shape_of(second)) <= TOUCH_DEGREES


def rings(geojson: str) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of a contour as (lon, lat) lists, for a drawing."""
    geometry = shape_of(geojson)
    polygons = getattr(geometry, "geoms", [geometry])
    out = []
    for polygon in polygons:
        out.append([(x, y) for x, y in polygon.exterior.coords])
        out.extend([(x, y) for x, y in ring.coords] for ring in polygon.interiors)
    return out


def _name(feature: dict, number: int) -> str:
    props = feature.get("properties") or {}
    lowered = {str(k).lower(): v for k, v in props.items()} if isinstance(props, dict) else {}
    for key in NAME_KEYS:
        value = lowered.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return " ".join(str(value).split())[:120]
    raise _refuse(NO_NAME, number=number)


def _features(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _refuse(NOT_GEOJSON) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" \
            or not isinstance(data.get("features"), list):
        raise _refuse(NOT_COLLECTION)
    features = data["features"]
    if not features:
        raise _refuse(EMPTY)
    if len(features) > MAX_FEATURES:
        raise _refuse(TOO_MANY, count=MAX_FEATURES)
    return features


def _geometry(feature: object, number: int) -> tuple[str, BaseGeometry]:
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    raw = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        raise _refuse(NOT_POLYGON, number=number)
    name = _name(feature, number)
    try:
        geometry = shape(raw)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise _refuse(NOT_VALID, name=name) from exc
    if geometry.is_empty or geometry.area <= 0:
        raise _refuse(NOT_VALID, name=name)
    west, south, east, north = geometry.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise _refuse(NOT_DEGREES, name=name)
    if not geometry.is_valid:
        # GEOS says what and where, e.g. "Self-intersection[-1.21 48.12]".
        reason = explain_validity(geometry)
        where = re.search(r"\[(-?[\d.]+) (-?[\d.]+)", reason)
        if reason.startswith("Self-intersection") and where:
            raise _refuse(CROSSES, name=name, lon=round(float(where[1]), 5),
                          lat=round(float(where[2]), 5))
        raise _refuse(NOT_VALID, name=name)
    return name, geometry


def _enclosing_radius(geometry: BaseGeometry, lat: float, lon: float) -> int:
    from heurecivique_app.domain.geo import distance_m

    polygons = getattr(geometry, "geoms", [geometry])
    far = max(distance_m(lat, lon, y, x) for p in polygons for x, y in p.exterior.coords)
    return max(100, int(math.ceil(far)))


def overlapping(named: Iterable[tuple[str, BaseGeometry]]) -> tuple[str, str] | None:
    """The first two quarters that overlap (beyond slivers), or None."""
    from shapely.strtree import STRtree

    items = list(named)
    tree = STRtree([g for _, g in items])
    for i, (name, geometry) in enumerate(items):
        for j in tree.query(geometry):
            if j <= i:
                continue
            other_name, other = items[int(j)]
            shared = geometry.intersection(other).area
            if shared > OVERLAP_SHARE * min(geometry.area, other.area):
                return name, other_name
    return None


def read_contours(text: str, *, keep: Iterable[tuple[str, str]] = ()) -> list[Contour]:
    """Every quarter of a GeoJSON file, checked; or ``ValidationFailed`` on ``geojson``.

    Args:
        text: the file's content.
        keep: (name, contour) of the commune's quarters already drawn: those the file
            does not redraw (same name, as a slug) must not overlap the new ones.
    """
    from shapely.geometry import mapping

    seen: dict[str, str] = {}
    read: list[tuple[str, BaseGeometry]] = []
    for number, feature in enumerate(_features(text), start=1):
        name, geometry = _geometry(feature, number)
        key = slug_of(name)  # the board's address: « Gare » and « gare » would share it
        if key in seen:
            raise _refuse(SAME_NAME, name=name)
        seen[key] = name
        read.append((name, geometry))
    kept = [(name, shape_of(contour)) for name, contour in keep if slug_of(name) not in seen]
    clash = overlapping([*read, *kept])
    if clash:
        raise _refuse(OVERLAP, first=clash[0], second=clash[1])
    contours = []
    for name, geometry in read:
        inside = geometry.representative_point() if not geometry.centroid.within(geometry) \
            else geometry.centroid
        lat, lon = round(inside.y, 7), round(inside.x, 7)
        contours.append(Contour(
            name=name, geojson=json.dumps(mapping(geometry), separators=(",", ":")),
            lat=lat, lon=lon, radius_m=_enclosing_radius(geometry, lat, lon)))
    return contours
