"""Suspected cases by ward and day for the health agency; aggregates only, small counts hidden, for
everyone else."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from backend.epidemic.models import HealthDetails
from backend.epidemic.selectors import CaseTable, public_summary
from backend.reports.models import Report, Status
from routing.models import Area
from tests.factories import make_report, make_staff

CASES = "/api/v1/agency/epidemic/cases/"
PUBLIC = "/api/v1/public/epidemic/"


def local_noon(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=12)


def case(reporter, *, ward: str, days_ago: int, kind: str = "suspected_case", people: int | None = None,
         status: str = Status.ASSIGNED) -> Report:
    report = make_report(reporter, category="health_epidemic", agency="health", area=ward, status=status)
    Report.objects.filter(pk=report.pk).update(created_at=local_noon(days_ago))
    HealthDetails.objects.create(report=report, kind=kind, people_count=people)
    return report


@pytest.fixture
def outbreak(reference_data, make_citizen):
    """Phú Xuân: 2 today, 3 people (one report) 2 days ago, 1 ten days ago; Thuận Hóa: 1 yesterday.
    Not counted: another kind, a rejected and a merged report, one 20 days ago."""
    citizen = make_citizen()
    case(citizen, ward="phu-xuan", days_ago=0)
    case(citizen, ward="phu-xuan", days_ago=0)
    case(citizen, ward="phu-xuan", days_ago=2, people=3)
    case(citizen, ward="phu-xuan", days_ago=10)
    case(citizen, ward="thuan-hoa", days_ago=1)
    case(citizen, ward="phu-xuan", days_ago=0, kind="medical_help")
    case(citizen, ward="phu-xuan", days_ago=0, status=Status.REJECTED)
    case(citizen, ward="phu-xuan", days_ago=0, status=Status.MERGED)
    case(citizen, ward="phu-xuan", days_ago=20)


def ward(body, code):
    return next(w for w in body["wards"] if w["code"] == code)


def test_the_health_agency_sees_the_last_7_days_by_ward_and_day(client_for, outbreak):
    health = client_for(make_staff("cdc-1", "agency", agency="health"))
    response = health.get(CASES)
    assert response.status_code == 200
    body = response.json()
    today = timezone.localdate()
    assert body["dates"] == [(today - timedelta(days=n)).isoformat() for n in range(6, -1, -1)]
    assert (body["days"], body["reports"], body["total"]) == (7, 4, 6)
    assert body["per_day"] == [0, 0, 0, 0, 3, 1, 2]
    assert ward(body, "phu-xuan") == {"code": "phu-xuan", "name": "Phú Xuân", "counts": [0, 0, 0, 0, 3, 0, 2], "total": 5}
    assert ward(body, "thuan-hoa")["counts"] == [0, 0, 0, 0, 0, 1, 0]
    assert [w["code"] for w in body["wards"][:2]] == ["phu-xuan", "thuan-hoa"]  # busiest first
    assert len(body["wards"]) == Area.objects.count()
    assert body["outside_wards"] == [0] * 7


def test_14_days_reach_further_back(operator_client, outbreak):
    body = operator_client.get(CASES, {"days": 14}).json()
    assert (body["days"], len(body["dates"]), body["total"]) == (14, 14, 7)
    assert ward(body, "phu-xuan")["counts"][3] == 1  # ten days ago


def test_other_windows_are_refused(operator_client, outbreak):
    response = operator_client.get(CASES, {"days": 30})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["days"]


@pytest.mark.parametrize("who", ["hepco", "citizen", "anonymous"])
def test_nobody_else_reads_the_ward_table(client_for, outbreak, make_citizen, who):
    client = {
        "hepco": lambda: client_for(make_staff("hepco-c", "agency", agency="hepco")),
        "citizen": lambda: client_for(make_citizen()),
        "anonymous": APIClient,
    }[who]()
    assert client.get(CASES).status_code in {401, 403}


def test_the_public_sees_ward_totals_with_counts_under_5_hidden(outbreak):
    body = APIClient().get(PUBLIC).json()
    assert set(body) == {"active", "disease", "days", "from", "to", "suppressed_below", "suspected_cases"}
    assert (body["days"], body["suppressed_below"]) == (7, 5)
    cases = body["suspected_cases"]
    # Phú Xuân's 5 are shown, Thuận Hóa's 1 and every empty ward are hidden; the total (6) too is shown,
    # since it cannot be split back into one hidden ward (38 of them are hidden)
    assert next(w for w in cases["by_ward"] if w["code"] == "phu-xuan")["count"] == 5
    assert {w["count"] for w in cases["by_ward"] if w["code"] != "phu-xuan"} == {None}
    assert cases["total"] == 6
    # and no public answer carries a report, a tracking code or a description
    text = APIClient().get(PUBLIC, {"days": 14}).content.decode()
    assert all(r.tracking_code not in text for r in Report.objects.all())


def test_a_small_outbreak_is_not_a_public_number(reference_data, make_citizen):
    case(make_citizen(), ward="phu-xuan", days_ago=0, people=4)
    cases = APIClient().get(PUBLIC).json()["suspected_cases"]
    assert cases["total"] is None
    assert {w["count"] for w in cases["by_ward"]} == {None}


def table(**per_ward: int) -> CaseTable:
    wards = {code: Area(code=code, name=code) for code in per_ward}
    return CaseTable(days=[], counts={code: [n] for code, n in per_ward.items()}, wards=wards, reports=0)


def test_a_total_that_would_give_one_hidden_ward_away_is_hidden():
    # 7 + 3 = 10: showing 10 beside 7 would tell that B has 3
    assert public_summary(table(a=7, b=3)) == {
        "total": None, "by_ward": [{"code": "a", "name": "a", "count": 7}, {"code": "b", "name": "b", "count": None}],
    }
    # two hidden wards: 15 - 7 - 5 = 3 is B and C together, not either of them
    assert public_summary(table(a=7, b=3, c=0, d=5))["total"] == 15
    # nothing hidden: the total is the sum of what is shown
    assert public_summary(table(a=7, b=5))["total"] == 12


def test_the_public_statistics_hide_small_health_figures_only(reference_data, make_citizen):
    citizen = make_citizen()
    for _ in range(2):
        make_report(citizen, category="health_epidemic", agency="health", status=Status.RESOLVED, resolved_ago=timedelta(hours=1),
                    rating_stars=5)
        make_report(citizen, category="environment", agency="hepco")
    stats = APIClient().get("/api/v1/public/stats/").json()
    health = next(r for r in stats["agencies"] if r["code"] == "health")
    hepco = next(r for r in stats["agencies"] if r["code"] == "hepco")
    category = next(r for r in stats["categories"] if r["code"] == "health_epidemic")
    hidden = {"total", "open", "overdue", "resolved", "rated", "on_time_share", "median_hours_to_resolve", "satisfaction"}
    assert {k for k, v in health.items() if v is None} == hidden
    assert {k for k, v in category.items() if v is None} == hidden
    assert (hepco["total"], hepco["open"]) == (2, 2)
