"""The IOC operators' API: the queue, a report's full picture, and their transitions.

Thin views: parse and validate, call a selector or a lifecycle service, shape the output. Every
action answers with the report's detail as operators see it.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.permissions import IsOperator
from backend.epidemic.kinds import HealthKind
from backend.reports.apis.citizen import CategoryCodeField
from backend.reports.models import Status
from backend.reports.outputs import OperatorReportDetailOutput, OperatorReportOutput
from backend.reports.selectors import queues as ops_selectors
from backend.reports.services import lifecycle
from routing.models import Urgency
from routing.selectors import agencies_active

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def _detail(request: Request, report_id: int) -> Response:
    report = ops_selectors.report_get_for_ops(report_id=report_id)
    return Response(OperatorReportDetailOutput(report, context={"request": request}).data)


QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, many=True, enum=Status.values, description="repeat for several"),
    OpenApiParameter("category", str, description="category code"),
    OpenApiParameter("urgency", str, many=True, enum=Urgency.values),
    OpenApiParameter("area", str, description="ward code"),
    OpenApiParameter("agency", str, description="agency code"),
    OpenApiParameter("overdue", bool, description="deadline passed and still open"),
    OpenApiParameter("open", bool, description="not yet resolved, closed, rejected or merged"),
    OpenApiParameter("q", str, description="a tracking code (exact) or words starting words of the description, with or without diacritics"),
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
                {"next": serializers.URLField(allow_null=True), "results": OperatorReportOutput(many=True)},
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
        results = OperatorReportOutput(page.items, many=True, context={"request": request}).data
        return Response({"next": next_link(request, page.next_cursor), "results": results})


class OpsReportDetailApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses={200: OperatorReportDetailOutput}, tags=["ops"])
    def get(self, request: Request, report_id: int) -> Response:
        return _detail(request, report_id)


class OpsReportTriageApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsTriageInput")
    class InputSerializer(serializers.Serializer):
        category = CategoryCodeField()
        urgency = serializers.ChoiceField(choices=Urgency.choices)

    @extend_schema(
        request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"],
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
        super().__init__(slug_field="code", queryset=agencies_active(), **kwargs)


class OpsReportAssignApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsAssignInput")
    class InputSerializer(serializers.Serializer):
        agency = AgencyCodeField()

    @extend_schema(request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"])
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

    @extend_schema(request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_reject(actor=request.user, report_id=report_id, reason=data.validated_data["reason"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportSensitiveApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsSensitiveInput")
    class InputSerializer(serializers.Serializer):
        sensitive = serializers.BooleanField(help_text="true: never published by any path; false: back to the rule")
        reason = serializers.CharField(max_length=2000, help_text="required; internal, for the audit trail")

    @extend_schema(request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_mark_sensitive(actor=request.user, report_id=report_id, **data.validated_data)  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportHealthKindApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsHealthKindInput")
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=HealthKind.choices, help_text="what the health report is, confirmed")

    @extend_schema(
        request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"],
        description="Confirm or correct a health report's kind (`health.kind`, `health.kind_given` becomes true). "
        "409 `not_a_health_report` for another category; 400 `medical_help_at_least_high` below high urgency.",
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_health_kind_set(actor=request.user, report_id=report_id, kind=data.validated_data["kind"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class OpsReportMergeApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="OpsMergeInput")
    class InputSerializer(serializers.Serializer):
        # Bounded by the id column (64-bit): a larger number would reach the database and fail there.
        into = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="id of the report this one duplicates")

    @extend_schema(request=InputSerializer, responses={200: OperatorReportDetailOutput}, tags=["ops"])
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

    @extend_schema(request=InputSerializer, responses={201: OperatorReportDetailOutput}, tags=["ops"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_note_add(actor=request.user, report_id=report_id, note=data.validated_data["note"])  # type: ignore[arg-type]
        response = _detail(request, report_id)
        response.status_code = 201
        return response
