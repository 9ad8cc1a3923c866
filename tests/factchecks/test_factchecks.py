"""Rumours: the information agency concludes, reports join as sightings, everyone searches the answers."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.factchecks.models import FactCheck, Sighting
from tests.reports.test_lifecycle import make_report, make_staff

AGENCY_URL = "/api/v1/agency/factchecks/"
PUBLIC_URL = "/api/v1/public/factchecks/"
RUMOUR_TEXT = "Nghe nói uống nước lá ổi chữa khỏi sốt xuất huyết, chị Lan ở kiệt 5 gửi cho cả xóm, sđt 0905111222"
PUBLIC_KEYS = {"id", "claim", "verdict", "verdict_name", "explanation", "source_name", "source_url", "agency", "sightings",
               "published_at", "updated_at"}


@pytest.fixture
def infocom_client(client_for, reference_data):
    return client_for(make_staff("infocom-1", "agency", "infocom"))


@pytest.fixture
def rumours(citizen, reference_data):
    return [
        make_report(citizen, agency="infocom", category="misinformation", description=RUMOUR_TEXT),
        make_report(citizen, agency="infocom", category="misinformation", description="Lá ổi chữa sốt xuất huyết???"),
    ]


def conclude(client, **overrides):
    body = {
        "claim": "Uống nước lá ổi chữa khỏi sốt xuất huyết",
        "claim_en": "Guava-leaf water cures dengue fever",
        "verdict": "false",
        "explanation": "Không có bằng chứng khoa học; người bệnh cần đến cơ sở y tế.",
        "explanation_en": "There is no scientific evidence; patients must see a doctor.",
        "source_name": "Sở Y tế Huế",
        "source_url": "https://soyte.hue.gov.vn/",
    }
    body.update(overrides)
    response = client.post(AGENCY_URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def test_the_agency_concludes_and_the_public_sees_only_its_words(infocom_client, rumours):
    # when the information agency concludes on the rumour, joining both reports of it
    made = conclude(infocom_client, reports=[r.pk for r in rumours])
    assert made["reports"] == [rumours[0].pk, rumours[1].pk]
    assert made["sightings"] == 2
    # then the public reads the claim as the agency worded it, with the count of sightings
    body = APIClient().get(PUBLIC_URL).json()
    assert body["count"] == 1
    [row] = body["results"]
    assert set(row) == PUBLIC_KEYS
    assert row["claim"] == {"vi": "Uống nước lá ổi chữa khỏi sốt xuất huyết", "en": "Guava-leaf water cures dengue fever"}
    assert row["verdict"] == "false"
    assert row["verdict_name"] == {"vi": "Sai sự thật", "en": "False"}
    assert (row["source_name"], row["source_url"]) == ("Sở Y tế Huế", "https://soyte.hue.gov.vn/")
    assert row["agency"]["en"].startswith("Huế Department of Science and Technology")
    assert row["sightings"] == 2
    # and nothing of the reports behind it: not the citizen's text, phone, tracking code or ids
    raw = APIClient().get(PUBLIC_URL).content.decode()
    for secret in ("chị Lan", "0905111222", rumours[0].tracking_code, "reports"):
        assert secret not in raw


@pytest.mark.parametrize("query", ["lá ổi", "la oi", "LA OI", "sot xuat huyet", "guava", "chữa khỏi"])
def test_search_works_with_and_without_diacritics(infocom_client, rumours, query):
    conclude(infocom_client)
    conclude(infocom_client, claim="Vắc xin gây vô sinh", claim_en="Vaccines cause infertility",
             explanation="Sai.", explanation_en="False.")
    found = APIClient().get(PUBLIC_URL, {"q": query}).json()["results"]
    assert [r["claim"]["vi"] for r in found] == ["Uống nước lá ổi chữa khỏi sốt xuất huyết"]


def test_a_query_word_matches_the_start_of_a_word_only(infocom_client, rumours):
    conclude(infocom_client, claim="Vắc xin gây vô sinh", explanation="Sai.")
    assert APIClient().get(PUBLIC_URL, {"q": "vac"}).json()["count"] == 1
    assert APIClient().get(PUBLIC_URL, {"q": "ac"}).json()["count"] == 0


def test_a_draft_is_not_public_until_published(infocom_client, rumours):
    draft = conclude(infocom_client, published=False)
    assert APIClient().get(PUBLIC_URL).json()["count"] == 0
    assert APIClient().get(f"{PUBLIC_URL}{draft['id']}/").status_code == 404
    response = infocom_client.patch(f"{AGENCY_URL}{draft['id']}/", {"published": True}, format="json")
    assert response.status_code == 200
    assert response.json()["published_at"] is not None
    assert APIClient().get(f"{PUBLIC_URL}{draft['id']}/").json()["claim"]["vi"].startswith("Uống nước lá ổi")


def test_more_reports_join_as_sightings_once(infocom_client, rumours, citizen):
    made = conclude(infocom_client, reports=[rumours[0].pk])
    third = make_report(citizen, agency="infocom", category="misinformation", description="lá ổi chữa sxh")
    response = infocom_client.post(f"{AGENCY_URL}{made['id']}/sightings/", {"reports": [rumours[0].pk, third.pk]}, format="json")
    assert response.status_code == 200
    assert response.json()["sightings"] == 2
    assert Sighting.objects.filter(fact_check_id=made["id"]).count() == 2


def test_a_report_joins_one_fact_check_only(infocom_client, rumours):
    first = conclude(infocom_client, reports=[rumours[0].pk])
    second = conclude(infocom_client, claim="Tin khác")
    response = infocom_client.post(f"{AGENCY_URL}{second['id']}/sightings/", {"reports": [rumours[0].pk]}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "factcheck_report_elsewhere"
    assert Sighting.objects.get(report=rumours[0]).fact_check_id == first["id"]


def test_only_misinformation_reports_join(infocom_client, citizen, reference_data):
    pothole = make_report(citizen, agency="infocom", category="road_damage")
    response = infocom_client.post(AGENCY_URL, {
        "claim": "x", "verdict": "false", "explanation": "y", "source_name": "z", "reports": [pothole.pk],
    }, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "factcheck_not_a_rumour"
    assert FactCheck.objects.count() == 0


def test_other_agencies_and_citizens_cannot_write_fact_checks(client_for, citizen_client, rumours):
    hepco = client_for(make_staff("hepco-1", "agency", "hepco"))
    for client in (hepco, citizen_client, APIClient()):
        response = client.post(AGENCY_URL, {"claim": "x", "verdict": "false", "explanation": "y", "source_name": "z"},
                               format="json")
        assert response.status_code in (401, 403)
    assert FactCheck.objects.count() == 0


def test_an_agency_cannot_join_another_agencys_ticket(infocom_client, citizen, reference_data):
    elsewhere = make_report(citizen, agency="ioc", category="misinformation")
    response = infocom_client.post(AGENCY_URL, {
        "claim": "x", "verdict": "false", "explanation": "y", "source_name": "z", "reports": [elsewhere.pk],
    }, format="json")
    assert response.status_code == 404
    assert FactCheck.objects.count() == 0


def test_operators_conclude_for_the_default_agency(operator_client, rumours):
    made = conclude(operator_client, reports=[rumours[0].pk])
    assert made["agency"]["vi"] == FactCheck.objects.get(pk=made["id"]).agency.name_vi
    assert FactCheck.objects.get(pk=made["id"]).agency.code == "infocom"
