"""Pure geography: distances, search boxes, approximate points, neighbourhoods."""

from __future__ import annotations

import math
import random

import pytest
from geopy.distance import great_circle

from heurecivique_app.domain.geo import (
    APPROX_MAX_OFFSET_M,
    APPROX_MIN_OFFSET_M,
    Area,
    Point,
    approximate_point,
    area_for_point,
    destination,
    distance_m,
    geo_cell,
    neighbouring_areas,
    rounded_distance_m,
    search_box,
)
from heurecivique_app.i18n import format_distance

VITRE = Point(48.1236, -1.2085)


def test_fast_distance_agrees_with_geopy_great_circle() -> None:
    rnd = random.Random(1)
    for _ in range(2000):
        a = (rnd.uniform(41, 51), rnd.uniform(-5, 9))
        b = (a[0] + rnd.uniform(-0.5, 0.5), a[1] + rnd.uniform(-0.5, 0.5))
        assert distance_m(*a, *b) == pytest.approx(great_circle(a, b).meters, abs=1e-3)
    assert distance_m(48.0, -1.0, 48.0, -1.0) == 0.0


def test_search_box_contains_every_point_of_the_circle() -> None:
    rnd = random.Random(2)
    for _ in range(300):
        lat, lon, radius = rnd.uniform(42, 51), rnd.uniform(-4, 8), rnd.uniform(50, 30_000)
        box = search_box(lat, lon, radius)
        for bearing in range(0, 360, 5):
            p = destination(lat, lon, radius, bearing)
            assert box.min_lat <= p.lat <= box.max_lat and box.min_lon <= p.lon <= box.max_lon
            assert geo_cell(box.min_lat) <= geo_cell(p.lat) <= geo_cell(box.max_lat)
        # Tight: the box is not much wider than the circle.
        assert distance_m(lat, lon, box.max_lat, lon) == pytest.approx(radius, rel=1e-6)


def test_destination_travels_the_distance() -> None:
    p = destination(VITRE.lat, VITRE.lon, 1234.0, 77.0)
    assert distance_m(VITRE.lat, VITRE.lon, p.lat, p.lon) == pytest.approx(1234.0, abs=1e-6)


def test_approximate_point_is_fixed_per_key_and_secret() -> None:
    one = approximate_point(VITRE, key="beneficiary:1", salt="s3cret")
    assert approximate_point(VITRE, key="beneficiary:1", salt="s3cret") == one
    assert approximate_point(VITRE, key="beneficiary:2", salt="s3cret") != one
    assert approximate_point(VITRE, key="beneficiary:1", salt="other") != one
    offsets, bearings = [], []
    for n in range(500):
        p = approximate_point(VITRE, key=f"mission:{n}", salt="s3cret")
        d = distance_m(VITRE.lat, VITRE.lon, p.lat, p.lon)
        offsets.append(d)
        bearings.append(math.degrees(math.atan2(p.lon - VITRE.lon, p.lat - VITRE.lat)) % 360)
    assert APPROX_MIN_OFFSET_M - 1e-6 <= min(offsets)
    assert max(offsets) <= APPROX_MAX_OFFSET_M + 1e-6
    # Spread in every direction, so the offset says nothing about where the address is.
    assert {int(b // 90) for b in bearings} == {0, 1, 2, 3}


HOODS = [
    Area(1, "Centre", 48.1236, -1.2085, 450),
    Area(2, "Rachapt", 48.1266, -1.2112, 500),
    Area(3, "Roncinière", 48.1135, -1.2035, 800),
]


def test_a_point_finds_its_neighbourhood() -> None:
    assert area_for_point(HOODS, Point(48.1238, -1.2080)).name == "Centre"
    assert area_for_point(HOODS, Point(48.1270, -1.2118)).name == "Rachapt"
    assert area_for_point(HOODS, Point(48.1120, -1.2030)).name == "Roncinière"
    assert area_for_point(HOODS, Point(48.2, -1.0)) is None  # another commune
    assert area_for_point([], VITRE) is None


def test_neighbouring_areas_come_from_geography() -> None:
    near = neighbouring_areas(HOODS, HOODS[0])
    assert [a.name for a, _ in near] == ["Rachapt", "Roncinière"]
    assert near[0][1] < near[1][1]
    assert neighbouring_areas(HOODS, HOODS[0], gap_m=0)[0][0].name == "Rachapt"
    far = Area(9, "Loin", 48.3, -1.0, 500)
    assert neighbouring_areas([*HOODS, far], far) == []


@pytest.mark.parametrize(("metres", "fr", "en"), [
    (40, "100 m", "100 m"), (649, "600 m", "600 m"), (1180, "1,2 km", "1.2 km"),
    (9960, "10 km", "10 km"), (12_400, "12 km", "12 km"),
])
def test_distances_are_rounded_as_people_say_them(metres, fr, en) -> None:
    assert format_distance(metres, "fr") == fr
    assert format_distance(metres, "en") == en
    assert rounded_distance_m(metres) % 100 == 0
