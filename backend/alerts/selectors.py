"""Reads for warnings: which apply to a citizen's position now, and the operators' full list.

"Active" means started, not expired and not cancelled. A warning covers a position when it is
city-wide, when the position lies in one of its wards (routing's ward index: the ward a report from
there would be filed under), or inside its drawn polygon or circle; it reaches a list of wards when it
is city-wide, names one of them, or its drawn area overlaps one (`routing.reach`, the same rule the live
stream filters with). Lists put the most severe first
and, within a severity, the most recently issued first: a citizen reads the worst news first.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from backend.alerts.areas import wards_overlapped
from backend.alerts.models import SEVERITY_RANK, Alert, AlertRevision, Severity, State
from routing import runtime as routing
from routing.reach import area_reaches
from routing.selectors import areas_by_name
from routing.types import Point


def with_relations(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    return qs.prefetch_related(
        Prefetch("wards", queryset=areas_by_name()),
        Prefetch("revisions", queryset=AlertRevision.objects.order_by("version")),
    )


def by_severity_then_newest(alerts: list[Alert]) -> list[Alert]:
    newest_first = sorted(alerts, key=lambda a: (a.issued_at, a.pk), reverse=True)
    return sorted(newest_first, key=lambda a: SEVERITY_RANK[Severity(a.severity)])


def active(*, now: datetime) -> QuerySet[Alert]:
    return with_relations(
        Alert.objects.filter(cancelled_at__isnull=True, starts_at__lte=now, expires_at__gt=now)
    )


def wards_reached(alert: Alert) -> list[str]:
    """The codes of the wards the warning names, or those its drawn area overlaps; none if city-wide."""
    if alert.geometry is not None:
        return wards_overlapped(alert.geometry)
    return sorted(area.code for area in alert.wards.all())


def reaches(alert: Alert, *, wards: set[str], point: Point | None) -> bool:
    # With a point, a drawn area decides by itself: the wards it overlaps are not worked out for nothing.
    exact = alert.geometry is not None and point is not None
    named = [] if exact or alert.city_wide else wards_reached(alert)
    return area_reaches(city_wide=alert.city_wide, ward_codes=named, drawn=alert.geometry, wards=wards, point=point)


def active_alerts(
    *, now: datetime, lat: float | None = None, lng: float | None = None, wards: set[str] | None = None
) -> list[Alert]:
    """The active warnings: all of them, those covering (lat, lng), or those reaching `wards`; most
    severe, then newest first."""
    alerts = list(active(now=now))
    if lat is not None and lng is not None:
        ward_code = routing.locate(lat, lng)
        point = Point(lat, lng)
        alerts = [a for a in alerts if reaches(a, wards={ward_code} if ward_code else set(), point=point)]
    elif wards is not None:
        alerts = [a for a in alerts if reaches(a, wards=wards, point=None)]
    return by_severity_then_newest(alerts)


def alert_list(*, now: datetime, state: str | None = None) -> list[Alert]:
    """Every warning for the operators, newest issue first, optionally in one state."""
    alerts = list(with_relations(Alert.objects.select_related("created_by")).order_by("-issued_at", "-id"))
    if state is not None:
        alerts = [a for a in alerts if a.state(now) == State(state)]
    return alerts


def alert_get(*, alert_id: int) -> Alert:
    alert = with_relations(Alert.objects.select_related("created_by")).filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    return alert


def alert_get_published(*, alert_id: int) -> Alert:
    """Any warning ever issued, for CAP: a cancelled or expired one still answers (as its last message)."""
    return alert_get(alert_id=alert_id)
