"""Duplicate candidates: nearby, recent, open, scored by text similarity; suggestions only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.reports.models import Photo, Report, Status
from backend.reports.selectors.duplicates import (
    distance_m,
    duplicate_candidates,
    folded_words,
    text_similarity,
)
from tests.factories import make_report

LAT, LON = 16.4637, 107.5909  # Lê Lợi street, in front of Quốc Học school


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen("+84905600700")


def north(metres: float) -> float:
    return LAT + metres / 111_195.0


def test_distance_and_folding():
    assert round(distance_m(LAT, LON, north(100), LON)) == 100
    assert folded_words("Đường Lê Lợi NGẬP nước!!") == "duong le loi ngap nuoc"
    assert text_similarity("Đường ngập nước", "duong ngap nuoc") == pytest.approx(1.0)
    assert text_similarity("Đèn đường tắt", "Ổ gà lớn") < 0.2
    assert text_similarity("", "x") == 0.0


def test_candidates_are_near_recent_open_and_ranked_by_text(reporter, settings):
    settings.DUPLICATE_RADIUS_M = 150
    settings.DUPLICATE_DAYS = 7
    report = make_report(reporter, description="Ngập nước sâu trên đường Lê Lợi", latitude=LAT, longitude=LON)
    same_text = make_report(reporter, description="ngap nuoc sau tren duong Le Loi", latitude=north(120),
                            longitude=LON)
    other_text = make_report(reporter, description="Đèn đường tắt", latitude=north(40), longitude=LON)
    make_report(reporter, description="Ngập nước đường Lê Lợi", latitude=north(200), longitude=LON)  # too far
    make_report(reporter, description="Ngập nước đường Lê Lợi", latitude=LAT, longitude=LON,
                created_ago=timedelta(days=8, hours=2))  # too old
    make_report(reporter, description="Ngập nước đường Lê Lợi", latitude=LAT, longitude=LON,
                status=Status.CLOSED)  # finished
    make_report(reporter, description="Ngập nước đường Lê Lợi", latitude=LAT, longitude=LON,
                status=Status.MERGED)  # already merged
    found = duplicate_candidates(report=report)
    assert [(c.report_id, round(c.distance_m)) for c in found] == [(same_text.pk, 120), (other_text.pk, 40)]
    assert found[0].score == 1.0
    assert found[1].score < 0.5  # only "đường" in common
    assert found[0].tracking_code == same_text.tracking_code
    # suggestions only: nothing was merged
    assert Report.objects.filter(status=Status.MERGED).count() == 1


def test_the_radius_is_configurable(reporter, settings):
    report = make_report(reporter, latitude=LAT, longitude=LON)
    near = make_report(reporter, latitude=north(120), longitude=LON)
    settings.DUPLICATE_RADIUS_M = 100
    assert duplicate_candidates(report=report) == []
    settings.DUPLICATE_RADIUS_M = 150
    assert [c.report_id for c in duplicate_candidates(report=report)] == [near.pk]


def test_candidates_show_on_the_ops_detail(reporter, operator_client):
    report = make_report(reporter, description="Cây đổ chắn đường", latitude=LAT, longitude=LON)
    twin = make_report(reporter, description="Cây đổ chắn ngang đường", latitude=north(30), longitude=LON)
    body = operator_client.get(f"/api/v1/ops/reports/{report.pk}/").json()
    assert [(d["report_id"], d["distance_m"], d["status"]) for d in body["duplicates"]] == [
        (twin.pk, 30.0, "assigned")
    ]
    assert 0.5 < body["duplicates"][0]["score"] < 1.0


def test_candidates_carry_their_words_date_and_first_report_photo(reporter, settings):
    settings.DUPLICATE_RADIUS_M = 150
    report = make_report(reporter, description="Ổ gà lớn trên đường Lê Lợi", latitude=LAT, longitude=LON)
    twin = make_report(reporter, description="O ga lon duong Le Loi", latitude=north(30), longitude=LON)
    bare = make_report(reporter, description="Ổ gà đường Lê Lợi", latitude=north(60), longitude=LON)
    photo = {"content_type": "image/jpeg", "width": 100, "height": 80, "sha256": "0" * 64}
    # the agency's after-photo and a later report photo are not the one shown
    Photo.objects.create(report=twin, kind=Photo.Kind.RESOLUTION, position=0, image="r.jpg", thumbnail="r_thumb.jpg", **photo)
    Photo.objects.create(report=twin, kind=Photo.Kind.REPORT, position=1, image="b.jpg", thumbnail="b_thumb.jpg", **photo)
    first = Photo.objects.create(report=twin, kind=Photo.Kind.REPORT, position=0, image="a.jpg", thumbnail="a_thumb.jpg", **photo)
    found = {c.report_id: c for c in duplicate_candidates(report=report)}
    assert set(found) == {twin.pk, bare.pk}
    assert (found[twin.pk].description, found[twin.pk].created_at, found[twin.pk].photo_id) == (
        "O ga lon duong Le Loi", twin.created_at, first.pk,
    )
    assert found[bare.pk].photo_id is None
