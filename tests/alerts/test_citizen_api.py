"""GET /api/v1/alerts/?lat=&lng=: the active warnings that cover a citizen's position."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from backend.alerts.models import Alert
from routing import runtime as routing
from tests.alerts.conftest import OUTSIDE_HUE, PHU_XUAN, THUAN_HOA

URL = "/api/v1/alerts/"
PUBLIC_KEYS = {
    "id", "identifier", "version", "msg_type", "title", "body", "kind", "kind_name", "severity", "severity_name",
    "urgency", "certainty", "area", "starts_at", "expires_at", "issued_at", "cap_url",
}


@pytest.fixture
def public() -> APIClient:
    return APIClient()


def at(client, point):
    response = client.get(URL, {"lat": point[0], "lng": point[1]})
    assert response.status_code == 200, response.json()
    return [a["title"]["vi"] for a in response.json()]


def test_the_test_points_lie_in_the_wards_they_are_named_after(ward_polygons):
    assert routing.locate(*PHU_XUAN) == "phu-xuan"
    assert routing.locate(*THUAN_HOA) == "thuan-hoa"
    assert routing.locate(*OUTSIDE_HUE) is None


def test_a_ward_warning_reaches_only_that_ward(public, publish, ward_polygons):
    # given a warning for Phú Xuân only
    publish(title="Ngập ở Phú Xuân", city_wide=None, wards=["phu-xuan"])
    # then a citizen in Phú Xuân gets it, one in Thuận Hóa does not
    assert at(public, PHU_XUAN) == ["Ngập ở Phú Xuân"]
    assert at(public, THUAN_HOA) == []
    assert at(public, OUTSIDE_HUE) == []


def test_a_city_wide_warning_reaches_every_point(public, publish, ward_polygons):
    publish(title="Bão số 5", kind="storm", city_wide=True)
    assert at(public, PHU_XUAN) == ["Bão số 5"]
    assert at(public, THUAN_HOA) == ["Bão số 5"]
    assert at(public, OUTSIDE_HUE) == ["Bão số 5"]


def test_a_circle_covers_what_lies_within_its_radius(public, publish, ward_polygons):
    # given a 1 km circle around the Citadel point
    publish(title="Cắt điện", kind="utility_outage", city_wide=None,
            geometry={"center": [PHU_XUAN[1], PHU_XUAN[0]], "radius_m": 1000})
    # then 900 m north is inside, 1.1 km north is not (0.009 degrees of latitude is about 1 km)
    assert at(public, (PHU_XUAN[0] + 0.0081, PHU_XUAN[1])) == ["Cắt điện"]
    assert at(public, (PHU_XUAN[0] + 0.0099, PHU_XUAN[1])) == []


def test_a_polygon_covers_its_inside_and_edge(public, publish, ward_polygons):
    square = [[[107.57, 16.46], [107.58, 16.46], [107.58, 16.47], [107.57, 16.47], [107.57, 16.46]]]
    publish(title="Phong toả", kind="security", city_wide=None, geometry={"type": "Polygon", "coordinates": square})
    assert at(public, (16.465, 107.575)) == ["Phong toả"]
    assert at(public, (16.47, 107.575)) == ["Phong toả"]  # on the edge
    assert at(public, (16.4701, 107.575)) == []


def test_most_severe_first_then_newest(public, publish, ward_polygons):
    publish(title="Nhẹ, cũ", severity="Minor")
    publish(title="Nghiêm trọng, cũ", severity="Severe")
    publish(title="Nhẹ, mới", severity="Minor")
    publish(title="Cực kỳ", severity="Extreme", city_wide=None, wards=["phu-xuan"])
    publish(title="Nghiêm trọng, mới", severity="Severe")
    assert at(public, PHU_XUAN) == ["Cực kỳ", "Nghiêm trọng, mới", "Nghiêm trọng, cũ", "Nhẹ, mới", "Nhẹ, cũ"]


def test_only_active_warnings_are_listed(public, publish, operator_client, ward_polygons):
    # given one active, one not yet started, one cancelled and one expired warning
    publish(title="Đang hiệu lực")
    publish(title="Chưa bắt đầu", starts_at=(timezone.now() + timedelta(hours=1)).isoformat())
    cancelled = publish(title="Đã huỷ")
    operator_client.post(f"/api/v1/ops/alerts/{cancelled['id']}/cancel/", {}, format="json")
    expired = publish(title="Hết hạn")
    Alert.objects.filter(pk=expired["id"]).update(
        starts_at=timezone.now() - timedelta(hours=2), expires_at=timezone.now() - timedelta(seconds=1)
    )
    # then a citizen anywhere gets only the active one, and so does the list without a point
    assert at(public, PHU_XUAN) == ["Đang hiệu lực"]
    assert [a["title"]["vi"] for a in public.get(URL).json()] == ["Đang hiệu lực"]


def test_the_public_shape(public, publish, ward_polygons):
    created = publish(title_en="", body_en="")
    [row] = public.get(URL, {"lat": PHU_XUAN[0], "lng": PHU_XUAN[1]}).json()
    assert set(row) == PUBLIC_KEYS
    assert row["id"] == created["id"]
    assert row["title"] == {"vi": "Cảnh báo ngập sâu", "en": None}
    assert row["kind_name"] == {"vi": "Ngập lụt", "en": "Flood"}
    assert row["severity_name"] == {"vi": "Nghiêm trọng", "en": "Severe"}


@pytest.mark.parametrize(
    ("query", "field"),
    [({"lat": "16.4"}, "lng"), ({"lng": "107.5"}, "lat"), ({"lat": "91", "lng": "107"}, "lat"),
     ({"lat": "nan", "lng": "107"}, "lat"), ({"lat": "16", "lng": "abc"}, "lng")],
)
def test_a_bad_point_is_refused(public, query, field, reference_data):
    response = public.get(URL, query)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def for_wards(client, wards: str):
    response = client.get(URL, {"wards": wards})
    assert response.status_code == 200, response.json()
    return [a["title"]["vi"] for a in response.json()]


def test_by_wards_a_warning_reaches_the_wards_it_names_or_its_drawn_area_overlaps(public, publish, ward_polygons):
    # given a ward warning for Phú Xuân, a 300 m circle inside Thuận Hóa, and a city-wide one
    publish(title="Phú Xuân", city_wide=None, wards=["phu-xuan"])
    publish(title="Vòng tròn", city_wide=None, geometry={"center": [THUAN_HOA[1], THUAN_HOA[0]], "radius_m": 300})
    publish(title="Toàn thành phố", severity="Minor")
    # then each ward's list holds its own warnings and the city-wide one
    assert for_wards(public, "phu-xuan") == ["Phú Xuân", "Toàn thành phố"]
    assert for_wards(public, "thuan-hoa") == ["Vòng tròn", "Toàn thành phố"]
    assert for_wards(public, "phu-xuan,thuan-hoa") == ["Vòng tròn", "Phú Xuân", "Toàn thành phố"]
    assert for_wards(public, "") == ["Toàn thành phố"]


def test_by_wards_unknown_codes_and_a_point_with_wards_are_refused(public, publish, ward_polygons):
    response = public.get(URL, {"wards": "phu-xuan,atlantis"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"wards": ["unknown ward codes: atlantis"]}
    response = public.get(URL, {"wards": "phu-xuan", "lat": PHU_XUAN[0], "lng": PHU_XUAN[1]})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["wards"]
