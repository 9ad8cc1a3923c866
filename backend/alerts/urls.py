"""Warnings (mounted under /api/v1/): operators' /ops/alerts/, everyone's /alerts/."""

from django.urls import URLPattern, URLResolver, path

from backend.alerts import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("ops/alerts/", apis.OpsAlertListCreateApi.as_view(), name="ops-alert-list"),
    path("ops/alerts/<int:alert_id>/", apis.OpsAlertDetailApi.as_view(), name="ops-alert-detail"),
    path("ops/alerts/<int:alert_id>/cancel/", apis.OpsAlertCancelApi.as_view(), name="ops-alert-cancel"),
    path("alerts/", apis.AlertListApi.as_view(), name="alert-list"),
    path("alerts/feed/", apis.AlertFeedApi.as_view(), name="alert-feed"),
    path("alerts/<int:alert_id>/cap/", apis.AlertCapApi.as_view(), name="alert-cap"),
]
