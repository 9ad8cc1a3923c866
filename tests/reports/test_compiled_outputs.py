"""The report outputs answer exactly what DRF's own field loop answers (backend/core/compiled_serializer.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from backend.reports import outputs
from backend.reports.models import Photo, Report, Status
from backend.reports.services.events import payloads
from tests.factories import make_report

COMPILED = [
    outputs.CitizenReportOutput, outputs.CitizenReportDetailOutput,
    outputs.OperatorReportOutput, outputs.OperatorReportDetailOutput,
    outputs.AgencyTicketOutput, outputs.AgencyTicketDetailOutput,
    outputs.PublicReportOutput, outputs.PublicReportDetailOutput,
]


def drf_answer(output_class: type[serializers.Serializer], report: Report, context: dict) -> dict:  # type: ignore[type-arg]
    """What plain DRF answers: Serializer.to_representation over the instance's deep-copied fields."""
    return serializers.Serializer.to_representation(output_class(report, context=context), report)


def _photo(report: Report, kind: str, position: int) -> Photo:
    return Photo.objects.create(
        report=report, kind=kind, position=position, image=f"r/{report.pk}-{position}.jpg",
        thumbnail=f"r/{report.pk}-{position}-t.jpg", content_type="image/jpeg", width=800, height=600,
        sha256="0" * 64, gps_lat=16.46, gps_lon=107.59,
    )


@pytest.fixture
def varied_reports(reference_data, make_citizen) -> list[Report]:
    """Reports that take every branch of the outputs: photos, overdue, merged, anonymous, unrouted, resolved."""
    citizen = make_citizen()
    with_photos = make_report(citizen, status=Status.IN_PROGRESS)
    _photo(with_photos, Photo.Kind.REPORT, 0)
    _photo(with_photos, Photo.Kind.RESOLUTION, 1)
    overdue = make_report(citizen, status=Status.ASSIGNED, due_in=timedelta(hours=-2), anonymous=True)
    merged = make_report(citizen, status=Status.MERGED, merged_into=overdue)
    unrouted = make_report(citizen, status=Status.SUBMITTED, agency=None, category=None, area=None, urgency="")
    resolved = make_report(citizen, status=Status.RESOLVED, resolved_ago=timedelta(hours=1))
    return [Report.objects.get(pk=r.pk) for r in (with_photos, overdue, merged, unrouted, resolved)]


@pytest.mark.parametrize("output_class", COMPILED, ids=lambda c: c.__name__)
def test_compiled_output_answers_what_drf_answers(output_class, varied_reports):
    # given reports covering photos, deadlines, merges, anonymity and missing routing
    context = {"now": timezone.now()}
    for report in varied_reports:
        # when the compiled output and DRF's own loop each shape it
        compiled = dict(output_class(report, context=context).data)
        expected = drf_answer(output_class, report, context)
        # then the answers are equal, key order included
        assert compiled == expected
        assert list(compiled) == list(expected)


def test_many_answers_each_item_as_drf_does(varied_reports):
    context = {"now": timezone.now()}
    rows = outputs.OperatorReportOutput(varied_reports, many=True, context=context).data
    assert [dict(row) for row in rows] == [drf_answer(outputs.OperatorReportOutput, r, context) for r in varied_reports]


def test_event_payloads_share_values_but_keep_each_audience_shape(varied_reports):
    # given a report with photos and one the citizen asked to keep anonymous
    for report in varied_reports[:2]:
        # when the three audiences' payloads are built in one pass
        built = payloads(report, citizen=True)
        # then each is exactly its audience's own output
        now = {"now": timezone.now()}
        assert set(built) == {"ops", "agency", "citizen"}
        assert built["ops"] == drf_answer(outputs.OperatorReportOutput, report, now)
        assert built["agency"] == drf_answer(outputs.AgencyTicketOutput, report, now)
        assert built["citizen"] == drf_answer(outputs.CitizenReportOutput, report, now)
        assert "reporter" not in built["agency"] and "anonymous" not in built["agency"]
    assert payloads(varied_reports[0], citizen=False)["citizen"] is None
