"""Open311 GeoReport v2 endpoints. Thin: check, call a selector or the intake service, shape.

Common to all of them (Open311View):
- the format is the path's suffix, `.json` or `.xml` (formats.py);
- `jurisdiction_id` is optional (one city per endpoint); when given it must be ours
  (settings.OPEN311_JURISDICTION_ID), else 404 as the spec says;
- the language of names and notices is `locale` (vi, en, en_US...) if given, else Accept-Language,
  else Vietnamese;
- errors are the spec's list of `{code, description}` (errors.py);
- no session or token authentication: reading is public, and POST proves itself with `api_key`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.tokens import token_user
from backend.core.errors import ApiError
from backend.epidemic.intake import HealthFields, health_answers
from backend.epidemic.open311 import answers_from_form, has_attributes
from backend.reports.apis.citizen import idempotency_key, refuse_oversized
from backend.reports.services import intake as services
from backend.reports.submission_limits import open311_submission_limits
from backend.transparency.open311 import selectors
from backend.transparency.open311.errors import open311_exception_handler
from backend.transparency.open311.formats import (
    FormatSuffixNegotiation,
    Open311JSONRenderer,
    Open311XMLRenderer,
)
from backend.transparency.open311.serializers import (
    Open311ErrorOutput,
    Open311RequestCreatedOutput,
    Open311ServiceDefinitionOutput,
    Open311ServiceOutput,
    Open311ServiceRequestOutput,
    Open311TokenOutput,
    RequestCreateInput,
    RequestSearchInput,
    service_notice,
)
from routing.selectors import category_get

LANGUAGES = ("vi", "en")


def _locale(raw: str) -> str | None:
    """`vi`, `en`, `en_US`, `en-GB`... -> vi or en; None if it is neither."""
    language = raw.strip().replace("_", "-").split("-")[0].lower()
    return language if language in LANGUAGES else None


FORMAT = OpenApiParameter(
    "response_format", str, OpenApiParameter.PATH, enum=["json", "xml"], description="the response format (path suffix)"
)
JURISDICTION = OpenApiParameter(
    "jurisdiction_id", str, description="optional; when given, it must be this city's (e.g. `hue.gov.vn`)"
)
LOCALE = OpenApiParameter(
    "locale", str, description="`vi` (default) or `en` (also `en_US`...); otherwise Accept-Language decides"
)
# DRF's `?format=` override does not apply here: the suffix alone decides (formats.py).
NO_FORMAT_QUERY = OpenApiParameter("format", exclude=True)
ERRORS = OpenApiResponse(Open311ErrorOutput(many=True), description="`[{code, description}]` (XML: `<errors>`)")


class Open311View(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    content_negotiation_class = FormatSuffixNegotiation
    xml_root = "service_requests"

    def get_format_suffix(self, **kwargs: Any) -> str | None:
        return kwargs.get("response_format")

    def get_exception_handler(self) -> Any:
        return open311_exception_handler

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Messages and names are computed inside the view, so the whole answer speaks one language.
        requested = request.GET.get("locale", "")
        language = _locale(requested) if requested.strip() else None
        with translation.override(language or getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method == "POST":
            refuse_oversized(request)  # before anything reads the body
        requested = request.query_params.get("locale", "")
        if requested.strip() and _locale(requested) is None:
            raise ApiError("open311_locale_unsupported", value=requested)
        jurisdiction = request.query_params.get("jurisdiction_id") or ""
        if not jurisdiction and request.method == "POST":
            form: Any = request.data  # a QueryDict: form-encoded or multipart (the parsers of POST)
            jurisdiction = form.get("jurisdiction_id") or ""
        if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
            raise ApiError(
                "open311_jurisdiction_not_found", status.HTTP_404_NOT_FOUND,
                value=jurisdiction, ours=settings.OPEN311_JURISDICTION_ID,
            )


class ServiceListApi(Open311View):
    xml_root = "services"

    @extend_schema(
        operation_id="open311_services_list",
        parameters=[NO_FORMAT_QUERY, FORMAT, JURISDICTION, LOCALE],
        responses={200: Open311ServiceOutput(many=True), 404: ERRORS},
        tags=["open311"],
        description="The service types: the city's active categories (`service_code` = category code).",
    )
    def get(self, request: Request, response_format: str) -> Response:
        return Response(Open311ServiceOutput(selectors.services(), many=True).data)


class ServiceDefinitionApi(Open311View):
    xml_root = "service_definition"

    @extend_schema(
        operation_id="open311_service_definition",
        parameters=[NO_FORMAT_QUERY, FORMAT, JURISDICTION, LOCALE],
        responses={200: Open311ServiceDefinitionOutput, 404: ERRORS},
        tags=["open311"],
        description="A service's extra attributes: `health_epidemic` asks the report's kind (`health_kind`) and, "
        "while epidemic mode is on, the kind's questions (`symptoms`, `onset_date`, `people_count`); send them "
        "as `attribute[code]=value` (`attribute[symptoms][]` for each symptom). Other services have none.",
    )
    def get(self, request: Request, service_code: str, response_format: str) -> Response:
        return Response(Open311ServiceDefinitionOutput(selectors.service_get(code=service_code)).data)


class RequestListCreateApi(Open311View):
    parser_classes = [FormParser, MultiPartParser]

    @extend_schema(
        operation_id="open311_requests_list",
        parameters=[
            NO_FORMAT_QUERY, FORMAT, JURISDICTION, LOCALE,
            OpenApiParameter("service_request_id", str, description="comma-separated ids; overrides all else"),
            OpenApiParameter("service_code", str, description="comma-separated category codes"),
            OpenApiParameter("start_date", str, description="w3 datetime or date; the window is at most 90 days"),
            OpenApiParameter("end_date", str, description="w3 datetime or date (a date includes the whole day)"),
            OpenApiParameter("status", str, description="`open`, `closed` or `open,closed`"),
            OpenApiParameter(
                "page_size", int,
                description=f"requests per answer, default {selectors.DEFAULT_PAGE_SIZE}, at most "
                f"{selectors.MAX_REQUESTS}; older ones: ask again with end_date = the last requested_datetime",
            ),
        ],
        responses={200: Open311ServiceRequestOutput(many=True), 400: ERRORS, 404: ERRORS},
        tags=["open311"],
        description="Published requests, newest first: the last 90 days unless start_date/end_date say "
        "otherwise, `page_size` of them (older ones: ask again with end_date = the last requested_datetime "
        "received; a request may then come twice, never be skipped). Merged duplicates and rejected "
        "reports are listed only when asked for by `service_request_id`. Status: our open statuses are `open`; resolved, closed, rejected and "
        "merged are `closed`.",
    )
    def get(self, request: Request, response_format: str) -> Response:
        query = RequestSearchInput(data=request.query_params)
        query.is_valid(raise_exception=True)
        reports = selectors.request_search(search=query.search(), now=timezone.now())
        return Response(Open311ServiceRequestOutput(reports, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="open311_requests_create",
        parameters=[
            NO_FORMAT_QUERY, FORMAT, LOCALE,
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER,
                description="retry-safe: the same key (per api_key's account) returns the same request, 200",
            ),
        ],
        request={"application/x-www-form-urlencoded": RequestCreateInput, "multipart/form-data": RequestCreateInput},
        responses={201: Open311RequestCreatedOutput(many=True), 200: Open311RequestCreatedOutput(many=True),
                   400: ERRORS, 403: ERRORS, 404: ERRORS},
        tags=["open311"],
        description="Creates a report exactly as the app does (triage, routing, deadline, live dashboards), "
        "submitted by the account of `api_key`. `lat`/`long` are required. The submitter's personal fields "
        "(email, names, phone, device_id, account_id) are accepted but not stored.",
    )
    def post(self, request: Request, response_format: str) -> Response:
        form: Any = request.data
        key = form.get("api_key") or request.query_params.get("api_key")
        if not key:
            raise ApiError("open311_api_key_missing", status.HTTP_403_FORBIDDEN)
        user = token_user(str(key))
        if user is None:
            raise ApiError("open311_api_key_invalid", status.HTTP_403_FORBIDDEN)
        data = RequestCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category = category_get(values["service_code"])
        if category is None:
            raise ApiError("open311_service_not_found", status.HTTP_404_NOT_FOUND, value=values["service_code"])
        health = None
        if has_attributes(category.code):  # health_epidemic: its attribute[...] answers, as the app sends them
            fields = HealthFields(data=answers_from_form(form))
            fields.is_valid(raise_exception=True)
            health = health_answers({**fields.validated_data, "category": category})
        outcome = services.report_submit(
            user=user,
            data=services.ReportInput(
                description=values["description"],
                latitude=values["lat"],
                longitude=values["long"],
                category_hint=category,
                health=health,
            ),
            photos=values["media"],
            idempotency_key=idempotency_key(request),
            limits=open311_submission_limits(),
        )
        report = outcome.report
        body = {"service_request_id": str(report.pk), "service_notice": service_notice(report), "account_id": None}
        return Response([body], status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK)


class RequestDetailApi(Open311View):
    @extend_schema(
        operation_id="open311_request_retrieve",
        parameters=[NO_FORMAT_QUERY, FORMAT, JURISDICTION, LOCALE],
        responses={200: Open311ServiceRequestOutput(many=True), 404: ERRORS},
        tags=["open311"],
        description="One request, as a list of one (the spec's shape).",
    )
    def get(self, request: Request, service_request_id: str, response_format: str) -> Response:
        if not service_request_id.isdigit() or len(service_request_id) > 18:
            raise ApiError("open311_request_not_found", status.HTTP_404_NOT_FOUND, value=service_request_id)
        report = selectors.request_get(request_id=int(service_request_id))
        return Response([Open311ServiceRequestOutput(report, context={"request": request}).data])


class TokenApi(Open311View):
    @extend_schema(
        operation_id="open311_token_retrieve",
        parameters=[NO_FORMAT_QUERY, FORMAT, JURISDICTION, LOCALE],
        responses={200: Open311TokenOutput(many=True), 404: ERRORS},
        tags=["open311"],
        description="Requests are created synchronously and POST answers with the service_request_id, so "
        "no token is ever handed out; for clients that ask anyway, a token is read as a request id.",
    )
    def get(self, request: Request, token: str, response_format: str) -> Response:
        if not token.isdigit() or len(token) > 18:
            raise ApiError("open311_token_not_found", status.HTTP_404_NOT_FOUND, value=token)
        try:
            report = selectors.request_get(request_id=int(token))
        except ApiError as exc:
            raise ApiError("open311_token_not_found", status.HTTP_404_NOT_FOUND, value=token) from exc
        return Response([{"service_request_id": str(report.pk), "token": token}])
