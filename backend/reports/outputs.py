"""Output shapes shared by the report endpoints (the contract in DESIGN.md)."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.core.messages import bilingual
from backend.reports.models import Photo, Report, ReportEvent, Status
from routing.models import Urgency


class NameSerializer(serializers.Serializer):
    vi = serializers.CharField()
    en = serializers.CharField()


def _absolute(request: Any, name: str) -> str:
    url = default_storage.url(name)
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


# Plain Serializers with explicit fields, not ModelSerializers: the report shape is built on every
# submission and every dashboard event, and ModelSerializer re-introspects the model each time.
class PhotoOutput(serializers.Serializer):  # type: ignore[type-arg]
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    content_type = serializers.CharField()

    def get_url(self, photo: Photo) -> str:
        return _absolute(self.context.get("request"), photo.image.name or "")

    def get_thumbnail_url(self, photo: Photo) -> str:
        return _absolute(self.context.get("request"), photo.thumbnail.name or "")


class TriageOutput(serializers.Serializer):
    category = serializers.CharField(allow_null=True)
    urgency = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    model_version = serializers.CharField(allow_null=True)
    rules = serializers.ListField(child=serializers.CharField())


class TimelineEntry(serializers.ModelSerializer):
    kind_name = serializers.SerializerMethodField()
    status = serializers.CharField(source="new_status")
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ReportEvent
        fields = ["kind", "kind_name", "status", "note", "at"]

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, event: ReportEvent) -> dict[str, str]:
        return bilingual(ReportEvent.Kind(event.kind).label)


class ReportNamesAndPhotos:
    """The city's words for a report's codes, and its photos: shown alike to every audience."""

    context: dict[str, Any]

    @extend_schema_field(PhotoOutput(many=True))
    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        # The citizen's own photos (the agency's after-photos are listed apart). Stored files carry no
        # EXIF (photos.py strips it); the camera GPS kept aside on Photo is never output.
        photos = [p for p in report.photos.all() if p.kind == Photo.Kind.REPORT]
        return PhotoOutput(photos, many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(PhotoOutput(many=True))
    def get_resolution_photos(self, report: Report) -> list[dict[str, Any]]:
        photos = getattr(report, "resolution_photos", None)
        if photos is None:
            photos = [p for p in report.photos.all() if p.kind == Photo.Kind.RESOLUTION]
        return PhotoOutput(photos, many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(NameSerializer)
    def get_status_name(self, report: Report) -> dict[str, str]:
        return bilingual(Status(report.status).label)

    @extend_schema_field(NameSerializer(allow_null=True))
    def get_category_name(self, report: Report) -> dict[str, str] | None:
        c = report.category
        return {"vi": c.name_vi, "en": c.name_en} if c else None

    @extend_schema_field(NameSerializer(allow_null=True))
    def get_urgency_name(self, report: Report) -> dict[str, str] | None:
        return bilingual(Urgency(report.urgency).label) if report.urgency else None

    @extend_schema_field(NameSerializer(allow_null=True))
    def get_area_name(self, report: Report) -> dict[str, str] | None:
        return {"vi": str(report.area), "en": report.area.name} if report.area else None

    @extend_schema_field(NameSerializer(allow_null=True))
    def get_agency_name(self, report: Report) -> dict[str, str] | None:
        a = report.agency
        return {"vi": a.name_vi, "en": a.name_en} if a else None


class ReportOutput(ReportNamesAndPhotos, serializers.Serializer):  # type: ignore[type-arg]
    """A report as its citizen sees it."""

    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    description = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    anonymous = serializers.BooleanField()
    due_at = serializers.DateTimeField(allow_null=True)
    me_too_count = serializers.IntegerField()
    client_created_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    status_name = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.code", allow_null=True, read_only=True)
    category_name = serializers.SerializerMethodField()
    urgency = serializers.SerializerMethodField()
    urgency_name = serializers.SerializerMethodField()
    triage = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.code", allow_null=True, read_only=True)
    area_name = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code", allow_null=True, read_only=True)
    agency_name = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    resolution_photos = serializers.SerializerMethodField()
    merged_into = serializers.SerializerMethodField()

    class Meta:
        # The field list, for subclasses and other audiences' views that extend the citizen's one.
        fields = [
            "id",
            "tracking_code",
            "status",
            "status_name",
            "description",
            "latitude",
            "longitude",
            "anonymous",
            "category",
            "category_name",
            "urgency",
            "urgency_name",
            "triage",
            "area",
            "area_name",
            "agency",
            "agency_name",
            "due_at",
            "photos",
            "resolution_photos",
            "me_too_count",
            "merged_into",
            "client_created_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_urgency(self, report: Report) -> str | None:
        return report.urgency or None

    @extend_schema_field(TriageOutput)
    def get_triage(self, report: Report) -> dict[str, Any]:
        return {
            "category": report.predicted_category or None,
            "urgency": report.predicted_urgency or None,
            "confidence": report.triage_confidence,
            "model_version": report.triage_model_version or None,
            "rules": list(report.triage_rules or []),
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, report: Report) -> str | None:
        if not report.merged_into_id:
            return None
        return report.merged_into.tracking_code if report.merged_into else None


class ReportDetailOutput(ReportOutput):
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(TimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        from backend.reports.selectors.reports import report_public_timeline

        return TimelineEntry(report_public_timeline(report=report), many=True).data  # type: ignore[return-value]
