"""Health reports in Open311 GeoReport v2: the `health_epidemic` service's attributes, and the answers
an Open311 client sends back as `attribute[code]` (`attribute[symptoms][]` for the list).

The service always asks the kind (`health_kind`); while epidemic mode is on it also asks the kinds'
questions (kinds.QUESTIONS). Open311 cannot say "required for this kind only", so those are
`required: false` and their `datatype_description` says which kinds must answer them; the intake
refuses a submission that misses a required answer, as it does for the app.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from backend.epidemic.kinds import (
    HEALTH_CATEGORY,
    MAX_PEOPLE,
    QUESTION_TEXT,
    QUESTIONS,
    HealthKind,
    Symptom,
)
from backend.epidemic.selectors import current_mode

KIND = "health_kind"


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _label(label: str) -> str:
    vi, _, en = label.partition(" / ")
    return en if _english() and en else vi


def has_attributes(service_code: str) -> bool:
    return service_code == HEALTH_CATEGORY


def service_attributes(service_code: str) -> list[dict[str, Any]]:
    """The spec's attribute list for a service: the kind always, the questions during an epidemic."""
    if not has_attributes(service_code):
        return []
    english = _english()
    mode = current_mode()
    disease = (mode.disease_en or mode.disease_vi) if mode and english else (mode.disease_vi if mode else None)
    attributes = [{
        "variable": True, "code": KIND, "datatype": "singlevaluelist", "required": False,
        "datatype_description": None, "order": 1,
        "description": "What the report is about" if english else "Phản ánh về việc gì",
        "values": [{"key": kind.value, "name": _label(kind.label)} for kind in HealthKind],
    }]
    if mode is None:
        return attributes
    for order, code in enumerate(QUESTION_TEXT, start=2):
        question = QUESTION_TEXT[code]
        must = [kind for kind, asked in QUESTIONS.items() if (code, True) in asked]
        rule = ", ".join(_label(HealthKind(kind).label) for kind in must)
        formats = {"onset_date": "YYYY-MM-DD", "people_count": f"1-{MAX_PEOPLE}"}
        described = "; ".join(filter(None, [
            formats.get(code),
            (f"required for: {rule}" if english else f"bắt buộc với: {rule}") if rule else None,
            (f"epidemic: {disease}" if english else f"dịch: {disease}"),
        ]))
        attributes.append({
            "variable": True, "code": code, "datatype": question.datatype, "required": False,
            "datatype_description": described, "order": order,
            "description": question.text_en if english else question.text_vi,
            "values": [{"key": s.value, "name": _label(s.label)} for s in Symptom] if question.datatype == "multivaluelist" else [],
        })
    return attributes


def answers_from_form(form: Any) -> dict[str, Any]:
    """`attribute[health_kind]`, `attribute[symptoms][]`, `attribute[onset_date]`, `attribute[people_count]`
    from an Open311 form, as the citizen API's field names (checked by the caller's serializer)."""
    values: dict[str, Any] = {}
    if form.get(f"attribute[{KIND}]"):
        values["health_kind"] = form.get(f"attribute[{KIND}]")
    symptoms = form.getlist("attribute[symptoms][]") or form.getlist("attribute[symptoms]")
    if symptoms:
        values["symptoms"] = symptoms
    for code in ("onset_date", "people_count"):
        if form.get(f"attribute[{code}]"):
            values[code] = form.get(f"attribute[{code}]")
    return values
