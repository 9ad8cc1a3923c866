"""Duplicate candidates for a report: nearby, recent, open, with a text-similarity score.

Only suggestions for the operator's merge button; nothing is ever merged automatically. Distance is
measured on the sphere; the database is asked for a small bounding box first so the scan stays cheap.
Text similarity is the cosine of character trigram counts over diacritic-folded text, so "ngập nước"
and "ngap nuoc" (a phone without a Vietnamese keyboard) still match.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings

from backend.reports.models import OPEN_STATUS_LIST, Photo, Report
from triage.text import fold

EARTH_RADIUS_M = 6_371_008.8
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class DuplicateCandidate:
    report_id: int
    tracking_code: str
    status: str
    distance_m: float
    score: float
    # What the operator compares before merging in one click: the words, when, and the first photo.
    description: str = ""
    created_at: datetime | None = None
    photo_id: int | None = None  # the first report photo (its thumbnail URL is signed by the output)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def folded_words(text: str) -> str:
    """Lower case, no diacritics (``triage.text.fold``), words separated by single spaces."""
    return " ".join(re.findall(r"\w+", fold(text)))


def _trigrams(text: str) -> Counter[str]:
    padded = f" {folded_words(text)} "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


def text_similarity(a: str, b: str) -> float:
    ta, tb = _trigrams(a), _trigrams(b)
    if not ta or not tb:
        return 0.0
    dot = sum(count * tb[gram] for gram, count in ta.items())
    norm = math.sqrt(sum(c * c for c in ta.values())) * math.sqrt(sum(c * c for c in tb.values()))
    return dot / norm if norm else 0.0


def duplicate_candidates(*, report: Report) -> list[DuplicateCandidate]:
    """Open reports within DUPLICATE_RADIUS_M submitted within DUPLICATE_DAYS of this one, best first."""
    radius = settings.DUPLICATE_RADIUS_M
    window = timedelta(days=settings.DUPLICATE_DAYS)
    dlat = radius / 111_320.0
    dlon = radius / (111_320.0 * max(0.01, math.cos(math.radians(report.latitude))))
    nearby = (
        Report.objects.filter(
            status__in_constants=OPEN_STATUS_LIST,  # literals: the partial index report_open_position
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
            latitude__range=(report.latitude - dlat, report.latitude + dlat),
            longitude__range=(report.longitude - dlon, report.longitude + dlon),
        )
        .exclude(pk=report.pk)
        .values_list("pk", "tracking_code", "status", "latitude", "longitude", "description", "created_at")[:500]
    )
    found = []
    for pk, code, status, lat, lon, text, created_at in nearby:
        metres = distance_m(report.latitude, report.longitude, lat, lon)
        if metres <= radius:
            score = text_similarity(report.description, text)
            found.append(DuplicateCandidate(pk, code, status, round(metres, 1), round(score, 3), text, created_at))
    found.sort(key=lambda c: (-c.score, c.distance_m, c.report_id))
    best = found[:MAX_CANDIDATES]
    first_photos = _first_photos([c.report_id for c in best])
    return [replace(c, photo_id=first_photos.get(c.report_id)) for c in best]


def _first_photos(report_ids: list[int]) -> dict[int, int]:
    """Each report's first photo (by position), in one query."""
    first: dict[int, int] = {}
    rows = (
        Photo.objects.filter(report_id__in=report_ids, kind=Photo.Kind.REPORT)
        .order_by("report_id", "position", "id")
        .values_list("report_id", "id")
    )
    for report_id, photo_id in rows:
        first.setdefault(report_id, photo_id)
    return first
