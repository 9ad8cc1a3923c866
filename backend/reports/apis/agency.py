"""The agencies' API: their own tickets with deadlines, and the agency's transitions.

Privacy as in Hue-S: nothing here names the reporter (no name, no phone). Another agency's ticket
answers 404.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.permissions import IsAgencyStaff
from backend.core.messages import bilingual
from backend.reports.apis.ops import QUEUE_PARAMETERS, next_link, page_size
from backend.reports.models import Status
from backend.reports.outputs import AgencyTicketDetailOutput, AgencyTicketOutput, NameSerializer
from backend.reports.selectors import queues as ops_selectors
from backend.reports.services import lifecycle


def _detail(request: Request, report_id: int) -> Response:
    report = ops_selectors.agency_ticket_get(user=request.user, report_id=report_id)  # type: ignore[arg-type]
    return Response(AgencyTicketDetailOutput(report, context={"request": request}).data)


class AgencyTicketListApi(APIView):
    permission_classes = [IsAgencyStaff]

    @extend_schema(
        operation_id="agency_tickets_list",
        parameters=[p for p in QUEUE_PARAMETERS if p.name != "agency"],
        responses={
            200: inline_serializer(
                "AgencyTicketPage", {"next": serializers.URLField(allow_null=True), "results": AgencyTicketOutput(many=True)}
            )
        },
        tags=["agency"],
    )
    def get(self, request: Request) -> Response:
        qs = ops_selectors.agency_tickets(user=request.user, params=request.query_params)  # type: ignore[arg-type]
        page = ops_selectors.keyset_page(
            qs, ordering=request.query_params.get("ordering"), cursor=request.query_params.get("cursor"),
            size=page_size(request),
        )
        results = AgencyTicketOutput(page.items, many=True, context={"request": request}).data
        return Response({"next": next_link(request, page.next_cursor), "results": results})


class AgencyTicketDetailApi(APIView):
    permission_classes = [IsAgencyStaff]

    @extend_schema(responses={200: AgencyTicketDetailOutput}, tags=["agency"])
    def get(self, request: Request, report_id: int) -> Response:
        return _detail(request, report_id)


class AgencyTicketAcceptApi(APIView):
    permission_classes = [IsAgencyStaff]

    @extend_schema(request=None, responses={200: AgencyTicketDetailOutput}, tags=["agency"])
    def post(self, request: Request, report_id: int) -> Response:
        lifecycle.ticket_accept(actor=request.user, report_id=report_id)  # type: ignore[arg-type]
        return _detail(request, report_id)


class AgencyTicketProgressApi(APIView):
    permission_classes = [IsAgencyStaff]

    @extend_schema_serializer(component_name="AgencyProgressInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=4000, help_text="shown to the citizen")

    @extend_schema(request=InputSerializer, responses={200: AgencyTicketDetailOutput}, tags=["agency"])
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.ticket_progress(actor=request.user, report_id=report_id, note=data.validated_data["note"])  # type: ignore[arg-type]
        return _detail(request, report_id)


class AgencyTicketResolveApi(APIView):
    permission_classes = [IsAgencyStaff]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema_serializer(component_name="AgencyResolveInput")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=4000, help_text="what was done; shown to the citizen")
        photos = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True), required=False, default=list,
            help_text="0-5 after-photos (JPEG, PNG, WebP, HEIC), each at most 10 MB",
        )

    @extend_schema(
        request={"multipart/form-data": InputSerializer}, responses={200: AgencyTicketDetailOutput}, tags=["agency"]
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lifecycle.ticket_resolve(
            actor=request.user, report_id=report_id,  # type: ignore[arg-type]
            note=data.validated_data["note"], photos=data.validated_data["photos"],
        )
        return _detail(request, report_id)


class AgencyTicketReturnApi(APIView):
    permission_classes = [IsAgencyStaff]

    @extend_schema_serializer(component_name="AgencyReturnInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000, help_text="required: why this is not ours")

    @extend_schema(
        request=InputSerializer,
        responses={
            200: inline_serializer(
                "TicketReturned",
                {"id": serializers.IntegerField(), "status": serializers.CharField(), "status_name": NameSerializer()},
            )
        },
        tags=["agency"],
    )
    def post(self, request: Request, report_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = lifecycle.ticket_return(actor=request.user, report_id=report_id, reason=data.validated_data["reason"])  # type: ignore[arg-type]
        # The ticket has left this agency: it may no longer read it, so only the outcome is returned.
        return Response(
            {"id": report.pk, "status": report.status, "status_name": bilingual(Status(report.status).label)}
        )

