"""The public statistics from the aggregates equal the statistics computed from every report.

DailyFigures is kept by database triggers, so every way of writing a report is exercised: save(),
a queryset update (as the periodic job and the test factory do), a delete, a merge, changing day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from backend.reports.models import Report, Status
from backend.transparency import figures
from backend.transparency.models import DailyFigures, MedianRefresh, ResolutionMedian
from backend.transparency.stats import agency_names, category_names, figures_from_rows, stats_both
from routing.models import Agency
from tests.factories import make_report


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen("+84905400600")


def _from_rows(since, now):
    return {
        "agencies": figures_from_rows("agency_id", agency_names(), since=since, now=now),
        "categories": figures_from_rows("category_id", category_names(), since=since, now=now),
    }


def _mixed(reporter) -> list[Report]:
    r = reporter
    return [
        make_report(r, status=Status.CLOSED, created_ago=timedelta(hours=10), resolved_ago=timedelta(0),
                    due_in=timedelta(hours=1), rating_stars=5),
        make_report(r, status=Status.RESOLVED, created_ago=timedelta(hours=30), resolved_ago=timedelta(0),
                    due_in=-timedelta(hours=2)),
        make_report(r, status=Status.RESOLVED, created_ago=timedelta(days=3), resolved_ago=timedelta(days=1),
                    due_in=None, rating_stars=3),
        make_report(r, status=Status.IN_PROGRESS, due_in=-timedelta(minutes=1), created_ago=timedelta(days=2)),
        make_report(r, status=Status.ACCEPTED, due_in=timedelta(days=1)),
        make_report(r, status=Status.REOPENED, resolved_ago=timedelta(days=1), rating_stars=2,
                    created_ago=timedelta(days=40)),
        make_report(r, status=Status.MERGED),
        make_report(r, agency="huewaco", category="water_supply", status=Status.CLOSED,
                    created_ago=timedelta(days=45), resolved_ago=timedelta(days=44), rating_stars=4),
        make_report(r, agency="transport", category="road_damage", status=Status.ASSIGNED,
                    created_ago=timedelta(days=400), due_in=-timedelta(days=390)),
        make_report(r, agency=None, category=None, status=Status.SUBMITTED, due_in=None),
        make_report(r, agency="transport", category="road_damage", status=Status.REJECTED),
    ]


def _table() -> list[tuple]:
    return list(DailyFigures.objects.exclude(total=0).order_by("day", "agency_id", "category_id")
                .values_list("day", "agency_id", "category_id", *figures.NAMES))


def _windows(now):
    midday = now - timedelta(days=2, hours=5)
    # (30 days: the days after; 399 days: all time minus the days before; mid-day: a partial first day)
    return [None, now - timedelta(days=30), now - timedelta(days=399), midday, now - timedelta(hours=20),
            now + timedelta(hours=1)]


def test_figures_from_the_aggregates_equal_the_figures_from_every_report(reporter):
    # given a mixed set of reports (resolved on time and late, open and overdue, rated, merged,
    # rejected, without agency or category, received over a year)
    made = _mixed(reporter)
    now = timezone.now()
    # then for every window (none, 30 days, starting mid-day, in the future) the figures are equal
    for since in _windows(now):
        assert stats_both(since=since, now=now) == _from_rows(since, now), since
    # and the counts are not trivially zero
    hepco = next(r for r in stats_both(now=now)["agencies"] if r["code"] == "hepco")
    assert (hepco["total"], hepco["open"], hepco["overdue"], hepco["resolved"], hepco["rated"]) == (6, 3, 1, 3, 3)
    assert (hepco["on_time_share"], hepco["median_hours_to_resolve"], hepco["satisfaction"]) == (0.5, 30.0, 3.33)
    assert len(made) == 11


def test_the_aggregates_follow_every_kind_of_write(reporter):
    made = _mixed(reporter)
    now = timezone.now()
    # when reports change by save(), by queryset updates (another agency, another day, a status), are
    # merged and deleted
    first = made[0]
    first.status, first.rating_stars = Status.REOPENED, None
    first.save()
    Report.objects.filter(pk=made[3].pk).update(agency=Agency.objects.get(code="huewaco"))
    Report.objects.filter(pk=made[4].pk).update(created_at=now - timedelta(days=100))
    Report.objects.filter(pk=made[1].pk).update(status=Status.MERGED)
    Report.objects.filter(pk=made[6].pk).update(status=Status.ASSIGNED)  # an unmerge counts it again
    # (a report without an audit trail: the trail is append-only and protects its report)
    bare = Report.objects.create(tracking_code="BARE0001", reporter=reporter, description="x", latitude=16.4,
                                 longitude=107.6, status=Status.ASSIGNED, category=made[0].category,
                                 agency=made[0].agency, due_at=now - timedelta(hours=1))
    assert stats_both(now=now) == _from_rows(None, now)
    bare.delete()
    # then the figures still equal those computed from the reports, in every window
    for since in _windows(now):
        assert stats_both(since=since, now=now) == _from_rows(since, now), since
    # and the table the triggers kept equals one rebuilt from scratch
    kept = _table()
    figures.rebuild()
    assert _table() == kept


def test_medians_from_the_periodic_job_equal_the_medians_from_the_reports(reporter):
    # given the mixed set and the job's medians
    _mixed(reporter)
    now = timezone.now()
    assert figures.medians_refresh(now=now) is True
    assert MedianRefresh.objects.count() == 1 and ResolutionMedian.objects.exists()
    # then for windows starting on a UTC day boundary (the medians' granularity) every figure is equal
    today = datetime.combine(now.astimezone(UTC).date(), datetime.min.time(), tzinfo=UTC)
    for since in (None, today, today - timedelta(days=1), today - timedelta(days=2), today - timedelta(days=41)):
        assert stats_both(since=since, now=now) == _from_rows(since, now), since


def test_counts_are_live_after_the_job_and_the_medians_wait_for_the_next_refresh(reporter):
    _mixed(reporter)
    now = timezone.now()
    figures.medians_refresh(now=now)
    before = next(r for r in stats_both(now=now)["agencies"] if r["code"] == "hepco")
    # when another report is resolved after the job ran
    make_report(reporter, status=Status.RESOLVED, created_ago=timedelta(hours=2), resolved_ago=timedelta(0),
                due_in=timedelta(hours=1))
    after = next(r for r in stats_both(now=now)["agencies"] if r["code"] == "hepco")
    # then the counts move at once, the median is the job's until it runs again
    assert (after["total"], after["resolved"], after["on_time_share"]) == (7, 4, 0.667)
    assert after["median_hours_to_resolve"] == before["median_hours_to_resolve"] == 30.0
    assert figures.medians_refresh(now=now + timedelta(minutes=5)) is False
    assert figures.medians_refresh(now=now + figures.MEDIAN_MAX_AGE) is True
    refreshed = next(r for r in stats_both(now=now)["agencies"] if r["code"] == "hepco")
    assert refreshed["median_hours_to_resolve"] == 20.0  # 2, 10, 30 and 48 hours
