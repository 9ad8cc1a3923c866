"""Operators publish, change and cancel warnings; each issue is kept as history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.alerts.models import Alert, AlertRevision

URL = "/api/v1/ops/alerts/"

OPS_KEYS = {
    "id", "identifier", "version", "msg_type", "title", "body", "kind", "kind_name", "severity", "severity_name",
    "urgency", "certainty", "area", "starts_at", "expires_at", "issued_at", "cap_url", "state", "cancelled_at",
    "cancel_reason", "created_by", "created_at", "history",
}


def test_an_operator_publishes_a_ward_warning(operator_client, warning_body, reference_data):
    # when an operator publishes a flood warning for two wards
    body = warning_body(city_wide=None, wards=["phu-xuan", "thuan-hoa"])
    response = operator_client.post(URL, body, format="json")
    # then it is created, active, version 1, issued as a CAP Alert
    assert response.status_code == 201
    data = response.json()
    assert set(data) == OPS_KEYS
    assert data["state"] == "active"
    assert (data["version"], data["msg_type"]) == (1, "Alert")
    assert data["identifier"] == f"hue.gov.vn.alert.{data['id']}.1"
    assert data["title"] == {"vi": "Cảnh báo ngập sâu", "en": "Deep flooding warning"}
    assert data["area"]["city_wide"] is False
    assert data["area"]["geometry"] is None
    assert [w["code"] for w in data["area"]["wards"]] == ["phu-xuan", "thuan-hoa"]
    assert data["area"]["wards"][0]["name"] == {"vi": "Phường Phú Xuân", "en": "Phú Xuân"}
    assert data["created_by"] == "op1"
    assert [(h["version"], h["msg_type"], h["changed"]) for h in data["history"]] == [(1, "Alert", [])]
    assert data["cap_url"] == f"http://testserver/api/v1/alerts/{data['id']}/cap/"


@pytest.mark.parametrize(
    "area",
    [
        {},  # none
        {"city_wide": True, "wards": ["phu-xuan"]},
        {"wards": ["phu-xuan"], "geometry": {"center": [107.58, 16.47], "radius_m": 500}},
        {"city_wide": False},
    ],
)
def test_a_warning_needs_exactly_one_area(operator_client, warning_body, area, reference_data):
    body = warning_body(city_wide=None)
    body.update(area)
    response = operator_client.post(URL, body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "alert_area_required"
    assert set(error["fields"]) == {"city_wide", "wards", "geometry"}
    assert Alert.objects.count() == 0


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        ({"type": "Point", "coordinates": [107.5, 16.4]}, "only a GeoJSON Polygon or a circle is accepted"),
        ({"center": [107.58, 16.47], "radius_m": 0}, "radius_m is a number of metres from 1 to 100000"),
        ({"center": [16.47], "radius_m": 10}, "a position is [longitude, latitude]"),
        ({"type": "Polygon", "coordinates": [[[107.5, 16.4], [107.6, 16.4]]]}, "a ring needs at least 3 distinct positions"),
        (
            {"type": "Polygon", "coordinates": [[[107.5, 16.4], [107.6, 16.5], [107.6, 16.4], [107.5, 16.5], [107.5, 16.4]]]},
            "the polygon is not valid (Self-intersection[107.55 16.45])",
        ),
    ],
)
def test_a_drawn_area_is_checked(operator_client, warning_body, geometry, problem, reference_data):
    response = operator_client.post(URL, warning_body(city_wide=None, geometry=geometry), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"geometry": [problem]}
    assert Alert.objects.count() == 0


def test_expiry_must_be_after_start_and_in_the_future(operator_client, warning_body, reference_data):
    past = (timezone.now() - timedelta(minutes=1)).isoformat()
    response = operator_client.post(URL, warning_body(expires_at=past), format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"expires_at": ["must be in the future"]}
    soon = timezone.now() + timedelta(hours=1)
    body = warning_body(starts_at=(soon + timedelta(hours=1)).isoformat(), expires_at=soon.isoformat())
    response = operator_client.post(URL, body, format="json")
    assert response.json()["error"]["fields"] == {"expires_at": ["must be after starts_at"]}
    assert Alert.objects.count() == 0


def test_citizens_and_agencies_cannot_publish(citizen_client, client_for, warning_body, reference_data):
    from backend.accounts.services import user_ensure

    staff = client_for(user_ensure(username="hepco-1", role="agency", agency_code="hepco"))
    for client in (citizen_client, staff):
        response = client.post(URL, warning_body(), format="json")
        assert response.status_code == 403
        assert client.get(URL).status_code == 403
    assert Alert.objects.count() == 0


def test_an_update_keeps_history_and_references(operator_client, publish):
    # given a published warning
    first = publish()
    # when the operator raises its severity and narrows it to a circle
    circle = {"center": [107.5786, 16.4698], "radius_m": 1500}
    response = operator_client.patch(
        f"{URL}{first['id']}/", {"severity": "Extreme", "geometry": circle}, format="json"
    )
    # then it is version 2, an Update, and the history names what changed
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["msg_type"], data["severity"]) == (2, "Update", "Extreme")
    assert data["area"] == {"city_wide": False, "wards": [], "geometry": circle | {"radius_m": 1500.0}}
    assert [(h["version"], h["msg_type"]) for h in data["history"]] == [(1, "Alert"), (2, "Update")]
    assert data["history"][1]["changed"] == ["severity", "city_wide", "geometry"]
    assert data["history"][0]["snapshot"]["severity"] == "Severe"
    assert data["history"][0]["snapshot"]["city_wide"] is True


def test_an_update_that_changes_nothing_is_refused(operator_client, publish):
    first = publish()
    response = operator_client.patch(f"{URL}{first['id']}/", {"severity": "Severe"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "alert_nothing_to_change"
    assert AlertRevision.objects.filter(alert_id=first["id"]).count() == 1


def test_cancel_is_final(operator_client, publish):
    # given a warning the operator cancels
    first = publish()
    response = operator_client.post(f"{URL}{first['id']}/cancel/", {"reason": "Nước đã rút"}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["version"], data["msg_type"], data["cancel_reason"]) == (
        "cancelled", 2, "Cancel", "Nước đã rút",
    )
    # when they try to change or cancel it again
    again = operator_client.post(f"{URL}{first['id']}/cancel/", {}, format="json")
    patch = operator_client.patch(f"{URL}{first['id']}/", {"severity": "Minor"}, format="json")
    # then both are refused and nothing changed
    assert (again.status_code, patch.status_code) == (409, 409)
    assert again.json()["error"]["code"] == "alert_closed"
    assert again.json()["error"]["message"] == "Cảnh báo này đã huỷ, không thể sửa hoặc huỷ nữa."
    alert = Alert.objects.get(pk=first["id"])
    assert (alert.version, alert.severity) == (2, "Severe")


def test_an_expired_warning_cannot_be_changed(operator_client, publish):
    first = publish()
    Alert.objects.filter(pk=first["id"]).update(
        starts_at=timezone.now() - timedelta(hours=3), expires_at=timezone.now() - timedelta(hours=1)
    )
    response = operator_client.patch(f"{URL}{first['id']}/", {"severity": "Minor"}, format="json")
    assert response.status_code == 409
    assert Alert.objects.get(pk=first["id"]).severity == "Severe"


def test_the_operators_list_filters_by_state(operator_client, publish):
    active = publish(title="Đang hiệu lực")
    scheduled = publish(
        title="Sắp tới", starts_at=(timezone.now() + timedelta(hours=2)).isoformat(),
        expires_at=(timezone.now() + timedelta(hours=5)).isoformat(),
    )
    cancelled = publish(title="Đã huỷ")
    operator_client.post(f"{URL}{cancelled['id']}/cancel/", {}, format="json")
    everything = operator_client.get(URL).json()
    assert [a["id"] for a in everything] == [cancelled["id"], scheduled["id"], active["id"]]
    assert [a["id"] for a in operator_client.get(URL, {"state": "scheduled"}).json()] == [scheduled["id"]]
    assert [a["id"] for a in operator_client.get(URL, {"state": "active"}).json()] == [active["id"]]
    assert operator_client.get(URL, {"state": "nope"}).status_code == 400
