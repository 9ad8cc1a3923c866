"""Epidemic mode over HTTP. Thin: check, call a service or selector, shape.

- `GET /api/v1/epidemic/` (everyone): whether epidemic mode is on, for which disease, and what the
  intake asks of each kind of health report (the app builds its form from it);
- `POST /api/v1/epidemic/mode/ {disease, disease_en?}`, `POST /api/v1/epidemic/mode/end/` (admins);
- `GET /api/v1/agency/epidemic/cases/?days=7|14` (the health agency and the monitoring centre):
  suspected cases by ward and day;
- `GET /api/v1/public/epidemic/?days=7|14` (everyone): the same as ward totals, small counts hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.accounts.models import Role
from backend.core.errors import ApiError
from backend.core.messages import bilingual
from backend.epidemic import selectors, services
from backend.epidemic.holders import handles_health
from backend.epidemic.kinds import MINIMUM_URGENCY, QUESTION_TEXT, QUESTIONS, HealthKind, Symptom
from backend.epidemic.models import EpidemicMode

# --- outputs (also the OpenAPI schema the answers are checked against) ---------------------------


class EpidemicTextOutput(serializers.Serializer):  # type: ignore[type-arg]
    vi = serializers.CharField()
    en = serializers.CharField()


class ModeOutput(serializers.Serializer):  # type: ignore[type-arg]
    active = serializers.BooleanField()
    disease = EpidemicTextOutput(allow_null=True)
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)


class AnswerValueOutput(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    name = EpidemicTextOutput()


# A field named `required` shadows an attribute every serializer field has: declared from a dict.
QuestionOutput: type[serializers.Serializer] = type(  # type: ignore[type-arg]
    "QuestionOutput", (serializers.Serializer,), {
        "code": serializers.CharField(),
        "datatype": serializers.CharField(help_text="Open311's: multivaluelist, datetime (a date), number"),
        "required": serializers.BooleanField(help_text="true only while epidemic mode is on"),
        "text": EpidemicTextOutput(), "values": AnswerValueOutput(many=True), "__module__": __name__,
    },
)


class HealthKindOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.ChoiceField(choices=HealthKind.choices)
    name = EpidemicTextOutput()
    minimum_urgency = serializers.CharField(allow_null=True)
    questions = QuestionOutput(many=True)


class EpidemicInfoOutput(ModeOutput):
    kinds = HealthKindOutput(many=True)


class WardCasesOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="one per date")
    total = serializers.IntegerField()


class SuspectedCasesOutput(serializers.Serializer):  # type: ignore[type-arg]
    days = serializers.IntegerField()
    dates = serializers.ListField(child=serializers.DateField())
    disease = EpidemicTextOutput(allow_null=True)
    reports = serializers.IntegerField()
    total = serializers.IntegerField(help_text="people")
    per_day = serializers.ListField(child=serializers.IntegerField())
    wards = WardCasesOutput(many=True)
    outside_wards = serializers.ListField(child=serializers.IntegerField())


class PublicWardCountOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null: fewer than 5")


class PublicCasesOutput(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField(allow_null=True, help_text="null: fewer than 5, or it would reveal a hidden ward")
    by_ward = PublicWardCountOutput(many=True)


# `from` is a Python keyword, so this class is built from a dict of its fields.
PublicEpidemicOutput: type[serializers.Serializer] = type(  # type: ignore[type-arg]
    "PublicEpidemicOutput", (serializers.Serializer,), {
        "active": serializers.BooleanField(), "disease": EpidemicTextOutput(allow_null=True), "days": serializers.IntegerField(),
        "from": serializers.DateField(), "to": serializers.DateField(), "suppressed_below": serializers.IntegerField(),
        "suspected_cases": PublicCasesOutput(), "__module__": __name__,
    },
)


def _disease(mode: EpidemicMode | None) -> dict[str, str] | None:
    if mode is None:
        return None
    return {"vi": mode.disease_vi, "en": mode.disease_en or mode.disease_vi}


def _mode_body(mode: EpidemicMode | None) -> dict[str, Any]:
    return {
        "active": mode is not None and mode.active,
        "disease": _disease(mode),
        "started_at": mode.started_at if mode else None,
        "ended_at": mode.ended_at if mode else None,
    }


def question_sheet(*, active: bool) -> list[dict[str, Any]]:
    """Each kind with its questions (required only while epidemic mode is on), from kinds.QUESTIONS."""
    symptoms = [{"key": s.value, "name": bilingual(s.label)} for s in Symptom]
    sheet = []
    for kind in HealthKind:
        questions = []
        for code, required in QUESTIONS[kind]:
            text = QUESTION_TEXT[code]
            questions.append({
                "code": code, "datatype": text.datatype, "required": required and active,
                "text": {"vi": text.text_vi, "en": text.text_en},
                "values": symptoms if text.datatype == "multivaluelist" else [],
            })
        sheet.append({
            "code": kind.value, "name": bilingual(kind.label), "minimum_urgency": MINIMUM_URGENCY.get(kind),
            "questions": questions,
        })
    return sheet


class EpidemicInfoApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="epidemic_retrieve", tags=["epidemic"],
        responses={200: EpidemicInfoOutput},
        description="Whether epidemic mode is on and for which disease; the kinds of health report (send "
        "`category=health_epidemic`, `health_kind` and the answers with the report) and each kind's questions: "
        "`symptoms` (keys from `values`), `onset_date` (YYYY-MM-DD), `people_count`. `required` questions must "
        "be answered while epidemic mode is on.",
    )
    def get(self, request: Request) -> Response:
        mode = selectors.current_mode()
        return Response(EpidemicInfoOutput({**_mode_body(mode), "kinds": question_sheet(active=mode is not None)}).data)


class IsAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and (getattr(user, "role", None) == Role.ADMIN or user.is_superuser))


class ModeStartInput(serializers.Serializer):  # type: ignore[type-arg]
    disease = serializers.CharField(max_length=120, help_text="the disease's name in Vietnamese")
    disease_en = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class EpidemicModeStartApi(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(operation_id="epidemic_mode_start", tags=["epidemic"], request=ModeStartInput,
                   responses={201: ModeOutput}, description="Admins: epidemic mode on for a named disease (409 if on).")
    def post(self, request: Request) -> Response:
        data = ModeStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        mode = services.epidemic_mode_start(
            actor=request.user,  # type: ignore[arg-type]
            disease_vi=data.validated_data["disease"], disease_en=data.validated_data["disease_en"],
        )
        return Response(ModeOutput(_mode_body(mode)).data, status=status.HTTP_201_CREATED)


class EpidemicModeEndApi(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(operation_id="epidemic_mode_end", tags=["epidemic"], request=None, responses={200: ModeOutput},
                   description="Admins: epidemic mode off (409 if off).")
    def post(self, request: Request) -> Response:
        mode = services.epidemic_mode_end(actor=request.user)  # type: ignore[arg-type]
        return Response(ModeOutput(_mode_body(mode)).data)


def _days(request: Request) -> int:
    raw = request.query_params.get("days", "7")
    if raw not in {str(n) for n in selectors.WINDOWS}:
        raise ApiError("invalid", fields={"days": [" or ".join(str(n) for n in selectors.WINDOWS)]})
    return int(raw)


DAYS = OpenApiParameter("days", int, enum=list(selectors.WINDOWS), description="the last 7 (default) or 14 days")


class SeesHealthReports(BasePermission):
    """The monitoring centre (operators, admins) and the staff of an agency that may hold health reports."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(user, "is_operator", False):
            return True
        agency = getattr(user, "agency", None) if getattr(user, "role", None) == Role.AGENCY else None
        return agency is not None and handles_health(agency)


class SuspectedCasesApi(APIView):
    permission_classes = [SeesHealthReports]

    @extend_schema(
        operation_id="epidemic_cases", tags=["epidemic"], parameters=[DAYS],
        responses={200: SuspectedCasesOutput},
        description="People in suspected-case reports per ward and per day (the city's days), the last 7 or 14 "
        "days up to today; `wards` lists every ward with its counts, busiest first. Rejected and merged reports "
        "are not counted. Only the monitoring centre and the health agency may read it.",
    )
    def get(self, request: Request) -> Response:
        days = _days(request)
        table = selectors.suspected_cases_by_ward_and_day(days=days, now=timezone.now())
        totals = {code: sum(table.counts[code]) for code in table.wards}
        busiest_first = sorted(table.wards, key=lambda code: -totals[code])  # stable: name order among equals
        wards = [
            {"code": code, "name": table.wards[code].name, "counts": table.counts[code], "total": totals[code]}
            for code in busiest_first
        ]
        outside = table.counts.get(None, [0] * days)
        per_day = [sum(values[i] for values in table.counts.values()) for i in range(days)]
        return Response(SuspectedCasesOutput({
            "days": days, "dates": table.days, "disease": _disease(selectors.current_mode()),
            "reports": table.reports, "total": sum(per_day), "per_day": per_day, "wards": wards,
            "outside_wards": outside,
        }).data)


class PublicEpidemicApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="public_epidemic", tags=["public"], parameters=[DAYS],
        responses={200: PublicEpidemicOutput},
        description="Suspected cases over the last 7 or 14 days, as aggregates only: the city's total and each "
        "ward's; a count under `suppressed_below` (5) is null, and so is the total when it would reveal one.",
    )
    def get(self, request: Request) -> Response:
        days = _days(request)
        mode = selectors.current_mode()
        table = selectors.suspected_cases_by_ward_and_day(days=days, now=timezone.now())
        return Response(PublicEpidemicOutput({
            "active": mode is not None, "disease": _disease(mode), "days": days,
            "from": table.days[0], "to": table.days[-1], "suppressed_below": selectors.SUPPRESS_BELOW,
            "suspected_cases": selectors.public_summary(table),
        }).data)
