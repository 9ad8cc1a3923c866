"""The health_epidemic service in Open311: metadata, its attributes (the kind; in epidemic mode the
kind's questions), and requests that answer them as `attribute[...]`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.epidemic.models import HealthDetails
from backend.reports.models import Report
from tests.open311.conftest import BASE, parse_xml

CITADEL = {"lat": "16.4698", "long": "107.5786"}
KIND_VALUES = [
    {"key": "suspected_case", "name": "Nghi nhiễm bệnh"}, {"key": "medical_help", "name": "Cần trợ giúp y tế"},
    {"key": "outbreak_cluster", "name": "Ổ dịch, chùm ca bệnh"}, {"key": "food_safety", "name": "An toàn thực phẩm"},
    {"key": "other", "name": "Khác"},
]


@pytest.fixture
def epidemic_on(reference_data):
    from backend.epidemic.services import epidemic_mode_start
    from tests.factories import make_staff

    return epidemic_mode_start(actor=make_staff("admin-311", "admin"), disease_vi="Sốt xuất huyết", disease_en="Dengue fever")


def test_only_the_health_service_has_metadata(public, reference_data):
    services = {s["service_code"]: s["metadata"] for s in public.get(f"{BASE}/services.json").json()}
    assert {code for code, metadata in services.items() if metadata} == {"health_epidemic"}


def test_out_of_epidemic_mode_the_health_service_asks_its_kind(public, reference_data):
    body = public.get(f"{BASE}/services/health_epidemic.json").json()
    assert body == {"service_code": "health_epidemic", "attributes": [{
        "variable": True, "code": "health_kind", "datatype": "singlevaluelist", "required": False,
        "datatype_description": None, "order": 1, "description": "Phản ánh về việc gì", "values": KIND_VALUES,
    }]}


def test_in_epidemic_mode_it_asks_the_kinds_questions_too(public, epidemic_on):
    body = public.get(f"{BASE}/services/health_epidemic.json", {"locale": "en"}).json()
    attributes = body["attributes"]
    assert [(a["code"], a["datatype"], a["order"], a["required"]) for a in attributes] == [
        ("health_kind", "singlevaluelist", 1, False), ("symptoms", "multivaluelist", 2, False),
        ("onset_date", "datetime", 3, False), ("people_count", "number", 4, False),
    ]
    assert attributes[1]["description"] == "Symptoms"
    assert attributes[1]["values"][0] == {"key": "fever", "name": "Fever"}
    assert attributes[2]["datatype_description"] == "YYYY-MM-DD; required for: Suspected case; epidemic: Dengue fever"
    assert attributes[3]["datatype_description"] == (
        "1-10000; required for: Outbreak cluster, Food safety; epidemic: Dengue fever")
    # and in XML, with the spec's element names
    root = parse_xml(public.get(f"{BASE}/services/health_epidemic.xml"))
    assert [a.findtext("code") for a in root.find("attributes")] == ["health_kind", "symptoms", "onset_date", "people_count"]
    assert [v.findtext("key") for v in root.find("attributes")[1].find("values")][:2] == ["fever", "cough"]


def health_form(api_key, **attributes):
    return {"api_key": api_key, "service_code": "health_epidemic", "description": "Cả xóm sốt cao, phát ban",
            **CITADEL, **attributes}


def test_a_request_answers_the_questions_as_attributes(public, api_key, epidemic_on, fake_triage):
    fake_triage("health_epidemic", "normal", 0.9)
    onset = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = public.post(f"{BASE}/requests.json", health_form(
        api_key, **{"attribute[health_kind]": "suspected_case", "attribute[symptoms][]": ["fever", "rash"],
                    "attribute[onset_date]": onset, "attribute[people_count]": "3"},
    ))
    assert response.status_code == 201, response.json()
    details = HealthDetails.objects.get(report_id=int(response.json()[0]["service_request_id"]))
    assert (details.kind, details.symptoms, details.onset_date.isoformat(), details.people_count, details.epidemic) == (
        "suspected_case", ["fever", "rash"], onset, 3, epidemic_on)


def test_a_request_missing_a_required_answer_is_refused_in_the_spec_error_shape(public, api_key, epidemic_on, fake_triage):
    fake_triage("health_epidemic", "normal", 0.9)
    response = public.post(f"{BASE}/requests.json", health_form(api_key, **{"attribute[health_kind]": "outbreak_cluster"}))
    assert response.status_code == 400
    assert [e["code"] for e in response.json()] == [400]
    assert "people_count" in response.json()[0]["description"]
    assert Report.objects.count() == 0


def test_a_bad_attribute_value_is_refused(public, api_key, fake_triage, reference_data):
    response = public.post(f"{BASE}/requests.json", health_form(api_key, **{"attribute[health_kind]": "zombies"}))
    assert response.status_code == 400
    assert Report.objects.count() == 0
