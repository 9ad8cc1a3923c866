"""GET services.{json,xml} and services/{code}.{json,xml}: the city's categories as Open311 services."""

from __future__ import annotations

import pytest

from routing.models import Category
from tests.open311.conftest import BASE, parse_xml

ROAD_DAMAGE_VI = {
    "service_code": "road_damage",
    "service_name": "Hư hỏng đường sá",
    "description": "Ổ gà, sụt lún, vỉa hè hư hỏng, cầu, hố ga trên đường",
    "metadata": False,
    "type": "realtime",
    "keywords": "hư hỏng đường sá, ổ gà, sụt lún, vỉa hè hư hỏng, cầu, hố ga trên đường",
    "group": "Sở Xây dựng thành phố Huế (lĩnh vực giao thông vận tải)",
}


def test_services_json_is_a_list_of_the_active_categories_in_vietnamese(public, reference_data):
    response = public.get(f"{BASE}/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert isinstance(body, list)  # the spec's JSON: a list at the top, as clients parse it
    assert [s["service_code"] for s in body] == list(Category.objects.filter(active=True).values_list("code", flat=True))
    assert len(body) == 15
    assert body[1] == ROAD_DAMAGE_VI


@pytest.mark.parametrize(
    "how", [{"locale": "en"}, {"locale": "en_US"}, {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}], ids=str
)
def test_services_in_english_by_locale_or_accept_language(public, reference_data, how):
    query = {k: v for k, v in how.items() if k == "locale"}
    headers = {k: v for k, v in how.items() if k != "locale"}
    body = public.get(f"{BASE}/services.json", query, **headers).json()
    assert body[1] == {
        "service_code": "road_damage",
        "service_name": "Road damage",
        "description": "Potholes, subsidence, broken pavement, bridges, manholes on roads",
        "metadata": False,
        "type": "realtime",
        "keywords": "road damage, potholes, subsidence, broken pavement, bridges, manholes on roads",
        "group": "Huế Department of Construction (transport)",
    }


def test_locale_wins_over_accept_language(public, reference_data):
    body = public.get(f"{BASE}/services.json", {"locale": "vi"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body[1]["service_name"] == "Hư hỏng đường sá"


def test_services_xml_has_the_spec_element_names(public, reference_data):
    root = parse_xml(public.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert {child.tag for child in root} == {"service"}
    road = root[1]
    assert [child.tag for child in road] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    ]
    assert {child.tag: child.text for child in road} == {**ROAD_DAMAGE_VI, "metadata": "false"}


def test_inactive_categories_are_not_offered(public, reference_data):
    Category.objects.filter(code="noise").update(active=False)
    codes = [s["service_code"] for s in public.get(f"{BASE}/services.json").json()]
    assert "noise" not in codes and len(codes) == 14
    assert public.get(f"{BASE}/services/noise.json").status_code == 404


def test_service_definition_has_no_attributes(public, reference_data):
    assert public.get(f"{BASE}/services/road_damage.json").json() == {"service_code": "road_damage", "attributes": []}
    root = parse_xml(public.get(f"{BASE}/services/road_damage.xml"))
    assert root.tag == "service_definition"
    assert [(c.tag, c.text) for c in root] == [("service_code", "road_damage"), ("attributes", None)]


def test_unknown_service_code_is_404_in_the_spec_error_shape(public, reference_data):
    response = public.get(f"{BASE}/services/potholes.json")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "Không tìm thấy service_code: potholes."}]
    root = parse_xml(public.get(f"{BASE}/services/potholes.xml", {"locale": "en"}))
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root.iter("error")] == [
        ("404", "service_code provided was not found: potholes.")
    ]


def test_our_jurisdiction_is_accepted_and_any_other_is_404(public, reference_data, settings):
    assert public.get(f"{BASE}/services.json", {"jurisdiction_id": "hue.gov.vn"}).status_code == 200
    assert public.get(f"{BASE}/services.json", {"jurisdiction_id": ""}).status_code == 200  # empty = not given
    response = public.get(f"{BASE}/services.json", {"jurisdiction_id": "sfgov.org", "locale": "en"})
    assert response.status_code == 404
    assert response.json() == [
        {"code": 404, "description": "jurisdiction_id provided was not found: sfgov.org (this endpoint serves hue.gov.vn)."}
    ]
    settings.OPEN311_JURISDICTION_ID = "thuathienhue.gov.vn"
    assert public.get(f"{BASE}/services.json", {"jurisdiction_id": "thuathienhue.gov.vn"}).status_code == 200


def test_unsupported_locale_is_400(public, reference_data):
    response = public.get(f"{BASE}/services.json", {"locale": "fr"})
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "Ngôn ngữ không được hỗ trợ: fr (dùng vi hoặc en)."}]


def test_the_suffix_decides_the_format_whatever_the_accept_header(public, reference_data):
    assert parse_xml(public.get(f"{BASE}/services.xml", HTTP_ACCEPT="application/json")).tag == "services"
    assert public.get(f"{BASE}/services.json", HTTP_ACCEPT="text/xml").json()[0]["service_code"] == "environment"


@pytest.mark.parametrize("path", ["/services", "/services.html", "/services.json/", "/discovery.json", "/requests/1/x.json"])
def test_other_paths_are_404_in_the_spec_shape(public, reference_data, path):
    response = public.get(f"{BASE}{path}")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_services_are_read_only(public, reference_data):
    response = public.post(f"{BASE}/services.json", {})
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405
