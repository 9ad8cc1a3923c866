from __future__ import annotations

import pytest

from backend.reports.models import Report

URL = "/api/v1/ops/triage/"


def test_operator_gets_the_models_answer_and_nothing_is_created(operator_client, fake_triage):
    fake_triage("power_supply", "critical", 0.88, rules=("fallen_wire",))
    response = operator_client.post(URL, {"description": "Dây điện đứt rơi xuống đường"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["category"], body["urgency"], body["confidence"]) == ("power_supply", "critical", 0.88)
    assert body["category_name"] == {"vi": "Điện lực", "en": "Power supply"}
    assert body["urgency_name"] == {"vi": "Khẩn cấp", "en": "Critical"}
    assert (body["rules"], body["alert"], body["model_version"]) == (["fallen_wire"], True, "test-model")
    # a critical report always waits for an operator: the preview says so, as intake will
    assert (body["needs_review"], body["review_reasons"]) == (True, ["critical"])
    assert set(body) == {
        "category", "category_name", "urgency", "urgency_name", "confidence", "category_scores",
        "urgency_scores", "model_version", "rules", "needs_review", "review_reasons", "alert",
    }
    assert Report.objects.count() == 0


@pytest.mark.parametrize("who", ["citizen_client", "client"])
def test_only_operators_may_preview(request, who, reference_data):
    client = request.getfixturevalue(who)
    response = client.post(URL, {"description": "x"}, format="json") if who != "client" else client.post(
        URL, {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == (403 if who == "citizen_client" else 401)


def test_description_is_required(operator_client):
    response = operator_client.post(URL, {}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["description"]
