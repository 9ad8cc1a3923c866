"""The citizen assistant (Đà Nẵng style): one question in, one answer out, always citing its source.

In this order:
1. a tracking code (given, or typed in the message as ABCD-EFGH): the report's status, deadline and
   next step (backend/transparency/tracking.py decides what a code holder may see);
2. "who handles ...?" questions: triage reads the problem, routing names the agency and the usual
   deadline, and the answer says how sure the model is;
3. the FAQs, guidance, notices and fact checks, by retrieval (works without diacritics);
4. a described problem the model is sure about: as in 2;
5. otherwise: it does not know, and says how to reach a person (the IOC hotline).
An answer is in the language of the question (Vietnamese unless it reads as English).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

import triage
from backend.core.folding import fold
from backend.transparency import tracking
from backend.transparency.assistant import retrieval
from routing import runtime as routing
from routing.selectors import fallback_agency

RETRIEVAL_MIN_SCORE = 0.3
TRIAGE_MIN_CONFIDENCE = 0.5
EMERGENCY = {
    "vi": "Nếu đang có nguy hiểm, hãy gọi ngay 113 (công an), 114 (cứu hỏa) hoặc 115 (cấp cứu).",
    "en": "If anyone is in danger now, call 113 (police), 114 (fire) or 115 (ambulance) at once.",
}
ASKS_WHO = re.compile(
    r"\b(ai xu ly|ai giai quyet|co quan nao|don vi nao|bao cho ai|bao o dau|phan anh o dau|goi ai|lien he ai|"
    r"who handles|who deals|who fixes|who do i|who should i|which agency|which department|who to call|report to)\b"
)
_VI_WORDS = frozenset(["toi", "khong", "duong", "bi", "o", "cho", "nha", "nao", "gi", "sao", "xin", "phuong", "ai", "xu", "ly", "la", "co", "cua", "va", "bao", "nhieu", "dau"])
_UNITS = {
    "hours": ("giờ", "hours"),
    "working_hours": ("giờ làm việc", "working hours"),
    "working_days": ("ngày làm việc", "working days"),
}
_VERDICT_WORDS = {
    "true": ("ĐÚNG", "TRUE"),
    "false": ("SAI SỰ THẬT", "FALSE"),
    "misleading": ("GÂY HIỂU LẦM", "MISLEADING"),
    "unverified": ("CHƯA ĐƯỢC KIỂM CHỨNG", "UNVERIFIED"),
}


def language_of(message: str) -> str:
    """vi when the text has Vietnamese letters or reads as Vietnamese without marks; else en."""
    if re.search(r"[đĐ\u0300-\u036f\u00c0-\u1ef9]", message) and fold(message) != message.lower():
        return "vi"
    words = fold(message).split()
    if not words:
        return "vi"
    vi = sum(word in _VI_WORDS for word in words)
    return "vi" if vi / len(words) >= 0.2 else "en"


@dataclass
class Answer:
    answer: str
    language: str
    intent: str
    confidence: float | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None
    agency: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None


def _t(language: str, vi: str, en: str) -> str:
    return vi if language == "vi" else en


def _hotline() -> dict[str, Any]:
    ioc = fallback_agency()
    phone = ioc.phone if ioc is not None and ioc.phone else "1022"
    return {"phone": phone, "name": {"vi": ioc.name_vi, "en": ioc.name_en} if ioc else None, "app": "Hue-S"}


def _track(code: str, language: str, client_ip: str) -> Answer:
    from backend.transparency.track_api import tracked_body

    found = tracking.tracked_report_for(code=code, client_ip=client_ip)
    if found is None:
        hotline = _hotline()
        return Answer(
            _t(language, f"Không tìm thấy phản ánh có mã {code}. Hãy kiểm tra lại mã, hoặc gọi {hotline['phone']}.",
               f"No report has the code {code}. Check the code, or call {hotline['phone']}."),
            language, "report_status", contact=hotline,
        )
    body = tracked_body(found)
    english = language == "en"
    status = body["status_name"]["en" if english else "vi"]
    text = _t(language, f"Phản ánh {code}: {status}.", f"Report {code}: {status}.")
    if body["due_at"] is not None and body["status"] not in ("resolved", "closed", "rejected", "merged"):
        due = tracking.due_text(found.report.due_at, english)
        text += _t(language, f" Hạn xử lý: {due}", f" Deadline: {due}") + (
            _t(language, " (đã quá hạn)." if body["overdue"] else ".", " (overdue)." if body["overdue"] else ".")
        )
    text += " " + body["next_step"]["en" if english else "vi"]
    source = {"type": "report", "id": None, "title": code, "url": f"/track/?code={code}"}
    return Answer(text, language, "report_status", confidence=1.0, sources=[source], report=body)


def _who_handles(message: str, language: str, result: Any) -> Answer | None:
    """The agency for the problem triage read, with its usual deadline and how sure the model is."""
    if result.model_version is None or result.category == "other":
        return None
    decision = routing.route(result.category, result.urgency, latitude=None, longitude=None, now=timezone.now())
    tables = routing.tables()
    agency = tables.agencies.get(decision.agency_code)
    category = tables.categories.get(result.category)
    if agency is None or category is None:
        return None
    sure = round(result.confidence, 2)
    percent = round(sure * 100)
    cat = category.name_vi if language == "vi" else category.name_en
    name = agency.name_vi if language == "vi" else agency.name_en
    if sure >= 0.8:
        hedge = _t(language, f"Tôi khá chắc ({percent}%)", f"I am fairly sure ({percent}%)")
    elif sure >= TRIAGE_MIN_CONFIDENCE:
        hedge = _t(language, f"Có lẽ ({percent}%)", f"Probably ({percent}%)")
    else:
        hedge = _t(language, f"Tôi không chắc lắm ({percent}%), nhưng", f"I am not very sure ({percent}%), but")
    text = _t(language, f"{hedge} đây là việc thuộc lĩnh vực \"{cat}\", do {name} xử lý.",
              f"{hedge} this is a \"{cat}\" matter, handled by {name}.")
    policy = decision.policy
    if policy is not None:
        amount = f"{policy.amount:g}"
        unit_vi, unit_en = _UNITS.get(policy.unit, (policy.unit, policy.unit))
        text += _t(language, f" Thời hạn xử lý thông thường: {amount} {unit_vi}.", f" Usual deadline: {amount} {unit_en}.")
    text += _t(language, " Bạn có thể gửi phản ánh kèm ảnh và vị trí trong ứng dụng Hue-S.",
               " You can report it with a photo and your position in the Hue-S app.")
    if result.urgency == "critical":
        text = EMERGENCY[language] + " " + text
    return Answer(
        text, language, "agency", confidence=sure,
        sources=[{"type": "triage", "id": None, "title": f"{result.model_version}", "url": None}],
        agency={"code": agency.code, "name": {"vi": agency.name_vi, "en": agency.name_en}, "phone": agency.phone or None,
                "category": category.code, "urgency": result.urgency},
    )


def _from_document(hit: retrieval.Hit, language: str) -> Answer:
    d = hit.document
    title = d.title_vi if language == "vi" else (d.title_en or d.title_vi)
    body = d.body_vi if language == "vi" else (d.body_en or d.body_vi)
    if d.kind == "factcheck":
        vi_word, en_word = _VERDICT_WORDS[d.verdict]
        text = _t(language, f"Về tin \"{title}\": thông tin này {vi_word}. {body}",
                  f"On \"{title}\": this is {en_word}. {body}")
        url = f"/api/v1/public/factchecks/{d.id}/"
        intent = "factcheck"
    else:
        text = body if d.kind == "faq" else f"{title}: {body}"
        url = f"/api/v1/public/notices/{d.id}/"
        intent = "faq" if d.kind == "faq" else "notice"
    return Answer(text, language, intent, confidence=round(hit.score, 2),
                  sources=[{"type": d.kind, "id": d.id, "title": title, "url": url}])


def _unknown(language: str) -> Answer:
    hotline = _hotline()
    text = _t(
        language,
        f"Xin lỗi, tôi chưa có câu trả lời cho câu hỏi này. Bạn có thể gọi đường dây nóng {hotline['phone']} "
        "(Trung tâm IOC) để gặp cán bộ, hoặc gửi phản ánh trong ứng dụng Hue-S.",
        f"Sorry, I do not know the answer to that. Call the hotline {hotline['phone']} (the city's monitoring "
        "centre) to talk to a person, or send a report in the Hue-S app.",
    )
    return Answer(text, language, "unknown", contact=hotline)


def ask(message: str, *, client_ip: str, tracking_code: str | None = None, language: str | None = None) -> Answer:
    lang = language or language_of(message)
    code = tracking.normalise_code(tracking_code) if tracking_code else None
    code = code or tracking.code_in_text(message)
    if code:
        return _track(code, lang, client_ip)
    folded = fold(message)
    result = triage.classify(message) if folded else None
    if result is not None and ASKS_WHO.search(folded):
        routed = _who_handles(message, lang, result)
        if routed is not None:
            return routed
    hits = retrieval.index().search(message)
    if hits and hits[0].score >= RETRIEVAL_MIN_SCORE:
        return _from_document(hits[0], lang)
    if result is not None and result.confidence >= TRIAGE_MIN_CONFIDENCE:
        routed = _who_handles(message, lang, result)
        if routed is not None:
            return routed
    return _unknown(lang)
