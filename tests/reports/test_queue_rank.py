"""The stored urgency rank behind the operators' queue: written with the urgency, filled by the
migration, the same order as the CASE it replaced, and pages by keyset that visit every row once."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Case, IntegerField, Value, When

from backend.reports.models import URGENCY_ORDER, Report, Status, rank_of
from backend.reports.services import lifecycle
from routing.models import Category
from tests.factories import make_report, make_staff

URL = "/api/v1/ops/reports/"
URGENCIES = ["low", "critical", "normal", "", "high", "normal", "critical", "low", "high", ""]


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen("+84905777111")


def _mixed_set(reporter) -> list[Report]:
    # Urgencies of every kind, untriaged ones included; pairs created at the same instant so the id
    # decides between them.
    reports = []
    for i, urgency in enumerate(URGENCIES):
        reports.append(make_report(reporter, urgency=urgency, created_ago=timedelta(hours=i // 2),
                                   category=None if not urgency else "environment"))
    same = Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("id")
    first = same.first()
    assert first is not None
    same.filter(pk__in=[reports[0].pk, reports[1].pk]).update(created_at=first.created_at)
    return reports


def _old_case_order() -> list[int]:
    # The expression the queue sorted by before the rank was stored (kept here as the reference).
    whens = [When(urgency=code, then=Value(rank)) for rank, code in enumerate(URGENCY_ORDER)]
    case = Case(*whens, default=Value(len(URGENCY_ORDER)), output_field=IntegerField())
    return list(Report.objects.annotate(case_rank=case).order_by("case_rank", "created_at", "id")
                .values_list("id", flat=True))


def _walk(client, page_size: int, query: str = "") -> list[int]:
    seen, url = [], f"{URL}?page_size={page_size}{query}"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen


def test_rank_is_written_with_the_urgency_on_every_save(reporter):
    # given reports of each urgency and one not yet triaged
    reports = _mixed_set(reporter)
    # then each stored rank is the urgency's place in URGENCY_ORDER, untriaged after all of them
    stored = dict(Report.objects.values_list("id", "urgency_rank"))
    assert [stored[r.pk] for r in reports] == [3, 0, 2, 4, 1, 2, 0, 3, 1, 4]
    # when the urgency is changed with save(update_fields=...) the rank is saved with it
    report = reports[0]
    report.urgency = "critical"
    report.save(update_fields=["urgency"])
    assert Report.objects.get(pk=report.pk).urgency_rank == 0
    assert [rank_of(code) for code in (*URGENCY_ORDER, "", "unknown")] == [0, 1, 2, 3, 4, 4]


def test_queue_order_by_stored_rank_equals_the_old_case_order(operator_client, reporter):
    # given a mixed set of urgencies, ages and ties
    _mixed_set(reporter)
    # when the queue is read in one page and in pages of 3
    one_page = [row["id"] for row in operator_client.get(URL).json()["results"]]
    # then both equal the order of the CASE expression it replaced
    assert one_page == _old_case_order()
    assert _walk(operator_client, 3) == one_page


def test_a_report_whose_urgency_changes_moves_in_the_queue(operator_client, reporter):
    # given a low report behind two normal ones
    normal_a = make_report(reporter, urgency="normal", created_ago=timedelta(hours=3))
    normal_b = make_report(reporter, urgency="normal", created_ago=timedelta(hours=2))
    low = make_report(reporter, urgency="low", created_ago=timedelta(hours=5), status=Status.NEEDS_REVIEW)
    assert _walk(operator_client, 50) == [normal_a.pk, normal_b.pk, low.pk]
    # when an operator raises it to critical through the lifecycle service
    operator = make_staff("rank-op", role="operator")
    lifecycle.report_triage_confirm(actor=operator, report_id=low.pk,
                                    category=Category.objects.get(code="environment"), urgency="critical")
    # then it heads the queue, and the urgency filter finds it under its new urgency only
    assert _walk(operator_client, 50) == [low.pk, normal_a.pk, normal_b.pk]
    assert _walk(operator_client, 1, "&urgency=critical") == [low.pk]
    assert _walk(operator_client, 1, "&urgency=low") == []


@pytest.mark.parametrize("ordering", ["urgency", "created_at", "-created_at"])
def test_keyset_pages_walk_every_row_exactly_once(operator_client, reporter, ordering):
    # given 10 reports with equal urgencies and equal creation instants among them
    _mixed_set(reporter)
    everything = [row["id"] for row in operator_client.get(f"{URL}?ordering={ordering}").json()["results"]]
    # when walked one, two and four at a time
    for size in (1, 2, 4):
        walked = _walk(operator_client, size, f"&ordering={ordering}")
        # then the same rows in the same order, none twice
        assert walked == everything
    assert sorted(everything) == sorted(Report.objects.values_list("id", flat=True))


def test_filters_do_not_repeat_rows(operator_client, reporter):
    # given reports in several statuses and urgencies (the filters no longer use DISTINCT)
    _mixed_set(reporter)
    make_report(reporter, urgency="high", status=Status.IN_PROGRESS)
    # when filtered by two statuses and two urgencies
    walked = _walk(operator_client, 2, "&status=assigned&status=in_progress&urgency=high&urgency=critical")
    # then each matching report once, in queue order
    expected = list(Report.objects.filter(status__in=["assigned", "in_progress"], urgency__in=["high", "critical"])
                    .order_by("urgency_rank", "created_at", "id").values_list("id", flat=True))
    assert walked == expected and len(expected) == 5


def test_the_migration_fills_the_rank_of_existing_rows(reporter):
    # given rows whose rank was never written (as before the migration)
    reports = _mixed_set(reporter)
    Report.objects.update(urgency_rank=len(URGENCY_ORDER))
    # when the migration's data step runs
    migration = importlib.import_module("backend.reports.migrations.0007_report_urgency_rank_queue_indexes")
    migration.fill_urgency_rank(apps, None)
    # then every rank equals the one save() writes
    stored = dict(Report.objects.values_list("id", "urgency_rank"))
    assert [stored[r.pk] for r in reports] == [rank_of(r.urgency) for r in reports] == [3, 0, 2, 4, 1, 2, 0, 3, 1, 4]


def test_in_constants_writes_literals_and_refuses_anything_else(reporter):
    # given the open-status lookup used by the partial indexes
    qs = Report.objects.filter(status__in_constants=["assigned", "triaged"])
    # then the values are in the SQL itself (so SQLite can match a partial index), and the rows match
    sql, params = qs.query.sql_with_params()
    assert "IN ('assigned', 'triaged')" in sql and params == ()
    make_report(reporter, status=Status.ASSIGNED)
    make_report(reporter, status=Status.CLOSED)
    assert list(qs.values_list("status", flat=True)) == ["assigned"]
    # and anything that is not a plain code constant is refused before reaching the database
    for bad in (["x'); DROP TABLE reports_report; --"], [], [3]):
        with pytest.raises(ValueError):
            list(Report.objects.filter(status__in_constants=bad))
