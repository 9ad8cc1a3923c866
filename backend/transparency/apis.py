"""Transparency for the public and the press: anonymised reports and each agency's record.

Read-only and open to everyone (no token). What is published, and what never is, is decided once in
public_selectors.py; these views only parse, select and shape.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.errors import ApiError
from backend.core.instants import parse_instant
from backend.reports.outputs import NameSerializer, PublicReportDetailOutput, PublicReportOutput
from backend.transparency import selectors as public_selectors


class PublicReportPagination(CursorPagination):
    """Newest first by keyset: `next`/`previous` carry the position, there is no total.

    A total would be a COUNT(*) over every published row matching the filters (0.9 s at a million
    reports, docs/performance.md section 5); a cursor page reads its rows from the report_newest or
    report_area_newest index and stops.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")


PUBLIC_LIST_PARAMETERS = [
    OpenApiParameter(
        "status",
        str,
        many=True,
        enum=[value for value, _ in public_selectors.LISTED_STATUSES],
        description="repeat for several; rejected and merged reports are never listed",
    ),
    OpenApiParameter("category", str, description="category code (GET /api/v1/categories/)"),
    OpenApiParameter("area", str, description="ward code (GET /api/v1/areas/)"),
    OpenApiParameter("agency", str, description="agency code (GET /api/v1/agencies/)"),
    OpenApiParameter(
        "since", str, description="received at or after: ISO 8601 datetime or date; without offset, Huế time"
    ),
    OpenApiParameter("until", str, description="received at or before; a date includes the whole day"),
    OpenApiParameter("bbox", str, description="`min_lon,min_lat,max_lon,max_lat` (WGS84 degrees)"),
    OpenApiParameter("cursor", str, description="the `next` or `previous` link's cursor"),
    OpenApiParameter("page_size", int, description="default 50, at most 200"),
]


class PublicReportListApi(APIView):
    pagination_class = PublicReportPagination  # the schema documents the paginated envelope
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_reports_list",
        parameters=PUBLIC_LIST_PARAMETERS,
        responses={200: PublicReportOutput(many=True)},
        tags=["public"],
        description="Anonymised reports, newest first, in pages linked by `next` and `previous` (no "
        "total: follow `next` until it is null). No reporter identity, contacts in "
        "descriptions masked, positions rounded to about 11 m. Rejected reports are not published; merged "
        "duplicates are not listed (they count in `me_too_count` of the report they joined).",
    )
    def get(self, request: Request) -> Response:
        paginator = PublicReportPagination()
        qs = public_selectors.public_report_list(params=request.query_params)
        page = paginator.paginate_queryset(qs, request, view=self)
        context = {"request": request, "now": timezone.now()}
        return paginator.get_paginated_response(PublicReportOutput(page, many=True, context=context).data)


class PublicReportDetailApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_reports_retrieve",
        responses={200: PublicReportDetailOutput},
        tags=["public"],
        description="One published report with its public timeline (staff notes only, contacts masked). "
        "A merged duplicate answers with `merged_into`; a rejected report answers 404.",
    )
    def get(self, request: Request, report_id: int) -> Response:
        report = public_selectors.public_report_get(report_id=report_id)
        return Response(PublicReportDetailOutput(report, context={"request": request}).data)


@extend_schema_serializer(component_name="PublicStatsRow")
class StatsRowOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = NameSerializer()
    # Health rows (the health category, the health agency): a count under 5 is null, as is a figure
    # computed over fewer than 5 reports (backend/epidemic/public.py).
    total = serializers.IntegerField(allow_null=True, help_text="reports, merged duplicates left out")
    open = serializers.IntegerField(allow_null=True)
    overdue = serializers.IntegerField(allow_null=True, help_text="open with the deadline passed")
    resolved = serializers.IntegerField(allow_null=True)
    on_time_share = serializers.FloatField(
        allow_null=True, help_text="of resolved reports with a deadline, 0..1"
    )
    median_hours_to_resolve = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True, help_text="mean stars 1..5")


class PublicStatsOutput(serializers.Serializer):  # type: ignore[type-arg]
    since = serializers.DateTimeField(allow_null=True)
    generated_at = serializers.DateTimeField()
    agencies = StatsRowOutput(many=True)
    categories = StatsRowOutput(many=True)


class PublicStatsApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_stats_retrieve",
        parameters=[
            OpenApiParameter(
                "since", str, description="count reports received from then on: ISO 8601 datetime or date"
            )
        ],
        responses={200: PublicStatsOutput},
        tags=["public"],
        description="Each active agency's and category's record: counts, on-time share, median time to "
        "resolve, satisfaction (definitions in backend/reports/stats.py). A figure with nothing to measure "
        "is null, never 0.",
    )
    def get(self, request: Request) -> Response:
        since = _since(request.query_params.get("since"))
        return Response(PublicStatsOutput(public_selectors.public_stats(since=since)).data)


def _since(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        return parse_instant(raw)
    except ValueError as exc:
        raise ApiError(
            "invalid", fields={"since": ["not a date or datetime (ISO 8601, e.g. 2026-11-30)"]}
        ) from exc
