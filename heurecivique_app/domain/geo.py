"""Geography without a database: distances, search boxes, approximate points, neighbourhoods.

Distances are great-circle distances on geopy's mean Earth radius
(``geopy.distance.great_circle``). The hot path of the nearby query uses
:func:`distance_m`, a pure-math version of the same formula (about 10 times
cheaper per call); a unit test checks it agrees with geopy to the millimetre.
The sphere is 0.5 % off the WGS-84 ellipsoid at worst: irrelevant for « à 600 m »
rounded to 100 m, and identical for the index and the brute-force check.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geopy.distance import EARTH_RADIUS, great_circle

from heurecivique_app.domain.contours import covers, touch

EARTH_RADIUS_M = EARTH_RADIUS * 1000.0  # geopy's mean radius, 6371.009 km
_M_PER_RAD = EARTH_RADIUS_M

# Rows of the nearby index: latitude bands of 0.01° (about 1.1 km).
CELL_DEGREES = 0.01

# The public area drawn for a mission located at an address: the offset of its
# centre from the address is at most APPROX_MAX_OFFSET_M, so the circle always
# contains the address, and at least APPROX_MIN_OFFSET_M, so the centre is never it.
APPROX_RADIUS_M = 250
APPROX_MIN_OFFSET_M = 60.0
APPROX_MAX_OFFSET_M = 200.0


@dataclass(frozen=True)
class Point:
    """A position in degrees (WGS 84)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle (degrees) that contains a search circle."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def cells(self) -> list[int]:
        """The latitude bands of the nearby index that the box overlaps."""
        return list(range(geo_cell(self.min_lat), geo_cell(self.max_lat) + 1))


def geo_cell(lat: float) -> int:
    """The latitude band of the nearby index. Monotonic in ``lat``."""
    return math.floor(lat / CELL_DEGREES)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; same sphere as geopy's great_circle)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _M_PER_RAD * math.asin(min(1.0, math.sqrt(h)))


def geopy_distance_m(a: Point, b: Point) -> float:
    """The reference distance, straight from geopy (for checks and non-hot paths)."""
    return great_circle((a.lat, a.lon), (b.lat, b.lon)).meters


def search_box(lat: float, lon: float, radius_m: float) -> Box:
    """The smallest lat/lon rectangle containing every point within ``radius_m`` on the sphere.

    Exact spherical bounds (not a flat-Earth guess), widened by a hair so a point on
    the circle is never lost to rounding. Not meant for the poles or the antimeridian.
    """
    angle = radius_m / _M_PER_RAD
    dlat = math.degrees(angle)
    cos_lat = math.cos(math.radians(lat))
    ratio = math.sin(angle) / cos_lat if cos_lat > 1e-12 else 2.0
    dlon = 180.0 if ratio >= 1.0 else math.degrees(math.asin(ratio))
    eps = 1e-9
    return Box(lat - dlat - eps, lat + dlat + eps, lon - dlon - eps, lon + dlon + eps)


def destination(lat: float, lon: float, distance: float, bearing_deg: float) -> Point:
    """The point ``distance`` metres from (lat, lon) towards ``bearing_deg`` (on the sphere)."""
    angle = distance / _M_PER_RAD
    theta = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(angle)
                   + math.cos(p1) * math.sin(angle) * math.cos(theta))
    l2 = l1 + math.atan2(math.sin(theta) * math.sin(angle) * math.cos(p1),
                         math.cos(angle) - math.sin(p1) * math.sin(p2))
    return Point(math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0)


def approximate_point(exact: Point, *, key: str, salt: str) -> Point:
    """The public centre of a mission's area: ``exact`` moved by a secret, fixed offset.

    The offset (distance and direction) comes from an HMAC of ``key`` under the
    server's ``salt``: the same key always gives the same point, so looking again
    and again shows nothing new, and without the salt the offset cannot be undone.
    Callers key on what owns the location (the beneficiary), so several missions
    at one address share one area instead of letting their circles be intersected.
    """
    digest = hmac.new(salt.encode(), key.encode(), hashlib.sha256).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    v = int.from_bytes(digest[8:16], "big") / 2**64
    # sqrt spreads the distance evenly over the ring's area.
    low2, high2 = APPROX_MIN_OFFSET_M**2, APPROX_MAX_OFFSET_M**2
    offset = math.sqrt(low2 + u * (high2 - low2))
    return destination(exact.lat, exact.lon, offset, v * 360.0)


@dataclass(frozen=True)
class Area:
    """A neighbourhood: a centre and a radius, and its contour where the town drew one.

    ``contour`` is the GeoJSON text of a polygon (domain/contours.py); the centre is
    then a point inside it and the radius that of a circle holding it.
    """

    id: int
    name: str
    lat: float
    lon: float
    radius_m: float
    contour: str | None = None


def area_for_point(areas: Iterable[Area], point: Point, *, slack_m: float = 300.0) -> Area | None:
    """The neighbourhood a point belongs to.

    A quarter with a contour holds exactly the points inside it. Among the others,
    drawn as circles, those whose circle (widened by ``slack_m``, since real quarters
    are not circles) contains the point compete, and the one whose edge is farthest
    away relative to its size wins, i.e. the smallest ``distance / radius``. None when
    the point lies outside every area (another commune, or a wrong geocoding).
    """
    areas = list(areas)
    for area in areas:
        if area.contour and covers(area.contour, point.lat, point.lon):
            return area
    best: tuple[float, Area] | None = None
    for area in areas:
        if area.contour:
            continue
        d = geopy_distance_m(point, Point(area.lat, area.lon))
        if d <= area.radius_m + slack_m:
            score = d / max(area.radius_m, 1.0)
            if best is None or score < best[0]:
                best = (score, area)
    return best[1] if best else None


def neighbouring_areas(areas: Sequence[Area], home: Area, *, gap_m: float = 400.0
                       ) -> list[tuple[Area, float]]:
    """The areas next to ``home``, nearest centre first, with the distance between centres.

    Two quarters with contours are neighbours when their contours touch; otherwise
    (one of them is a circle) when the circles come within ``gap_m`` of each other.
    """
    found = []
    for area in areas:
        if area.id == home.id:
            continue
        d = geopy_distance_m(Point(home.lat, home.lon), Point(area.lat, area.lon))
        if home.contour and area.contour:
            near = touch(home.contour, area.contour)
        else:
            near = d <= home.radius_m + area.radius_m + gap_m
        if near:
            found.append((area, d))
    return sorted(found, key=lambda item: (item[1], item[0].id))


def rounded_distance_m(metres: float) -> int:
    """Distances as people say them: 100 m steps under 10 km, then whole kilometres."""
    if metres < 100:
        return 100
    if metres < 10_000:
        return int(round(metres / 100.0)) * 100
    return int(round(metres / 1000.0)) * 1000
