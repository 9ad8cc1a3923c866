"""Open311 inputs (query and form parameters, checked) and outputs (the spec's field names).

Texts follow the active language (vi by default; views.py chooses it from `locale` or
Accept-Language). Dates are w3 datetimes with the city's offset, to the second
(2026-11-22T09:30:00+07:00), the form strict client parsers accept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from backend.core.instants import parse_instant
from backend.core.messages import message
from backend.epidemic.open311 import has_attributes, service_attributes
from backend.reports.models import Report, Status
from backend.reports.outputs import PhotoOutput
from backend.reports.redaction import redact_contacts
from backend.transparency import selectors as public_selectors
from backend.transparency.open311.selectors import DEFAULT_PAGE_SIZE, MAX_REQUESTS, MAX_WINDOW, RequestSearch
from routing.models import Area, Category
from routing.selectors import categories_all

STATUS_OPEN, STATUS_CLOSED = "open", "closed"


def english() -> bool:
    return (get_language() or "vi").startswith("en")


def w3(value: datetime | None) -> str | None:
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value is not None else None


def open311_status(report: Report) -> str:
    """Our open statuses are `open`; resolved, closed, rejected and merged are `closed`."""
    return STATUS_OPEN if public_selectors.is_open(report) else STATUS_CLOSED


def service_notice(report: Report) -> str | None:
    """What happens next for an open request: its deadline, or that the IOC is still reviewing it."""
    if not public_selectors.is_open(report):
        return None
    if report.agency_id is None or report.due_at is None:
        return message("open311_awaiting_review")
    due = timezone.localtime(report.due_at)
    return message("open311_due", due=due.strftime("%Y-%m-%d %H:%M" if english() else "%H:%M %d/%m/%Y"))


# --- services -----------------------------------------------------------------------------------


class Open311ServiceOutput(serializers.Serializer):  # type: ignore[type-arg]
    service_code = serializers.CharField(source="code")
    service_name = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    metadata = serializers.SerializerMethodField(help_text="true for health_epidemic (its kind and, in epidemic mode, its questions)")
    type = serializers.SerializerMethodField(help_text="always realtime: the id is returned at once")
    keywords = serializers.SerializerMethodField(help_text="comma separated")
    group = serializers.SerializerMethodField(help_text="the agency the category goes to by default")

    def get_service_name(self, category: Category) -> str:
        return category.name_en if english() else category.name_vi

    def get_description(self, category: Category) -> str:
        return (category.description_en if english() else category.description_vi) or self.get_service_name(category)

    def get_metadata(self, category: Category) -> bool:
        return has_attributes(category.code)

    @extend_schema_field(serializers.ChoiceField(choices=["realtime"]))
    def get_type(self, category: Category) -> str:
        return "realtime"

    def get_keywords(self, category: Category) -> str:
        # The description lists what the category covers ("Ổ gà, sụt lún, vỉa hè hư hỏng, ...").
        words = [self.get_service_name(category), *self.get_description(category).split(",")]
        return ", ".join(dict.fromkeys(w.strip().lower() for w in words if w.strip()))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_group(self, category: Category) -> str | None:
        default = getattr(category, "default_agency", None)
        if default is None:
            return None
        return default.agency.name_en if english() else default.agency.name_vi


# The spec's attribute shape, for the schema. Written inline because a serializer cannot declare a field
# named `required` (it is an attribute of every field).
ATTRIBUTE_SCHEMA = inline_serializer(
    name="Open311AttributeOutput",
    fields={
        "variable": serializers.BooleanField(),
        "code": serializers.CharField(),
        "datatype": serializers.ChoiceField(
            choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
        ),
        "required": serializers.BooleanField(),
        "datatype_description": serializers.CharField(allow_null=True),
        "order": serializers.IntegerField(),
        "description": serializers.CharField(),
        "values": inline_serializer(
            name="Open311AttributeValueOutput",
            fields={"key": serializers.CharField(), "name": serializers.CharField()},
            many=True,
        ),
    },
    many=True,
)


class Open311ServiceDefinitionOutput(serializers.Serializer):  # type: ignore[type-arg]
    service_code = serializers.CharField(source="code")
    attributes = serializers.SerializerMethodField(help_text="health_epidemic's kind and questions; empty for the others")

    @extend_schema_field(ATTRIBUTE_SCHEMA)
    def get_attributes(self, category: Category) -> list[dict[str, Any]]:
        return service_attributes(category.code)


# --- requests -----------------------------------------------------------------------------------


def _area_name(area: Area) -> str:
    if not english():
        return str(area)  # "Phường Phú Xuân"
    kind = Area.Kind(area.kind).label.partition(" / ")[2]
    return f"{area.name} {kind}"  # "Phú Xuân Ward"


class Open311ServiceRequestOutput(serializers.Serializer):  # type: ignore[type-arg]
    """A published report as an Open311 service request; a rejected one as a closed stub."""

    service_request_id = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    status_notes = serializers.SerializerMethodField()
    service_name = serializers.SerializerMethodField()
    service_code = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField(help_text="phone numbers and e-mails masked")
    agency_responsible = serializers.SerializerMethodField()
    service_notice = serializers.SerializerMethodField()
    requested_datetime = serializers.SerializerMethodField()
    updated_datetime = serializers.SerializerMethodField()
    expected_datetime = serializers.SerializerMethodField(help_text="the deadline")
    address = serializers.SerializerMethodField(help_text="the ward")
    address_id = serializers.SerializerMethodField(help_text="always null: no master address repository")
    zipcode = serializers.SerializerMethodField(help_text="always null")
    lat = serializers.SerializerMethodField(help_text="rounded to 4 decimals (about 11 m)")
    long = serializers.SerializerMethodField(help_text="rounded to 4 decimals (about 11 m)")
    media_url = serializers.SerializerMethodField(help_text="the first photo of the report")

    def to_representation(self, report: Report) -> dict[str, Any]:
        if report.status == Status.REJECTED:
            # Nothing of a rejected report's content is published; a client that submitted it learns
            # that it was closed, and why in general terms.
            return {
                **dict.fromkeys(self.fields),
                "service_request_id": str(report.pk),
                "status": STATUS_CLOSED,
                "status_notes": message("open311_rejected"),
                "requested_datetime": w3(report.created_at),
                "updated_datetime": w3(report.closed_at or report.updated_at),
            }
        return super().to_representation(report)

    def get_service_request_id(self, report: Report) -> str:
        return str(report.pk)

    @extend_schema_field(serializers.ChoiceField(choices=[STATUS_OPEN, STATUS_CLOSED]))
    def get_status(self, report: Report) -> str:
        return open311_status(report)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_notes(self, report: Report) -> str | None:
        if report.status == Status.MERGED and report.merged_into_id:
            return message("open311_merged", value=report.merged_into_id)
        for event in reversed(public_selectors.public_timeline(report=report)):
            note = public_selectors.public_note(event, report)
            if note:
                return note
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_name(self, report: Report) -> str | None:
        c = report.category
        if c is None:
            return None
        return c.name_en if english() else c.name_vi

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_code(self, report: Report) -> str | None:
        return report.category.code if report.category else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_description(self, report: Report) -> str:
        return redact_contacts(report.description)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency_responsible(self, report: Report) -> str | None:
        a = report.agency
        if a is None:
            return None
        return a.name_en if english() else a.name_vi

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_service_notice(self, report: Report) -> str | None:
        return service_notice(report)

    @extend_schema_field(serializers.DateTimeField())
    def get_requested_datetime(self, report: Report) -> str | None:
        return w3(report.created_at)

    @extend_schema_field(serializers.DateTimeField(help_text="for a closed request: when it was closed"))
    def get_updated_datetime(self, report: Report) -> str | None:
        if public_selectors.is_open(report):
            return w3(report.updated_at)
        return w3(report.closed_at or report.resolved_at or report.updated_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_expected_datetime(self, report: Report) -> str | None:
        return w3(report.due_at)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address(self, report: Report) -> str | None:
        return _area_name(report.area) if report.area else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_address_id(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_zipcode(self, report: Report) -> None:
        return None

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_lat(self, report: Report) -> float:
        return public_selectors.public_coordinate(report.latitude)

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_long(self, report: Report) -> float:
        return public_selectors.public_coordinate(report.longitude)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_media_url(self, report: Report) -> str | None:
        photo = next(iter(report.photos.all()), None)  # the prefetch holds the report's own photos, in order
        if photo is None:
            return None
        context = {**self.context, "photo_audience": "public"}  # Open311 is a public path
        return PhotoOutput(photo, context=context).data["url"]  # type: ignore[no-any-return]


class Open311RequestCreatedOutput(serializers.Serializer):  # type: ignore[type-arg]
    service_request_id = serializers.CharField()
    service_notice = serializers.CharField(allow_null=True)
    account_id = serializers.CharField(allow_null=True, help_text="always null: accounts are not published")


class Open311TokenOutput(serializers.Serializer):  # type: ignore[type-arg]
    service_request_id = serializers.CharField()
    token = serializers.CharField()


class Open311ErrorOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.IntegerField(help_text="the HTTP status")
    description = serializers.CharField()


# --- inputs -------------------------------------------------------------------------------------


def _list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _instant(value: str, *, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        return parse_instant(value, end_of_day=end_of_day)
    except ValueError as exc:
        raise serializers.ValidationError("not a w3 datetime, e.g. 2026-11-01T00:00:00+07:00 or 2026-11-01") from exc


class RequestSearchInput(serializers.Serializer):  # type: ignore[type-arg]
    """The query of GET requests, with the spec's meaning of each parameter."""

    service_request_id = serializers.CharField(required=False, allow_blank=True)
    service_code = serializers.CharField(required=False, allow_blank=True)
    start_date = serializers.CharField(required=False, allow_blank=True)
    end_date = serializers.CharField(required=False, allow_blank=True)
    status = serializers.CharField(required=False, allow_blank=True)
    # An extension of GeoReport v2 (which lets the server limit the answer); above the cap is refused
    # at validation, not silently cut, so a client learns the limit.
    page_size = serializers.IntegerField(required=False, min_value=1)

    def validate_page_size(self, value: int) -> int:
        if value > MAX_REQUESTS:
            raise serializers.ValidationError(f"at most {MAX_REQUESTS}")
        return value

    def validate_service_request_id(self, value: str) -> list[int] | None:
        if not value:
            return None
        parts = _list(value)
        if not parts or not all(part.isdigit() and len(part) <= 18 for part in parts):
            raise serializers.ValidationError("comma-separated request ids, e.g. 101,102")
        if len(parts) > MAX_REQUESTS:
            raise serializers.ValidationError(f"at most {MAX_REQUESTS} ids")
        return [int(part) for part in parts]

    def validate_service_code(self, value: str) -> list[str] | None:
        codes = _list(value)
        if not codes:
            return None
        # Inactive categories too: their past requests are still published.
        known = set(categories_all().filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(f"unknown service_code: {', '.join(unknown)}")
        return codes

    def validate_start_date(self, value: str) -> datetime | None:
        return _instant(value)

    def validate_end_date(self, value: str) -> datetime | None:
        end = _instant(value, end_of_day=True)
        # A datetime without fractions includes its whole second: a client paging back with the last
        # requested_datetime it saw (w3 datetimes have whole seconds) misses nothing of that second.
        if end is not None and end.microsecond == 0:
            end = end.replace(microsecond=999_999)
        return end

    def validate_status(self, value: str) -> frozenset[str]:
        statuses = frozenset(_list(value))
        if not statuses:
            return frozenset({STATUS_OPEN, STATUS_CLOSED})
        if not statuses <= {STATUS_OPEN, STATUS_CLOSED}:
            raise serializers.ValidationError("open, closed, or both comma-separated")
        return statuses

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start is not None and end is not None:
            if start > end:
                raise serializers.ValidationError({"end_date": ["must not be before start_date"]})
            if end - start > MAX_WINDOW:
                raise serializers.ValidationError({"end_date": ["the range may not span more than 90 days"]})
        return attrs

    def search(self) -> RequestSearch:
        values = self.validated_data
        return RequestSearch(
            ids=values.get("service_request_id"),
            service_codes=values.get("service_code"),
            start=values.get("start_date"),
            end=values.get("end_date"),
            statuses=values.get("status") or frozenset({STATUS_OPEN, STATUS_CLOSED}),
            page_size=values.get("page_size") or DEFAULT_PAGE_SIZE,
        )


_IGNORED = "accepted and ignored: not stored, never published"


class RequestCreateInput(serializers.Serializer):  # type: ignore[type-arg]
    """POST requests: form fields of the spec. Reports are routed by coordinates, so lat/long are needed."""

    api_key = serializers.CharField(help_text="a token of this system (`manage.py issue_token`)")
    jurisdiction_id = serializers.CharField(required=False, allow_blank=True)
    service_code = serializers.CharField(max_length=40, help_text="from GET services")
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    long = serializers.FloatField(required=False, min_value=-180, max_value=180)
    description = serializers.CharField(max_length=4000, trim_whitespace=True)
    media = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), required=False, default=list,
        help_text="up to 5 photos (multipart), through the same checks as the app's",
    )
    address_string = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    address_id = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    email = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    device_id = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    account_id = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    first_name = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    last_name = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    phone = serializers.CharField(required=False, allow_blank=True, help_text=_IGNORED)
    media_url = serializers.CharField(
        required=False, allow_blank=True, help_text="ignored: remote media are not fetched; upload `media`"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        missing = [name for name in ("lat", "long") if attrs.get(name) is None]
        if missing:
            text = "required: reports are routed by their coordinates (address_string or address_id alone are not enough)"
            raise serializers.ValidationError({name: [text] for name in missing})
        return attrs
