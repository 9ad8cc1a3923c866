"""Per-agency and per-category figures, with exact values on a hand-made set of reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.reports.models import Status
from backend.transparency.stats import stats_per_agency, stats_per_category
from tests.factories import make_report


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen("+84905400500")


def _row(rows, code):
    return next(r for r in rows if r["code"] == code)


def test_agency_figures(reporter):
    now = timezone.now()
    # given HEPCO's reports: two resolved (one on time after 10 h, one late after 30 h), one open
    # overdue, one open on time, one reopened, one merged duplicate (not counted)
    on_time = make_report(reporter, status=Status.CLOSED, created_ago=timedelta(hours=10),
                          resolved_ago=timedelta(0), due_in=timedelta(hours=1), rating_stars=5)
    make_report(reporter, status=Status.RESOLVED, created_ago=timedelta(hours=30), resolved_ago=timedelta(0),
                due_in=-timedelta(hours=2), rating_stars=None)
    make_report(reporter, status=Status.IN_PROGRESS, due_in=-timedelta(minutes=1))
    make_report(reporter, status=Status.ACCEPTED, due_in=timedelta(days=1))
    make_report(reporter, status=Status.REOPENED, resolved_ago=timedelta(days=1), rating_stars=2)
    make_report(reporter, status=Status.MERGED)
    make_report(reporter, agency="huewaco", category="water_supply", status=Status.ASSIGNED)
    rows = stats_per_agency(now=now)
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    hepco = _row(rows, "hepco")
    assert hepco == {
        "code": "hepco",
        "name": {"vi": on_time.agency.name_vi, "en": on_time.agency.name_en},
        "total": 5,
        "open": 3,
        "overdue": 1,
        "resolved": 2,
        "on_time_share": 0.5,
        "median_hours_to_resolve": 20.0,
        "rated": 2,
        "satisfaction": 3.5,
    }
    assert _row(rows, "huewaco")["total"] == 1
    # an agency without reports has zeros and no figures to speak of, never a made-up 0 %
    police = _row(rows, "police")
    assert (police["total"], police["on_time_share"], police["median_hours_to_resolve"], police["satisfaction"]) == (
        0, None, None, None
    )


def test_category_figures_and_since(reporter):
    make_report(reporter, category="road_damage", agency="transport", status=Status.RESOLVED,
                created_ago=timedelta(hours=4), resolved_ago=timedelta(0), due_in=timedelta(hours=1))
    make_report(reporter, category="road_damage", agency="transport", status=Status.ASSIGNED,
                created_ago=timedelta(days=40))
    rows = stats_per_category()
    assert [r["code"] for r in rows][:2] == ["environment", "road_damage"]  # taxonomy order
    road = _row(rows, "road_damage")
    assert (road["total"], road["resolved"], road["median_hours_to_resolve"], road["on_time_share"]) == (2, 1, 4.0, 1.0)
    recent = _row(stats_per_category(since=timezone.now() - timedelta(days=30)), "road_damage")
    assert recent["total"] == 1
    assert road["name"]["en"]
