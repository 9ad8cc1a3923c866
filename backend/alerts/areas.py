"""Where a warning applies: checking a drawn area, and whether it covers a citizen's position.

A drawn area is a GeoJSON Polygon (rings of [lng, lat], as GeoJSON writes them) or a circle
`{"center": [lng, lat], "radius_m": N}`. Ward warnings are matched through routing's ward index (the
same point-in-polygon that decides which ward a report belongs to), so a warning "for Phú Xuân" reaches
exactly the positions routing would file under Phú Xuân. Whether an area reaches a place is decided in
one place, `routing.reach`, for the REST point query and the live stream alike.
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Polygon, shape
from shapely.validation import explain_validity

from routing import runtime as routing
from routing.reach import drawn_area_covers, drawn_area_shape

MAX_VERTICES = 2000
MAX_RADIUS_M = 100_000


class AreaInvalid(ValueError):
    pass


def _lng_lat(value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise AreaInvalid("a position is [longitude, latitude]")
    lng, lat = float(value[0]), float(value[1])
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        raise AreaInvalid("a position is [longitude, latitude] in degrees")
    return lng, lat


def parse_geometry(raw: Any) -> dict[str, Any]:
    """The drawn area, checked and in its stored form; AreaInvalid says what is wrong."""
    if not isinstance(raw, dict):
        raise AreaInvalid("a GeoJSON Polygon or {\"center\": [lng, lat], \"radius_m\": N}")
    if "center" in raw or "radius_m" in raw:
        lng, lat = _lng_lat(raw.get("center"))
        radius = raw.get("radius_m")
        if not isinstance(radius, int | float) or isinstance(radius, bool) or not 1 <= radius <= MAX_RADIUS_M:
            raise AreaInvalid(f"radius_m is a number of metres from 1 to {MAX_RADIUS_M}")
        return {"center": [lng, lat], "radius_m": float(radius)}
    if raw.get("type") != "Polygon":
        raise AreaInvalid("only a GeoJSON Polygon or a circle is accepted")
    rings = raw.get("coordinates")
    if not isinstance(rings, list) or not rings or not all(isinstance(r, list) for r in rings):
        raise AreaInvalid("coordinates is a list of rings of [longitude, latitude]")
    clean = []
    for ring in rings:
        points = [list(_lng_lat(p)) for p in ring]
        if points and points[0] != points[-1]:
            points.append(points[0])  # GeoJSON rings are closed; accept an open one and close it
        if len(points) < 4:
            raise AreaInvalid("a ring needs at least 3 distinct positions")
        clean.append(points)
    if sum(len(r) for r in clean) > MAX_VERTICES:
        raise AreaInvalid(f"at most {MAX_VERTICES} positions")
    polygon = Polygon(clean[0], clean[1:])
    if not polygon.is_valid:
        raise AreaInvalid(f"the polygon is not valid ({explain_validity(polygon)})")
    if polygon.is_empty or polygon.area == 0:
        raise AreaInvalid("the polygon has no area")
    return {"type": "Polygon", "coordinates": clean}


def cap_polygon(ring: list[list[float]]) -> str:
    """A ring as CAP writes a polygon: "lat,lon lat,lon ..." (latitude first), closed."""
    return " ".join(f"{lat:.5f},{lng:.5f}" for lng, lat in ring)


def cap_circle(geometry: dict[str, Any]) -> str:
    """CAP's circle: "lat,lon radius" with the radius in kilometres."""
    lng, lat = geometry["center"]
    return f"{lat:.5f},{lng:.5f} {geometry['radius_m'] / 1000:.3f}"


def outer_rings(geometry: dict[str, Any] | None, *, tolerance: float = 0.0002) -> list[list[list[float]]]:
    """The outer rings of a (Multi)Polygon, simplified (~20 m): CAP areas are for alerting, not survey."""
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return []
    geom = shape(geometry).simplify(tolerance, preserve_topology=True)
    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    return [[[x, y] for x, y in part.exterior.coords] for part in parts if not part.is_empty]




def wards_overlapped(geometry: dict[str, Any]) -> list[str]:
    """The codes of the wards a drawn area overlaps (their polygons, else their centres), in code order:
    a client listening for those wards hears of the warning."""
    drawn = drawn_area_shape(geometry)
    index = routing.tables().ward_index
    found = {ward.code for ward in index.wards if drawn.intersects(ward.geometry)}
    found |= {centre.code for centre in index.centres if drawn_area_covers(geometry, centre.centre)}
    return sorted(found)
