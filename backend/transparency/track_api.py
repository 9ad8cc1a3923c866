"""GET /api/v1/public/track/{code}/: where a report stands, for whoever holds its tracking code."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import override
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.client_ip import client_ip
from backend.core.errors import ApiError
from backend.reports.models import ReportEvent, Status
from backend.reports.outputs import NameSerializer, bilingual
from backend.transparency import selectors as public_selectors
from backend.transparency import tracking


class TrackedEventOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.CharField()
    kind_name = NameSerializer()
    status = serializers.CharField(allow_blank=True)
    status_name = NameSerializer(allow_null=True)
    note = serializers.CharField(allow_blank=True, help_text="staff's public words; empty for a restricted report")
    at = serializers.DateTimeField()


class TrackedReportOutput(serializers.Serializer):  # type: ignore[type-arg]
    tracking_code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_name = NameSerializer()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    next_step = NameSerializer()
    restricted = serializers.BooleanField(help_text="true: not published, so agency and category are withheld")
    agency = NameSerializer(allow_null=True)
    category = NameSerializer(allow_null=True)
    timeline = TrackedEventOutput(many=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


def _event(event: ReportEvent, tracked: tracking.TrackedReport) -> dict[str, Any]:
    status = event.new_status
    return {
        "kind": event.kind,
        "kind_name": bilingual(ReportEvent.Kind(event.kind).label),
        "status": status,
        "status_name": bilingual(Status(status).label) if status in Status.values else None,
        "note": public_selectors.public_note(event, tracked.report) if tracked.published else "",
        "at": event.created_at,
    }


def tracked_body(tracked: tracking.TrackedReport) -> dict[str, Any]:
    report = tracked.report
    agency = report.agency if tracked.published else None
    category = report.category if tracked.published else None
    with override("en"):
        english = tracking.next_step(tracked, english=True)
    return {
        "tracking_code": report.tracking_code,
        "status": report.status,
        "status_name": bilingual(Status(report.status).label),
        "due_at": report.due_at,
        "overdue": tracking.is_overdue(tracked, timezone.now()),
        "next_step": {"vi": tracking.next_step(tracked, english=False), "en": english},
        "restricted": not tracked.published,
        "agency": {"vi": agency.name_vi, "en": agency.name_en} if agency else None,
        "category": {"vi": category.name_vi, "en": category.name_en} if category else None,
        "timeline": [_event(e, tracked) for e in tracked.timeline],
        "created_at": report.created_at,
        "updated_at": report.updated_at,
    }


class TrackApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_track_retrieve", tags=["public"], responses={200: TrackedReportOutput},
        description="Status, deadline, next step and public timeline of the report with this tracking code "
        "(with or without the hyphen, any case). A report that is not published (health, security...) shows "
        "only its status, deadline and steps. Codes that match no report are limited per address (429 with "
        "Retry-After past TRACK_MISSES_PER_IP_PER_HOUR).",
    )
    def get(self, request: Request, code: str) -> Response:
        normalised = tracking.normalise_code(code)
        tracked = tracking.tracked_report_for(code=normalised, client_ip=client_ip(request)) if normalised else None
        if tracked is None:
            raise ApiError("tracking_code_not_found", 404)
        return Response(TrackedReportOutput(tracked_body(tracked)).data)
