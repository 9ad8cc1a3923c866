"""Reads for warnings: which apply to a citizen's position now, and the operators' full list.

"Active" means started, not expired and not cancelled. A warning covers a position when it is
city-wide, when the position lies in one of its wards (routing's ward index: the ward a report from
there would be filed under), or inside its drawn polygon or circle. Lists put the most severe first
and, within a severity, the most recently issued first: a citizen reads the worst news first.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from backend.alerts.areas import geometry_covers
from backend.alerts.models import SEVERITY_RANK, Alert, AlertRevision, Severity, State
from routing import runtime as routing
from routing.selectors import areas_by_name


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


def covers(alert: Alert, *, lat: float, lng: float, ward_code: str | None) -> bool:
    if alert.city_wide:
        return True
    if alert.geometry is not None:
        return geometry_covers(alert.geometry, lat=lat, lng=lng)
    return ward_code is not None and any(area.code == ward_code for area in alert.wards.all())


def active_alerts(*, now: datetime, lat: float | None = None, lng: float | None = None) -> list[Alert]:
    """The active warnings, all of them or those covering (lat, lng); most severe, then newest first."""
    alerts = list(active(now=now))
    if lat is not None and lng is not None:
        ward_code = routing.locate(lat, lng)
        alerts = [a for a in alerts if covers(a, lat=lat, lng=lng, ward_code=ward_code)]
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
