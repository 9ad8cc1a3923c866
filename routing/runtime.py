"""The routing tables as the running process uses them: read from the database, compiled once.

`decide()` is pure; this module turns the admin-edited rows into its inputs (a WardIndex, a
RuleSet, a PolicyTable) and keeps them per process. Any change to routing data clears the cache in
this process at once (signals below); other processes pick it up within `TTL_SECONDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save
from shapely.geometry import shape

from routing.deadlines import DEFAULT_CALENDAR, PolicyTable
from routing.decide import RuleSet, decide
from routing.geo import WardIndex, repair_geometry
from routing.models import Agency, Area, Category, CategoryDefaultAgency, DeadlineSetting, RoutingRule
from routing.process_copy import ProcessCopy
from routing.types import DeadlinePolicy, Point, RoutingDecision, Rule, WardCentre, WardShape

TTL_SECONDS = 30.0


@dataclass(frozen=True)
class RoutingTables:
    ward_index: WardIndex
    rules: RuleSet
    policies: PolicyTable
    default_agency_by_category: dict[str, str]
    fallback_agency: str
    # Rows by code, so a submission does not query reference data it just routed with.
    categories: dict[str, Category]
    agencies: dict[str, Agency]
    areas: dict[str, Area]




def _build() -> RoutingTables:
    wards: list[WardShape] = []
    centres: list[WardCentre] = []
    areas = list(Area.objects.all())
    for area in areas:
        geometry = None
        if area.geometry:
            geometry, _ = repair_geometry(shape(area.geometry))
        if geometry is not None:
            wards.append(WardShape(area.code, area.name, geometry))
        else:
            centres.append(WardCentre(area.code, area.name, Point(area.centre_lat, area.centre_lon)))
    # With polygons loaded, centres are only a fallback for wards that have no polygon.
    index = WardIndex(wards, centres, max_km=getattr(settings, "ROUTING_NEAREST_CENTRE_KM", 3.0))
    rules = RuleSet(
        Rule(
            id=rule.pk,
            order=rule.order,
            category=rule.category.code if rule.category else None,
            agency_code=rule.agency.code,
            area_codes=frozenset(a.code for a in rule.areas.all()),
            urgencies=frozenset(rule.urgencies or ()),
            active=rule.active and rule.agency.active,
        )
        for rule in RoutingRule.objects.select_related("category", "agency").prefetch_related("areas")
    )
    policies = PolicyTable(
        DeadlinePolicy(
            category=d.category.code if d.category else None, urgency=d.urgency, amount=d.amount, unit=d.unit  # type: ignore[arg-type]
        )
        for d in DeadlineSetting.objects.select_related("category").order_by("category_id")
    )
    defaults = {
        d.category.code: d.agency.code
        for d in CategoryDefaultAgency.objects.select_related("category", "agency")
        if d.agency.active
    }
    fallback = Agency.objects.filter(is_fallback=True, active=True).order_by("code").first()
    return RoutingTables(
        index,
        rules,
        policies,
        defaults,
        fallback.code if fallback else "ioc",
        categories={c.code: c for c in Category.objects.filter(active=True)},
        agencies={a.code: a for a in Agency.objects.filter(active=True)},
        areas={a.code: a for a in areas},
    )


_copy: ProcessCopy[RoutingTables] = ProcessCopy(_build, TTL_SECONDS)


def tables() -> RoutingTables:
    return _copy.get()


def invalidate(**_: object) -> None:
    _copy.forget()


for _model in (Area, RoutingRule, DeadlineSetting, CategoryDefaultAgency, Agency, Category):
    post_save.connect(invalidate, sender=_model, dispatch_uid=f"routing-cache-save-{_model.__name__}")
    post_delete.connect(invalidate, sender=_model, dispatch_uid=f"routing-cache-delete-{_model.__name__}")
m2m_changed.connect(invalidate, sender=RoutingRule.areas.through, dispatch_uid="routing-cache-areas")


def route(
    category: str, urgency: str, *, latitude: float | None, longitude: float | None,
    area_code: str | None = None, now: datetime,
) -> RoutingDecision:
    t = tables()
    where: Point | str | None
    if area_code:
        where = area_code
    elif latitude is not None and longitude is not None:
        where = Point(latitude, longitude)
    else:
        where = None
    return decide(
        category,
        urgency,
        where,
        rules=t.rules,
        ward_index=t.ward_index,
        default_agency_by_category=t.default_agency_by_category,
        fallback_agency=t.fallback_agency,
        policies=t.policies,
        calendar=DEFAULT_CALENDAR,
        now=now,
    )


def locate(latitude: float, longitude: float) -> str | None:
    match = tables().ward_index.locate(Point(latitude, longitude))
    return match.code if match else None
