"""Property tests of the lifecycle: random actions by random people never reach an inconsistent state.

Hypothesis draws sequences of (action, who) and runs them against a fresh report (and a second one a
merge may point to). After every step:
- an action the transition table allows (right role, legal status, the agency's own ticket, the
  reporter's own report) either happens, with exactly the table's target status and one new audit
  event recording it, or is refused for one of the few reasons outside the table (already rated...);
- anything else is refused and changes nothing: the row, its events, its photos, its broadcasts;
- the report stays consistent: an agency while assigned/accepted/in progress/resolved/reopened, none
  once returned; its last event says its status; its audit chain verifies.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.core.exceptions import DomainError
from backend.reports.audit_chain import verify_chain
from backend.reports.models import Report, ReportEvent, Status
from backend.reports.services import lifecycle
from backend.reports.transitions import MERGE_TARGET_STATUSES, TRANSITIONS
from routing.models import Agency, Category
from tests.factories import make_report, make_staff, snapshot

PEOPLE = ("operator", "agency", "agency-other", "reporter", "citizen-other")
ROLE_OF = {"operator": "operator", "agency": "agency", "agency-other": "agency", "reporter": "citizen",
           "citizen-other": "citizen"}
ACTIONS = ("triage", "assign", "reject", "merge", "note", "mark_sensitive", "accept", "progress", "resolve",
           "return", "rate", "reopen")
START = [Status.SUBMITTED, Status.NEEDS_REVIEW, Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS,
         Status.RESOLVED]
# Refusals the transition table does not describe (a second rating, a stale merge target...).
OUTSIDE_THE_TABLE = {"already_rated", "reopen_window_passed", "merge_target_invalid", "merge_into_self"}
WITH_AGENCY = {Status.ASSIGNED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.REOPENED}


class Rollback(Exception):
    pass


def _act(action: str, actor: Any, report: Report, target: Report) -> None:
    match action:
        case "triage":
            lifecycle.report_triage_confirm(actor=actor, report_id=report.pk,
                                            category=Category.objects.get(code="environment"), urgency="high")
        case "assign":
            lifecycle.report_assign(actor=actor, report_id=report.pk, agency=Agency.objects.get(code="hepco"))
        case "reject":
            lifecycle.report_reject(actor=actor, report_id=report.pk, reason="spam")
        case "merge":
            lifecycle.report_merge(actor=actor, report_id=report.pk, into_id=target.pk)
        case "note":
            lifecycle.report_note_add(actor=actor, report_id=report.pk, note="ghi chú")
        case "mark_sensitive":
            lifecycle.report_mark_sensitive(actor=actor, report_id=report.pk, sensitive=not report.sensitive,
                                            reason="thử")
        case "accept":
            lifecycle.ticket_accept(actor=actor, report_id=report.pk)
        case "progress":
            lifecycle.ticket_progress(actor=actor, report_id=report.pk, note="đang làm")
        case "resolve":
            lifecycle.ticket_resolve(actor=actor, report_id=report.pk, note="xong")
        case "return":
            lifecycle.ticket_return(actor=actor, report_id=report.pk, reason="không phải của tôi")
        case "rate":
            lifecycle.report_rate(actor=actor, report_id=report.pk, stars=3)
        case "reopen":
            lifecycle.report_reopen(actor=actor, report_id=report.pk, reason="chưa xong")
        case _:
            raise AssertionError(action)


def _allowed(action: str, who: str, report: Report) -> bool:
    transition = TRANSITIONS[action]
    if ROLE_OF[who] not in transition.roles and not (who == "reporter" and "citizen" in transition.roles):
        return False
    if who in {"agency", "agency-other"} and (report.agency is None or report.agency.code != "hepco"
                                              or who == "agency-other"):
        return False
    if action in {"rate", "reopen"} and who != "reporter":
        return False  # the table's roles say "the reporter, whoever they are"
    return report.status in transition.sources


def _consistent(report: Report, *, acted: bool = True) -> None:
    """`acted`: a service has written its last event (the factory's starting rows carry only `submitted`)."""
    assert report.status in Status.values
    if report.status in WITH_AGENCY:
        assert report.agency_id is not None, report.status
    if report.status == Status.RETURNED:
        assert report.agency_id is None
    events = list(ReportEvent.objects.filter(report=report).order_by("id"))
    if acted:
        assert events[-1].new_status == report.status
    assert verify_chain(report.pk, events, report.status if acted else None) is None


@pytest.fixture
def cast(reference_data, make_citizen):
    return {
        "operator": make_staff("op-prop", "operator"),
        "agency": make_staff("hepco-prop", "agency", agency="hepco"),
        "agency-other": make_staff("huewaco-prop", "agency", agency="huewaco"),
        "reporter": make_citizen("+84905200001"),
        "citizen-other": make_citizen("+84905200002"),
    }


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    start=st.sampled_from(START),
    steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.sampled_from(PEOPLE)), min_size=1, max_size=10),
)
def test_random_actions_by_random_people_keep_every_report_consistent(cast, start, steps):
    try:
        with transaction.atomic():
            agency = "hepco" if start not in {Status.SUBMITTED, Status.NEEDS_REVIEW} else None
            report = make_report(cast["reporter"], status=start, agency=agency,
                                 resolved_ago=timedelta(hours=1) if start == Status.RESOLVED else None)
            target = make_report(cast["citizen-other"], status=Status.ASSIGNED)
            acted = False
            for action, who in steps:
                report.refresh_from_db()
                allowed = _allowed(action, who, report)
                before = snapshot(report.pk)
                events_before = ReportEvent.objects.filter(report=report).count()
                try:
                    _act(action, cast[who], report, target)
                except DomainError as refusal:
                    assert not allowed or refusal.code in OUTSIDE_THE_TABLE, (action, who, report.status, refusal.code)
                    assert snapshot(report.pk) == before, (action, who)
                    continue
                assert allowed, (action, who, before["row"]["status"])
                report.refresh_from_db()
                expected = TRANSITIONS[action].target or before["row"]["status"]
                if action == "mark_sensitive":
                    assert report.sensitive != before["row"]["sensitive"]
                assert report.status == expected, (action, before["row"]["status"], report.status)
                assert ReportEvent.objects.filter(report=report).count() == events_before + 1, action
                acted = True
                _consistent(report)
                if action == "merge":
                    target.refresh_from_db()
                    assert target.status in MERGE_TARGET_STATUSES
                    _consistent(target)
            _consistent(Report.objects.get(pk=report.pk), acted=acted)
            raise Rollback
    except Rollback:
        pass


def test_system_jobs_keep_reports_consistent(cast):
    # the periodic jobs are actions too: overdue is recorded once, auto-close only after resolution
    report = make_report(cast["reporter"], status=Status.ASSIGNED, due_in=timedelta(hours=-1))
    later = timezone.now() + timedelta(days=30)
    assert [lifecycle.report_mark_overdue(report_id=report.pk, now=later) for _ in range(2)] == [True, False]
    assert lifecycle.report_auto_close(report_id=report.pk, now=later) is False
    _consistent(Report.objects.get(pk=report.pk), acted=False)
