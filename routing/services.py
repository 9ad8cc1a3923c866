"""Writes for routing reference data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from routing import reference
from routing.models import Agency, Area, Category, CategoryDefaultAgency, DeadlineSetting, RoutingRule


@dataclass(frozen=True)
class ReferenceCounts:
    categories: int
    agencies: int
    areas: int
    created: int


@transaction.atomic
def reference_data_load() -> ReferenceCounts:
    """Create or update categories, agencies and ward centres. Safe to run on every start.

    Existing rows are updated by code; nothing an admin added is deleted, and ward polygons imported
    later are kept.
    """
    created = 0
    for position, item in enumerate(reference.load("categories")):
        _, was_created = Category.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_vi": item["name_vi"],
                "name_en": item["name_en"],
                "description_vi": item.get("description_vi", ""),
                "description_en": item.get("description_en", ""),
                "position": position,
                "publishable": item.get("publishable", True),
            },
        )
        created += was_created
    categories = {c.code: c for c in Category.objects.all()}
    for item in reference.load("agencies"):
        agency, was_created = Agency.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_vi": item["name_vi"],
                "name_en": item["name_en"],
                "short_name": item.get("short_name", ""),
                "phone": item.get("phone", ""),
                "is_fallback": item.get("is_fallback", False),
            },
        )
        if was_created:
            agency.categories.set([categories[code] for code in item["categories"]])
        created += was_created
    for item in reference.load("wards")["wards"]:
        lat, lon = item["centre"]
        _, was_created = Area.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "centre_lat": lat,
                "centre_lon": lon,
                "population": item.get("population"),
                "area_km2": item.get("area_km2"),
            },
        )
        created += was_created
    agencies = {a.code: a for a in Agency.objects.all()}
    for item in reference.load("categories"):
        CategoryDefaultAgency.objects.get_or_create(
            category=categories[item["code"]], defaults={"agency": agencies[item["default_agency"]]}
        )
    _starting_rules_load(categories, agencies)
    return ReferenceCounts(
        categories=Category.objects.count(),
        agencies=Agency.objects.count(),
        areas=Area.objects.count(),
        created=created,
    )


def _starting_rules_load(categories: dict[str, Category], agencies: dict[str, Agency]) -> None:
    """Seed rules and deadlines once; after that they belong to the city's admins."""
    data = reference.load("rules")
    if not RoutingRule.objects.exists():
        areas = {a.code: a for a in Area.objects.all()}
        for item in data["rules"]:
            rule = RoutingRule.objects.create(
                order=item["order"],
                category=categories[item["category"]] if item["category"] else None,
                urgencies=item["urgencies"],
                agency=agencies[item["agency"]],
                note=item["note"],
            )
            rule.areas.set([areas[code] for code in item["areas"]])
    if not DeadlineSetting.objects.exists():
        DeadlineSetting.objects.bulk_create(
            DeadlineSetting(category=None, urgency=d["urgency"], amount=d["amount"], unit=d["unit"])
            for d in data["deadlines"]
        )
