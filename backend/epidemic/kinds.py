"""What a health report is about, and what the intake asks of each kind in epidemic mode: one table.

The citizen's app (`GET /api/v1/epidemic/`), the intake's validation and the Open311 service
definition of `health_epidemic` all read `QUESTIONS`, so a question added here is asked, checked and
published everywhere at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models

from triage.text import fold

HEALTH_CATEGORY = "health_epidemic"


class HealthKind(models.TextChoices):
    SUSPECTED_CASE = "suspected_case", "Nghi nhiễm bệnh / Suspected case"
    MEDICAL_HELP = "medical_help", "Cần trợ giúp y tế / Request for medical help"
    OUTBREAK_CLUSTER = "outbreak_cluster", "Ổ dịch, chùm ca bệnh / Outbreak cluster"
    FOOD_SAFETY = "food_safety", "An toàn thực phẩm / Food safety"
    OTHER = "other", "Khác / Other"


class Symptom(models.TextChoices):
    FEVER = "fever", "Sốt / Fever"
    COUGH = "cough", "Ho / Cough"
    BREATHING = "breathing", "Khó thở / Difficulty breathing"
    SORE_THROAT = "sore_throat", "Đau họng / Sore throat"
    TASTE_SMELL = "taste_smell", "Mất vị giác, khứu giác / Loss of taste or smell"
    HEADACHE = "headache", "Đau đầu / Headache"
    MUSCLE_PAIN = "muscle_pain", "Đau mỏi cơ / Muscle pain"
    RASH = "rash", "Phát ban / Rash"
    BLEEDING = "bleeding", "Chảy máu cam, chân răng / Bleeding (nose, gums)"
    DIARRHOEA = "diarrhoea", "Tiêu chảy / Diarrhoea"
    VOMITING = "vomiting", "Nôn, buồn nôn / Vomiting, nausea"


# The lowest urgency each kind may have: a request for medical help is at least `high`.
MINIMUM_URGENCY: dict[str, str] = {HealthKind.MEDICAL_HELP: "high"}

SYMPTOMS, ONSET_DATE, PEOPLE_COUNT = "symptoms", "onset_date", "people_count"
MAX_PEOPLE = 10_000


@dataclass(frozen=True)
class Question:
    code: str
    # Open311's datatypes: multivaluelist, datetime (a date here), number.
    datatype: str
    text_vi: str
    text_en: str


QUESTION_TEXT = {
    SYMPTOMS: Question(SYMPTOMS, "multivaluelist", "Triệu chứng", "Symptoms"),
    ONSET_DATE: Question(ONSET_DATE, "datetime", "Ngày bắt đầu có triệu chứng", "Date symptoms began"),
    PEOPLE_COUNT: Question(PEOPLE_COUNT, "number", "Số người bị ảnh hưởng", "Number of people affected"),
}

# Per kind, in the order asked: (question, required while epidemic mode is on).
QUESTIONS: dict[str, tuple[tuple[str, bool], ...]] = {
    HealthKind.SUSPECTED_CASE: ((SYMPTOMS, True), (ONSET_DATE, True), (PEOPLE_COUNT, False)),
    HealthKind.MEDICAL_HELP: ((SYMPTOMS, False), (PEOPLE_COUNT, False)),
    HealthKind.OUTBREAK_CLUSTER: ((PEOPLE_COUNT, True), (ONSET_DATE, False), (SYMPTOMS, False)),
    HealthKind.FOOD_SAFETY: ((PEOPLE_COUNT, True), (ONSET_DATE, False), (SYMPTOMS, False)),
    HealthKind.OTHER: (),
}

# When the citizen did not say (an old app, Open311 without the attribute, triage found health in the
# text), a first guess from words people use; the monitoring centre corrects it if need be.
_GUESSES: tuple[tuple[str, str], ...] = (
    (HealthKind.MEDICAL_HELP, r"cap cuu|xe cuu thuong|can (giup|tro giup|ho tro) (y te|gap)|ngat xiu|bat tinh|ambulance|emergency|medical help|unconscious"),
    (HealthKind.FOOD_SAFETY, r"ngo doc|thuc pham|thuc an|do an|food poisoning|food safety|expired food"),
    (HealthKind.OUTBREAK_CLUSTER, r"o dich|chum ca|nhieu nguoi (bi|cung)|ca xom|ca khu|outbreak|cluster"),
    (HealthKind.SUSPECTED_CASE, r"nghi nhiem|nghi mac|nghi ngo|sot|ho|kho tho|suspected|fever|cough"),
)


def guess_kind(text: str) -> str:
    folded = fold(text).lower()
    for kind, pattern in _GUESSES:
        if re.search(rf"\b({pattern})\b", folded):
            return kind
    return HealthKind.OTHER
