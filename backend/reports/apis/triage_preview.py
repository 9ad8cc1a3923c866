"""POST /api/v1/ops/triage/: what the model says about a text, without creating anything."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import triage
from backend.accounts.permissions import IsOperator
from backend.core.messages import bilingual
from routing.models import Urgency
from routing.selectors import category_get


class TriagePreviewApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema_serializer(component_name="TriagePreviewInput")
    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        description = serializers.CharField(max_length=5000)

    @extend_schema_serializer(component_name="TriagePreviewOutput")
    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        category = serializers.CharField()
        category_name = serializers.DictField(child=serializers.CharField())
        urgency = serializers.CharField()
        urgency_name = serializers.DictField(child=serializers.CharField())
        confidence = serializers.FloatField()
        category_scores = serializers.DictField(child=serializers.FloatField())
        urgency_scores = serializers.DictField(child=serializers.FloatField())
        model_version = serializers.CharField(allow_null=True)
        rules = serializers.ListField(child=serializers.CharField())
        needs_review = serializers.BooleanField()
        review_reasons = serializers.ListField(child=serializers.CharField())
        alert = serializers.BooleanField()

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer}, tags=["ops"])
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = triage.classify(data.validated_data["description"], review_threshold=settings.TRIAGE_REVIEW_THRESHOLD)
        category = category_get(result.category)
        body = {
            "category": result.category,
            "category_name": {"vi": category.name_vi, "en": category.name_en} if category else {},
            "urgency": result.urgency,
            "urgency_name": bilingual(Urgency(result.urgency).label),
            "confidence": result.confidence,
            "category_scores": result.category_scores,
            "urgency_scores": result.urgency_scores,
            "model_version": result.model_version,
            "rules": list(result.rules_fired),
            # Triage's part of the review rule; a stored report adds routing's (see intake.py).
            "needs_review": result.needs_review,
            "review_reasons": list(result.review_reasons),
            "alert": result.alert,
        }
        return Response(self.OutputSerializer(body).data)
