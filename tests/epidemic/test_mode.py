"""An admin switches epidemic mode on for a named disease and off; the app reads what to ask."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from backend.epidemic.models import EpidemicMode

URL = "/api/v1/epidemic/"
START, END = "/api/v1/epidemic/mode/", "/api/v1/epidemic/mode/end/"
INFO_KEYS = {"active", "disease", "started_at", "ended_at", "kinds"}


def required_questions(info) -> dict[str, list[str]]:
    return {k["code"]: [q["code"] for q in k["questions"] if q["required"]] for k in info["kinds"]}


def test_off_the_app_is_told_the_kinds_and_their_questions_but_none_is_required(reference_data):
    info = APIClient().get(URL).json()
    assert set(info) == INFO_KEYS
    assert (info["active"], info["disease"]) == (False, None)
    assert [k["code"] for k in info["kinds"]] == ["suspected_case", "medical_help", "outbreak_cluster", "food_safety", "other"]
    assert required_questions(info) == {k: [] for k in required_questions(info)}
    medical = info["kinds"][1]
    assert (medical["name"], medical["minimum_urgency"]) == ({"vi": "Cần trợ giúp y tế", "en": "Request for medical help"}, "high")
    suspected = info["kinds"][0]
    assert [q["code"] for q in suspected["questions"]] == ["symptoms", "onset_date", "people_count"]
    assert suspected["questions"][0]["values"][0] == {"key": "fever", "name": {"vi": "Sốt", "en": "Fever"}}


def test_an_admin_starts_it_for_a_named_disease_and_the_questions_become_required(admin_client, reference_data):
    response = admin_client.post(START, {"disease": "Sốt xuất huyết", "disease_en": "Dengue fever"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"active", "disease", "started_at", "ended_at"}
    assert (body["active"], body["disease"], body["ended_at"]) == (True, {"vi": "Sốt xuất huyết", "en": "Dengue fever"}, None)
    info = APIClient().get(URL).json()
    assert (info["active"], info["disease"]["vi"]) == (True, "Sốt xuất huyết")
    assert required_questions(info) == {
        "suspected_case": ["symptoms", "onset_date"], "medical_help": [], "outbreak_cluster": ["people_count"],
        "food_safety": ["people_count"], "other": [],
    }


def test_starting_it_twice_is_refused_and_changes_nothing(admin_client, epidemic_on):
    response = admin_client.post(START, {"disease": "Sởi"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "epidemic_mode_on"
    assert list(EpidemicMode.objects.values_list("disease_vi", "active")) == [("Sốt xuất huyết", True)]


def test_ending_it_keeps_the_period_as_history_and_ending_twice_is_refused(admin_client, epidemic_on):
    response = admin_client.post(END)
    assert response.status_code == 200
    assert response.json()["active"] is False and response.json()["ended_at"] is not None
    assert APIClient().get(URL).json()["active"] is False
    assert admin_client.post(END).status_code == 409
    # and a new period may start, for another disease
    assert admin_client.post(START, {"disease": "Sởi", "disease_en": "Measles"}, format="json").status_code == 201
    assert list(EpidemicMode.objects.order_by("id").values_list("disease_vi", "active")) == [
        ("Sốt xuất huyết", False), ("Sởi", True),
    ]


@pytest.mark.parametrize("who", ["operator", "agency", "citizen"])
def test_only_an_admin_switches_it(client_for, reference_data, make_citizen, who):
    from tests.factories import make_staff

    user = make_citizen() if who == "citizen" else make_staff(f"{who}-x", who, agency="health" if who == "agency" else None)
    client = client_for(user)
    assert client.post(START, {"disease": "Sởi"}, format="json").status_code == 403
    assert client.post(END).status_code == 403
    assert EpidemicMode.objects.count() == 0


def test_the_django_admin_starts_and_ends_it_through_the_services(reference_data, client):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-Epidemic-2026", role="admin")
    client.force_login(admin)
    response = client.post("/admin/epidemic/epidemicmode/add/", {"disease_vi": "Tay chân miệng", "disease_en": "HFMD"})
    assert response.status_code == 302
    mode = EpidemicMode.objects.get()
    assert (mode.active, mode.started_by, mode.disease_en) == (True, admin, "HFMD")
    # a second period while one is on is refused on the form
    response = client.post("/admin/epidemic/epidemicmode/add/", {"disease_vi": "Sởi"})
    assert response.status_code == 200 and EpidemicMode.objects.count() == 1
    client.post("/admin/epidemic/epidemicmode/", {"action": "end_epidemic_mode", "_selected_action": [mode.pk]})
    mode.refresh_from_db()
    assert (mode.active, mode.ended_by) == (False, admin)
