"""POST /api/v1/assistant/: status by tracking code, who handles what, FAQs and fact checks, or a person."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from backend.factchecks.models import FactCheck
from backend.notices.models import Notice
from backend.reports.models import Status
from routing.models import Agency
from tests.reports.test_lifecycle import make_report, make_staff

URL = "/api/v1/assistant/"
HUE = ZoneInfo("Asia/Ho_Chi_Minh")
KEYS = {"answer", "language", "intent", "confidence", "sources", "report", "agency", "contact"}


def ask(message: str, **extra) -> dict:
    response = APIClient().post(URL, {"message": message, **extra}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == KEYS
    return body


@pytest.fixture
def faqs(db, reference_data):
    return [
        Notice.objects.create(kind="faq", title_vi="Xét nghiệm sốt xuất huyết ở đâu?", published=True,
                              body_vi="Tại Trung tâm Kiểm soát bệnh tật (CDC) Huế, 10 Nguyễn Văn Cừ, mở cửa 7h-17h.",
                              title_en="Where can I get tested for dengue?",
                              body_en="At Huế CDC, 10 Nguyễn Văn Cừ, open 7am-5pm."),
        Notice.objects.create(kind="guidance", title_vi="Cách phòng chống muỗi", published=True,
                              body_vi="Đậy kín dụng cụ chứa nước, ngủ màn, phát quang bụi rậm."),
    ]


@pytest.fixture
def guava_rumour(db, reference_data):
    return FactCheck.objects.create(
        claim_vi="Uống nước lá ổi chữa khỏi sốt xuất huyết", claim_en="Guava-leaf water cures dengue",
        verdict="false", explanation_vi="Không có bằng chứng khoa học.", explanation_en="There is no evidence.",
        source_name="Sở Y tế", agency=Agency.objects.get(code="infocom"), created_by=make_staff("i1", "agency", "infocom"),
        published_at="2026-11-01T08:00:00+07:00",
    )


def test_status_deadline_and_next_step_by_tracking_code(citizen, reference_data):
    report = make_report(citizen, status=Status.IN_PROGRESS, agency="hepco", category="environment")
    body = ask("Phản ánh của tôi tới đâu rồi?", tracking_code=report.tracking_code.lower().replace("-", ""))
    assert body["intent"] == "report_status"
    assert body["language"] == "vi"
    assert body["answer"].startswith(f"Phản ánh {report.tracking_code}: Đang xử lý. Hạn xử lý: ")
    assert body["answer"].endswith(
        ". Công ty Cổ phần Môi trường và Công trình đô thị Huế đang xử lý, hạn "
        f"{report.due_at.astimezone(HUE):%H:%M ngày %d/%m/%Y}."
    )
    assert body["report"]["status"] == "in_progress"
    assert body["sources"] == [{"type": "report", "id": None, "title": report.tracking_code,
                                "url": f"/track/?code={report.tracking_code}"}]


def test_a_code_typed_in_an_english_message(citizen, reference_data):
    report = make_report(citizen, status=Status.RESOLVED, agency="hepco", category="environment")
    body = ask(f"What is the status of {report.tracking_code}?")
    assert body["language"] == "en"
    assert body["answer"] == (
        f"Report {report.tracking_code}: Resolved. Resolved. Rate the result in the app, or reopen it within 7 days "
        "if it is not fixed."
    )


def test_an_unknown_code_says_so_and_gives_the_hotline(reference_data):
    body = ask("Mã ABCD-EFGH của tôi sao rồi?")
    assert body["intent"] == "report_status"
    assert body["answer"] == "Không tìm thấy phản ánh có mã ABCD-EFGH. Hãy kiểm tra lại mã, hoặc gọi 0234 1022."
    assert body["report"] is None
    assert body["contact"]["phone"] == "0234 1022"


def test_an_unpublished_report_by_code_shows_no_agency_category_or_text(citizen, reference_data):
    # given a report the publication policy withholds (rejected ones are never published)
    report = make_report(citizen, status=Status.REJECTED, agency="health", category="health_epidemic",
                         description="Nhà tôi có 3 người sốt cao, nghi sốt xuất huyết")
    body = ask("tình trạng?", tracking_code=report.tracking_code)
    assert body["report"]["restricted"] is True
    assert (body["report"]["agency"], body["report"]["category"]) == (None, None)
    assert Agency.objects.get(code="health").name_vi not in body["answer"]
    assert "sốt cao" not in str(body)


def test_who_handles_a_problem_via_triage_and_routing(fake_triage, reference_data):
    fake_triage("road_damage", "normal", 0.91)
    body = ask("Ổ gà trên đường thì báo cho ai?")
    assert body["intent"] == "agency"
    assert body["confidence"] == 0.91
    assert body["agency"]["code"] == "transport"
    assert body["agency"]["category"] == "road_damage"
    assert body["answer"] == (
        "Tôi khá chắc (91%) đây là việc thuộc lĩnh vực \"Hư hỏng đường sá\", do Sở Xây dựng thành phố Huế "
        "(lĩnh vực giao thông vận tải) xử lý. Thời hạn xử lý thông thường: 3 ngày làm việc. Bạn có thể gửi phản ánh "
        "kèm ảnh và vị trí trong ứng dụng Hue-S."
    )
    assert body["sources"][0]["type"] == "triage"


def test_an_unsure_model_says_how_sure_it_is(fake_triage, reference_data):
    fake_triage("street_lighting", "normal", 0.42)
    body = ask("Who handles this kind of thing, the lamp near my house?")
    assert body["language"] == "en"
    assert body["intent"] == "agency"
    assert body["answer"].startswith("I am not very sure (42%), but this is a \"")


def test_a_critical_problem_gets_the_emergency_numbers_first(fake_triage, reference_data):
    fake_triage("power_supply", "critical", 0.95)
    body = ask("Dây điện đứt rơi xuống đường đang tóe lửa, báo cho ai?")
    assert body["answer"].startswith("Nếu đang có nguy hiểm, hãy gọi ngay 113 (công an), 114 (cứu hỏa) hoặc 115 (cấp cứu).")


@pytest.mark.parametrize("message", ["xet nghiem sot xuat huyet o dau", "Xét nghiệm sốt xuất huyết ở đâu vậy?"])
def test_faq_answers_with_or_without_diacritics(faqs, no_triage_model, message):
    body = ask(message)
    assert body["intent"] == "faq"
    assert body["answer"] == "Tại Trung tâm Kiểm soát bệnh tật (CDC) Huế, 10 Nguyễn Văn Cừ, mở cửa 7h-17h."
    assert body["sources"] == [{"type": "faq", "id": faqs[0].pk, "title": "Xét nghiệm sốt xuất huyết ở đâu?",
                                "url": f"/api/v1/public/notices/{faqs[0].pk}/"}]
    assert body["confidence"] >= 0.3


def test_faq_in_english(faqs, no_triage_model):
    body = ask("where can i get tested for dengue")
    assert (body["language"], body["intent"]) == ("en", "faq")
    assert body["answer"] == "At Huế CDC, 10 Nguyễn Văn Cừ, open 7am-5pm."
    assert body["sources"][0]["title"] == "Where can I get tested for dengue?"


def test_a_rumour_is_answered_from_its_fact_check(guava_rumour, faqs, no_triage_model):
    body = ask("nghe noi uong nuoc la oi chua sot xuat huyet co dung khong")
    assert body["intent"] == "factcheck"
    assert body["answer"] == (
        "Về tin \"Uống nước lá ổi chữa khỏi sốt xuất huyết\": thông tin này SAI SỰ THẬT. Không có bằng chứng khoa học."
    )
    assert body["sources"][0] == {"type": "factcheck", "id": guava_rumour.pk,
                                  "title": "Uống nước lá ổi chữa khỏi sốt xuất huyết",
                                  "url": f"/api/v1/public/factchecks/{guava_rumour.pk}/"}


def test_a_new_faq_is_answerable_at_once(faqs, no_triage_model):
    assert ask("giờ mở cửa bưu điện")["intent"] == "unknown"
    Notice.objects.create(kind="faq", title_vi="Giờ mở cửa bưu điện trung tâm?", body_vi="7h đến 19h hằng ngày.",
                          published=True)
    assert ask("giờ mở cửa bưu điện")["answer"] == "7h đến 19h hằng ngày."


def test_otherwise_it_says_it_does_not_know_and_how_to_reach_a_person(faqs, no_triage_model):
    body = ask("Hôm nay trời có mưa không?")
    assert body["intent"] == "unknown"
    assert body["answer"] == (
        "Xin lỗi, tôi chưa có câu trả lời cho câu hỏi này. Bạn có thể gọi đường dây nóng 0234 1022 (Trung tâm IOC) "
        "để gặp cán bộ, hoặc gửi phản ánh trong ứng dụng Hue-S."
    )
    assert body["contact"]["phone"] == "0234 1022"
    assert body["sources"] == []


def test_an_empty_message_is_refused(reference_data):
    response = APIClient().post(URL, {"message": "  "}, format="json")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["message"]
