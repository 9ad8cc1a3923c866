"""A report as each audience sees it: one output per audience, used by REST and by socket payloads.

| audience  | list / event payload      | detail                          | who                          |
|-----------|---------------------------|---------------------------------|------------------------------|
| citizen   | CitizenReportOutput       | CitizenReportDetailOutput       | the reporter (the contract)  |
| operator  | OperatorReportOutput      | OperatorReportDetailOutput      | IOC staff: everything        |
| agency    | AgencyTicketOutput        | AgencyTicketDetailOutput        | the agency: never who reported |
| public    | PublicReportOutput        | PublicReportDetailOutput        | everyone: anonymised         |

The list output of an audience is exactly what its websocket stream carries (`services/events.py`),
so a dashboard can put a pushed report where a fetched one was. Derived facts (`is_open`, `overdue`)
come from the model (`Report.is_open`, `Report.is_overdue`) so no page recomputes them. Photo URLs are
absolute, built from `settings.PUBLIC_BASE_URL` (a socket payload has no request to ask), signed for
the audience (photo_access.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.core.compiled_serializer import CompiledSerializer
from backend.core.messages import bilingual
from backend.epidemic.outputs import HealthDetailsOutput, health_of
from backend.reports.models import URGENCY_ORDER, Photo, Report, ReportEvent, Status
from backend.reports.photo_access import photo_url
from backend.reports.publication import note_outside_the_city
from backend.reports.redaction import redact_contacts
from backend.reports.transitions import AGENCY_DESK, OPERATOR_DESK, is_legal, staff_actions
from backend.transparency import selectors as public
from routing.models import Urgency
from routing.selectors import routing_rule_get


class NameSerializer(serializers.Serializer):
    vi = serializers.CharField()
    en = serializers.CharField()




def _now(context: Mapping[str, Any]) -> datetime:
    return context.get("now") or timezone.now()


# Plain Serializers with explicit fields, not ModelSerializers: the report shape is built on every
# submission and every dashboard event, and ModelSerializer re-introspects the model each time. The
# report and photo outputs are CompiledSerializers (backend/core/compiled_serializer.py): DRF's answers
# without copying ~30 field objects per instance.
class PhotoOutput(CompiledSerializer):  # type: ignore[type-arg]
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    content_type = serializers.CharField()

    # Signed, short-lived URLs checked when fetched (photo_access.py): public ones only while the
    # report is published, private ones only for whoever this answer was for.
    def get_url(self, photo: Photo) -> str:
        return photo_url(photo, "image", self.context.get("photo_audience", "private"))

    def get_thumbnail_url(self, photo: Photo) -> str:
        return photo_url(photo, "thumbnail", self.context.get("photo_audience", "private"))


class TriageOutput(serializers.Serializer):
    category = serializers.CharField(allow_null=True)
    urgency = serializers.CharField(allow_null=True)
    confidence = serializers.FloatField(allow_null=True)
    model_version = serializers.CharField(allow_null=True)
    rules = serializers.ListField(child=serializers.CharField())


class TimelineEntry(serializers.ModelSerializer):
    kind_name = serializers.SerializerMethodField()
    status = serializers.CharField(source="new_status")
    note = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ReportEvent
        fields = ["kind", "kind_name", "status", "note", "at"]

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, event: ReportEvent) -> dict[str, str]:
        return bilingual(ReportEvent.Kind(event.kind).label)

    def get_note(self, event: ReportEvent) -> str:
        return note_outside_the_city(event)


class ReportNamesAndPhotos:
    """The city's words for a report's codes, and its photos: shown alike to every audience."""

    context: dict[str, Any]
    # Whom the photo URLs are signed for (photo_access.py): the public outputs say "public".
    photo_audience = "private"

    def _photo_context(self) -> dict[str, Any]:
        return {**self.context, "photo_audience": self.photo_audience}

    @extend_schema_field(PhotoOutput(many=True))
    def get_photos(self, report: Report) -> list[dict[str, Any]]:
        # The citizen's own photos (the agency's after-photos are listed apart). Stored files carry no
        # EXIF (photos.py strips it); the camera GPS kept aside on Photo is never output.
        photos = [p for p in report.photos.all() if p.kind == Photo.Kind.REPORT]
        if not photos:  # most reports: spare building a list serializer for nothing
            return []
        return PhotoOutput(photos, many=True, context=self._photo_context()).data  # type: ignore[return-value]

    @extend_schema_field(PhotoOutput(many=True))
    def get_resolution_photos(self, report: Report) -> list[dict[str, Any]]:
        photos = getattr(report, "resolution_photos", None)
        if photos is None:
            photos = [p for p in report.photos.all() if p.kind == Photo.Kind.RESOLUTION]
        if not photos:
            return []
        return PhotoOutput(photos, many=True, context=self._photo_context()).data  # type: ignore[return-value]

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


class CitizenReportOutput(ReportNamesAndPhotos, CompiledSerializer):  # type: ignore[type-arg]
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
        """The joined report's tracking code when it is the same citizen's; another's stays theirs."""
        target = report.merged_into if report.merged_into_id else None
        if target is None or target.reporter_id != report.reporter_id:
            return None
        return target.tracking_code


class CitizenReportDetailOutput(CitizenReportOutput):
    timeline = serializers.SerializerMethodField()
    # The citizen's own rating, shown back to them (staff outputs carry it in DeadlineStateOutput).
    rating_stars = serializers.IntegerField(read_only=True, allow_null=True, help_text="1-5 once rated, else null")
    rating_comment = serializers.CharField(read_only=True)

    @extend_schema_field(TimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        from backend.reports.selectors.reports import report_public_timeline

        return TimelineEntry(report_public_timeline(report=report), many=True).data  # type: ignore[return-value]


class DeadlineStateOutput(CompiledSerializer):  # type: ignore[type-arg]
    """What staff screens sort and colour by: derived from the model, never recomputed by a page."""

    open = serializers.BooleanField(source="is_open", read_only=True, help_text="not yet resolved, closed, rejected or merged")
    overdue = serializers.SerializerMethodField(help_text="open with its deadline passed")
    reopened_count = serializers.IntegerField(read_only=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    rating_stars = serializers.IntegerField(read_only=True, allow_null=True)
    rating_comment = serializers.CharField(read_only=True)

    def get_overdue(self, report: Report) -> bool:
        return report.is_overdue(_now(self.context))


class ReporterOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)


class OperatorReportOutput(CitizenReportOutput, DeadlineStateOutput):
    """A queue row and an operator's event: the citizen's view, who reported it, and why it is where it is."""

    needs_review_reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    routing_reason = serializers.CharField(read_only=True)
    routing_rule_id = serializers.IntegerField(read_only=True, allow_null=True)
    sensitive = serializers.BooleanField(read_only=True, help_text="marked by an operator: never published")
    reporter = serializers.SerializerMethodField(help_text="IOC staff only, even for anonymous reports")
    actions = serializers.SerializerMethodField(help_text="what an operator may do now (transitions.py)")
    urgency_rank = serializers.SerializerMethodField(help_text="0 = most urgent; the queue's order (models.URGENCY_ORDER)")
    health = serializers.SerializerMethodField(help_text="a health report's kind and answers; null otherwise")

    @extend_schema_field(HealthDetailsOutput(allow_null=True))
    def get_health(self, report: Report) -> dict[str, Any] | None:
        return health_of(report)

    def get_urgency_rank(self, report: Report) -> int:
        return URGENCY_ORDER.index(report.urgency) if report.urgency in URGENCY_ORDER else len(URGENCY_ORDER)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, report: Report) -> list[str]:
        return staff_actions(OPERATOR_DESK, report.status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, report: Report) -> str | None:
        return report.merged_into.tracking_code if report.merged_into_id and report.merged_into else None

    @extend_schema_field(ReporterOutput)
    def get_reporter(self, report: Report) -> dict[str, Any]:
        user = report.reporter
        return {"id": user.pk, "name": user.get_full_name() or None, "phone": user.phone or None}


class StaffTimelineEntry(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One event as IOC staff see it: who, when, old and new values, internal or public."""

    kind_name = serializers.SerializerMethodField()
    status = serializers.CharField(source="new_status")
    actor = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = ReportEvent
        fields = [
            "id", "kind", "kind_name", "old_status", "status", "actor", "actor_role", "old_value", "new_value",
            "note", "is_public", "at",
        ]

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, event: ReportEvent) -> dict[str, str]:
        return bilingual(ReportEvent.Kind(event.kind).label)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: ReportEvent) -> str | None:
        return event.actor.username if event.actor is not None else None


class DuplicateOutput(serializers.Serializer):  # type: ignore[type-arg]
    report_id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    distance_m = serializers.FloatField()
    score = serializers.FloatField(help_text="text similarity 0..1 (character trigrams, diacritics folded)")
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    thumbnail_url = serializers.SerializerMethodField(help_text="its first photo's thumbnail, or null")
    mergeable = serializers.SerializerMethodField(help_text="the lifecycle lets it be merged away now")

    def get_mergeable(self, candidate: Any) -> bool:
        return is_legal("merge", candidate.status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_thumbnail_url(self, candidate: Any) -> str | None:
        # Operators' eyes only: a private signed URL, like the report's own photos in their view.
        return photo_url(Photo(pk=candidate.photo_id), "thumbnail", "private") if candidate.photo_id else None


class RoutingRuleOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    category = serializers.CharField(allow_null=True)
    agency = serializers.CharField()
    note = serializers.CharField()
    active = serializers.BooleanField()


class PhotoLocationOutput(serializers.Serializer):  # type: ignore[type-arg]
    position = serializers.IntegerField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()


class OperatorReportDetailOutput(OperatorReportOutput):
    """Everything about one report, for IOC staff only."""

    triage_scores = serializers.JSONField(read_only=True)
    routing_rule = serializers.SerializerMethodField()
    photo_locations = serializers.SerializerMethodField()
    duplicates = serializers.SerializerMethodField()
    merged_reports = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(RoutingRuleOutput(allow_null=True))
    def get_routing_rule(self, report: Report) -> dict[str, Any] | None:
        rule = routing_rule_get(report.routing_rule_id)
        if rule is None:
            return None
        return {
            "id": rule.pk, "order": rule.order, "category": rule.category.code if rule.category else None,
            "agency": rule.agency.code, "note": rule.note, "active": rule.active,
        }

    @extend_schema_field(PhotoLocationOutput(many=True))
    def get_photo_locations(self, report: Report) -> list[dict[str, Any]]:
        # Where the camera says the photos were taken: a private hint for IOC staff, never published.
        return [
            {"position": p.position, "latitude": p.gps_lat, "longitude": p.gps_lon}
            for p in report.photos.all()
            if p.gps_lat is not None and p.gps_lon is not None
        ]

    @extend_schema_field(DuplicateOutput(many=True))
    def get_duplicates(self, report: Report) -> list[dict[str, Any]]:
        from backend.reports.selectors.duplicates import duplicate_candidates

        return DuplicateOutput(duplicate_candidates(report=report), many=True).data  # type: ignore[return-value]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_merged_reports(self, report: Report) -> list[int]:
        from backend.reports.selectors.queues import report_merged_ids

        return report_merged_ids(report=report)

    @extend_schema_field(StaffTimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        from backend.reports.selectors.queues import report_full_timeline

        return StaffTimelineEntry(report_full_timeline(report=report), many=True).data  # type: ignore[return-value]


class AgencyTicketOutput(CitizenReportOutput, DeadlineStateOutput):
    """A ticket as its agency sees it (board row and event): the report without its reporter."""

    # Whether the citizen chose to be anonymous is nobody else's business: the agency never learns who.
    anonymous = None  # type: ignore[assignment]  # DRF: None removes an inherited field
    actions = serializers.SerializerMethodField(help_text="what the agency may do now (transitions.py)")
    # Only the health agency ever holds a health report (backend/epidemic/holders.py).
    health = serializers.SerializerMethodField(help_text="a health report's kind and answers; null otherwise")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, report: Report) -> list[str]:
        return staff_actions(AGENCY_DESK, report.status)

    @extend_schema_field(HealthDetailsOutput(allow_null=True))
    def get_health(self, report: Report) -> dict[str, Any] | None:
        return health_of(report)


class AgencyTicketDetailOutput(AgencyTicketOutput):
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(TimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        from backend.reports.selectors.queues import agency_timeline

        return TimelineEntry(agency_timeline(report=report), many=True).data  # type: ignore[return-value]


class PublicTimelineEntry(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=ReportEvent.Kind.choices)
    kind_name = serializers.SerializerMethodField()
    status = serializers.CharField(source="new_status")
    status_name = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField(help_text="staff's words only, phone numbers and e-mails masked")
    at = serializers.DateTimeField(source="created_at")

    @extend_schema_field(NameSerializer)
    def get_kind_name(self, event: ReportEvent) -> dict[str, str]:
        return bilingual(ReportEvent.Kind(event.kind).label)

    @extend_schema_field(NameSerializer(allow_null=True))
    def get_status_name(self, event: ReportEvent) -> dict[str, str] | None:
        return bilingual(Status(event.new_status).label) if event.new_status in Status.values else None

    def get_note(self, event: ReportEvent) -> str:
        return public.public_note(event, self.context["report"])


class PublicReportOutput(ReportNamesAndPhotos, CompiledSerializer):  # type: ignore[type-arg]
    """A report as anyone may see it: what, where, who handles it, by when; never who reported it."""

    photo_audience = "public"

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_name = serializers.SerializerMethodField()
    open = serializers.BooleanField(source="is_open", read_only=True, help_text="not yet resolved, closed, rejected or merged")
    description = serializers.SerializerMethodField(help_text="as the citizen wrote it, contacts masked")
    latitude = serializers.SerializerMethodField(help_text="rounded to 4 decimals (about 11 m)")
    longitude = serializers.SerializerMethodField(help_text="rounded to 4 decimals (about 11 m)")
    category = serializers.CharField(source="category.code", allow_null=True, read_only=True)
    category_name = serializers.SerializerMethodField()
    urgency = serializers.SerializerMethodField()
    urgency_name = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.code", allow_null=True, read_only=True)
    area_name = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.code", allow_null=True, read_only=True)
    agency_name = serializers.SerializerMethodField()
    due_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    me_too_count = serializers.IntegerField()
    merged_into = serializers.IntegerField(
        source="merged_into_id", allow_null=True, help_text="id of the report this duplicate joined"
    )
    photos = serializers.SerializerMethodField()
    resolution_photos = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)

    def get_description(self, report: Report) -> str:
        return redact_contacts(report.description)

    def get_latitude(self, report: Report) -> float:
        return public.public_coordinate(report.latitude)

    def get_longitude(self, report: Report) -> float:
        return public.public_coordinate(report.longitude)

    @extend_schema_field(serializers.ChoiceField(choices=Urgency.choices, allow_null=True))
    def get_urgency(self, report: Report) -> str | None:
        return report.urgency or None

    def get_overdue(self, report: Report) -> bool:
        return report.is_overdue(_now(self.context))


class PublicReportDetailOutput(PublicReportOutput):
    timeline = serializers.SerializerMethodField()

    @extend_schema_field(PublicTimelineEntry(many=True))
    def get_timeline(self, report: Report) -> list[dict[str, Any]]:
        events = public.public_timeline(report=report)
        return PublicTimelineEntry(events, many=True, context={"report": report}).data  # type: ignore[return-value]
