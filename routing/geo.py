"""Which ward a report's GPS position is in (pure Python + shapely, no Django).

`WardIndex` is built once (at start-up or after `import_areas`) and answers `locate(point)`:

1. point in polygon: the first ward, in code order, whose polygon contains the point; a point exactly
   on a shared border goes to the first ward in code order that touches it, so the answer never
   depends on the order the wards were loaded in;
2. wards known only by a centre (no polygon loaded): the nearest centre within `max_km`
   (great-circle distance);
3. otherwise `None`: no area, the report goes to operator review.

Speed: a uniform grid over the wards' extent is classified once with vectorised shapely calls. A cell
lying inside exactly one ward (and touching no other) answers with a dict lookup; only cells crossed by
a border fall back to prepared-geometry tests on the few wards whose boxes meet that cell.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import shapely
from shapely.geometry import shape

from routing.types import Point, WardCentre, WardShape
from triage.text import fold

EARTH_RADIUS_KM = 6371.0088
DEFAULT_MAX_KM = 3.0
# ~550 m at Huế's latitude: fine enough that most urban cells are inside a single ward.
DEFAULT_CELL_DEGREES = 0.005

_POLYGONAL = ("Polygon", "MultiPolygon")


def ward_code_for(name: str) -> str:
    """A stable ASCII code from a Vietnamese name: "Phú Xuân" -> "phu-xuan", "Đan Điền" -> "dan-dien".

    Accents are folded by ``triage.text.fold`` (đ -> d); everything that is not a letter or digit
    becomes a single hyphen.
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def haversine_km(a: Point, b: Point) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True, slots=True)
class WardMatch:
    code: str
    name: str
    method: Literal["polygon", "nearest_centre"]
    distance_km: float = 0.0


@dataclass(slots=True)
class LoadReport:
    """What happened to each feature of an imported file (printed by `import_areas`)."""

    features: int = 0
    loaded: int = 0
    repaired: int = 0
    centres_only: int = 0
    invalid: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def repair_geometry(geometry: Any) -> tuple[Any, bool]:
    """Return (polygonal geometry or None, whether it was repaired).

    `make_valid` can turn a self-intersecting ring into a collection holding stray lines or points;
    only the polygonal part is a ward's area, the rest is dropped.
    """
    if geometry.is_valid:
        return geometry, False
    fixed = shapely.make_valid(geometry)
    if fixed.geom_type == "GeometryCollection":
        parts = [g for g in shapely.get_parts(fixed) if g.geom_type in _POLYGONAL]
        fixed = shapely.union_all(parts) if parts else None
    if fixed is None or fixed.is_empty or fixed.geom_type not in _POLYGONAL:
        return None, True
    return fixed, True


def _load_geojson(source: str | Path | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(source, Mapping):
        return source
    with Path(source).open(encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: not a GeoJSON object")
    return data


class WardIndex:
    """Point -> ward, built once from polygons and/or centres. Read-only after construction."""

    def __init__(
        self,
        wards: Sequence[WardShape] = (),
        centres: Sequence[WardCentre] = (),
        *,
        max_km: float = DEFAULT_MAX_KM,
        cell_degrees: float = DEFAULT_CELL_DEGREES,
        load_report: LoadReport | None = None,
    ) -> None:
        if max_km < 0:
            raise ValueError("max_km must be >= 0")
        if cell_degrees <= 0:
            raise ValueError("cell_degrees must be > 0")
        codes = [w.code for w in wards] + [c.code for c in centres]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"duplicate ward codes: {duplicates}")
        for ward in wards:
            if ward.geometry.geom_type not in _POLYGONAL or not ward.geometry.is_valid:
                raise ValueError(f"ward {ward.code}: geometry must be a valid (multi)polygon")

        # Code order makes every tie-break independent of the input order.
        self._wards: tuple[WardShape, ...] = tuple(sorted(wards, key=lambda w: w.code))
        self._centres: tuple[WardCentre, ...] = tuple(sorted(centres, key=lambda c: c.code))
        self.max_km = float(max_km)
        self.load_report = load_report or LoadReport(loaded=len(wards), centres_only=len(centres))
        self._geoms = [w.geometry for w in self._wards]
        for geom in self._geoms:
            shapely.prepare(geom)
        self._matches = tuple(WardMatch(w.code, w.name, "polygon") for w in self._wards)
        self._names = {w.code: w.name for w in self._wards} | {c.code: c.name for c in self._centres}
        self._cell = float(cell_degrees)
        self._grid: dict[tuple[int, int], int | tuple[int, ...]] = {}
        self.tree: shapely.STRtree | None = None
        if self._geoms:
            self.tree = shapely.STRtree(self._geoms)
            self._build_grid()

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_geojson(
        cls,
        source: str | Path | Mapping[str, Any],
        *,
        code_field: str | None = None,
        name_field: str = "name",
        max_km: float = DEFAULT_MAX_KM,
        cell_degrees: float = DEFAULT_CELL_DEGREES,
    ) -> WardIndex:
        """Load a FeatureCollection of wards.

        The code comes from `properties[code_field]`, or from the name via `ward_code_for` when
        `code_field` is None. Invalid polygons are repaired with `make_valid`; features with no usable
        geometry, name or code, or a duplicate code, are skipped and counted in `load_report`.
        Point features become centre-only wards (nearest-centre fallback).
        """
        data = _load_geojson(source)
        if data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
            raise ValueError("expected a GeoJSON FeatureCollection")
        report = LoadReport()
        wards: list[WardShape] = []
        centres: list[WardCentre] = []
        seen: set[str] = set()
        for number, feature in enumerate(data["features"], start=1):
            report.features += 1
            props = feature.get("properties") or {}
            name = str(props.get(name_field) or "").strip()
            raw_code = props.get(code_field) if code_field else (ward_code_for(name) if name else None)
            code = str(raw_code).strip() if raw_code is not None else ""
            label = f"feature {number} ({name or '?'})"
            if not name or not code:
                report.skipped += 1
                report.problems.append(f"{label}: missing name or code")
                continue
            if code in seen:
                report.skipped += 1
                report.problems.append(f"{label}: duplicate code {code!r}")
                continue
            try:
                geometry = shape(feature["geometry"]) if feature.get("geometry") else None
            except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
                report.skipped += 1
                report.problems.append(f"{label}: unreadable geometry ({exc})")
                continue
            if geometry is None or geometry.is_empty:
                report.skipped += 1
                report.problems.append(f"{label}: no geometry")
                continue
            if geometry.geom_type == "Point":
                try:
                    centre = Point(lat=geometry.y, lon=geometry.x)
                except (TypeError, ValueError) as exc:
                    report.skipped += 1
                    report.problems.append(f"{label}: bad centre ({exc})")
                    continue
                centres.append(WardCentre(code, name, centre))
                seen.add(code)
                report.centres_only += 1
                continue
            if geometry.geom_type not in _POLYGONAL:
                report.skipped += 1
                report.problems.append(f"{label}: {geometry.geom_type} is not an area")
                continue
            fixed, repaired = repair_geometry(geometry)
            if fixed is None:
                report.invalid += 1
                report.problems.append(f"{label}: invalid geometry could not be repaired")
                continue
            if repaired:
                report.repaired += 1
                report.problems.append(f"{label}: invalid geometry repaired")
            wards.append(WardShape(code, name, fixed))
            seen.add(code)
            report.loaded += 1
        return cls(wards, centres, max_km=max_km, cell_degrees=cell_degrees, load_report=report)

    def _build_grid(self) -> None:
        import numpy as np

        minx, miny, maxx, maxy = shapely.total_bounds(self._geoms)
        size = self._cell
        ix0, iy0 = math.floor(minx / size), math.floor(miny / size)
        ix1, iy1 = math.floor(maxx / size), math.floor(maxy / size)
        grid_x, grid_y = np.meshgrid(np.arange(ix0, ix1 + 1), np.arange(iy0, iy1 + 1))
        xs, ys = grid_x.ravel(), grid_y.ravel()
        boxes = shapely.box(xs * size, ys * size, (xs + 1) * size, (ys + 1) * size)
        assert self.tree is not None
        # Box-overlap candidates from the tree, then exact tests with the wards' prepared geometries
        # (much faster than letting the tree test every box against unprepared wards).
        cell_idx, ward_idx = self.tree.query(boxes)
        ward_geoms, cell_boxes = np.take(self._geoms, ward_idx), np.take(boxes, cell_idx)
        touching = shapely.intersects(ward_geoms, cell_boxes)
        cell_idx, ward_idx = cell_idx[touching], ward_idx[touching]
        # Which of those (cell, ward) pairs have the cell entirely inside the ward.
        inside = shapely.contains_properly(ward_geoms[touching], cell_boxes[touching])
        per_cell: dict[int, list[tuple[int, bool]]] = {}
        for c, w, full in zip(cell_idx.tolist(), ward_idx.tolist(), inside.tolist(), strict=True):
            per_cell.setdefault(c, []).append((w, full))
        for c, entries in per_cell.items():
            key = (int(xs[c]), int(ys[c]))
            if len(entries) == 1 and entries[0][1]:
                self._grid[key] = entries[0][0]
            else:
                self._grid[key] = tuple(sorted(w for w, _ in entries))

    # -- queries ------------------------------------------------------------------------------

    @property
    def wards(self) -> tuple[WardShape, ...]:
        return self._wards

    @property
    def centres(self) -> tuple[WardCentre, ...]:
        return self._centres

    def __len__(self) -> int:
        return len(self._wards) + len(self._centres)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._names

    def name_of(self, code: str) -> str | None:
        return self._names.get(code)

    def locate(self, point: Point) -> WardMatch | None:
        """The ward containing `point`, else the nearest centre-only ward within `max_km`, else None."""
        found = self._locate_polygon(point.lon, point.lat)
        if found is not None:
            return found
        if self._centres:
            return self.nearest_centre(point)
        return None

    def _locate_polygon(self, x: float, y: float) -> WardMatch | None:
        size = self._cell
        cell = self._grid.get((math.floor(x / size), math.floor(y / size)))
        if cell is None:
            return None
        if isinstance(cell, int):
            return self._matches[cell]
        geoms = self._geoms
        for i in cell:
            if shapely.contains_xy(geoms[i], x, y):
                return self._matches[i]
        # On a border (or a vertex): covered but not contained; first ward in code order wins.
        for i in cell:
            if shapely.intersects_xy(geoms[i], x, y):
                return self._matches[i]
        return None

    def nearest_centre(self, point: Point) -> WardMatch | None:
        best: tuple[float, str, WardCentre] | None = None
        for centre in self._centres:
            km = haversine_km(point, centre.centre)
            if km <= self.max_km and (best is None or (km, centre.code) < best[:2]):
                best = (km, centre.code, centre)
        if best is None:
            return None
        km, _, chosen = best
        return WardMatch(chosen.code, chosen.name, "nearest_centre", km)

    def locate_reference(self, point: Point) -> WardMatch | None:
        """Same answer as `locate`, through the STRtree only (no grid): the oracle for tests."""
        if self.tree is not None:
            p = shapely.Point(point.lon, point.lat)
            hits = sorted(int(i) for i in self.tree.query(p, predicate="intersects"))
            for i in hits:
                if self._geoms[i].contains(p):
                    return self._matches[i]
            if hits:
                return self._matches[hits[0]]
        if self._centres:
            return self.nearest_centre(point)
        return None


def centres_of(wards: Iterable[WardShape]) -> list[WardCentre]:
    """A centre per ward (a point guaranteed inside it), e.g. to store beside a ward's row."""
    out = []
    for ward in wards:
        rp = ward.geometry.representative_point()
        out.append(WardCentre(ward.code, ward.name, Point(lat=rp.y, lon=rp.x)))
    return out
