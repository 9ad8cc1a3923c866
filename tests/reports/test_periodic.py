"""Periodic jobs: overdue escalation exactly once, auto-close, heartbeats, several processes at once."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from backend.core.models import JobHeartbeat
from backend.reports.models import Report, ReportEvent, Status
from backend.reports.services import lifecycle, periodic
from tests.factories import make_report


@pytest.fixture
def reporter(reference_data, make_citizen):
    return make_citizen("+84905200300")


def test_overdue_is_escalated_once_to_the_operators(reporter, monkeypatch):
    late = make_report(reporter, status=Status.ACCEPTED, due_in=-timedelta(minutes=5))
    on_time = make_report(reporter, status=Status.ACCEPTED, due_in=timedelta(hours=5))
    finished = make_report(reporter, status=Status.RESOLVED, due_in=-timedelta(days=1))
    alerts: list[tuple[int, str, bool]] = []
    monkeypatch.setattr(
        lifecycle.events, "report_updated",
        lambda report, *, change, actor_id=None, alert=False: alerts.append((report.pk, change, alert)),
    )
    first = periodic.run_pass()
    second = periodic.run_pass()
    assert (first.overdue, second.overdue) == (1, 0)
    assert alerts == [(late.pk, "overdue", True)]
    event = ReportEvent.objects.get(kind="overdue")
    assert (event.report_id, event.is_public, event.actor, event.actor_role) == (late.pk, False, None, "system")
    assert event.new_value["agency"] == "hepco"
    late.refresh_from_db()
    assert late.status == "accepted"  # overdue is derived from the deadline, not a status
    assert late.overdue_notified_at is not None
    assert Report.objects.get(pk=on_time.pk).overdue_notified_at is None
    assert Report.objects.get(pk=finished.pk).overdue_notified_at is None


def test_a_new_deadline_after_reopen_escalates_again(reporter, settings):
    report = make_report(reporter, status=Status.ACCEPTED, due_in=-timedelta(hours=1))
    periodic.run_pass()
    Report.objects.filter(pk=report.pk).update(status=Status.RESOLVED, resolved_at=timezone.now())
    lifecycle.report_reopen(actor=reporter, report_id=report.pk, reason="chưa xong")
    report.refresh_from_db()
    assert report.overdue_notified_at is None
    assert periodic.run_pass(now=report.due_at + timedelta(minutes=1)).overdue == 1
    assert ReportEvent.objects.filter(report=report, kind="overdue").count() == 2


def test_resolved_reports_nobody_rated_close_after_the_configured_days(reporter, settings):
    settings.AUTO_CLOSE_DAYS = 5
    stale = make_report(reporter, status=Status.RESOLVED, resolved_ago=timedelta(days=5, minutes=1))
    fresh = make_report(reporter, status=Status.RESOLVED, resolved_ago=timedelta(days=4, hours=23))
    reopened = make_report(reporter, status=Status.REOPENED, resolved_ago=timedelta(days=9))
    counts = periodic.run_pass()
    assert counts.auto_closed == 1
    stale.refresh_from_db()
    assert (stale.status, stale.rating_stars) == ("closed", None)
    assert stale.closed_at is not None
    event = stale.events.order_by("-id").first()
    assert (event.old_status, event.new_status, event.actor_role, event.is_public) == (
        "resolved", "closed", "system", True
    )
    assert Report.objects.get(pk=fresh.pk).status == "resolved"
    assert Report.objects.get(pk=reopened.pk).status == "reopened"
    assert periodic.run_pass().auto_closed == 0


def test_every_pass_writes_a_heartbeat(reporter):
    make_report(reporter, status=Status.ASSIGNED, due_in=-timedelta(minutes=1))
    periodic.run_pass()
    periodic.run_pass()
    beats = list(JobHeartbeat.objects.filter(name="periodic").order_by("id").values_list("detail", flat=True))
    # the first pass also checked the audit trail (never checked before); the second did not need to
    assert beats == [
        {"overdue": 1, "auto_closed": 0, "idempotency_keys_purged": 0, "events_purged": 0, "alerts_announced": 0,
         "medians_refreshed": True, "anonymised": 0, "audit_breaks": 0},
        {"overdue": 0, "auto_closed": 0, "idempotency_keys_purged": 0, "events_purged": 0, "alerts_announced": 0,
         "medians_refreshed": False, "anonymised": 0, "audit_breaks": None},
    ]


def test_command_once_prints_the_counts(reporter):
    make_report(reporter, status=Status.IN_PROGRESS, due_in=-timedelta(minutes=1))
    out = StringIO()
    call_command("run_periodic_jobs", "--once", stdout=out)
    assert out.getvalue().strip() == (
        "overdue=1 auto_closed=0 idempotency_keys_purged=0 events_purged=0 alerts_announced=0 medians_refreshed=True"
        " anonymised=0 audit_breaks=0"
    )
    assert sorted(JobHeartbeat.objects.values_list("name", flat=True)) == ["audit_trail", "periodic"]


def test_the_loop_stops_when_asked_and_survives_a_failing_pass(reporter, monkeypatch):
    calls: list[int] = []
    stop = threading.Event()

    def flaky_pass(**_):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database restarting")
        stop.set()
        return periodic.PassCounts(0, 0, 0, 0, 0)

    monkeypatch.setattr(periodic, "run_pass", flaky_pass)
    monkeypatch.setattr(periodic, "close_old_connections", lambda: None)
    periodic.run_forever(interval=0.01, stop=stop)
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_several_processes_escalate_each_report_exactly_once(reference_data, make_citizen):
    # given 30 overdue tickets and four loops starting at the same moment (threads with their own
    # database connections stand in for processes)
    reporter = make_citizen("+84905200400")
    reports = [make_report(reporter, status=Status.ASSIGNED, due_in=-timedelta(minutes=i + 1)) for i in range(30)]
    start = threading.Barrier(4)
    totals: list[int] = []
    errors: list[BaseException] = []

    def worker():
        try:
            start.wait()
            totals.append(periodic.run_pass().overdue)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    # then every report was escalated exactly once, whichever loop got it
    assert errors == []
    assert sum(totals) == 30
    assert ReportEvent.objects.filter(kind="overdue").count() == 30
    assert sorted(ReportEvent.objects.filter(kind="overdue").values_list("report_id", flat=True)) == sorted(
        r.pk for r in reports
    )
    assert JobHeartbeat.objects.filter(name="periodic").count() == 4
    # and the whole audit trail was read by one of them only
    assert JobHeartbeat.objects.filter(name="audit_trail").count() == 1


@pytest.mark.parametrize(("args", "in_process", "started"), [([], True, True), (["--no-periodic"], True, False),
                                                              ([], False, False)])
def test_serve_runs_the_loop_in_a_thread_in_the_embedded_default(monkeypatch, settings, args, in_process, started):
    import uvicorn

    settings.PERIODIC_IN_PROCESS = in_process
    threads: list[bool] = []
    monkeypatch.setattr(periodic, "start_in_thread", lambda **_: threads.append(True))
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    out = StringIO()
    call_command("serve", *args, stdout=out)
    assert threads == ([True] if started else [])
    assert ("Periodic jobs: every" in out.getvalue()) is started


def test_a_pass_purges_events_past_the_retention_window(reporter, settings):
    from django.utils import timezone

    from realtime import log
    from realtime.models import EventLog

    # given one event older than the kept window and one fresh
    settings.REALTIME_RETENTION_HOURS = 72
    old, fresh = (log.record("report.updated", report_id=n, payloads={"ops": {"id": n}}) for n in (1, 2))
    EventLog.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=73))
    # when the periodic pass runs
    counts = periodic.run_pass()
    # then only the old event is gone
    assert counts.events_purged == 1
    assert list(EventLog.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_pass_anonymises_long_finished_reports_a_batch_at_a_time(reporter, settings, monkeypatch):
    # given three reports closed longer ago than the retention period and one closed recently
    settings.RETENTION_DAYS = 30
    monkeypatch.setattr(periodic, "BATCH", 2)
    old = [make_report(reporter, status=Status.CLOSED) for _ in range(3)]
    recent = make_report(reporter, status=Status.CLOSED)
    Report.objects.filter(pk__in=[r.pk for r in old]).update(closed_at=timezone.now() - timedelta(days=31))
    Report.objects.filter(pk=recent.pk).update(closed_at=timezone.now() - timedelta(days=29))
    # when passes run
    counts = [periodic.run_pass().anonymised for _ in range(3)]
    # then the old ones were anonymised two, then one, then none; the recent one is untouched
    assert counts == [2, 1, 0]
    assert sorted(Report.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == [r.pk for r in old]
    assert Report.objects.get(pk=recent.pk).anonymised_at is None


def test_a_broken_audit_trail_is_found_by_the_daily_check_and_logged_without_personal_data(
    reporter, settings, caplog
):
    from backend.reports.models import ReportEvent as Event
    from tests.reports.test_audit_trail import triggers_off

    # given a report whose trail was changed behind the application's back (triggers off, as a
    # database superuser could)
    settings.AUDIT_VERIFY_HOURS = 24
    report = make_report(reporter, status=Status.ASSIGNED)
    first = Event.objects.filter(report=report).order_by("id").first()
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Event._meta.db_table} SET note = %s WHERE id = %s", ["gọi 0905123456", first.pk])
    now = timezone.now()
    # when the periodic passes run, the second one an hour later and the third a day later
    with caplog.at_level("ERROR", logger="backend.reports.services.periodic"):
        found = [periodic.run_pass(now=now + timedelta(hours=h)).audit_breaks for h in (0, 1, 25)]
    # then the first and the day-later pass name the break; the pass in between did not re-read the trail
    assert found == [1, None, 1]
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [f"audit trail broken: report {report.pk}, event {first.pk}: note or values changed"] * 2
    assert not any("0905123456" in m for m in messages)
    beats = list(JobHeartbeat.objects.filter(name="audit_trail").values_list("detail", flat=True))
    assert [b["broken"] for b in beats] == [1, 1]
