"""The citizen's follow-up on their own report: rate the result, or reopen it.

Only the reporter may act; anyone else's report answers 404 (as for reading it).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.reports.outputs import CitizenReportDetailOutput
from backend.reports.selectors import reports as selectors
from backend.reports.services import lifecycle


def _detail(request: Request, report_id: int) -> Response:
    report = selectors.report_get_mine(user=request.user, report_id=report_id)  # type: ignore[arg-type]
    return Response(CitizenReportDetailOutput(report, context={"request": request}).data)


class ReportRatingApi(APIView):
    @extend_schema_serializer(component_name="ReportRatingInput")
    class InputSerializer(serializers.Serializer):
        stars = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer, responses={200: CitizenReportDetailOutput}, tags=["reports"],
        description="Once per report, when it is resolved (or auto-closed without a rating); closes it.",
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_rate(
            actor=request.user, report_id=report_id,  # type: ignore[arg-type]
            stars=data.validated_data["stars"], comment=data.validated_data["comment"],
        )
        return _detail(request, report_id)


class ReportReopenApi(APIView):
    @extend_schema_serializer(component_name="ReportReopenInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000, help_text="required: what is still wrong")

    @extend_schema(
        request=InputSerializer, responses={200: CitizenReportDetailOutput}, tags=["reports"],
        description="Within REOPEN_WINDOW_DAYS of the resolution; back to the same agency with a new deadline.",
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.report_reopen(actor=request.user, report_id=report_id, reason=data.validated_data["reason"])  # type: ignore[arg-type]
        return _detail(request, report_id)
