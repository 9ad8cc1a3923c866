"""A text the city writes in Vietnamese and, when it can, in English (warnings, notices, fact checks)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="OptionalEnglishText")
class OptionalEnglishTextOutput(serializers.Serializer):  # type: ignore[type-arg]
    vi = serializers.CharField()
    en = serializers.CharField(allow_null=True, help_text="null when no English was written")


def optional_english(vi: str, en: str) -> dict[str, str | None]:
    return {"vi": vi, "en": en or None}
