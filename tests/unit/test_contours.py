"""Neighbourhood contours (domain/contours.py) and how they place points and pick
neighbouring boards (domain/geo.py), next to quarters still drawn as circles."""

from __future__ import annotations

import json

import pytest

from heurecivique_app.domain.contours import covers, read_contours, touch
from heurecivique_app.domain.errors import ValidationFailed
from heurecivique_app.domain.geo import Area, Point, area_for_point, neighbouring_areas
from heurecivique_app.domain.territory import clean_colour, contrast_with_white
from heurecivique_app.domain.text import FieldError
from heurecivique_app.presenters.onboarding import drawing


def square(name: str, x: float, y: float, size: float = 0.01) -> dict:
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Feature", "properties": {"NOM_IRIS": name},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def read(*features: dict) -> list:
    return read_contours(json.dumps({"type": "FeatureCollection", "features": list(features)}))


def test_a_file_gives_each_quarter_a_point_inside_and_a_circle_that_holds_it() -> None:
    # An L-shaped quarter: its centroid falls outside it, the stored centre may not.
    ell = {"type": "Feature", "properties": {"name": "Équerre"}, "geometry": {
        "type": "Polygon", "coordinates": [[[0, 0], [0.03, 0], [0.03, 0.005], [0.005, 0.005],
                                            [0.005, 0.03], [0, 0.03], [0, 0]]]}}
    gare, l_shape = read(square("Gare", -1.2, 48.1), ell)
    assert gare.name == "Gare"  # IRIS files name quarters NOM_IRIS: any case is read
    assert (gare.lat, gare.lon) == (48.105, -1.195)
    assert covers(l_shape.geojson, l_shape.lat, l_shape.lon)
    assert l_shape.radius_m > 2000  # reaches the far ends of both arms


def test_slivers_between_published_contours_are_no_overlap_but_they_touch() -> None:
    # Two quarters whose shared edge was digitised twice, 0.00002° apart (about 2 m).
    left, right = read(square("Ouest", 0.0, 45.0), square("Est", 0.01002, 45.0))
    assert touch(left.geojson, right.geojson)
    overlapping = square("Est", 0.00999, 45.0)  # 1 m into its neighbour: a sliver
    assert len(read(square("Ouest", 0.0, 45.0), overlapping)) == 2
    with pytest.raises(ValidationFailed):
        read(square("Ouest", 0.0, 45.0), square("Est", 0.008, 45.0))  # 20 % of it


def test_points_go_to_the_contour_that_holds_them_and_circles_keep_their_rule() -> None:
    gare, centre = read(square("Gare", -1.22, 48.12), square("Centre", -1.21, 48.12))
    areas = [Area(1, "Gare", gare.lat, gare.lon, gare.radius_m, gare.geojson),
             Area(2, "Centre", centre.lat, centre.lon, centre.radius_m, centre.geojson),
             Area(3, "Bourg", 48.10, -1.30, 500)]  # a quarter with no contour
    assert area_for_point(areas, Point(48.125, -1.2101)).name == "Gare"
    assert area_for_point(areas, Point(48.125, -1.2099)).name == "Centre"
    # Outside every contour, even within their circles' slack: no quarter.
    assert area_for_point(areas, Point(48.1305, -1.215)) is None
    assert area_for_point(areas, Point(48.1003, -1.3003)).name == "Bourg"
    assert [a.name for a, _ in neighbouring_areas(areas, areas[0])] == ["Centre"]
    assert neighbouring_areas(areas, areas[2]) == []


def test_the_drawing_keeps_shapes_and_fits_the_box() -> None:
    gare, centre = read(square("Gare", -1.22, 48.12), square("Centre", -1.21, 48.12))
    rows = drawing([(gare.name, gare.geojson), (centre.name, centre.geojson)])
    numbers = [float(n) for row in rows for n in row["d"].replace("M", " ").replace(
        "L", " ").replace("Z", " ").split()]
    assert min(numbers) == pytest.approx(10.0) and max(numbers) == pytest.approx(390.0)
    assert [r["name"] for r in rows] == ["Gare", "Centre"]
    assert float(rows[0]["x"]) < float(rows[1]["x"])  # west stays on the left


@pytest.mark.parametrize(("colour", "ok"), [("#1d4ed8", True), ("#8c1d40", True),
                                            ("#0f766e", True), ("#ffd700", False),
                                            ("#60a5fa", False)])
def test_the_communes_colour_must_carry_white_text(colour: str, ok: bool) -> None:
    assert (contrast_with_white(colour) >= 4.5) is ok
    if ok:
        assert clean_colour(colour.upper()) == colour
    else:
        with pytest.raises(FieldError):
            clean_colour(colour)
