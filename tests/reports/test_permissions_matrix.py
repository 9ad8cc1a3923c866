"""Who may do what to which report: role x action x object, with exact status codes.

Every refusal is checked to have changed nothing. "agency-own" is staff of the ticket's agency,
"agency-other" staff of another agency; "citizen" is the reporter, "citizen-other" someone else.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from backend.accounts.models import Role
from backend.reports.models import Status
from tests.conftest import _client_for
from tests.factories import make_report, make_staff, snapshot

ROLES = ["anonymous", "citizen", "citizen-other", "operator", "admin", "agency-own", "agency-other"]

# action -> (method, path, payload, the status the report starts in)
ACTIONS: dict[str, tuple[str, str, dict, str]] = {
    "ops-list": ("get", "/api/v1/ops/reports/", {}, Status.ASSIGNED),
    "ops-detail": ("get", "/api/v1/ops/reports/{id}/", {}, Status.ASSIGNED),
    "ops-triage": ("post", "/api/v1/ops/reports/{id}/triage/", {"category": "trees_parks", "urgency": "high"},
                   Status.ASSIGNED),
    "ops-assign": ("post", "/api/v1/ops/reports/{id}/assign/", {"agency": "hepco"}, Status.RETURNED),
    "ops-reject": ("post", "/api/v1/ops/reports/{id}/reject/", {"reason": "spam"}, Status.NEEDS_REVIEW),
    "ops-merge": ("post", "/api/v1/ops/reports/{id}/merge/", {"into": None}, Status.NEEDS_REVIEW),
    "ops-notes": ("post", "/api/v1/ops/reports/{id}/notes/", {"note": "ghi chú"}, Status.ASSIGNED),
    "ops-sensitive": ("post", "/api/v1/ops/reports/{id}/sensitive/", {"sensitive": True, "reason": "tên người"},
                      Status.ASSIGNED),
    "agency-list": ("get", "/api/v1/agency/tickets/", {}, Status.ASSIGNED),
    "agency-detail": ("get", "/api/v1/agency/tickets/{id}/", {}, Status.ASSIGNED),
    "agency-accept": ("post", "/api/v1/agency/tickets/{id}/accept/", {}, Status.ASSIGNED),
    "agency-progress": ("post", "/api/v1/agency/tickets/{id}/progress/", {"note": "đang làm"}, Status.ACCEPTED),
    "agency-resolve": ("post", "/api/v1/agency/tickets/{id}/resolve/", {"note": "xong"}, Status.IN_PROGRESS),
    "agency-return": ("post", "/api/v1/agency/tickets/{id}/return/", {"reason": "không phải của tôi"},
                      Status.ACCEPTED),
    "citizen-detail": ("get", "/api/v1/reports/{id}/", {}, Status.ASSIGNED),
    "citizen-rating": ("post", "/api/v1/reports/{id}/rating/", {"stars": 4, "comment": "tốt"}, Status.RESOLVED),
    "citizen-reopen": ("post", "/api/v1/reports/{id}/reopen/", {"reason": "chưa xong"}, Status.RESOLVED),
}

_OPS = {"anonymous": 401, "citizen": 403, "citizen-other": 403, "operator": 200, "admin": 200,
        "agency-own": 403, "agency-other": 403}
_AGENCY = {"anonymous": 401, "citizen": 403, "citizen-other": 403, "operator": 403, "admin": 403,
           "agency-own": 200, "agency-other": 404}
_CITIZEN = {"anonymous": 401, "citizen": 200, "citizen-other": 404, "operator": 404, "admin": 404,
            "agency-own": 404, "agency-other": 404}

EXPECTED: dict[str, dict[str, int]] = {
    "ops-list": _OPS,
    "ops-detail": _OPS,
    "ops-triage": _OPS,
    "ops-assign": _OPS,
    "ops-reject": _OPS,
    "ops-merge": _OPS,
    "ops-sensitive": _OPS,
    "ops-notes": {**_OPS, "operator": 201, "admin": 201},
    "agency-list": {**_AGENCY, "agency-other": 200},  # their own (empty) board
    "agency-detail": _AGENCY,
    "agency-accept": _AGENCY,
    "agency-progress": _AGENCY,
    "agency-resolve": _AGENCY,
    "agency-return": _AGENCY,
    "citizen-detail": _CITIZEN,
    "citizen-rating": _CITIZEN,
    "citizen-reopen": _CITIZEN,
}


@pytest.fixture
def clients(reference_data, make_citizen):
    reporter = make_citizen("+84905100200")
    users = {
        "citizen": reporter,
        "citizen-other": make_citizen("+84905100300"),
        "operator": make_staff("matrix-op", Role.OPERATOR),
        "admin": make_staff("matrix-admin", Role.ADMIN),
        "agency-own": make_staff("matrix-hepco", Role.AGENCY, "hepco"),
        "agency-other": make_staff("matrix-police", Role.AGENCY, "police"),
    }
    made = {role: _client_for(user) for role, user in users.items()}
    made["anonymous"] = APIClient()
    return reporter, made


def test_the_matrix_covers_every_action_and_role():
    assert set(EXPECTED) == set(ACTIONS)
    assert all(set(row) == set(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_x_action(clients, action):
    reporter, by_role = clients
    method, path, payload, start = ACTIONS[action]
    for role in ROLES:
        # given a fresh hepco ticket in the state the action starts from
        report = make_report(reporter, status=start, agency="hepco" if start != Status.RETURNED else None,
                             resolved_ago=timedelta(hours=1))
        body = dict(payload)
        if action == "ops-merge":
            body["into"] = make_report(reporter, status=Status.ASSIGNED).pk
        before = snapshot(report.pk)
        # when this role tries the action
        response = getattr(by_role[role], method)(path.format(id=report.pk), body, format="json")
        # then exactly the expected status; a refusal is a JSON error and changes nothing
        expected = EXPECTED[action][role]
        assert response.status_code == expected, (role, response.content[:300])
        if expected >= 400:
            assert "error" in response.json(), role
            assert snapshot(report.pk) == before, role
        elif method == "post":
            assert len(snapshot(report.pk)["events"]) == len(before["events"]) + 1, role
