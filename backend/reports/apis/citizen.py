"""Citizen report endpoints. Thin: parse and validate, call a service or selector, shape the output."""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.compiled_serializer import CompiledInput
from backend.core.errors import ApiError
from backend.epidemic.intake import HealthFields, health_answers
from backend.epidemic.kinds import HEALTH_CATEGORY
from backend.reports.outputs import CitizenReportDetailOutput, CitizenReportOutput
from backend.reports.selectors import reports as selectors
from backend.reports.services import intake as services
from backend.reports.submission_limits import citizen_submission_limits
from routing.selectors import categories_active, category_get


def _finite(value: float) -> None:
    if not math.isfinite(value):
        raise serializers.ValidationError("must be a finite number")


def refuse_oversized(request: Request) -> None:
    """413 before parsing a body larger than the photos and the text can be (settings.UPLOAD_MAX_BODY_BYTES)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.UPLOAD_MAX_BODY_BYTES:
        raise ApiError("request_too_large", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def idempotency_key(request: Request) -> str | None:
    """The `Idempotency-Key` header (1-255 printable characters), or None when the client sent none."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not (0 < len(key) <= 255 and key.isprintable()):
        raise ApiError("idempotency_key_invalid", fields={"Idempotency-Key": ["invalid"]})
    return key


class CategoryCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": "unknown category: {value}",
        "invalid": "invalid category",
    }

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(slug_field="code", queryset=categories_active(), **kwargs)


class ReportCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="ReportCreateInput")
    class InputSerializer(CompiledInput, HealthFields):  # fields bound once: every submission validates
        description = serializers.CharField(max_length=5000, trim_whitespace=True)
        latitude = serializers.FloatField(min_value=-90, max_value=90, validators=[_finite])
        longitude = serializers.FloatField(min_value=-180, max_value=180, validators=[_finite])
        category = CategoryCodeField(required=False, allow_null=True)
        anonymous = serializers.BooleanField(required=False, default=False)
        client_created_at = serializers.DateTimeField(required=False, allow_null=True)
        photos = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True), required=False, default=list
        )
        # and, for a health report (category health_epidemic), HealthFields: its kind and answers.

        def validate(self, attrs):  # type: ignore[no-untyped-def]
            attrs["health"] = health_answers(attrs)
            return attrs

        def validate_client_created_at(self, value):  # type: ignore[no-untyped-def]
            # A phone's clock may drift, but a report cannot have been queued in the future.
            if value is not None and value > timezone.now() + timedelta(minutes=10):
                raise serializers.ValidationError("cannot be in the future")
            return value

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: CitizenReportOutput, 200: CitizenReportOutput},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description="Retry-safe submission: the same key returns the same report (200).",
            )
        ],
        tags=["reports"],
    )
    def post(self, request: Request) -> Response:
        refuse_oversized(request)
        key = idempotency_key(request)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        outcome = services.report_submit(
            user=request.user,  # type: ignore[arg-type]
            data=services.ReportInput(
                description=values["description"],
                latitude=values["latitude"],
                longitude=values["longitude"],
                category_hint=category_get(HEALTH_CATEGORY) if values["health"] else values.get("category"),
                anonymous=values["anonymous"],
                client_created_at=values.get("client_created_at"),
                health=values["health"],
            ),
            photos=values["photos"],
            idempotency_key=key,
            limits=citizen_submission_limits(),
        )
        body = CitizenReportOutput(outcome.report, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class ReportPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class ReportMineApi(APIView):
    pagination_class = ReportPagination  # the schema documents the paginated envelope

    @extend_schema(responses={200: CitizenReportOutput(many=True)}, tags=["reports"])
    def get(self, request: Request) -> Response:
        paginator = ReportPagination()
        page = paginator.paginate_queryset(selectors.report_list_mine(user=request.user), request, view=self)  # type: ignore[arg-type]
        return paginator.get_paginated_response(CitizenReportOutput(page, many=True, context={"request": request}).data)


class ReportDetailApi(APIView):
    @extend_schema(responses={200: CitizenReportDetailOutput}, tags=["reports"])
    def get(self, request: Request, report_id: int) -> Response:
        report = selectors.report_get_mine(user=request.user, report_id=report_id)  # type: ignore[arg-type]
        return Response(CitizenReportDetailOutput(report, context={"request": request}).data)
