"""Where missions are: placing them (private point, public area) and finding them nearby.

The nearby query is the hot path of the map. It reads the covering index
``ix_mission_nearby`` (status, latitude band, longitude, latitude, commune, id)
on SQLite and PostgreSQL alike, through a circle search that grows until it
holds enough missions:

1. search a box around a small circle (500 m at first);
2. if it holds more than ``limit`` missions within the circle, the ``limit``
   nearest of the whole radius are among them: stop;
3. otherwise widen the circle (by the density seen so far) up to the radius.

Distances are computed in Python on the few hundred candidates of the box
(``domain.geo.distance_m``), so the answer equals a brute-force check over every
mission, which the tests verify on both databases.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection
from sqlmodel import Session, col, select

from heurecivique_app.domain.enums import MissionStatus
from heurecivique_app.domain.errors import NotFound, ValidationFailed
from heurecivique_app.domain.geo import (
    APPROX_RADIUS_M,
    EARTH_RADIUS_M,
    Area,
    Point,
    approximate_point,
    area_for_point,
    neighbouring_areas,
    search_box,
)
from heurecivique_app.domain.models import GeoSource, Mission, Neighbourhood, VolunteerProfile
from heurecivique_app.domain.text import N_
from heurecivique_app.domain.types import utcnow
from heurecivique_app.domain.validation import FieldError, form_id, known_id
from heurecivique_app.services.actor import Actor, require_staff
from heurecivique_app.services.audit import audit

MAX_RADIUS_M = 50_000.0
FIRST_RADIUS_M = 500.0
MIN_FIRST_RADIUS_M = 100.0

# --- placing a mission ------------------------------------------------------------------


def location_key(mission: Mission) -> str:
    """What the public offset is keyed on: the person's home, else the mission.

    Every mission of one beneficiary shares one area: distinct offsets would let
    anyone intersect the circles and close in on the address.
    """
    if mission.beneficiary_id is not None:
        return f"beneficiary:{mission.beneficiary_id}"
    return f"mission:{mission.id}"


def place_mission(mission: Mission, *, hood: Neighbourhood, exact: Point | None,
                  source: str, salt: str) -> None:
    """Set the private point and the public area of a mission (ids must be known).

    Without a point (address not found, no network), the neighbourhood's centre
    stands in and the public area grows to the neighbourhood's size, since it says
    nothing more precise.
    """
    key = location_key(mission)
    if exact is None:
        centre = approximate_point(Point(hood.lat, hood.lon), key=key, salt=salt)
        mission.exact_lat = mission.exact_lon = None
        mission.geo_source = GeoSource.NEIGHBOURHOOD
        mission.approx_radius_m = max(APPROX_RADIUS_M, int(hood.radius_m))
    else:
        centre = approximate_point(exact, key=key, salt=salt)
        mission.exact_lat, mission.exact_lon = exact.lat, exact.lon
        mission.geo_source = source
        mission.approx_radius_m = APPROX_RADIUS_M
    mission.approx_lat, mission.approx_lon = centre.lat, centre.lon


def areas(session: Session, commune_id: int) -> list[Area]:
    """The commune's neighbourhoods (circles, and contours where drawn), for placing points."""
    hoods = session.exec(select(Neighbourhood).where(Neighbourhood.commune_id == commune_id))
    return [Area(h.id or 0, h.name, h.lat, h.lon, h.radius_m, h.contour) for h in hoods]


def neighbourhood_for_point(session: Session, *, commune_id: int, point: Point
                            ) -> Neighbourhood | None:
    """The commune's neighbourhood a point falls in, if any."""
    found = area_for_point(areas(session, commune_id), point)
    return session.get(Neighbourhood, found.id) if found else None


def commune_neighbourhood(session: Session, *, commune_id: int, value: object
                          ) -> Neighbourhood:
    """The neighbourhood a form names, if it is one of the commune's.

    Raises:
        FieldError: not a neighbourhood id of this commune.
    """
    hood_id = form_id(value)
    hood = session.get(Neighbourhood, hood_id) if hood_id else None
    if hood is None or hood.commune_id != commune_id:
        raise FieldError(N_("Choose a neighbourhood of your commune."))
    return hood


def _degrees(value: object) -> bool:
    """A finite number of degrees (a tapped point comes as an event argument)."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def set_mission_point(session: Session, *, actor: Actor, mission_id: int, lat: float,
                      lon: float, salt: str) -> Mission:
    """The referent places a mission's point by hand (tapping the map).

    Raises:
        NotAllowed: not staff of the mission's commune.
        NotFound: no such mission.
        ValidationFailed: the point is not in any neighbourhood of the commune.
    """
    mission = session.get(Mission, known_id(mission_id))
    if mission is None:
        raise NotFound()
    require_staff(actor, mission.commune_id)
    if not (_degrees(lat) and _degrees(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed({"point": N_("This point is not inside the commune.")})
    hood = neighbourhood_for_point(session, commune_id=mission.commune_id,
                                   point=Point(lat, lon))
    if hood is None:
        raise ValidationFailed({"point": N_("This point is not inside the commune.")})
    mission.neighbourhood_id = hood.id or mission.neighbourhood_id
    place_mission(mission, hood=hood, exact=Point(lat, lon), source=GeoSource.MAP, salt=salt)
    mission.updated_at = utcnow()
    session.add(mission)
    audit(session, actor=actor, action="mission.placed", entity="mission", entity_id=mission.id,
          commune_id=mission.commune_id)
    return mission


# --- boards around a board --------------------------------------------------------------


@dataclass(frozen=True)
class NearbyBoard:
    """A neighbouring board a volunteer may also look at."""

    id: int
    name: str
    lat: float
    lon: float
    distance_m: float


def neighbouring_boards(session: Session, *, neighbourhood_id: int) -> list[NearbyBoard]:
    """Neighbourhoods of the same commune whose area touches (or nearly) this one."""
    home = session.get(Neighbourhood, neighbourhood_id)
    if home is None:
        raise NotFound()
    everything = areas(session, home.commune_id)
    me = next(a for a in everything if a.id == home.id)
    return [NearbyBoard(a.id, a.name, a.lat, a.lon, d)
            for a, d in neighbouring_areas(everything, me)]


# --- the nearby query -------------------------------------------------------------------


@dataclass(frozen=True)
class Nearby:
    """The ``limit`` nearest open missions: (distance in metres, mission id), nearest first."""

    hits: list[tuple[float, int]]
    more: bool  # more open missions lie within the radius than were returned
    queries: int  # boxes searched (1 when the first circle was enough)


def _box_sql(dialect: str, *, use_index: bool, by_commune: bool, cells: int) -> str:
    """The box query, in the driver's own parameter style (no per-call SQL compiling)."""
    mark = "?" if dialect == "sqlite" else "%s"
    if dialect == "sqlite":
        table = "mission INDEXED BY ix_mission_nearby" if use_index else "mission NOT INDEXED"
    else:
        table = "mission"
    where = [f"status = {mark}"]
    if use_index:
        # PostgreSQL: one statement text for any number of bands, so it stays prepared.
        where.append(f"geo_cell = ANY({mark})" if dialect != "sqlite"
                     else f"geo_cell IN ({', '.join(mark for _ in range(cells))})")
    where += [f"approx_lon BETWEEN {mark} AND {mark}", f"approx_lat BETWEEN {mark} AND {mark}"]
    if by_commune:
        where.append(f"commune_id = {mark}")
    return f"SELECT id, approx_lat, approx_lon FROM {table} WHERE {' AND '.join(where)}"


_SQL: dict[tuple[str, bool, bool, int], str] = {}

# The circle that was last enough, per database and commune: where the next search
# starts. Only a hint (any start gives the same answer); it keeps dense areas to one
# box and lets sparse ones start wide.
_first_circle: dict[tuple[str, int | None], float] = {}


def _inside(rows: Iterable[tuple[int, float, float]], lat: float, lon: float,
            circle_m: float) -> list[tuple[float, int]]:
    """(distance, id) of the rows within ``circle_m``: domain.geo.distance_m, inlined."""
    p1 = math.radians(lat)
    cos_p1 = math.cos(p1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    scale = 2 * EARTH_RADIUS_M
    # Haversine of the circle: compare before the asin/sqrt, compute those only inside.
    limit_h = sin(circle_m / scale) ** 2
    found = []
    for mission_id, mlat, mlon in rows:
        p2 = radians(mlat)
        h = sin((p2 - p1) / 2) ** 2 + cos_p1 * cos(p2) * sin(radians(mlon - lon) / 2) ** 2
        if h <= limit_h * (1 + 1e-12):
            d = scale * asin(min(1.0, sqrt(h)))
            if d <= circle_m:
                found.append((d, mission_id))
    return found


def nearby_missions(
    session: Session,
    *,
    lat: float,
    lon: float,
    radius_m: float,
    limit: int = 50,
    commune_id: int | None = None,
    use_index: bool = True,
) -> Nearby:
    """Open missions whose public point lies within ``radius_m`` of (lat, lon), nearest first.

    Distances are measured to the public (approximate) point, never to the address:
    moving one's "location" around cannot reveal more than the map already shows.

    Args:
        session: the unit of work (the map reads with an autocommit one).
        lat: the searcher's latitude (degrees).
        lon: the searcher's longitude (degrees).
        radius_m: the search radius, at most 50 km.
        limit: how many missions at most (ties broken by id).
        commune_id: only this commune's missions (volunteers act in their commune).
        use_index: False runs the same search as one full scan; the baseline of
            ``bench/nearby.py``.
    """
    if not (-85 <= lat <= 85 and -180 <= lon <= 180) or radius_m <= 0 or limit <= 0:
        return Nearby([], False, 0)
    radius_m = min(float(radius_m), MAX_RADIUS_M)
    want = limit + 1  # one more than shown tells whether there are more
    connection = session.connection()
    dialect = connection.dialect.name
    scan_flags = ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan")
    if not use_index and dialect == "postgresql":
        # Session-level (not LOCAL: the map reads in autocommit), reset below.
        for flag in scan_flags:
            connection.exec_driver_sql(f"SET {flag} = off")
    try:
        inside, circle, queries = _grow(connection, dialect, lat=lat, lon=lon,
                                        radius_m=radius_m, want=want, commune_id=commune_id,
                                        use_index=use_index)
    finally:
        if not use_index and dialect == "postgresql":
            for flag in scan_flags:
                connection.exec_driver_sql(f"RESET {flag}")
    if use_index:
        # Next time start with a circle that should hold about 1.5 times `want`: one box
        # almost always (a second one is needed when fewer than `want` fall inside).
        _first_circle[(dialect, commune_id)] = min(
            MAX_RADIUS_M, circle * math.sqrt(1.5 * want / max(len(inside), 1)))
    inside.sort()
    return Nearby(inside[:limit], len(inside) > limit, queries)


def _grow(connection: Connection, dialect: str, *, lat: float, lon: float, radius_m: float,
          want: int, commune_id: int | None, use_index: bool,
          ) -> tuple[list[tuple[float, int]], float, int]:
    """Search growing circles until one holds ``want`` missions or is the whole radius."""
    hint_key = (dialect, commune_id)
    circle = radius_m if not use_index else min(
        radius_m, max(MIN_FIRST_RADIUS_M, _first_circle.get(hint_key, FIRST_RADIUS_M)))
    queries = 0
    while True:
        box = search_box(lat, lon, circle)
        params: list = [MissionStatus.OPEN.value]
        cells = box.cells()
        if use_index:
            params += cells if dialect == "sqlite" else [cells]
        params += [box.min_lon, box.max_lon, box.min_lat, box.max_lat]
        if commune_id is not None:
            params.append(commune_id)
        key = (dialect, use_index, commune_id is not None,
               len(cells) if dialect == "sqlite" and use_index else 0)
        sql = _SQL.get(key)
        if sql is None:
            sql = _SQL[key] = _box_sql(dialect, use_index=use_index,
                                       by_commune=commune_id is not None, cells=key[3])
        rows = connection.exec_driver_sql(sql, tuple(params)).all()
        queries += 1
        inside = _inside(rows, lat, lon, circle)
        if len(inside) >= want or circle >= radius_m:
            return inside, circle, queries
        # Widen by the density seen: aim at ~1.7 times the area that should hold `want`.
        growth = 4.0 if not inside else max(1.5, math.sqrt(want / len(inside)) * 1.3)
        circle = min(radius_m, circle * growth)


@dataclass(frozen=True)
class NearbyCard:
    """A mission on the map or in the list: public fields only."""

    id: int
    title: str
    category: str
    neighbourhood_name: str
    starts_at: datetime
    duration_minutes: int
    places_left: int
    approx_lat: float
    approx_lon: float
    approx_radius_m: int
    distance_m: float


def nearby_cards(session: Session, *, actor: Actor, lat: float, lon: float, radius_m: float,
                 limit: int) -> tuple[list[NearbyCard], bool]:
    """The map's and list's content for a volunteer: their commune's open missions nearby.

    Raises:
        ValidationFailed: the centre or the radius is not a number (a hand-made event).
    """
    if not (_degrees(lat) and _degrees(lon) and _degrees(radius_m) and radius_m > 0):
        raise ValidationFailed({"point": N_("This point is not inside the commune.")})
    found = nearby_missions(session, lat=lat, lon=lon, radius_m=radius_m, limit=limit,
                            commune_id=actor.commune_id)
    if not found.hits:
        return [], False
    ids = [mission_id for _, mission_id in found.hits]
    rows = session.exec(
        select(Mission, Neighbourhood)
        .join(Neighbourhood, Neighbourhood.id == Mission.neighbourhood_id)
        .where(col(Mission.id).in_(ids))
    ).all()
    by_id = {m.id: (m, h) for m, h in rows}
    cards = []
    for d, mission_id in found.hits:
        if mission_id not in by_id:
            continue
        m, h = by_id[mission_id]
        cards.append(NearbyCard(
            id=mission_id, title=m.title, category=m.category, neighbourhood_name=h.name,
            starts_at=m.starts_at, duration_minutes=m.duration_minutes,
            places_left=max(0, m.capacity - m.accepted_count), approx_lat=m.approx_lat,
            approx_lon=m.approx_lon, approx_radius_m=m.approx_radius_m, distance_m=d,
        ))
    return cards, found.more


@dataclass(frozen=True)
class MapOrigin:
    """Where a volunteer's map starts: home neighbourhood, default radius, boards around."""

    lat: float
    lon: float
    neighbourhood_name: str
    radius_m: int
    neighbours: list[NearbyBoard]


def map_origin(session: Session, *, actor: Actor) -> MapOrigin:
    """The volunteer's home neighbourhood (else the commune's middle) and preferred radius."""
    profile = session.get(VolunteerProfile, actor.user_id)
    radius = int(round((profile.max_distance_km if profile else 2.0) * 1000))
    home = session.get(Neighbourhood, actor.neighbourhood_id) if actor.neighbourhood_id else None
    if home is not None and home.commune_id == actor.commune_id:
        return MapOrigin(home.lat, home.lon, home.name, radius,
                         neighbouring_boards(session, neighbourhood_id=home.id or 0))
    everything = areas(session, actor.commune_id)
    if not everything:
        raise NotFound()
    lat = sum(a.lat for a in everything) / len(everything)
    lon = sum(a.lon for a in everything) / len(everything)
    return MapOrigin(lat, lon, "", radius, [])


@dataclass(frozen=True)
class Placement:
    """What the referent sees when placing a need: staff only (the point is private)."""

    mission_id: int
    title: str
    address: str
    neighbourhood_name: str
    lat: float
    lon: float
    source: str


def placement(session: Session, *, actor: Actor, mission_id: int) -> Placement:
    """The mission's current point for its commune's staff (exact if known, else the area)."""
    mission = session.get(Mission, mission_id)
    if mission is None:
        raise NotFound()
    require_staff(actor, mission.commune_id)
    hood = session.get(Neighbourhood, mission.neighbourhood_id)
    exact = mission.exact_lat is not None and mission.exact_lon is not None
    return Placement(
        mission_id=mission_id, title=mission.title, address=mission.exact_address,
        neighbourhood_name=hood.name if hood else "",
        lat=mission.exact_lat if exact else mission.approx_lat,
        lon=mission.exact_lon if exact else mission.approx_lon,
        source=mission.geo_source,
    )
