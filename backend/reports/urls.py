"""URLs of the ticket lifecycle: operators, agencies, citizens' follow-up (mounted under /api/v1/)."""

from django.urls import URLPattern, URLResolver, path

from backend.reports import photo_access
from backend.reports.apis import agency as agency_api
from backend.reports.apis import followup as followup_api
from backend.reports.apis import ops as ops_api

urlpatterns: list[URLPattern | URLResolver] = [
    # IOC operators
    path("ops/reports/", ops_api.OpsReportListApi.as_view(), name="ops-report-list"),
    path("ops/reports/<int:report_id>/", ops_api.OpsReportDetailApi.as_view(), name="ops-report-detail"),
    path("ops/reports/<int:report_id>/triage/", ops_api.OpsReportTriageApi.as_view(), name="ops-report-triage"),
    path("ops/reports/<int:report_id>/assign/", ops_api.OpsReportAssignApi.as_view(), name="ops-report-assign"),
    path("ops/reports/<int:report_id>/reject/", ops_api.OpsReportRejectApi.as_view(), name="ops-report-reject"),
    path(
        "ops/reports/<int:report_id>/sensitive/", ops_api.OpsReportSensitiveApi.as_view(), name="ops-report-sensitive"
    ),
    path(
        "ops/reports/<int:report_id>/health/", ops_api.OpsReportHealthKindApi.as_view(), name="ops-report-health-kind"
    ),
    path("ops/reports/<int:report_id>/merge/", ops_api.OpsReportMergeApi.as_view(), name="ops-report-merge"),
    path("ops/reports/<int:report_id>/notes/", ops_api.OpsReportNoteApi.as_view(), name="ops-report-notes"),
    # agencies
    path("agency/tickets/", agency_api.AgencyTicketListApi.as_view(), name="agency-ticket-list"),
    path("agency/tickets/<int:report_id>/", agency_api.AgencyTicketDetailApi.as_view(), name="agency-ticket-detail"),
    path(
        "agency/tickets/<int:report_id>/accept/", agency_api.AgencyTicketAcceptApi.as_view(), name="agency-ticket-accept"
    ),
    path(
        "agency/tickets/<int:report_id>/progress/",
        agency_api.AgencyTicketProgressApi.as_view(),
        name="agency-ticket-progress",
    ),
    path(
        "agency/tickets/<int:report_id>/resolve/",
        agency_api.AgencyTicketResolveApi.as_view(),
        name="agency-ticket-resolve",
    ),
    path(
        "agency/tickets/<int:report_id>/return/", agency_api.AgencyTicketReturnApi.as_view(), name="agency-ticket-return"
    ),
    # citizens' follow-up
    # Photo files behind signed, checked URLs (photo_access.py); not part of the JSON API schema.
    path("photos/<int:photo_id>/<str:variant>/", photo_access.photo_file, name="photo-file"),
    path("reports/<int:report_id>/rating/", followup_api.ReportRatingApi.as_view(), name="report-rating"),
    path("reports/<int:report_id>/reopen/", followup_api.ReportReopenApi.as_view(), name="report-reopen"),
]
