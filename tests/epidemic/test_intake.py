"""A health report at intake: its kind, the kind's questions in epidemic mode, medical help at least
high, and a citizen's health hint believed over the model."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from backend.epidemic.models import EpidemicMode, HealthDetails
from backend.reports.models import Report

HEALTH_KEYS = {"kind", "kind_name", "kind_given", "symptoms", "onset_date", "people_count", "disease"}


def test_in_epidemic_mode_a_suspected_case_is_stored_with_its_answers(submit_health, epidemic_on, fake_triage,
                                                                       operator_client, ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    onset = (timezone.localdate() - timedelta(days=2)).isoformat()
    body = submit_health(category="health_epidemic", health_kind="suspected_case", symptoms=["fever", "rash"],
                         onset_date=onset, people_count="2")
    # then the report is the health agency's, and its kind and answers are stored with the period
    assert (body["category"], body["agency"], body["urgency"]) == ("health_epidemic", "health", "normal")
    details = HealthDetails.objects.get(report_id=body["id"])
    assert (details.kind, details.kind_given, details.symptoms, details.onset_date.isoformat(), details.people_count) == (
        "suspected_case", True, ["fever", "rash"], onset, 2)
    assert details.epidemic == EpidemicMode.objects.get()
    # and the monitoring centre reads them; the citizen's own view does not repeat them
    row = operator_client.get(f"/api/v1/ops/reports/{body['id']}/").json()
    assert set(row["health"]) == HEALTH_KEYS
    assert row["health"]["symptoms"] == [{"key": "fever", "name": {"vi": "Sốt", "en": "Fever"}},
                                         {"key": "rash", "name": {"vi": "Phát ban", "en": "Rash"}}]
    assert row["health"]["disease"] == {"vi": "Sốt xuất huyết", "en": "Dengue fever"}
    assert "health" not in body


def test_in_epidemic_mode_a_missing_required_answer_is_refused_and_nothing_is_stored(submit_health, epidemic_on,
                                                                                     fake_triage, ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    body = submit_health(expect=400, category="health_epidemic", health_kind="suspected_case", people_count="1")
    assert body["error"]["code"] == "health_answers_invalid"
    assert set(body["error"]["fields"]) == {"symptoms", "onset_date"}
    assert Report.objects.count() == 0 and HealthDetails.objects.count() == 0


def test_out_of_epidemic_mode_the_questions_may_stay_unanswered(submit_health, fake_triage, ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    body = submit_health(health_kind="suspected_case")
    details = HealthDetails.objects.get(report_id=body["id"])
    assert (details.kind, details.symptoms, details.onset_date, details.epidemic) == ("suspected_case", [], None, None)


def test_a_request_for_medical_help_is_at_least_high_with_its_deadline(submit_health, fake_triage, ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    body = submit_health("Bà tôi khó thở, cần giúp", health_kind="medical_help")
    report = Report.objects.get(pk=body["id"])
    assert (report.urgency, report.predicted_urgency) == ("high", "normal")
    # and its deadline is high's (1 working day), sooner than a normal health report's (3)
    high_due = report.due_at - report.created_at
    normal = submit_health("Hỏi về tiêm chủng", health_kind="other")
    normal_report = Report.objects.get(pk=normal["id"])
    assert normal_report.urgency == "normal"
    assert high_due < normal_report.due_at - normal_report.created_at


def test_a_critical_request_for_medical_help_stays_critical(submit_health, fake_triage, ward_polygons):
    fake_triage("health_epidemic", "critical", 0.9)
    body = submit_health("Người ngất xỉu bất tỉnh", health_kind="medical_help")
    assert body["urgency"] == "critical"


def test_a_citizens_health_kind_is_believed_over_a_confident_model(submit_health, fake_triage, ward_polygons):
    # the model is sure it is about garbage; the citizen says it is food poisoning
    fake_triage("environment", "normal", 0.97)
    body = submit_health("Cả nhà đau bụng sau khi ăn ở quán gần chợ", health_kind="food_safety", people_count="4")
    assert (body["category"], body["agency"]) == ("health_epidemic", "health")
    assert Report.objects.get(pk=body["id"]).needs_review_reasons == ["hint_disagrees"]


def test_without_a_kind_a_health_report_gets_a_guessed_one(submit_health, fake_triage, ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    cases = {
        "Hàng xóm nghi nhiễm, sốt và ho 3 ngày": "suspected_case",
        "Cần xe cứu thương gấp": "medical_help",
        "Ngộ độc thực phẩm ở bếp ăn công ty": "food_safety",
        "Ổ dịch sốt xuất huyết ở kiệt 5": "outbreak_cluster",
        "Hỏi lịch tiêm vắc xin": "other",
    }
    for text, kind in cases.items():
        body = submit_health(text)
        details = HealthDetails.objects.get(report_id=body["id"])
        assert (details.kind, details.kind_given) == (kind, False), text


def test_a_report_that_is_not_about_health_has_no_health_details(submit_health, fake_triage, ward_polygons):
    fake_triage("environment", "normal", 0.9)
    body = submit_health("Rác tràn ra đường")
    assert HealthDetails.objects.filter(report_id=body["id"]).count() == 0


def test_answers_without_a_kind_or_with_another_category_or_a_future_onset_are_refused(submit_health, fake_triage,
                                                                                      ward_polygons):
    fake_triage("health_epidemic", "normal", 0.9)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    no_kind = submit_health(expect=400, symptoms=["fever"])
    assert list(no_kind["error"]["fields"]) == ["health_kind"]
    other_category = submit_health(expect=400, category="environment", health_kind="food_safety")
    assert list(other_category["error"]["fields"]) == ["category"]
    future = submit_health(expect=400, health_kind="suspected_case", onset_date=tomorrow)
    assert list(future["error"]["fields"]) == ["onset_date"]
    unknown = submit_health(expect=400, health_kind="zombies")
    assert list(unknown["error"]["fields"]) == ["health_kind"]
    assert Report.objects.count() == 0
