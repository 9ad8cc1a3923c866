"""Reads of the reference data (categories, agencies, wards, rules) for the other packages.

`routing` owns these models: the backend, realtime and the pages read them through the functions
here, never with their own ORM queries, so "active", ordering and what is joined are decided once.
Lookups by code use the per-process routing tables (`runtime.tables()`), which every change made
through the admin or the ORM refreshes.
"""

from __future__ import annotations

from django.db.models import QuerySet

from routing import runtime
from routing.models import Agency, Area, Category, CategoryDefaultAgency, RoutingRule


def category_get(code: str) -> Category | None:
    """An active category by its code, or None."""
    category = runtime.tables().categories.get(code)
    return category if category is not None and category.active else None


def agency_get(code: str) -> Agency | None:
    """An active agency by its code, or None."""
    agency = runtime.tables().agencies.get(code)
    return agency if agency is not None and agency.active else None


def area_get(code: str | None) -> Area | None:
    return runtime.tables().areas.get(code) if code else None


# Lists keep each model's own ordering (Meta.ordering: the order the city shows them in).
def categories_active() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


def categories_with_default_agency() -> QuerySet[Category]:
    return categories_active().select_related("default_agency__agency")


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(active=True)


def agencies_all() -> QuerySet[Agency]:
    return Agency.objects.all()


def areas_all() -> QuerySet[Area]:
    return Area.objects.all()


def routing_rule_get(rule_id: int | None) -> RoutingRule | None:
    if rule_id is None:
        return None
    return RoutingRule.objects.select_related("category", "agency").filter(pk=rule_id).first()


def categories_all() -> QuerySet[Category]:
    return Category.objects.all()


def areas_by_name() -> QuerySet[Area]:
    return Area.objects.order_by("name")


def fallback_agency() -> Agency | None:
    """The agency that takes what no rule or default covers (the monitoring centre in Huế)."""
    return agencies_active().filter(is_fallback=True).order_by("code").first()


def category_default_agency(category_code: str) -> Agency | None:
    """The agency a category goes to by default, or None."""
    default = CategoryDefaultAgency.objects.select_related("agency").filter(category__code=category_code).first()
    return default.agency if default is not None else None


def agency_handles(agency_id: int | None, category_code: str) -> bool:
    return agency_id is not None and Agency.objects.filter(pk=agency_id, categories__code=category_code).exists()
