from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from backend.accounts import api as accounts_api
from backend.core import health, metrics, reference_api
from backend.core.errors import json_error_view
from backend.notices import apis as notices_api
from backend.reports.apis import citizen as reports_api
from backend.reports.apis import triage_preview as triage_api
from backend.transparency import apis as public_api
from backend.transparency import track_api
from backend.transparency.assistant import apis as assistant_api
from backend.transparency.open311.discovery import DiscoveryApi

api_v1 = [
    path("health/", health.HealthApi.as_view(), name="health"),
    path("health/live/", health.LivenessApi.as_view(), name="health-live"),
    path("health/ready/", health.ReadinessApi.as_view(), name="health-ready"),
    path("auth/otp/request/", accounts_api.OtpRequestApi.as_view(), name="otp-request"),
    path("auth/otp/verify/", accounts_api.OtpVerifyApi.as_view(), name="otp-verify"),
    path("auth/login/", accounts_api.StaffLoginApi.as_view(), name="staff-login"),
    path("auth/logout/", accounts_api.LogoutApi.as_view(), name="logout"),
    path("reports/", reports_api.ReportCreateApi.as_view(), name="report-create"),
    path("reports/mine/", reports_api.ReportMineApi.as_view(), name="report-mine"),
    path("reports/<int:report_id>/", reports_api.ReportDetailApi.as_view(), name="report-detail"),
    path("ops/triage/", triage_api.TriagePreviewApi.as_view(), name="ops-triage-preview"),
    path("categories/", reference_api.CategoryListApi.as_view(), name="category-list"),
    path("agencies/", reference_api.AgencyListApi.as_view(), name="agency-list"),
    path("areas/", reference_api.AreaListApi.as_view(), name="area-list"),
    path("public/reports/", public_api.PublicReportListApi.as_view(), name="public-report-list"),
    path("public/reports/<int:report_id>/", public_api.PublicReportDetailApi.as_view(), name="public-report-detail"),
    path("public/stats/", public_api.PublicStatsApi.as_view(), name="public-stats"),
    path("public/notices/", notices_api.PublicNoticeListApi.as_view(), name="public-notice-list"),
    path("public/notices/<int:notice_id>/", notices_api.PublicNoticeDetailApi.as_view(), name="public-notice-detail"),
    path("public/track/<str:code>/", track_api.TrackApi.as_view(), name="public-track"),
    path("assistant/", assistant_api.AssistantApi.as_view(), name="assistant"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("api/v1/", include(api_v1)),
    path("api/v1/", include("backend.reports.urls")),
    path("api/v1/", include("backend.alerts.urls")),
    path("api/v1/", include("backend.epidemic.urls")),
    path("api/v1/", include("backend.factchecks.urls")),
    path("open311/v2/", include("backend.transparency.open311.urls")),
    re_path(r"^open311/discovery\.(?P<response_format>json|xml)$", DiscoveryApi.as_view(), name="open311-discovery"),
    path("", include("realtime.urls")),
    path("", include("backend.transparency.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="core/swagger_ui.html"), name="docs"),
]


handler404 = json_error_view("not_found", 404)
handler500 = json_error_view("server_error", 500)
