"""A health report's details as the monitoring centre and the health agency see them (their report
outputs carry it as `health`; nobody else's do)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.core.messages import bilingual
from backend.epidemic.kinds import HealthKind, Symptom
from backend.epidemic.models import HealthDetails

_NAME = serializers.DictField(child=serializers.CharField())


class HealthDetailsOutput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=HealthKind.choices)
    kind_name = serializers.SerializerMethodField()
    kind_given = serializers.BooleanField(help_text="false: guessed from the text, to be confirmed")
    symptoms = serializers.SerializerMethodField()
    onset_date = serializers.DateField(allow_null=True)
    people_count = serializers.IntegerField(allow_null=True)
    disease = serializers.SerializerMethodField(help_text="the epidemic period it came in, if any")

    @extend_schema_field(_NAME)
    def get_kind_name(self, details: HealthDetails) -> dict[str, str]:
        return bilingual(HealthKind(details.kind).label)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_symptoms(self, details: HealthDetails) -> list[dict[str, Any]]:
        return [{"key": key, "name": bilingual(Symptom(key).label)} for key in details.symptoms if key in Symptom.values]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_disease(self, details: HealthDetails) -> dict[str, str] | None:
        mode = details.epidemic
        return {"vi": mode.disease_vi, "en": mode.disease_en or mode.disease_vi} if mode is not None else None


def health_of(report: Any) -> dict[str, Any] | None:
    details = getattr(report, "health", None)
    return dict(HealthDetailsOutput(details).data) if details is not None else None
