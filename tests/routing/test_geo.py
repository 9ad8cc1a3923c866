"""Point-in-ward on the 40 real wards and communes of Huế (July 2025), and its edge cases."""

from __future__ import annotations

import random
from typing import Any

import pytest
from shapely.geometry import box

from routing.geo import WardIndex, WardMatch, haversine_km, ward_code_for
from routing.types import Point, WardCentre, WardShape


def feature(name: str, coordinates: Any, kind: str = "Polygon", **props: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": kind, "coordinates": coordinates} if coordinates is not None else None,
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def square(x0: float, y0: float, x1: float, y1: float) -> list[list[list[float]]]:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


# -- real geometry --------------------------------------------------------------------------------


def test_real_file_loads_all_40_wards_without_repairs(hue_wards: WardIndex) -> None:
    report = hue_wards.load_report
    assert (report.features, report.loaded, report.repaired, report.invalid, report.skipped) == (
        40,
        40,
        0,
        0,
        0,
    )
    assert len(hue_wards) == 40
    assert len({w.code for w in hue_wards.wards}) == 40
    assert "phu-xuan" in hue_wards
    assert hue_wards.name_of("chan-may-lang-co") == "Chân Mây - Lăng Cô"


@pytest.mark.parametrize(
    ("place", "lat", "lon", "code", "name"),
    [
        ("the Citadel (Đại Nội)", 16.4698, 107.5786, "phu-xuan", "Phú Xuân"),
        ("Thuận An beach", 16.5587, 107.6427, "thuan-an", "Thuận An"),
        ("Đông Ba market", 16.4724, 107.5882, "phu-xuan", "Phú Xuân"),
        ("Thiên Mụ pagoda", 16.4537, 107.5446, "kim-long", "Kim Long"),
        ("Phú Bài airport", 16.4015, 107.7026, "phu-bai", "Phú Bài"),
        ("Lăng Cô", 16.2290, 108.0730, "chan-may-lang-co", "Chân Mây - Lăng Cô"),
    ],
)
def test_landmark_is_in_its_ward(
    hue_wards: WardIndex, place: str, lat: float, lon: float, code: str, name: str
) -> None:
    # Given the real ward polygons; when a report comes from a landmark; then it lands in its ward.
    assert hue_wards.locate(Point(lat, lon)) == WardMatch(code, name, "polygon", 0.0), place


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("the East Sea off Thuận An", 16.70, 107.90),
        ("Đà Nẵng", 16.0544, 108.2022),
        ("Quảng Trị", 16.75, 107.19),
    ],
)
def test_point_outside_every_ward_has_no_area(
    hue_wards: WardIndex, place: str, lat: float, lon: float
) -> None:
    assert hue_wards.locate(Point(lat, lon)) is None, place


def test_grid_answers_exactly_like_the_plain_strtree_lookup(hue_wards: WardIndex) -> None:
    # Given 20,000 random points over (and around) the city; the fast path must never disagree.
    rng = random.Random(46)
    points = [Point(rng.uniform(15.95, 16.80), rng.uniform(107.0, 108.25)) for _ in range(20_000)]
    disagreements = [p for p in points if hue_wards.locate(p) != hue_wards.locate_reference(p)]
    assert disagreements == []


# -- borders and build order ----------------------------------------------------------------------


def test_point_on_a_shared_border_goes_to_the_first_ward_in_code_order_whatever_the_load_order() -> None:
    west = WardShape("b-west", "West", box(107.0, 16.0, 107.1, 16.1))
    east = WardShape("a-east", "East", box(107.1, 16.0, 107.2, 16.1))
    on_border = Point(16.05, 107.1)
    for wards in ([west, east], [east, west]):
        index = WardIndex(wards)
        assert index.locate(on_border) == WardMatch("a-east", "East", "polygon", 0.0)
        assert index.locate_reference(on_border) == WardMatch("a-east", "East", "polygon", 0.0)
    # Just inside either side, the ward containing the point wins.
    assert WardIndex([west, east]).locate(Point(16.05, 107.0999)) == WardMatch("b-west", "West", "polygon")


def test_point_on_the_outer_edge_is_in_the_ward() -> None:
    index = WardIndex([WardShape("only", "Only", box(107.0, 16.0, 107.1, 16.1))])
    assert index.locate(Point(16.1, 107.05)) == WardMatch("only", "Only", "polygon")
    assert index.locate(Point(16.1000001, 107.05)) is None


# -- loading and repairing ------------------------------------------------------------------------


def test_self_intersecting_polygon_is_repaired_and_counted() -> None:
    # Given a "bow tie" ring (crosses itself at 107.05, 16.05) next to a valid ward.
    bow_tie = [[[107.0, 16.0], [107.1, 16.1], [107.1, 16.0], [107.0, 16.1], [107.0, 16.0]]]
    data = collection(feature("Bow Tie", bow_tie), feature("Đông Ba", square(107.2, 16.0, 107.3, 16.1)))
    index = WardIndex.from_geojson(data)
    report = index.load_report
    assert (report.features, report.loaded, report.repaired, report.invalid, report.skipped) == (
        2,
        2,
        1,
        0,
        0,
    )
    assert report.problems == ["feature 1 (Bow Tie): invalid geometry repaired"]
    # Then both lobes of the repaired ward are found, and the middle of its box is not in it.
    assert index.locate(Point(16.05, 107.01)) == WardMatch("bow-tie", "Bow Tie", "polygon")
    assert index.locate(Point(16.05, 107.09)) == WardMatch("bow-tie", "Bow Tie", "polygon")
    assert index.locate(Point(16.09, 107.05)) is None
    assert index.locate(Point(16.05, 107.25)) == WardMatch("dong-ba", "Đông Ba", "polygon")


def test_unusable_features_are_skipped_and_counted() -> None:
    flat = [[[107.0, 16.0], [107.1, 16.0], [107.2, 16.0], [107.0, 16.0]]]  # no area at all
    data = collection(
        feature("Flat", flat),
        feature("No Shape", None),
        feature("", square(107.0, 16.0, 107.1, 16.1)),
        feature("Road", [[107.0, 16.0], [107.1, 16.1]], kind="LineString"),
        feature("Kept", square(107.0, 16.0, 107.1, 16.1)),
        feature("Kept", square(107.2, 16.0, 107.3, 16.1)),
        feature("Centre Only", [107.5, 16.5], kind="Point"),
    )
    index = WardIndex.from_geojson(data)
    report = index.load_report
    assert (report.features, report.loaded, report.centres_only, report.invalid, report.skipped) == (
        7,
        1,
        1,
        1,
        4,
    )
    assert report.problems == [
        "feature 1 (Flat): invalid geometry could not be repaired",
        "feature 2 (No Shape): no geometry",
        "feature 3 (?): missing name or code",
        "feature 4 (Road): LineString is not an area",
        "feature 6 (Kept): duplicate code 'kept'",
    ]
    assert [w.code for w in index.wards] == ["kept"]
    assert [c.code for c in index.centres] == ["centre-only"]


def test_code_field_takes_codes_from_a_property() -> None:
    data = collection(feature("Phú Xuân", square(107.0, 16.0, 107.1, 16.1), id="19753"))
    index = WardIndex.from_geojson(data, code_field="id")
    assert index.locate(Point(16.05, 107.05)) == WardMatch("19753", "Phú Xuân", "polygon")


def test_not_a_feature_collection_is_refused() -> None:
    with pytest.raises(ValueError, match="FeatureCollection"):
        WardIndex.from_geojson({"type": "Feature"})


def test_duplicate_codes_given_directly_are_refused() -> None:
    ward = WardShape("x", "X", box(0, 0, 1, 1))
    with pytest.raises(ValueError, match="duplicate ward codes"):
        WardIndex([ward], [WardCentre("x", "X", Point(0.5, 0.5))])


# -- no polygons: nearest centre ------------------------------------------------------------------


def test_without_polygons_the_nearest_centre_within_range_is_used() -> None:
    # Given two wards known only by their centres, 3 km allowed.
    citadel = WardCentre("phu-xuan", "Phú Xuân", Point(16.4698, 107.5786))
    beach = WardCentre("thuan-an", "Thuận An", Point(16.5587, 107.6427))
    index = WardIndex(centres=[beach, citadel], max_km=3.0)
    # When a report is 0.009 degrees of latitude (1.0008 km) north of the Citadel's centre.
    match = index.locate(Point(16.4788, 107.5786))
    # Then it goes to Phú Xuân, marked as a nearest-centre match with its distance.
    assert match is not None
    assert (match.code, match.name, match.method) == ("phu-xuan", "Phú Xuân", "nearest_centre")
    assert match.distance_km == pytest.approx(1.0008, abs=1e-4)


def test_without_polygons_a_point_beyond_range_has_no_area() -> None:
    citadel = WardCentre("phu-xuan", "Phú Xuân", Point(16.4698, 107.5786))
    index = WardIndex(centres=[citadel], max_km=3.0)
    # 0.05 degrees north is 5.56 km away: beyond 3 km.
    assert index.locate(Point(16.5198, 107.5786)) is None
    assert WardIndex(centres=[citadel], max_km=6.0).locate(Point(16.5198, 107.5786)) is not None


def test_haversine_matches_known_distance() -> None:
    # The Citadel to Thuận An beach: 9.885 km north and 6.834 km east, 12.017 km as the crow flies.
    assert haversine_km(Point(16.4698, 107.5786), Point(16.5587, 107.6427)) == pytest.approx(
        12.017, abs=0.001
    )


def test_an_empty_index_finds_nothing() -> None:
    assert WardIndex().locate(Point(16.4698, 107.5786)) is None


# -- codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Phú Xuân", "phu-xuan"),
        ("Đan Điền", "dan-dien"),
        ("Chân Mây - Lăng Cô", "chan-may-lang-co"),
        ("Chân Mây-Lăng Cô", "chan-may-lang-co"),
        ("A Lưới 1", "a-luoi-1"),
        ("Vỹ Dạ", "vy-da"),
        ("  Hương  Trà ", "huong-tra"),
    ],
)
def test_ward_code_for_makes_stable_ascii_codes(name: str, code: str) -> None:
    assert ward_code_for(name) == code


# -- Point ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "error"),
    [
        (91.0, 107.0, ValueError),
        (16.0, -180.5, ValueError),
        (float("nan"), 107.0, ValueError),
        (True, 107.0, TypeError),
        ("16.4", 107.0, TypeError),
    ],
)
def test_point_refuses_impossible_coordinates(lat: object, lon: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        Point(lat, lon)  # type: ignore[arg-type]


def test_point_stores_floats() -> None:
    assert Point(16, 107) == Point(16.0, 107.0)
    assert isinstance(Point(16, 107).lat, float)
