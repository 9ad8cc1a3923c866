"""The ticket lifecycle services: every legal transition works, every illegal one is refused unchanged.

Also holds the small factories the other lifecycle tests import (reports in a given state, staff).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.errors import http_status_of
from backend.core.exceptions import DomainError
from backend.reports.models import OPEN_STATUSES, Report, ReportEvent, Status
from backend.reports.services import lifecycle
from backend.reports.transitions import TRANSITIONS
from routing.models import Agency, Category
from tests.factories import make_report, make_staff, snapshot


@pytest.fixture
def staff(reference_data, make_citizen):
    return {
        "operator": make_staff("op-life", Role.OPERATOR),
        "admin": make_staff("admin-life", Role.ADMIN),
        "hepco": make_staff("staff-hepco", Role.AGENCY, "hepco"),
        "huewaco": make_staff("staff-huewaco", Role.AGENCY, "huewaco"),
        "citizen": make_citizen("+84905111222"),
    }


def _run(action: str, report: Report, staff: dict[str, User], target: Report | None = None) -> Report | Any:
    """Perform `action` on `report` as the actor the action is meant for."""
    op, agency, citizen = staff["operator"], staff["hepco"], report.reporter
    match action:
        case "triage":
            return lifecycle.report_triage_confirm(
                actor=op, report_id=report.pk, category=Category.objects.get(code="water_supply"), urgency="high"
            )
        case "assign":
            return lifecycle.report_assign(actor=op, report_id=report.pk, agency=Agency.objects.get(code="hepco"))
        case "reject":
            return lifecycle.report_reject(actor=op, report_id=report.pk, reason="Tin rác / spam")
        case "merge":
            assert target is not None
            return lifecycle.report_merge(actor=op, report_id=report.pk, into_id=target.pk)
        case "note":
            return lifecycle.report_note_add(actor=op, report_id=report.pk, note="gọi lại cho người dân")
        case "accept":
            return lifecycle.ticket_accept(actor=agency, report_id=report.pk)
        case "progress":
            return lifecycle.ticket_progress(actor=agency, report_id=report.pk, note="Đã cử xe thu gom")
        case "resolve":
            return lifecycle.ticket_resolve(actor=agency, report_id=report.pk, note="Đã dọn sạch")
        case "return":
            return lifecycle.ticket_return(actor=agency, report_id=report.pk, reason="Không thuộc thẩm quyền")
        case "rate":
            return lifecycle.report_rate(actor=citizen, report_id=report.pk, stars=4, comment="Cảm ơn")
        case "reopen":
            return lifecycle.report_reopen(actor=citizen, report_id=report.pk, reason="Rác lại đầy")
        case "auto_close":
            return lifecycle.report_auto_close(report_id=report.pk, now=timezone.now() + timedelta(days=30))
        case "mark_overdue":
            return lifecycle.report_mark_overdue(report_id=report.pk, now=timezone.now() + timedelta(days=30))
    raise AssertionError(action)


# Annotations any status allows (their own tests: notes, sensitivity, tests/epidemic/test_health_kind.py).
USER_ACTIONS = [a for a in TRANSITIONS if a not in {"note", "mark_sensitive", "health_kind", "auto_close", "mark_overdue"}]
ILLEGAL = [(a, s) for a in USER_ACTIONS for s in Status.values if s not in TRANSITIONS[a].sources]
LEGAL = [(a, s) for a in USER_ACTIONS for s in Status.values if s in TRANSITIONS[a].sources]


def _report_in(status: str, staff: dict[str, User]) -> Report:
    return make_report(staff["citizen"], status=status, resolved_ago=timedelta(days=1))


def test_the_table_names_every_status_and_only_known_ones():
    for action, transition in TRANSITIONS.items():
        assert transition.sources <= set(Status.values), action
        assert transition.target is None or transition.target in Status.values, action
    # The operators' stage and the agency's stage do not overlap except at `assigned` (operators may
    # still re-route a ticket nobody has accepted yet).
    assert TRANSITIONS["triage"].sources & TRANSITIONS["accept"].sources == {Status.ASSIGNED}


@pytest.mark.parametrize("action", USER_ACTIONS)
def test_every_illegal_transition_is_refused_with_409_and_nothing_changes(staff, action):
    illegal = [s for a, s in ILLEGAL if a == action]
    assert illegal, action
    for status in illegal:
        # given a report in a status the action may not start from
        report = _report_in(status, staff)
        target = make_report(staff["citizen"], status=Status.ASSIGNED) if action == "merge" else None
        before = snapshot(report.pk)
        target_before = snapshot(target.pk) if target else None
        # when the action is attempted
        with pytest.raises(DomainError) as refused:
            _run(action, report, staff, target)
        # then 409 illegal_transition, and nothing changed on either report
        assert (http_status_of(refused.value), refused.value.code) == (409, "illegal_transition"), status
        assert snapshot(report.pk) == before, status
        if target:
            assert snapshot(target.pk) == target_before, status


@pytest.mark.parametrize("action", USER_ACTIONS)
def test_every_legal_transition_leads_to_its_target_and_records_one_event(staff, action):
    for status in [s for a, s in LEGAL if a == action]:
        report = _report_in(status, staff)
        target = make_report(staff["citizen"], status=Status.ASSIGNED) if action == "merge" else None
        events_before = report.events.count()
        _run(action, report, staff, target)
        report.refresh_from_db()
        assert report.status == TRANSITIONS[action].target, status
        event = report.events.order_by("-id").first()
        assert report.events.count() == events_before + 1, status
        assert (event.old_status, event.new_status) == (status, report.status)
        assert event.actor_role in {Role.OPERATOR, Role.AGENCY, Role.CITIZEN}


def test_the_illegal_pairs_are_the_complement_of_the_table():
    assert len(ILLEGAL) + len(LEGAL) == len(USER_ACTIONS) * len(Status.values)
    assert ("accept", "needs_review") in ILLEGAL
    assert ("resolve", "assigned") in ILLEGAL
    assert ("reopen", "rejected") in ILLEGAL
    assert ("triage", "accepted") in ILLEGAL


def test_system_transitions_follow_the_table(staff):
    for status in Status.values:
        report = make_report(staff["citizen"], status=status, due_in=timedelta(hours=1),
                             resolved_ago=timedelta(days=1))
        assert _run("mark_overdue", report, staff) is (status in OPEN_STATUSES), status
        assert _run("auto_close", report, staff) is (status == Status.RESOLVED), status


# --- operators ----------------------------------------------------------------------------------


def test_triage_override_reroutes_and_becomes_a_training_row(staff):
    # given a report the model called environment/normal, sent to HEPCO
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, agency=None,
                         description="Ống nước vỡ phun lên mặt đường", needs_review_reasons=["low_confidence"])
    # when the operator corrects it to water supply, high
    lifecycle.report_triage_confirm(
        actor=staff["operator"], report_id=report.pk, category=Category.objects.get(code="water_supply"),
        urgency="high",
    )
    # then it is routed again: the water company, assigned, a deadline one working day from submission
    report.refresh_from_db()
    assert (report.status, report.category.code, report.urgency) == ("assigned", "water_supply", "high")
    assert report.agency.code == "huewaco"
    assert report.area.code == "phu-xuan"
    assert report.needs_review_reasons == []
    assert report.due_at > report.created_at
    event = report.events.get(kind="triage_override")
    assert event.old_value["category"] == "environment"
    assert event.new_value["confirmed"] is False
    assert event.new_value["agency"] == "huewaco"
    assert event.actor == staff["operator"]
    assert lifecycle.triage_feedback_rows() == [
        {"text": "Ống nước vỡ phun lên mặt đường", "category": "water_supply", "urgency": "high"}
    ]


def test_triage_confirm_keeps_values_and_is_marked_confirmed(staff):
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, agency=None, category="road_damage",
                         description="Ổ gà lớn")
    lifecycle.report_triage_confirm(
        actor=staff["admin"], report_id=report.pk, category=Category.objects.get(code="road_damage"), urgency="normal"
    )
    report.refresh_from_db()
    assert (report.status, report.agency.code) == ("assigned", "transport")
    assert report.events.get(kind="triage_override").new_value["confirmed"] is True
    assert lifecycle.triage_feedback_rows() == [{"text": "Ổ gà lớn", "category": "road_damage", "urgency": "normal"}]


def test_feedback_rows_keep_the_latest_decision_and_leave_out_rejected_reports(staff):
    kept = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, description="kept")
    spam = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, description="spam")
    water = Category.objects.get(code="water_supply")
    for report in (kept, spam):
        lifecycle.report_triage_confirm(actor=staff["operator"], report_id=report.pk, category=water, urgency="low")
    lifecycle.report_triage_confirm(actor=staff["operator"], report_id=kept.pk, category=water, urgency="high")
    lifecycle.report_reject(actor=staff["operator"], report_id=spam.pk, reason="spam")
    assert lifecycle.triage_feedback_rows() == [{"text": "kept", "category": "water_supply", "urgency": "high"}]


def test_assign_sets_the_agency_and_keeps_an_existing_deadline(staff):
    report = make_report(staff["citizen"], status=Status.RETURNED, agency=None)
    due = report.due_at
    lifecycle.report_assign(actor=staff["operator"], report_id=report.pk, agency=Agency.objects.get(code="huewaco"))
    report.refresh_from_db()
    assert (report.status, report.agency.code, report.due_at) == ("assigned", "huewaco", due)
    event = report.events.get(kind="assigned")
    assert (event.old_value["agency"], event.new_value["agency"]) == (None, "huewaco")


def test_assign_gives_a_deadline_when_there_was_none(staff):
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, agency=None, due_in=None, urgency="critical")
    lifecycle.report_assign(actor=staff["operator"], report_id=report.pk, agency=Agency.objects.get(code="hepco"))
    report.refresh_from_db()
    assert report.due_at == report.created_at + timedelta(hours=4)


def test_reject_is_public_with_its_reason(staff):
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, agency=None)
    lifecycle.report_reject(actor=staff["operator"], report_id=report.pk, reason="Nội dung không phải phản ánh")
    report.refresh_from_db()
    assert report.status == "rejected"
    assert report.closed_at is not None
    event = report.events.order_by("-id").first()
    assert (event.note, event.is_public, event.new_status) == ("Nội dung không phải phản ánh", True, "rejected")


def test_merge_counts_me_too_and_carries_earlier_duplicates(staff):
    target = make_report(staff["citizen"], status=Status.ACCEPTED)
    first = make_report(staff["citizen"], status=Status.NEEDS_REVIEW)
    earlier = make_report(staff["citizen"], status=Status.NEEDS_REVIEW)
    lifecycle.report_merge(actor=staff["operator"], report_id=earlier.pk, into_id=first.pk)
    # when `first` (which already has one me-too) is merged into the target
    lifecycle.report_merge(actor=staff["operator"], report_id=first.pk, into_id=target.pk)
    target.refresh_from_db()
    first.refresh_from_db()
    earlier.refresh_from_db()
    # then the target counts both reporters, and both point at the live report
    assert target.me_too_count == 2
    assert (first.status, first.merged_into_id) == ("merged", target.pk)
    assert earlier.merged_into_id == target.pk
    merged_event = first.events.get(kind="merged")
    assert (merged_event.note, merged_event.is_public) == (target.tracking_code, True)
    assert target.events.filter(kind="me_too").count() == 1
    assert target.status == "accepted"


@pytest.mark.parametrize("target_status", ["closed", "rejected", "merged", "resolved"])
def test_merge_into_a_finished_report_is_refused(staff, target_status):
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW)
    target = make_report(staff["citizen"], status=target_status)
    before, target_before = snapshot(report.pk), snapshot(target.pk)
    with pytest.raises(DomainError) as refused:
        lifecycle.report_merge(actor=staff["operator"], report_id=report.pk, into_id=target.pk)
    assert (http_status_of(refused.value), refused.value.code) == (409, "merge_target_invalid")
    assert (snapshot(report.pk), snapshot(target.pk)) == (before, target_before)


def test_merge_into_itself_or_nothing_is_refused(staff):
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW)
    before = snapshot(report.pk)
    with pytest.raises(DomainError) as itself:
        lifecycle.report_merge(actor=staff["operator"], report_id=report.pk, into_id=report.pk)
    with pytest.raises(DomainError) as missing:
        lifecycle.report_merge(actor=staff["operator"], report_id=report.pk, into_id=999_999)
    assert (itself.value.code, missing.value.code) == ("merge_into_self", "merge_target_invalid")
    assert snapshot(report.pk) == before


def test_internal_note_changes_no_status_and_is_not_public(staff):
    report = make_report(staff["citizen"], status=Status.CLOSED)
    event = lifecycle.report_note_add(actor=staff["operator"], report_id=report.pk, note="Đã gọi điện xác minh")
    report.refresh_from_db()
    assert report.status == "closed"
    assert (event.kind, event.is_public, event.note, event.old_status, event.new_status) == (
        "note", False, "Đã gọi điện xác minh", "closed", "closed"
    )


# --- agencies -----------------------------------------------------------------------------------


def test_agency_path_accept_progress_resolve(staff, real_jpeg):
    from tests.conftest import upload

    report = make_report(staff["citizen"], status=Status.ASSIGNED)
    lifecycle.ticket_accept(actor=staff["hepco"], report_id=report.pk)
    lifecycle.ticket_progress(actor=staff["hepco"], report_id=report.pk, note="Đã cử xe")
    lifecycle.ticket_progress(actor=staff["hepco"], report_id=report.pk, note="Đang dọn")
    lifecycle.ticket_resolve(
        actor=staff["hepco"], report_id=report.pk, note="Đã dọn sạch", photos=[upload("after.jpg", real_jpeg)]
    )
    report.refresh_from_db()
    assert report.status == "resolved"
    assert report.resolved_at is not None
    photo = report.photos.get()
    assert (photo.kind, photo.position, photo.content_type) == ("resolution", 0, "image/jpeg")
    assert max(photo.width, photo.height) <= 2048
    assert [(e.old_status, e.new_status, e.note) for e in report.events.exclude(kind="submitted")] == [
        ("assigned", "accepted", ""),
        ("accepted", "in_progress", "Đã cử xe"),
        ("in_progress", "in_progress", "Đang dọn"),
        ("in_progress", "resolved", "Đã dọn sạch"),
    ]


def test_resolve_files_are_removed_when_the_transaction_fails(staff, real_jpeg, settings, monkeypatch):
    from tests.conftest import upload

    report = make_report(staff["citizen"], status=Status.ACCEPTED)
    before = snapshot(report.pk)

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(lifecycle.events, "report_updated", fail)
    with pytest.raises(RuntimeError):
        lifecycle.ticket_resolve(
            actor=staff["hepco"], report_id=report.pk, note="x", photos=[upload("a.jpg", real_jpeg)]
        )
    assert snapshot(report.pk) == before
    stored = [p for p in (settings.MEDIA_ROOT).rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    assert stored == []


def test_resolve_refuses_a_bad_photo_and_six_photos_and_changes_nothing(staff, real_jpeg):
    from tests.conftest import upload

    report = make_report(staff["citizen"], status=Status.ACCEPTED)
    before = snapshot(report.pk)
    with pytest.raises(DomainError) as fake:
        lifecycle.ticket_resolve(actor=staff["hepco"], report_id=report.pk, note="x",
                                 photos=[upload("a.jpg", b"not a jpeg at all")])
    with pytest.raises(DomainError) as six:
        lifecycle.ticket_resolve(actor=staff["hepco"], report_id=report.pk, note="x",
                                 photos=[upload(f"{i}.jpg", real_jpeg) for i in range(6)])
    assert http_status_of(fake.value) == 400
    assert six.value.code == "too_many_photos"
    assert snapshot(report.pk) == before


def test_return_clears_the_agency_and_goes_back_to_the_operators(staff):
    report = make_report(staff["citizen"], status=Status.ACCEPTED)
    lifecycle.ticket_return(actor=staff["hepco"], report_id=report.pk, reason="Thuộc Huewaco")
    report.refresh_from_db()
    assert (report.status, report.agency) == ("returned", None)
    event = report.events.order_by("-id").first()
    assert (event.old_value["agency"], event.new_value["agency"], event.note) == ("hepco", None, "Thuộc Huewaco")


def test_another_agencys_ticket_is_not_found_and_unchanged(staff):
    report = make_report(staff["citizen"], status=Status.ASSIGNED, agency="hepco")
    before = snapshot(report.pk)
    for act in (
        lambda: lifecycle.ticket_accept(actor=staff["huewaco"], report_id=report.pk),
        lambda: lifecycle.ticket_return(actor=staff["huewaco"], report_id=report.pk, reason="x"),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert (http_status_of(refused.value), refused.value.code) == (404, "not_found")
    assert snapshot(report.pk) == before


def test_wrong_role_is_403_and_unchanged(staff):
    report = make_report(staff["citizen"], status=Status.ASSIGNED)
    before = snapshot(report.pk)
    with pytest.raises(DomainError) as agency_rejects:
        lifecycle.report_reject(actor=staff["hepco"], report_id=report.pk, reason="x")
    with pytest.raises(DomainError) as operator_accepts:
        lifecycle.ticket_accept(actor=staff["operator"], report_id=report.pk)
    assert http_status_of(agency_rejects.value) == http_status_of(operator_accepts.value) == 403
    assert snapshot(report.pk) == before


# --- citizens -----------------------------------------------------------------------------------


def test_rating_closes_and_is_given_once(staff):
    report = make_report(staff["citizen"], status=Status.RESOLVED, resolved_ago=timedelta(hours=2))
    lifecycle.report_rate(actor=staff["citizen"], report_id=report.pk, stars=5, comment="Nhanh")
    report.refresh_from_db()
    assert (report.status, report.rating_stars, report.rating_comment) == ("closed", 5, "Nhanh")
    before = snapshot(report.pk)
    with pytest.raises(DomainError) as again:
        lifecycle.report_rate(actor=staff["citizen"], report_id=report.pk, stars=1)
    assert (http_status_of(again.value), again.value.code) == (409, "already_rated")
    assert snapshot(report.pk) == before


def test_an_auto_closed_report_can_still_be_rated_once(staff):
    report = make_report(staff["citizen"], status=Status.CLOSED, resolved_ago=timedelta(days=8))
    lifecycle.report_rate(actor=staff["citizen"], report_id=report.pk, stars=2)
    report.refresh_from_db()
    assert (report.status, report.rating_stars) == ("closed", 2)


@pytest.mark.parametrize("stars", [0, 6, -1])
def test_rating_out_of_range_is_refused(staff, stars):
    report = make_report(staff["citizen"], status=Status.RESOLVED, resolved_ago=timedelta(hours=2))
    before = snapshot(report.pk)
    with pytest.raises(DomainError):
        lifecycle.report_rate(actor=staff["citizen"], report_id=report.pk, stars=stars)
    assert snapshot(report.pk) == before


def test_reopen_within_the_window_goes_back_to_the_agency_with_a_new_deadline(staff, settings):
    settings.REOPEN_WINDOW_DAYS = 7
    report = make_report(staff["citizen"], status=Status.RESOLVED, resolved_ago=timedelta(days=6, hours=23),
                         due_in=-timedelta(days=5), overdue_notified_at=timezone.now() - timedelta(days=5))
    lifecycle.report_reopen(actor=staff["citizen"], report_id=report.pk, reason="Vẫn còn rác")
    report.refresh_from_db()
    assert (report.status, report.agency.code, report.reopened_count) == ("reopened", "hepco", 1)
    assert report.due_at > timezone.now()
    assert report.overdue_notified_at is None
    lifecycle.ticket_accept(actor=staff["hepco"], report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "accepted"


def test_reopen_after_the_window_is_refused(staff, settings):
    settings.REOPEN_WINDOW_DAYS = 3
    report = make_report(staff["citizen"], status=Status.RESOLVED, resolved_ago=timedelta(days=3, minutes=1))
    before = snapshot(report.pk)
    with pytest.raises(DomainError) as refused:
        lifecycle.report_reopen(actor=staff["citizen"], report_id=report.pk, reason="x")
    assert (http_status_of(refused.value), refused.value.code) == (409, "reopen_window_passed")
    assert refused.value.params == {"days": 3}
    assert snapshot(report.pk) == before


def test_someone_elses_report_cannot_be_rated_or_reopened(staff, make_citizen):
    report = make_report(staff["citizen"], status=Status.RESOLVED, resolved_ago=timedelta(hours=1))
    stranger = make_citizen("+84905999000")
    before = snapshot(report.pk)
    for act in (
        lambda: lifecycle.report_rate(actor=stranger, report_id=report.pk, stars=1),
        lambda: lifecycle.report_reopen(actor=stranger, report_id=report.pk, reason="x"),
    ):
        with pytest.raises(DomainError) as refused:
            act()
        assert http_status_of(refused.value) == 404
    assert snapshot(report.pk) == before


def test_a_transition_publishes_once_and_a_refused_one_not_at_all(staff, django_capture_on_commit_callbacks):
    report = make_report(staff["citizen"], status=Status.ASSIGNED)
    calls: list[tuple[int, str]] = []
    original = lifecycle.events.report_updated

    def spy(report, *, change, alert=False):
        calls.append((report.pk, change))
        original(report, change=change, alert=alert)

    lifecycle.events.report_updated = spy
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            lifecycle.ticket_accept(actor=staff["hepco"], report_id=report.pk)
            with pytest.raises(DomainError):
                lifecycle.ticket_accept(actor=staff["hepco"], report_id=report.pk)
    finally:
        lifecycle.events.report_updated = original
    assert calls == [(report.pk, "accepted")]
    # who acted is on the audit trail, not in the broadcast
    assert report.events.get(kind=ReportEvent.Kind.STATUS).actor == staff["hepco"]
    assert len(callbacks) == 1  # published after commit, not before


@pytest.mark.django_db(transaction=True)
def test_two_people_acting_at_once_one_wins_and_the_other_gets_409(reference_data, make_citizen):
    import threading

    from django.db import connection

    # given a ticket that its agency accepts while an operator rejects it, at the same moment
    citizen = make_citizen("+84905111999")
    agency = make_staff("race-hepco", Role.AGENCY, "hepco")
    operator = make_staff("race-op", Role.OPERATOR)
    report = make_report(citizen, status=Status.ASSIGNED)
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def attempt(name, act):
        try:
            start.wait()
            act()
            outcomes[name] = "ok"
        except DomainError as exc:
            outcomes[name] = exc.code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=("accept", lambda: lifecycle.ticket_accept(actor=agency, report_id=report.pk))),
        threading.Thread(target=attempt, args=("reject", lambda: lifecycle.report_reject(
            actor=operator, report_id=report.pk, reason="trùng"))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    # then exactly one of them happened, the other was refused, and the trail tells one story
    assert sorted(outcomes.values()) == ["illegal_transition", "ok"]
    report.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
    assert report.status == {"accept": "accepted", "reject": "rejected"}[winner]
    assert list(report.events.exclude(kind="submitted").values_list("old_status", "new_status")) == [
        ("assigned", report.status)
    ]


def test_raising_a_report_to_critical_alerts_and_confirming_does_not(staff, monkeypatch):
    calls: list[tuple[str, bool]] = []
    monkeypatch.setattr(
        lifecycle.events, "report_updated",
        lambda report, *, change, actor_id=None, alert=False: calls.append((change, alert)),
    )
    report = make_report(staff["citizen"], status=Status.NEEDS_REVIEW, category="power_supply", urgency="high")
    power = Category.objects.get(code="power_supply")
    lifecycle.report_triage_confirm(actor=staff["operator"], report_id=report.pk, category=power, urgency="critical")
    lifecycle.report_triage_confirm(actor=staff["operator"], report_id=report.pk, category=power, urgency="critical")
    assert calls == [("triage_override", True), ("triage_confirmed", False)]


def test_transitions_land_in_the_realtime_log_in_the_same_transaction(staff):
    from realtime.models import EventLog

    # given a ticket that HEPCO accepts, an operator notes internally, and HEPCO then returns
    report = make_report(staff["citizen"], status=Status.ASSIGNED)
    hepco = report.agency_id
    lifecycle.ticket_accept(actor=staff["hepco"], report_id=report.pk)
    lifecycle.report_note_add(actor=staff["operator"], report_id=report.pk, note="nội bộ")
    with pytest.raises(DomainError):
        lifecycle.ticket_resolve(actor=staff["huewaco"], report_id=report.pk, note="x")
    lifecycle.ticket_return(actor=staff["hepco"], report_id=report.pk, reason="không phải của chúng tôi")
    rows = list(EventLog.objects.filter(report_id=report.pk).order_by("id"))
    # then one log row per transition, none for the refusal
    assert [(r.change, r.agency_id, r.previous_agency_id) for r in rows] == [
        ("accepted", hepco, None), ("note", hepco, None), ("returned", None, hepco)
    ]
    # the agency never sees the reporter; the citizen does not hear of the internal note
    assert all("reporter" not in (r.agency_payload or {}) for r in rows)
    assert [r.citizen_payload is not None for r in rows] == [True, False, True]
