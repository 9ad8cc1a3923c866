"""Nothing restricted leaks through any public route.

Restricted reports are whatever the publication policy (`published_reports`) withholds: rejected ones
always; health, crime tips and unrouted ones as the policy grows. Each carries a unique marker in its
text and a staff note; every public route is asked in every way it can be (lists, by id, search, the
assistant quoting the text, tracking by code) and no answer may carry a marker, a restricted report's
tracking code, or an internal note.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.reports.models import ReportEvent, Status
from backend.transparency.selectors import published_reports
from tests.reports.test_lifecycle import make_report

RESTRICTED_KINDS = [
    ("rejected", {"status": Status.REJECTED, "category": "environment", "agency": "hepco"}),
    ("health", {"status": Status.ASSIGNED, "category": "health_epidemic", "agency": "health"}),
    ("security", {"status": Status.ASSIGNED, "category": "public_security", "agency": "police"}),
    ("unrouted", {"status": Status.NEEDS_REVIEW, "category": None, "agency": None}),
]


@pytest.fixture
def world(citizen, reference_data):
    made = {}
    for name, fields in RESTRICTED_KINDS:
        report = make_report(citizen, description=f"LEAKMARK-{name} nhà số 5, gọi 0905000111", **fields)
        ReportEvent.objects.create(report=report, kind="note", actor_role="operator", is_public=False,
                                   note=f"INTERNAL-{name}")
        made[name] = report
    published = make_report(citizen, description="Ổ gà PUBLICMARK trên đường Lê Lợi", category="road_damage",
                            agency="transport")
    restricted = {name: r for name, r in made.items() if not published_reports().filter(pk=r.pk).exists()}
    assert "rejected" in restricted  # the policy always withholds these: the test cannot pass vacuously
    return published, restricted


def public_answers(published, restricted) -> list[tuple[str, str]]:
    client = APIClient()
    answers = []

    def get(path, **params):
        response = client.get(path, params)
        answers.append((path, response.content.decode()))
        return response

    get("/api/v1/public/reports/", page_size=200)
    get("/api/v1/public/stats/")
    get("/api/v1/public/factchecks/", q="LEAKMARK")
    get("/api/v1/public/notices/", q="LEAKMARK")
    get("/api/v1/alerts/")
    get("/api/v1/alerts/feed/")
    get("/open311/v2/requests.json")
    get("/open311/v2/requests.xml")
    get("/open311/discovery.json")
    get("/public/")
    get("/track/")
    get("/dashboard/wards.geojson")
    for name, report in restricted.items():
        get(f"/api/v1/public/reports/{report.pk}/")
        get(f"/open311/v2/requests/{report.pk}.json")
        get("/open311/v2/requests.json", service_request_id=str(report.pk))
        for message in (f"LEAKMARK-{name}", report.description, f"who handles LEAKMARK-{name}"):
            response = client.post("/api/v1/assistant/", {"message": message}, format="json")
            answers.append((f"assistant: {message}", response.content.decode()))
    # the published one is reachable: the routes work, so their silence about the others means something
    assert "PUBLICMARK" in answers[0][1]
    return answers


def test_no_public_route_carries_a_restricted_report(world, no_triage_model):
    published, restricted = world
    for route, body in public_answers(published, restricted):
        for name, report in restricted.items():
            assert f"LEAKMARK-{name}" not in body, (route, name)
            assert f"INTERNAL-{name}" not in body, (route, name)
            assert report.tracking_code not in body, (route, name)
        assert "0905000111" not in body, route


def test_tracking_a_restricted_report_by_its_code_shows_only_its_steps(world):
    _, restricted = world
    for name, report in restricted.items():
        body = APIClient().get(f"/api/v1/public/track/{report.tracking_code}/").json()
        assert body["restricted"] is True
        assert (body["agency"], body["category"]) == (None, None)
        text = str(body)
        assert f"LEAKMARK-{name}" not in text and f"INTERNAL-{name}" not in text
        assert all(event["note"] == "" for event in body["timeline"])
        answer = APIClient().post("/api/v1/assistant/", {"message": "?", "tracking_code": report.tracking_code},
                                  format="json").json()
        assert f"LEAKMARK-{name}" not in str(answer) and f"INTERNAL-{name}" not in str(answer)
