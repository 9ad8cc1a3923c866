"""Warnings over HTTP: operators publish, change and cancel; everyone reads (JSON, CAP 1.2, Atom).

Thin views: parse and validate, call a service or selector, shape the output.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.permissions import IsOperator
from backend.alerts import cap, feed, selectors, services
from backend.alerts.areas import AreaInvalid, parse_geometry
from backend.alerts.models import Alert, AlertUrgency, Certainty, Kind, Severity, State
from backend.alerts.outputs import AlertOutput
from backend.core.errors import ApiError
from routing.selectors import areas_all

PUBLIC_PAGE = "/public/"


# --- inputs -------------------------------------------------------------------------------------


class GeometryField(serializers.JSONField):
    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return parse_geometry(super().to_internal_value(data))
        except AreaInvalid as exc:
            raise serializers.ValidationError(str(exc)) from exc


class AlertInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=200, help_text="Vietnamese")
    body = serializers.CharField(max_length=5000, help_text="Vietnamese")
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    body_en = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=Kind.choices)
    severity = serializers.ChoiceField(choices=Severity.choices, help_text="CAP 1.2 values")
    urgency = serializers.ChoiceField(choices=AlertUrgency.choices, help_text="CAP 1.2 values")
    certainty = serializers.ChoiceField(choices=Certainty.choices, help_text="CAP 1.2 values")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, help_text="default: now")
    expires_at = serializers.DateTimeField()
    city_wide = serializers.BooleanField(required=False, default=False)
    wards = serializers.ListField(
        child=serializers.SlugRelatedField(slug_field="code", queryset=areas_all()),
        required=False, default=list, help_text="ward codes (GET /api/v1/areas/)",
    )
    geometry = GeometryField(
        required=False, allow_null=True, default=None,
        help_text='a GeoJSON Polygon, or {"center": [lng, lat], "radius_m": N}',
    )


class AlertPatchSerializer(AlertInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, partial=True, **kwargs)


def _area_from(values: dict[str, Any], *, required: bool) -> services.AreaChoice | None:
    given = any(name in values for name in services.AREA_FIELDS)
    if not given and not required:
        return None
    return services.area_choice(
        city_wide=values.get("city_wide"), wards=values.get("wards"), geometry=values.get("geometry")
    )


# --- outputs ------------------------------------------------------------------------------------


class RevisionOutput(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField()
    msg_type = serializers.CharField()
    sent_at = serializers.DateTimeField()
    actor = serializers.SerializerMethodField()
    changed = serializers.ListField(child=serializers.CharField())
    snapshot = serializers.JSONField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, revision: Any) -> str | None:
        return revision.actor.username if revision.actor is not None else None


class OpsAlertOutput(AlertOutput):
    """A warning as the IOC sees it: its state, who issued it, and every issue."""

    state = serializers.SerializerMethodField()
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username")
    created_at = serializers.DateTimeField()
    history = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=State.choices))
    def get_state(self, alert: Alert) -> str:
        return alert.state(self.context.get("now") or timezone.now())

    @extend_schema_field(RevisionOutput(many=True))
    def get_history(self, alert: Alert) -> list[dict[str, Any]]:
        return RevisionOutput(alert.revisions.all(), many=True).data  # type: ignore[return-value]


def _ops_body(request: Request, alert_id: int) -> dict[str, Any]:
    alert = selectors.alert_get(alert_id=alert_id)
    return OpsAlertOutput(alert, context={"request": request}).data  # type: ignore[return-value]


# --- operators ----------------------------------------------------------------------------------


class OpsAlertListCreateApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="ops_alerts_list",
        parameters=[OpenApiParameter("state", str, enum=State.values, description="only warnings in this state")],
        responses={200: OpsAlertOutput(many=True)}, tags=["alerts"],
        description="Every warning, newest issue first, with its state and history.",
    )
    def get(self, request: Request) -> Response:
        state = request.query_params.get("state") or None
        if state is not None and state not in State.values:
            raise ApiError("invalid", fields={"state": [f"one of {', '.join(State.values)}"]})
        now = timezone.now()
        alerts = selectors.alert_list(now=now, state=state)
        return Response(OpsAlertOutput(alerts, many=True, context={"request": request, "now": now}).data)

    @extend_schema(
        operation_id="ops_alerts_create", request=AlertInputSerializer, responses={201: OpsAlertOutput}, tags=["alerts"],
        description="Publish a warning (CAP msgType Alert). Give exactly one area: `city_wide: true`, "
        '`wards: [codes]` or `geometry` (a GeoJSON Polygon or `{"center": [lng, lat], "radius_m": N}`).',
    )
    def post(self, request: Request) -> Response:
        data = AlertInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        area = _area_from(values, required=True)
        assert area is not None
        alert = services.alert_create(
            actor=request.user,  # type: ignore[arg-type]
            data=services.AlertInput(
                title_vi=values["title"], body_vi=values["body"], title_en=values["title_en"],
                body_en=values["body_en"], kind=values["kind"], severity=values["severity"],
                urgency=values["urgency"], certainty=values["certainty"], starts_at=values.get("starts_at"),
                expires_at=values["expires_at"], area=area,
            ),
        )
        return Response(_ops_body(request, alert.pk), status=status.HTTP_201_CREATED)


class OpsAlertDetailApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(operation_id="ops_alerts_retrieve", responses={200: OpsAlertOutput}, tags=["alerts"])
    def get(self, request: Request, alert_id: int) -> Response:
        return Response(_ops_body(request, alert_id))

    @extend_schema(
        operation_id="ops_alerts_update", request=AlertPatchSerializer, responses={200: OpsAlertOutput}, tags=["alerts"],
        description="Change a scheduled or active warning (CAP msgType Update, referencing the earlier issues). "
        "A cancelled or expired warning answers 409 `alert_closed`.",
    )
    def patch(self, request: Request, alert_id: int) -> Response:
        data = AlertPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = dict(data.validated_data)
        renames = {"title": "title_vi", "body": "body_vi"}
        changes = {renames.get(k, k): v for k, v in values.items() if k not in services.AREA_FIELDS}
        if changes.get("starts_at", 0) is None:
            changes.pop("starts_at")
        services.alert_update(
            actor=request.user,  # type: ignore[arg-type]
            alert_id=alert_id, changes=changes, area=_area_from(values, required=False),
        )
        return Response(_ops_body(request, alert_id))


class CancelInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class OpsAlertCancelApi(APIView):
    permission_classes = [IsOperator]

    @extend_schema(
        operation_id="ops_alerts_cancel", request=CancelInput, responses={200: OpsAlertOutput}, tags=["alerts"],
        description="Withdraw a warning (CAP msgType Cancel): it leaves every citizen's list at once.",
    )
    def post(self, request: Request, alert_id: int) -> Response:
        data = CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.alert_cancel(
            actor=request.user,  # type: ignore[arg-type]
            alert_id=alert_id, reason=data.validated_data["reason"],
        )
        return Response(_ops_body(request, alert_id))


# --- everyone -----------------------------------------------------------------------------------


def _coordinate(raw: str | None, name: str, limit: float) -> float | None:
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise ApiError("invalid", fields={name: [f"a number of degrees from -{limit:g} to {limit:g}"]})
    return value


def _ward_codes(raw: str | None) -> set[str] | None:
    if raw is None:
        return None
    codes = {code.strip() for code in raw.split(",") if code.strip()}
    unknown = sorted(codes - set(areas_all().filter(code__in=codes).values_list("code", flat=True)))
    if unknown:
        raise ApiError("invalid", fields={"wards": [f"unknown ward codes: {', '.join(unknown[:20])}"]})
    return codes


class AlertListApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="alerts_list",
        parameters=[
            OpenApiParameter("lat", float, description="latitude (WGS84); with lng, only warnings covering it"),
            OpenApiParameter("lng", float, description="longitude (WGS84)"),
            OpenApiParameter(
                "wards", str, description="instead of a point: comma-separated ward codes; the warnings reaching "
                "any of them (as `/ws/alerts/` subscribed to those wards hears of them)",
            ),
        ],
        responses={200: AlertOutput(many=True)}, tags=["alerts"],
        description="The active warnings (started, not expired, not cancelled) that cover the point: city-wide "
        "ones, those for the ward the point is in, and drawn areas containing it; or those reaching the given "
        "wards; with neither, all active warnings. Most severe first, then most recently issued.",
    )
    def get(self, request: Request) -> Response:
        lat = _coordinate(request.query_params.get("lat"), "lat", 90)
        lng = _coordinate(request.query_params.get("lng"), "lng", 180)
        if (lat is None) != (lng is None):
            raise ApiError("alert_point_incomplete", fields={"lat" if lat is None else "lng": ["required"]})
        wards = _ward_codes(request.query_params.get("wards"))
        if wards is not None and lat is not None:
            raise ApiError("invalid", fields={"wards": ["give a point (lat, lng) or wards, not both"]})
        alerts = selectors.active_alerts(now=timezone.now(), lat=lat, lng=lng, wards=wards)
        return Response(AlertOutput(alerts, many=True, context={"request": request}).data)


class AlertCapApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="alerts_cap", responses={(200, "application/cap+xml"): OpenApiResponse(OpenApiTypes.STR)},
        tags=["alerts"], description="The warning's latest issue as an OASIS CAP 1.2 message.",
    )
    def get(self, request: Request, alert_id: int) -> HttpResponse:
        alert = selectors.alert_get_published(alert_id=alert_id)
        body = cap.cap_document(alert, web=request.build_absolute_uri(PUBLIC_PAGE))
        return HttpResponse(body, content_type=cap.CONTENT_TYPE)


class AlertFeedApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="alerts_feed",
        parameters=[OpenApiParameter("lang", str, enum=["vi", "en"], description="default vi")],
        responses={(200, "application/atom+xml"): OpenApiResponse(OpenApiTypes.STR)}, tags=["alerts"],
        description="Atom feed of the active warnings; each entry links its CAP document (application/cap+xml).",
    )
    def get(self, request: Request) -> HttpResponse:
        language = "en" if request.query_params.get("lang") == "en" else "vi"
        now = timezone.now()
        alerts = selectors.active_alerts(now=now)
        body = feed.atom_feed(
            alerts, language=language, now=now,
            page_url=request.build_absolute_uri(PUBLIC_PAGE), feed_url=request.build_absolute_uri(),
            cap_url=lambda a: request.build_absolute_uri(f"/api/v1/alerts/{a.pk}/cap/"),
        )
        return HttpResponse(body, content_type=feed.CONTENT_TYPE)
