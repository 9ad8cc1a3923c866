"""Fact checks over HTTP: the agency writes conclusions and joins reports; everyone searches them.

Thin views: parse and validate, call a service or selector, shape the output.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.bilingual import OptionalEnglishTextOutput, optional_english
from backend.factchecks import selectors, services
from backend.factchecks.models import FactCheck, Verdict
from backend.reports.outputs import NameSerializer, bilingual


class IsFactChecker(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and services.may_check_facts(request.user))


class PublicFactCheckOutput(serializers.Serializer):  # type: ignore[type-arg]
    """The agency's conclusion as everyone sees it: the claim in the agency's words, never a report."""

    id = serializers.IntegerField()
    claim = serializers.SerializerMethodField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    verdict_name = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField()
    source_name = serializers.CharField()
    source_url = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    sightings = serializers.IntegerField(source="sighting_count", help_text="citizens' reports of this rumour")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_claim(self, fc: FactCheck) -> dict[str, str | None]:
        return optional_english(fc.claim_vi, fc.claim_en)

    @extend_schema_field(NameSerializer)
    def get_verdict_name(self, fc: FactCheck) -> dict[str, str]:
        return bilingual(Verdict(fc.verdict).label)

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_explanation(self, fc: FactCheck) -> dict[str, str | None]:
        return optional_english(fc.explanation_vi, fc.explanation_en)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_source_url(self, fc: FactCheck) -> str | None:
        return fc.source_url or None

    @extend_schema_field(NameSerializer)
    def get_agency(self, fc: FactCheck) -> dict[str, str]:
        return {"vi": fc.agency.name_vi, "en": fc.agency.name_en}


class FactCheckOutput(PublicFactCheckOutput):
    """As the agency sees it: drafts too, and which reports joined it."""

    published = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)  # type: ignore[assignment]
    reports = serializers.SerializerMethodField()

    def get_reports(self, fc: FactCheck) -> list[int]:
        return [s.report_id for s in fc.sightings.all()]


class FactCheckInput(serializers.Serializer):  # type: ignore[type-arg]
    claim = serializers.CharField(max_length=500, help_text="the rumour in the agency's words (Vietnamese)")
    claim_en = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    explanation = serializers.CharField(max_length=3000)
    explanation_en = serializers.CharField(max_length=3000, required=False, allow_blank=True, default="")
    source_name = serializers.CharField(max_length=200)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    published = serializers.BooleanField(required=False, default=True)
    reports = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, default=list, max_length=500,
        help_text="misinformation reports of this rumour (they count as sightings)",
    )


class FactCheckPatchInput(FactCheckInput):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


class SightingsInput(serializers.Serializer):  # type: ignore[type-arg]
    reports = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=500)


_RENAMES = {"claim": "claim_vi", "explanation": "explanation_vi"}


def _agency_body(request: Request, fact_check_id: int) -> dict[str, Any]:
    return FactCheckOutput(selectors.factcheck_get(fact_check_id=fact_check_id)).data  # type: ignore[return-value]


class FactCheckListCreateApi(APIView):
    permission_classes = [IsFactChecker]

    @extend_schema(
        operation_id="agency_factchecks_list", tags=["factchecks"], responses={200: FactCheckOutput(many=True)},
        parameters=[OpenApiParameter("q", str, description="words of the claim, with or without diacritics")],
    )
    def get(self, request: Request) -> Response:
        qs = selectors.factcheck_list(query=request.query_params.get("q", ""))
        return Response(FactCheckOutput(qs.prefetch_related("sightings")[:200], many=True).data)

    @extend_schema(
        operation_id="agency_factchecks_create", request=FactCheckInput, responses={201: FactCheckOutput},
        tags=["factchecks"],
        description="The information and communications agency (or the IOC) concludes on a rumour; the "
        "listed misinformation reports join it as sightings. Published at once unless `published` is false.",
    )
    def post(self, request: Request) -> Response:
        data = FactCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        fact_check = services.factcheck_create(
            actor=request.user,  # type: ignore[arg-type]
            data=services.FactCheckInput(
                claim_vi=v["claim"], claim_en=v["claim_en"], verdict=v["verdict"], explanation_vi=v["explanation"],
                explanation_en=v["explanation_en"], source_name=v["source_name"], source_url=v["source_url"],
                published=v["published"],
            ),
            report_ids=v["reports"],
        )
        return Response(_agency_body(request, fact_check.pk), status=status.HTTP_201_CREATED)


class FactCheckDetailApi(APIView):
    permission_classes = [IsFactChecker]

    @extend_schema(operation_id="agency_factchecks_retrieve", responses={200: FactCheckOutput}, tags=["factchecks"])
    def get(self, request: Request, fact_check_id: int) -> Response:
        return Response(_agency_body(request, fact_check_id))

    @extend_schema(
        operation_id="agency_factchecks_update", request=FactCheckPatchInput, responses={200: FactCheckOutput},
        tags=["factchecks"],
    )
    def patch(self, request: Request, fact_check_id: int) -> Response:
        data = FactCheckPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        changes = {_RENAMES.get(k, k): v for k, v in data.validated_data.items() if k != "reports"}
        services.factcheck_update(actor=request.user, fact_check_id=fact_check_id, changes=changes)  # type: ignore[arg-type]
        if data.validated_data.get("reports"):
            services.sightings_add(
                actor=request.user, fact_check_id=fact_check_id, report_ids=data.validated_data["reports"]  # type: ignore[arg-type]
            )
        return Response(_agency_body(request, fact_check_id))


class FactCheckSightingsApi(APIView):
    permission_classes = [IsFactChecker]

    @extend_schema(
        operation_id="agency_factchecks_sightings", request=SightingsInput, responses={200: FactCheckOutput},
        tags=["factchecks"], description="Join more reports of the same rumour (a report joins one fact check).",
    )
    def post(self, request: Request, fact_check_id: int) -> Response:
        data = SightingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.sightings_add(
            actor=request.user, fact_check_id=fact_check_id, report_ids=data.validated_data["reports"]  # type: ignore[arg-type]
        )
        return Response(_agency_body(request, fact_check_id))


class PublicPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class PublicFactCheckListApi(APIView):
    pagination_class = PublicPagination  # the schema documents the paginated envelope
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_factchecks_list", tags=["public"], responses={200: PublicFactCheckOutput(many=True)},
        parameters=[
            OpenApiParameter("q", str, description="words of the rumour; with or without diacritics ('vac xin' finds 'vắc xin')"),
            OpenApiParameter("page", int), OpenApiParameter("page_size", int, description="default 20, at most 100"),
        ],
        description="The city's conclusions on rumours, newest first: check one before sharing it.",
    )
    def get(self, request: Request) -> Response:
        paginator = PublicPagination()
        page = paginator.paginate_queryset(
            selectors.public_factchecks(query=request.query_params.get("q", "")), request, view=self
        )
        return paginator.get_paginated_response(PublicFactCheckOutput(page, many=True).data)


class PublicFactCheckDetailApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="public_factchecks_retrieve", tags=["public"], responses={200: PublicFactCheckOutput})
    def get(self, request: Request, fact_check_id: int) -> Response:
        return Response(PublicFactCheckOutput(selectors.public_factcheck_get(fact_check_id=fact_check_id)).data)
