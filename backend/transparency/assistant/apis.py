"""POST /api/v1/assistant/: a question in Vietnamese or English, an answer that cites its source."""

from __future__ import annotations

from dataclasses import asdict

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.core.client_ip import client_ip
from backend.transparency.assistant.answer import ask
from backend.transparency.track_api import TrackedReportOutput


class AssistantInput(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=1000, trim_whitespace=True)
    tracking_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=["vi", "en"], required=False, help_text="default: the language the message is written in"
    )


class SourceOutput(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.ChoiceField(choices=["report", "triage", "faq", "guidance", "notice", "factcheck"])
    id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class AssistantOutput(serializers.Serializer):  # type: ignore[type-arg]
    answer = serializers.CharField()
    language = serializers.ChoiceField(choices=["vi", "en"])
    intent = serializers.ChoiceField(choices=["report_status", "agency", "faq", "notice", "factcheck", "unknown"])
    confidence = serializers.FloatField(allow_null=True, help_text="how sure: retrieval score or triage probability")
    sources = SourceOutput(many=True)
    report = TrackedReportOutput(allow_null=True)
    agency = serializers.JSONField(allow_null=True, help_text="for `agency` answers: code, name, phone, category, urgency")
    contact = serializers.JSONField(allow_null=True, help_text="how to reach a person, when the assistant cannot help")


class AssistantApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assistant_ask", request=AssistantInput, responses={200: AssistantOutput}, tags=["public"],
        description="No login. Answers: a report's status, deadline and next step by tracking code; which agency "
        "handles a described problem (triage + routing, with how sure); the city's FAQs, guidance and fact checks "
        "(retrieval, with or without diacritics); otherwise how to reach a person. Every answer cites its sources.",
    )
    def post(self, request: Request) -> Response:
        data = AssistantInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        answer = ask(
            values["message"], client_ip=client_ip(request),
            tracking_code=values.get("tracking_code") or None, language=values.get("language"),
        )
        return Response(AssistantOutput(asdict(answer)).data)
