"""GET /api/v1/public/notices/: published, unexpired official information, pinned first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from backend.notices.models import Notice

URL = "/api/v1/public/notices/"
KEYS = {"id", "kind", "kind_name", "title", "body", "pinned", "published_at", "expires_at", "updated_at"}


@pytest.fixture
def notices(db):
    now = timezone.now()
    made = {
        "old": Notice.objects.create(kind="notice", title_vi="Lịch cắt nước", body_vi="Thứ Bảy", published=True,
                                     published_at=now - timedelta(days=2)),
        "new": Notice.objects.create(kind="guidance", title_vi="Cách phòng sốt xuất huyết",
                                     body_vi="Diệt lăng quăng, ngủ màn.", title_en="Preventing dengue",
                                     body_en="Remove standing water, sleep under a net.", published=True),
        "pinned": Notice.objects.create(kind="faq", title_vi="Xét nghiệm ở đâu?", body_vi="Tại CDC Huế, 10 Nguyễn Văn Cừ.",
                                        published=True, pinned=True, published_at=now - timedelta(days=5)),
        "draft": Notice.objects.create(kind="notice", title_vi="Bản nháp", body_vi="...", published=False),
        "expired": Notice.objects.create(kind="notice", title_vi="Hết hạn", body_vi="...", published=True,
                                         expires_at=now - timedelta(minutes=1)),
        "future": Notice.objects.create(kind="notice", title_vi="Sắp đăng", body_vi="...", published=True,
                                        published_at=now + timedelta(days=1)),
    }
    return made


def titles(**params):
    response = APIClient().get(URL, params)
    assert response.status_code == 200
    return [row["title"]["vi"] for row in response.json()["results"]]


def test_published_unexpired_pinned_first_then_newest(notices):
    assert titles() == ["Xét nghiệm ở đâu?", "Cách phòng sốt xuất huyết", "Lịch cắt nước"]


def test_the_shape_in_both_languages(notices):
    [row] = [r for r in APIClient().get(URL).json()["results"] if r["kind"] == "guidance"]
    assert set(row) == KEYS
    assert row["title"] == {"vi": "Cách phòng sốt xuất huyết", "en": "Preventing dengue"}
    assert row["kind_name"] == {"vi": "Hướng dẫn", "en": "Guidance"}
    [faq] = [r for r in APIClient().get(URL).json()["results"] if r["kind"] == "faq"]
    assert faq["title"]["en"] is None


def test_filter_by_kind_and_search_without_diacritics(notices):
    assert titles(kind="faq") == ["Xét nghiệm ở đâu?"]
    assert titles(q="xet nghiem") == ["Xét nghiệm ở đâu?"]
    assert titles(q="dengue") == ["Cách phòng sốt xuất huyết"]
    assert APIClient().get(URL, {"kind": "rumour"}).status_code == 400
