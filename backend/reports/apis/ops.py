"""The IOC operators' API: the queue, a report's full picture, and their transitions.

Thin views: parse and validate, call a selector or a lifecycle service, shape the output. Every
action answers with the report's detail as operators see it.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.permissions import IsOperator
from backend.reports.apis.citizen import CategoryCodeField
from backend.reports.models import Report, ReportEvent, Status
from backend.reports.outputs import NameSerializer, ReportOutput, bilingual
from backend.reports.selectors import queues as ops_selectors
from backend.reports.selectors.duplicates import duplicate_candidates
from backend.reports.services import lifecycle
from routing.models import Agency, Urgency

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


# ReportOutput.Meta is invisible to the type checker across modules (django-stubs), hence the alias.
CITIZEN_FIELDS: list[str] = list(ReportOutput.Meta.fields)  # type: ignore[attr-defined]

class StaffTimelineEntry(serializers.ModelSerializer):
    """One event as IOC staff see it: who, when, old and new values, internal or public."""

    kind_name = serializers.SerializerMethodField()
    status = serializers.CharField(source="new_status")
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ReportEvent
        fields = [
            "id", "kind", "kind_name", "old_status", "status", "actor", "actor_role", "old_value", "new_value",
            "note", "is_public", "at",
        ]

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, event: ReportEvent) -> dict[str, str]:
        return bilingual(ReportEvent.Kind(event.kind).label)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: ReportEvent) -> str | None:
        return event.actor.username if event.actor is not None else None


class OpsReportOutput(ReportOutput):
    """A queue row: the citizen's view plus what operators sort and screen by."""

    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    needs_review_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    routing_reason = serializers.CharField(read_only=True)

    class Meta(ReportOutput.Meta):  # type: ignore[name-defined]
        fields = [*CITIZEN_FIELDS, "overdue", "needs_review_reasons", "routing_reason", "reopened_count"]


class ReporterOutput(serializers.Serializer):
    name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)


class DuplicateOutput(serializers.Serializer):
    report_id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    distance_m = serializers.FloatField()
    score = serializers.FloatField(help_text="text similarity 0..1 (character trigrams, diacritics folded)")


class RoutingRuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    category = serializers.CharField(allow_null=True)
    agency = serializers.CharField()
    note = serializers.CharField()
    active = serializers.BooleanField()


class PhotoLocationOutput(serializers.Serializer):
    position = serializers.IntegerField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class OpsReportDetailOutput(OpsReportOutput):
    """Everything about one report, for IOC staff only (it names the reporter)."""

    reporter = serializers.SerializerMethodField()
    triage_scores = serializers.JSONField(read_only=True)
    routing_rule_id = serializers.IntegerField(read_only=True, allow_null=True)
    routing_rule = serializers.SerializerMethodField()
    photo_locations = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    merged_reports = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(OpsReportOutput.Meta):
        fields = [
            *OpsReportOutput.Meta.fields, "reporter", "triage_scores", "routing_rule_id", "routing_rule",
            "photo_locations", "duplicates",
            "merged_reports", "resolution_photos", "resolved_at", "closed_at", "rating_stars", "rating_comment",
            "timeline",
        ]

    @extend_schema_field(ReporterOutput)
    def get_reporter(self, report: Report) -> dict[str, str | None]:
        user = report.reporter
        return {"name": user.get_full_name() or None, "phone": user.phone or None}

    @extend_schema_field(RoutingRuleOutput(allow_null=True))
    def get_routing_rule(self, report: Report) -> dict[str, Any] | None:
        rule = ops_selectors.report_routing_rule(report=report)
        if rule is None:
            return None
        return {
            "id": rule.pk, "order": rule.order, "category": rule.category.code if rule.category else None,
            "agency": rule.agency.code, "note": rule.note, "active": rule.active,
        }

    @extend_schema_field(PhotoLocationOutput(many=True))
    def get_photo_locations(self, report: Report) -> list[dict[str, Any]]:
        # Where the camera says the photos were taken: a private hint for IOC staff, never published.
        return [
            {"position": p.position, "latitude": p.gps_lat, "longitude": p.gps_lon}
            for p in report.photos.all()
            if p.gps_lat is not None and p.gps_lon is not None
        ]

    @extend_schema_field(DuplicateOutput(many=True))
    def get_duplicates(self, report: Report) -> list[dict[str, Any]]:
        return [vars(c) for c in duplicate_candidates(report=report)]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_reports(self, report: Report) -> list[int]:
        return ops_selectors.report_merged_ids(report=report)

    @extend_schema_field(StaffTimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        return StaffTimelineEntry(ops_selectors.report_full_timeline(report=report), many=True).data  # type: ignore[return-value]


def _detail(request: Request, report_id: int) -> Response:
    report = ops_selectors.report_get_for_ops(report_id=report_id)
    return Response(OpsReportDetailOutput(report, context={"request": request}).data)


QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, many=True, enum=Status.values, description="repeat for several"),
    OpenApiParameter("category", str, description="category code"),
    OpenApiParameter("urgency", str, many=True, enum=Urgency.values),
    OpenApiParameter("area", str, description="ward code"),
    OpenApiParameter("agency", str, description="agency code"),
    OpenApiParameter("overdue", bool, description="deadline passed and still open"),
    OpenApiParameter("q", str, description="a tracking code (exact) or words of the description"),
    OpenApiParameter(
        "ordering", str, enum=list(ops_selectors.ORDERINGS),
        description="default `urgency`: critical and high first, then oldest first",
    ),
    OpenApiParameter("cursor", str, description="the `next` cursor of the previous page"),
    OpenApiParameter("page_size", int, description=f"default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}"),
]


def page_size(request: Request) -> int:
    try:
        size = int(request.query_params.get("page_size", PAGE_SIZE))
    except ValueError:
        size = PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def next_link(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class OpsReportListApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="ops_reports_list",
        parameters=QUEUE_PARAMETERS,
        responses={
            200: inline_serializer(
                "OpsReportPage",
                {"next": serializers.URLField(allow_null=True), "results": OpsReportOutput(many=True)},
            )
        },
        tags=["ops"],
    )
    def get(self, request: Request) -> Response:
        qs = ops_selectors.report_queue(params=request.query_params)
        page = ops_selectors.keyset_page(
            qs, ordering=request.query_params.get("ordering"), cursor=request.query_params.get("cursor"),
            size=page_size(request),
        )
        results = OpsReportOutput(page.items, many=True, context={"request": request}).data
        return Response({"next": next_link(request, page.next_cursor), "results": results})


class OpsReportDetailApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses={200: OpsReportDetailOutput}, tags=["ops"])
    def get(self, request: Request, report_id: int) -> Response:
        return _detail(request, report_id)


class OpsReportTriageApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsTriageInput")
    class InputSerializer(serializers.Serializer):
        category = CategoryCodeField()
        urgency = serializers.ChoiceField(choices=Urgency.choices)

    @extend_schema(
        request=InputSerializer, responses={200: OpsReportDetailOutput}, tags=["ops"],
        description="Confirm (same values) or correct category and urgency; the report is routed again "
        "and assigned. Kept as a labelled example for retraining.",
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_triage_confirm(
            actor=request.user, report_id=report_id,  # type: ignore[arg-type]
            category=data.validated_data["category"], urgency=data.validated_data["urgency"],
        )
        return _detail(request, report_id)


class AgencyCodeField(serializers.SlugRelatedField):
    default_error_messages = {"does_not_exist": "unknown agency: {value}", "invalid": "invalid agency"}

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(slug_field="code", queryset=Agency.objects.filter(active=True), **kwargs)


class OpsReportAssignApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsAssignInput")
    class InputSerializer(serializers.Serializer):
        agency = AgencyCodeField()

    @extend_schema(request=InputSerializer, responses={200: OpsReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_assign(actor=request.user, report_id=report_id, agency=data.validated_data["agency"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportRejectApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsRejectInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000, help_text="required; shown to the citizen")

    @extend_schema(request=InputSerializer, responses={200: OpsReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_reject(actor=request.user, report_id=report_id, reason=data.validated_data["reason"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportMergeApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsMergeInput")
    class InputSerializer(serializers.Serializer):
        into = serializers.IntegerField(min_value=1, help_text="id of the report this one duplicates")

    @extend_schema(request=InputSerializer, responses={200: OpsReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_merge(actor=request.user, report_id=report_id, into_id=data.validated_data["into"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportNoteApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsNoteInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=4000, help_text="internal: IOC staff only")

    @extend_schema(request=InputSerializer, responses={201: OpsReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_note_add(actor=request.user, report_id=report_id, note=data.validated_data["note"])  # type: ignore[arg-type]
        response = _detail(request, report_id)
        response.status_code = 201
        return response
