"""The submission's input validates exactly as DRF's own per-instance fields do (CompiledInput)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone
from rest_framework import serializers

from backend.reports.apis.citizen import ReportCreateApi


class DrfInput(ReportCreateApi.InputSerializer):
    fields = serializers.Serializer.fields  # DRF's own: a deep copy of the declared fields per instance


def form(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


BASE = {"description": "  Ổ gà trên đường Lê Lợi  ", "latitude": "16.4637", "longitude": "107.5909"}
FUTURE = (timezone.now() + timedelta(days=1)).isoformat()
CASES = {
    "plain": BASE,
    "with a category, anonymous, queued on the phone": {
        **BASE, "category": "road_damage", "anonymous": "true", "client_created_at": "2026-12-01T08:00:00+07:00"},
    "a health report": {**BASE, "health_kind": "suspected_case", "symptoms": ["fever", "rash", "fever"],
                        "onset_date": "2026-12-01", "people_count": "2"},
    "nothing": {},
    "out of range, not a number, blank": {"description": " ", "latitude": "91", "longitude": "nan"},
    "an unknown category and kind": {**BASE, "category": "nope", "health_kind": "nope", "symptoms": ["nope"]},
    "answers without a kind": {**BASE, "people_count": "0"},
    "health answers with another category": {**BASE, "category": "road_damage", "health_kind": "medical_help"},
    "queued in the future": {**BASE, "client_created_at": FUTURE},
    "too long": {**BASE, "description": "x" * 5001},
}


def outcome(serializer_class, data):
    serializer = serializer_class(data=data)
    valid = serializer.is_valid()
    return valid, (dict(serializer.validated_data) if valid else serializer.errors)


VALID = {"plain", "with a category, anonymous, queued on the phone", "a health report"}


@pytest.mark.parametrize("name", CASES)
def test_the_submission_validates_as_drf_does(name, reference_data):
    values = CASES[name]
    # given a form as the app sends it, twice validated: so the second instance reuses the bound fields
    for _ in range(2):
        # when the compiled input and DRF's own fields each validate it
        compiled, expected = outcome(ReportCreateApi.InputSerializer, form(**values)), outcome(DrfInput, form(**values))
        # then they agree on validity, values and errors (messages and codes)
        assert compiled == expected
        assert compiled[0] is (name in VALID)
        if not compiled[0]:
            assert {k: [e.code for e in v] for k, v in compiled[1].items() if isinstance(v, list)} == {
                k: [e.code for e in v] for k, v in expected[1].items() if isinstance(v, list)}


def test_photos_validate_as_drf_does(reference_data):
    def with_photos():
        data = form(**BASE)
        data.setlist("photos", [SimpleUploadedFile("a.jpg", b"\xff\xd8 jpeg", "image/jpeg"),
                                SimpleUploadedFile("b.jpg", b"", "image/jpeg")])
        return data

    compiled, expected = outcome(ReportCreateApi.InputSerializer, with_photos()), outcome(DrfInput, with_photos())
    assert compiled[0] is expected[0] is True
    assert [f.name for f in compiled[1]["photos"]] == [f.name for f in expected[1]["photos"]] == ["a.jpg", "b.jpg"]
    assert {k: v for k, v in compiled[1].items() if k != "photos"} == {
        k: v for k, v in expected[1].items() if k != "photos"}


def test_the_fields_are_bound_once_per_class_not_per_request():
    assert ReportCreateApi.InputSerializer().fields is ReportCreateApi.InputSerializer().fields
    assert DrfInput().fields is not DrfInput().fields
