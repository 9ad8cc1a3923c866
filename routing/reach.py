"""Whether an announced area reaches a listener (pure Python + shapely, no Django).

An announced area is what a warning names: the whole city, some wards, or a drawn area (a GeoJSON
Polygon in [lng, lat] rings, or a circle `{"center": [lng, lat], "radius_m": N}`). A listener is
placed by wards (those a client subscribed to, or the ward its position is in) and perhaps a point.

One definition for both ways citizens receive warnings: the REST point query (backend/alerts) and the
live stream filtered per socket (realtime/subscriptions.py), so the two never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

import shapely
from shapely import affinity
from shapely.geometry import shape

from routing.geo import haversine_km
from routing.types import Point

METRES_PER_DEGREE = 111_320.0


def is_circle(drawn: Mapping[str, Any]) -> bool:
    return "center" in drawn


def drawn_area_covers(drawn: Mapping[str, Any], point: Point) -> bool:
    """Inside the circle (great-circle distance) or the polygon; a point on the edge counts as inside."""
    if is_circle(drawn):
        c_lng, c_lat = drawn["center"]
        return haversine_km(Point(c_lat, c_lng), point) * 1000 <= float(drawn["radius_m"])
    return bool(shapely.intersects_xy(shape(drawn), point.lon, point.lat))


def drawn_area_shape(drawn: Mapping[str, Any]) -> Any:
    """The drawn area as a shapely geometry in degrees (a circle becomes the ellipse it is in degrees:
    a degree of longitude is shorter than a degree of latitude by cos(latitude))."""
    if not is_circle(drawn):
        return shape(drawn)
    c_lng, c_lat = drawn["center"]
    disc = shapely.Point(c_lng, c_lat).buffer(float(drawn["radius_m"]) / METRES_PER_DEGREE, 32)
    return affinity.scale(disc, xfact=1 / max(0.01, math.cos(math.radians(c_lat))), yfact=1, origin=(c_lng, c_lat))


def area_reaches(
    *,
    city_wide: bool,
    ward_codes: Collection[str],
    drawn: Mapping[str, Any] | None,
    wards: Collection[str],
    point: Point | None = None,
) -> bool:
    """Whether the announced area reaches a listener in `wards` (at `point`, if known).

    `ward_codes` are the wards the area names, or for a drawn area the wards it overlaps. With a point,
    a drawn area decides exactly (inside or not); without one, overlapping a listener's ward is enough.
    """
    if city_wide:
        return True
    if drawn is not None and point is not None:
        return drawn_area_covers(drawn, point)
    return not set(ward_codes).isdisjoint(wards)
