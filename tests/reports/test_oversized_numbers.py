"""Numbers too large for the database are refused as input (4xx), never a server error."""

from __future__ import annotations

import base64
import json

import pytest

from tests.factories import make_report, snapshot

BIG = 10**30


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen()


@pytest.mark.parametrize("into", [BIG, 2**63, "99999999999999999999999"])
def test_merge_into_an_impossible_id_is_400_and_changes_nothing(operator_client, reporter, into):
    report = make_report(reporter)
    before = snapshot(report.pk)
    response = operator_client.post(f"/api/v1/ops/reports/{report.pk}/merge/", {"into": into}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["into"]
    assert snapshot(report.pk) == before


def test_merge_into_the_largest_possible_id_is_an_ordinary_refusal(operator_client, reporter):
    report = make_report(reporter)
    response = operator_client.post(f"/api/v1/ops/reports/{report.pk}/merge/", {"into": 2**63 - 1}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "merge_target_invalid"


@pytest.mark.parametrize("values", [[1, BIG], ["2026-01-01T00:00:00+00:00", BIG], [BIG]])
def test_a_cursor_holding_huge_numbers_is_400(operator_client, reporter, values):
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    response = operator_client.get(f"/api/v1/ops/reports/?cursor={cursor}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/ops/reports/99999999999999999999999/",
        "/api/v1/reports/99999999999999999999999/",
        "/api/v1/public/reports/99999999999999999999999/",
        "/open311/v2/requests/99999999999999999999999.json",
        "/open311/v2/requests.json?service_request_id=1,99999999999999999999999",
    ],
)
def test_huge_ids_in_paths_and_queries_are_4xx(operator_client, reporter, path):
    assert 400 <= operator_client.get(path).status_code < 500
