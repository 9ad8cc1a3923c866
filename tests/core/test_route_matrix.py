"""Every route of the URL configuration and every websocket route, x every role: who gets in.

The routes are read from the running URL configuration (and realtime's socket routes), not listed by
hand: a new endpoint without a row in ACCESS fails `test_every_route_has_a_row`, so nobody can add an
endpoint without deciding who may use it. Each row's audience is then checked for every role and
every method the view answers: refused roles get 401 (anonymous) / 403 (wrong role) / 404 (not
theirs), allowed roles never do. tests/reports/test_permissions_matrix.py goes deeper on the report
actions (object x role x exact status, nothing changed by a refusal).
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from backend.reports.models import Status
from tests.conftest import _client_for
from tests.factories import make_report, make_staff

ROLES = ("anonymous", "citizen", "citizen-other", "operator", "agency", "agency-other")

# audience -> the roles refused, with the status each gets (every other role must not get 401/403)
AUDIENCES: dict[str, dict[str, int]] = {
    "public": {},
    "signed-in": {"anonymous": 401},
    "reporter": {"anonymous": 401, "citizen-other": 404, "operator": 404, "agency": 404, "agency-other": 404},
    "operator": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "agency": 403, "agency-other": 403},
    "agency": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "operator": 403, "agency-other": 404},
    "agency-list": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "operator": 403},
    # operators and the agencies that verify news (not HEPCO or HueWACO)
    "fact-checker": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "agency": 403, "agency-other": 403},
    # city admins only (epidemic mode on and off)
    "admin": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "operator": 403, "agency": 403, "agency-other": 403},
    # health reports' figures: operators and the health agency (not HEPCO or HueWACO)
    "health-reader": {"anonymous": 401, "citizen": 403, "citizen-other": 403, "agency": 403, "agency-other": 403},
    # staff pages: a login redirect for anyone without a staff session (tokens do not open pages)
    "staff-page": {role: 302 for role in ROLES},
    "admin-site": {role: 302 for role in ROLES},
    # photo files: only with a valid signature (photo_access.py), whatever the role
    "signed-url": {role: 404 for role in ROLES},
    # Prometheus scrapes from loopback (or with METRICS_TOKEN); the test client is 127.0.0.1
    "metrics": {},
}

ACCESS: dict[str, str] = {
    "metrics": "metrics",
    "api/v1/health/": "public",
    "api/v1/health/live/": "public",
    "api/v1/health/ready/": "public",
    "api/v1/auth/otp/request/": "public",
    "api/v1/auth/otp/verify/": "public",
    "api/v1/auth/login/": "public",
    "api/v1/auth/logout/": "signed-in",
    "api/v1/reports/": "signed-in",
    "api/v1/reports/mine/": "signed-in",
    "api/v1/reports/<int:report_id>/": "reporter",
    "api/v1/reports/<int:report_id>/rating/": "reporter",
    "api/v1/reports/<int:report_id>/reopen/": "reporter",
    "api/v1/ops/triage/": "operator",
    "api/v1/categories/": "public",
    "api/v1/agencies/": "public",
    "api/v1/areas/": "public",
    "api/v1/public/reports/": "public",
    "api/v1/public/reports/<int:report_id>/": "public",
    "api/v1/public/stats/": "public",
    "api/v1/public/notices/": "public",
    "api/v1/public/notices/<int:notice_id>/": "public",
    "api/v1/public/track/<str:code>/": "public",
    "api/v1/assistant/": "public",
    "api/v1/ops/reports/": "operator",
    "api/v1/ops/reports/<int:report_id>/": "operator",
    "api/v1/ops/reports/<int:report_id>/triage/": "operator",
    "api/v1/ops/reports/<int:report_id>/assign/": "operator",
    "api/v1/ops/reports/<int:report_id>/reject/": "operator",
    "api/v1/ops/reports/<int:report_id>/sensitive/": "operator",
    "api/v1/ops/reports/<int:report_id>/health/": "operator",
    "api/v1/ops/reports/<int:report_id>/merge/": "operator",
    "api/v1/ops/reports/<int:report_id>/notes/": "operator",
    "api/v1/agency/tickets/": "agency-list",
    "api/v1/agency/tickets/<int:report_id>/": "agency",
    "api/v1/agency/tickets/<int:report_id>/accept/": "agency",
    "api/v1/agency/tickets/<int:report_id>/progress/": "agency",
    "api/v1/agency/tickets/<int:report_id>/resolve/": "agency",
    "api/v1/agency/tickets/<int:report_id>/return/": "agency",
    "api/v1/photos/<int:photo_id>/<str:variant>/": "signed-url",
    "api/v1/ops/alerts/": "operator",
    "api/v1/ops/alerts/<int:alert_id>/": "operator",
    "api/v1/ops/alerts/<int:alert_id>/cancel/": "operator",
    "api/v1/alerts/": "public",
    "api/v1/alerts/feed/": "public",
    "api/v1/alerts/<int:alert_id>/cap/": "public",
    "api/v1/agency/factchecks/": "fact-checker",
    "api/v1/agency/factchecks/<int:fact_check_id>/": "fact-checker",
    "api/v1/agency/factchecks/<int:fact_check_id>/sightings/": "fact-checker",
    "api/v1/public/factchecks/": "public",
    "api/v1/public/factchecks/<int:fact_check_id>/": "public",
    "api/v1/epidemic/": "public",
    "api/v1/epidemic/mode/": "admin",
    "api/v1/epidemic/mode/end/": "admin",
    "api/v1/agency/epidemic/cases/": "health-reader",
    "api/v1/public/epidemic/": "public",
    # Open311: reading is public; POST proves itself with api_key (tests/open311)
    "open311/v2/^services\\.(?P<response_format>json|xml)$": "public",
    "open311/v2/^services/(?P<service_code>[^/]+)\\.(?P<response_format>json|xml)$": "public",
    "open311/v2/^requests\\.(?P<response_format>json|xml)$": "public",
    "open311/v2/^requests/(?P<service_request_id>[^/]+)\\.(?P<response_format>json|xml)$": "public",
    "open311/v2/^tokens/(?P<token>[^/]+)\\.(?P<response_format>json|xml)$": "public",
    "open311/v2/^(?P<path>.*)$": "public",
    "^open311/discovery\\.(?P<response_format>json|xml)$": "public",
    "dashboard/": "staff-page",
    "dashboard/login/": "public",
    "dashboard/logout/": "public",
    "dashboard/wards.geojson": "public",  # ward outlines; the citizen app caches them offline
    "agency/": "staff-page",
    "app/": "public",
    "app/manifest.webmanifest": "public",
    "app/sw.js": "public",
    "public/": "public",
    "track/": "public",
    "api/schema/": "public",
    "api/docs/": "public",
}

WEBSOCKET_ACCESS = {
    "ws/ops/": "operator",
    "ws/alerts/": "public",
    "ws/agency/": "agency-list",
    "ws/reports/<int:report_id>/": "reporter",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def routes() -> dict[str, object]:
    return {route: view for route, view in _walk(get_resolver().url_patterns) if not route.startswith("admin/")}


def test_every_route_has_a_row():
    assert set(routes()) == set(ACCESS), "decide who may use the new endpoint: add it to ACCESS"


def test_every_websocket_route_has_a_row():
    from realtime.routing import websocket_urlpatterns

    assert {str(p.pattern) for p in websocket_urlpatterns()} == set(WEBSOCKET_ACCESS)


def _methods(view) -> list[str]:
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return ["get"]
    return [m for m in ("get", "post") if hasattr(view_class, m)]


def _concrete(route: str, ids: dict[str, object]) -> str:
    path = re.sub(r"<int:report_id>", str(ids["report"]), route)
    path = re.sub(r"<int:photo_id>", str(ids["photo"]), path)
    path = re.sub(r"<int:\w+>", "999999", path)
    path = path.replace("<str:code>", "ABCD-EFGH").replace("<str:variant>", "image")
    path = path.replace("^services\\.(?P<response_format>json|xml)$", "services.json")
    path = path.replace("^services/(?P<service_code>[^/]+)\\.(?P<response_format>json|xml)$", "services/other.json")
    path = path.replace("^requests\\.(?P<response_format>json|xml)$", "requests.json")
    path = path.replace("^requests/(?P<service_request_id>[^/]+)\\.(?P<response_format>json|xml)$", f"requests/{ids['report']}.json")
    path = path.replace("^tokens/(?P<token>[^/]+)\\.(?P<response_format>json|xml)$", "tokens/abc.json")
    path = path.replace("^(?P<path>.*)$", "nothing-here")
    path = path.replace("^open311/discovery\\.(?P<response_format>json|xml)$", "open311/discovery.json")
    return "/" + path


@pytest.fixture
def world(reference_data, make_citizen):
    from backend.reports.models import Photo

    citizen, other = make_citizen("+84905100001"), make_citizen("+84905100002")
    report = make_report(citizen, status=Status.ASSIGNED, agency="hepco")
    photo = Photo.objects.create(report=report, image="x.jpg", thumbnail="x_t.jpg", content_type="image/jpeg",
                                 width=1, height=1, sha256="0" * 64)
    clients = {
        "anonymous": APIClient(),
        "citizen": _client_for(citizen),
        "citizen-other": _client_for(other),
        "operator": _client_for(make_staff("op-matrix", "operator")),
        "agency": _client_for(make_staff("hepco-matrix", "agency", agency="hepco")),
        "agency-other": _client_for(make_staff("huewaco-matrix", "agency", agency="huewaco")),
    }
    return {"clients": clients, "ids": {"report": report.pk, "photo": photo.pk}}


@pytest.mark.parametrize("route", sorted(ACCESS))
def test_each_role_gets_what_the_routes_audience_allows(world, route):
    view = routes()[route]
    refused = AUDIENCES[ACCESS[route]]
    path = _concrete(route, world["ids"])
    seen = {}
    for method in _methods(view):
        for role in ROLES:
            client = world["clients"][role]
            response = getattr(client, method)(path, {}, format="json") if method == "post" else client.get(path)
            seen[(method, role)] = response.status_code
    for (method, role), status in seen.items():
        if role not in refused:
            assert status not in (401, 403), (method, role, status)
        elif refused[role] == 404 and method == "post":
            # not theirs: 404, or 400 when the (empty) body is checked before the lookup; never done
            assert status in (400, 404), (method, role, status)
        else:
            assert status == refused[role], (method, role, status)
