"""What everyone is shown of a warning: the REST answers (apis.py) and the live stream (events.py)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.alerts import cap, selectors
from backend.alerts.models import Alert, AlertUrgency, Certainty, Kind, Severity, State
from backend.core.bilingual import OptionalEnglishTextOutput, optional_english
from backend.reports.outputs import NameSerializer, bilingual


class WardOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = NameSerializer()


class AlertAreaOutput(serializers.Serializer):  # type: ignore[type-arg]
    city_wide = serializers.BooleanField()
    wards = WardOutput(many=True)
    geometry = serializers.JSONField(allow_null=True)


class AlertOutput(serializers.Serializer):  # type: ignore[type-arg]
    """A warning as everyone sees it."""

    id = serializers.IntegerField()
    identifier = serializers.SerializerMethodField(help_text="the CAP identifier of the latest issue")
    version = serializers.IntegerField()
    msg_type = serializers.SerializerMethodField(help_text="CAP msgType of the latest issue")
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    kind_name = serializers.SerializerMethodField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    severity_name = serializers.SerializerMethodField()
    urgency = serializers.ChoiceField(choices=AlertUrgency.choices)
    certainty = serializers.ChoiceField(choices=Certainty.choices)
    area = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    issued_at = serializers.DateTimeField()
    cap_url = serializers.SerializerMethodField()

    def get_identifier(self, alert: Alert) -> str:
        return cap.identifier(alert, alert.version)

    def get_msg_type(self, alert: Alert) -> str:
        return list(alert.revisions.all())[-1].msg_type

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_title(self, alert: Alert) -> dict[str, str | None]:
        return optional_english(alert.title_vi, alert.title_en)

    @extend_schema_field(OptionalEnglishTextOutput)
    def get_body(self, alert: Alert) -> dict[str, str | None]:
        return optional_english(alert.body_vi, alert.body_en)

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, alert: Alert) -> dict[str, str]:
        return bilingual(Kind(alert.kind).label)

    @extend_schema_field(NameSerializer)
    def get_severity_name(self, alert: Alert) -> dict[str, str]:
        return bilingual(Severity(alert.severity).label)

    @extend_schema_field(AlertAreaOutput)
    def get_area(self, alert: Alert) -> dict[str, Any]:
        return {
            "city_wide": alert.city_wide,
            "wards": [{"code": w.code, "name": {"vi": str(w), "en": w.name}} for w in alert.wards.all()],
            "geometry": alert.geometry,
        }

    def get_cap_url(self, alert: Alert) -> str:
        path = f"/api/v1/alerts/{alert.pk}/cap/"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class StreamAreaOutput(AlertAreaOutput):
    ward_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="every ward the warning reaches: its wards, or those its drawn area overlaps; empty if city-wide",
    )


class AlertStreamOutput(AlertOutput):
    """A warning as the live stream (/ws/alerts/) carries it: the public view, its state, and the wards it
    reaches, so a socket can be told only of the warnings for the wards it listens to."""

    state = serializers.SerializerMethodField()
    area = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=State.choices))
    def get_state(self, alert: Alert) -> str:
        return alert.state(self.context["now"])

    @extend_schema_field(StreamAreaOutput)
    def get_area(self, alert: Alert) -> dict[str, Any]:
        return {**super().get_area(alert), "ward_codes": selectors.wards_reached(alert) if not alert.city_wide else []}
