"""Plain value types shared by the pure routing core (no Django).

The Django side (models, admin, services) converts its rows into these types and hands them to
`routing.decide.decide`; nothing here touches the database, so routing can be tested and
benchmarked without it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry
else:  # shapely ships no type information; keep the annotation readable at runtime.
    BaseGeometry = Any

Urgency = Literal["critical", "high", "normal", "low"]
URGENCIES: tuple[str, ...] = get_args(Urgency)

DeadlineUnit = Literal["hours", "working_hours", "working_days"]
DEADLINE_UNITS: tuple[str, ...] = get_args(DeadlineUnit)

# How the agency was chosen: a routing rule, the category's default agency, or the IOC as last resort.
RouteSource = Literal["rule", "category_default", "fallback"]


@dataclass(frozen=True, slots=True)
class Point:
    """A WGS84 position as the mobile app sends it (latitude first, as people say it)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        for label, value, limit in (("lat", self.lat, 90.0), ("lon", self.lon, 180.0)):
            # bool is an int subclass: True as a latitude is a bug upstream, not 1 degree north.
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{label} must be a number, got {value!r}")
            number = float(value)
            if not math.isfinite(number) or not -limit <= number <= limit:
                raise ValueError(f"{label} must be within [-{limit:g}, {limit:g}], got {value!r}")
            object.__setattr__(self, label, number)


@dataclass(frozen=True, slots=True)
class WardShape:
    """One ward or commune with its boundary (shapely polygon or multipolygon, lon/lat order)."""

    code: str
    name: str
    geometry: BaseGeometry


@dataclass(frozen=True, slots=True)
class WardCentre:
    """A ward known only by its centre (no polygon loaded): used for the nearest-centre fallback."""

    code: str
    name: str
    centre: Point


def _frozen(values: Any) -> frozenset[str]:
    # Accept any iterable of codes (the ORM hands over lists) but store an immutable set.
    if isinstance(values, str):
        raise TypeError("expected a collection of codes, got a single string")
    return frozenset(str(v) for v in values)


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """category x area(s) x urgency -> agency; the first matching active rule by `order` wins.

    `category=None`, an empty `area_codes` or an empty `urgencies` mean "any". Keyword-only, so a
    field order change can never silently swap an area list and an agency.
    """

    id: int
    order: int
    category: str | None
    agency_code: str
    area_codes: frozenset[str] = field(default_factory=frozenset)
    urgencies: frozenset[str] = field(default_factory=frozenset)
    active: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "area_codes", _frozen(self.area_codes))
        object.__setattr__(self, "urgencies", _frozen(self.urgencies))
        unknown = self.urgencies - set(URGENCIES)
        if unknown:
            raise ValueError(f"rule #{self.id}: unknown urgencies {sorted(unknown)}")
        if not self.agency_code:
            raise ValueError(f"rule #{self.id}: agency_code is required")

    def matches(self, category: str, area_code: str | None, urgency: str) -> bool:
        return (
            self.active
            and (self.category is None or self.category == category)
            and (not self.area_codes or (area_code is not None and area_code in self.area_codes))
            and (not self.urgencies or urgency in self.urgencies)
        )


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """How long an agency has: `amount` of `unit` for a category (None = any) and an urgency."""

    category: str | None
    urgency: str
    amount: float
    unit: DeadlineUnit

    def __post_init__(self) -> None:
        if self.urgency not in URGENCIES:
            raise ValueError(f"unknown urgency {self.urgency!r}; expected one of {URGENCIES}")
        if self.unit not in DEADLINE_UNITS:
            raise ValueError(f"unknown deadline unit {self.unit!r}; expected one of {DEADLINE_UNITS}")
        if isinstance(self.amount, bool) or not self.amount > 0 or not math.isfinite(self.amount):
            raise ValueError(f"deadline amount must be a positive number, got {self.amount!r}")

    def describe(self) -> str:
        unit = self.unit.replace("_", " ")
        amount = f"{self.amount:g}"
        if amount == "1":
            unit = unit[:-1]
        return f"{amount} {unit}"


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """Where a report goes, by when, and why (the reason is shown to operators)."""

    agency_code: str
    area_code: str | None
    due_at: datetime
    rule_id: int | None
    reason: str
    needs_review: bool
    source: RouteSource = "rule"
    area_name: str | None = None
    policy: DeadlinePolicy | None = None
