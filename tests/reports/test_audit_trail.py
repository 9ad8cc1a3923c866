"""The audit trail is append-only and tamper-evident; the admin changes reports only through services."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from backend.reports.models import AppendOnly, Photo, Report, ReportEvent, Status
from backend.reports.services import lifecycle
from realtime.models import EventLog
from routing.models import Agency, Category
from tests.conftest import png_bytes, upload
from tests.factories import make_report, make_staff, snapshot

TABLE = "reports_reportevent"


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit_trail", stdout=out)
    return out.getvalue() + str(failed.value)


@pytest.fixture
def worked(reference_data, make_citizen):
    """A report taken through several services: submitted, accepted, in progress, resolved."""
    staff = make_staff("hepco-audit", "agency", agency="hepco")
    report = make_report(make_citizen())
    lifecycle.report_assign(actor=make_staff("op-audit", "operator"), report_id=report.pk,
                            agency=Agency.objects.get(code="hepco"))
    lifecycle.ticket_accept(actor=staff, report_id=report.pk)
    lifecycle.ticket_progress(actor=staff, report_id=report.pk, note="Đang xử lý")
    lifecycle.ticket_resolve(actor=staff, report_id=report.pk, note="Đã dọn sạch",
                             photos=[upload("after.png", png_bytes(), "image/png")])
    return Report.objects.get(pk=report.pk)


@contextmanager
def triggers_off():
    """What a database superuser could do: switch the append-only trigger off for a moment."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers do not fire
        else:
            cursor.execute("DROP TRIGGER reports_reportevent_append_only")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")
            else:
                import importlib

                migration = importlib.import_module("backend.reports.migrations.0004_audit_chain")
                cursor.execute(migration.SQLITE)


def test_each_event_links_to_the_one_before(worked):
    events = list(ReportEvent.objects.filter(report=worked).order_by("id"))
    assert len(events) == 5
    assert events[0].prev_hash == ""
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert len({e.hash for e in events}) == 5
    assert verify().strip() == "audit trail intact"


def test_the_orm_refuses_to_change_or_delete_events(worked):
    event = ReportEvent.objects.filter(report=worked).first()
    before = snapshot(worked.pk)
    event.note = "rewritten"
    for attempt in (
        event.save,
        event.delete,
        lambda: ReportEvent.objects.filter(report=worked).update(actor_role="admin"),
        lambda: ReportEvent.objects.filter(report=worked).delete(),
        lambda: ReportEvent.objects.bulk_update([event], ["note"]),
    ):
        with pytest.raises(AppendOnly):
            attempt()
    # and deleting the report would take its history with it: refused
    with pytest.raises(ProtectedError):
        Report.objects.filter(pk=worked.pk).delete()
    assert snapshot(worked.pk) == before


def test_the_database_refuses_an_update_even_in_raw_sql(worked):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET actor_role = 'admin' WHERE report_id = %s", [worked.pk])
    assert set(ReportEvent.objects.filter(report=worked).values_list("actor_role", flat=True)) != {"admin"}


def test_postgresql_refuses_a_raw_delete_too(worked):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for the test runner's flush; the ORM and PROTECT refuse it there")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE report_id = %s", [worked.pk])


def _first_event_id(report: Report, kind: str | None = None) -> int:
    qs = ReportEvent.objects.filter(report=report).order_by("id")
    return (qs.filter(kind=kind) if kind else qs).values_list("id", flat=True)[0]


@pytest.mark.parametrize(
    ("sql", "reason"),
    [
        ("UPDATE {t} SET note = 'Đã dọn (sửa lại)' WHERE id = {id}", "note or values changed"),
        ("UPDATE {t} SET actor_role = 'operator' WHERE id = {id}", "who, what or when changed"),
        ("UPDATE {t} SET is_public = FALSE WHERE id = {id}", "who, what or when changed"),
    ],
)
def test_verify_names_the_first_rewritten_event(worked, sql, reason):
    target = _first_event_id(worked, "status")
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql.format(t=TABLE, id=target))
    assert f"BROKEN report {worked.pk}, event {target}: {reason}" in verify_fails()


def test_verify_finds_a_removed_event_in_the_middle_and_at_the_end(worked, make_citizen):
    ids = list(ReportEvent.objects.filter(report=worked).order_by("id").values_list("id", flat=True))
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [ids[2]])
    assert f"report {worked.pk}, event {ids[3]}: does not follow the event before it" in verify_fails()


def test_verify_finds_removed_latest_events(worked):
    last = ReportEvent.objects.filter(report=worked).latest("id").pk
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [last])
    assert "the report is 'resolved' but its last event says 'in_progress'" in verify_fails()


def test_a_recomputed_plain_hash_does_not_pass(worked):
    # whoever rewrites a note and recomputes the digest without the key still breaks the link
    from backend.reports.audit_chain import content_digest

    target = ReportEvent.objects.filter(report=worked, kind="status").order_by("id").first()
    digest = content_digest("Đã dọn (sửa lại)", target.old_value, target.new_value)
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = %s, content_digest = %s WHERE id = %s",
                       ["Đã dọn (sửa lại)", digest, target.pk])
    assert f"event {target.pk}: who, what or when changed" in verify_fails()


def test_a_swapped_after_photo_is_found(worked):
    # the agency's official answer includes its after-photo: a different file on record is found
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_photo SET sha256 = %s WHERE report_id = %s", ["0" * 64, worked.pk])
    assert "an after-photo is not one sealed by the agency's resolution" in verify_fails()


def test_redaction_is_the_one_change_allowed_and_the_chain_still_holds(worked):
    target = _first_event_id(worked, "note")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = '', old_value = NULL, new_value = NULL, redacted_at = %s "
                       f"WHERE id = %s", [timezone.now(), target])
    assert verify().strip() == "audit trail intact"
    # a second redaction (or anything else on a redacted row) is refused
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = 'x' WHERE id = %s", [target])


# --- the admin --------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, reference_data):
    admin = make_staff("city-admin", "admin")
    client.force_login(admin)
    return client


def _admin_form(report: Report, **changes) -> dict:
    values = {
        "category": report.category_id or "", "urgency": report.urgency, "agency": report.agency_id or "",
        "sensitive": "on" if report.sensitive else "",
        **{f"{prefix}-{key}": value for prefix in ("photos", "events") for key, value in
           {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()},
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v != "" or k in {"category", "agency"}}


def test_an_admin_forwarding_a_report_runs_the_assign_service(admin_client, make_citizen):
    report = make_report(make_citizen(), status=Status.NEEDS_REVIEW, agency=None)
    huewaco = Agency.objects.get(code="huewaco")
    response = admin_client.post(f"/admin/reports/report/{report.pk}/change/", _admin_form(report, agency=huewaco.pk))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.agency_id) == ("assigned", huewaco.pk)
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert (event.kind, event.actor.username, event.new_status) == ("assigned", "city-admin", "assigned")
    assert EventLog.objects.filter(report_id=report.pk, change="assigned").count() == 1  # dashboards told
    assert verify().strip() == "audit trail intact"


def test_an_illegal_admin_change_is_refused_and_changes_nothing(admin_client, make_citizen):
    # an agency has accepted the ticket: operators (and admins) no longer re-route it
    report = make_report(make_citizen(), status=Status.ACCEPTED)
    before = snapshot(report.pk)
    water = Category.objects.get(code="water_supply")
    response = admin_client.post(
        f"/admin/reports/report/{report.pk}/change/", _admin_form(report, category=water.pk), follow=True
    )
    assert snapshot(report.pk) == before
    shown = [str(m) for m in response.context["messages"]]
    assert any("accepted" in m.lower() or "tiếp nhận" in m for m in shown), shown
    assert not any("successfully" in m or "thành công" in m for m in shown), shown


def test_the_admin_cannot_edit_status_or_words_nor_delete_a_report(admin_client, make_citizen):
    report = make_report(make_citizen(), status=Status.ASSIGNED)
    before = snapshot(report.pk)
    admin_client.post(f"/admin/reports/report/{report.pk}/change/",
                      _admin_form(report, status="closed", description="sửa lời dân"))
    assert snapshot(report.pk) == before
    assert admin_client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_the_admin_shows_the_trail_read_only(admin_client, worked):
    page = admin_client.get(f"/admin/reports/report/{worked.pk}/change/").content.decode()
    assert 'name="events-0-actor_role"' not in page and 'name="events-0-new_value"' not in page
    assert "events-0-DELETE" not in page
    assert ReportEvent.objects.filter(report=worked).first().hash in page


def test_after_photos_are_sealed_with_the_resolution(worked):
    resolution = ReportEvent.objects.filter(report=worked, new_status="resolved").get()
    stored = list(Photo.objects.filter(report=worked, kind="resolution").values_list("sha256", flat=True))
    assert resolution.new_value == {"photos": 1, "photo_sha256": stored}


def test_a_new_reports_first_events_start_its_chain_in_one_statement(reference_data, make_citizen):
    from django.test.utils import CaptureQueriesContext

    from backend.reports.audit_chain import verify_chain

    # given a report created in this transaction, with no events yet
    citizen = make_citizen("+84905700800")
    report = Report.objects.create(reporter=citizen, description="Rác", latitude=16.46, longitude=107.59,
                                   tracking_code="TEST-0001")
    events = [ReportEvent(report=report, kind="submitted", actor=citizen, actor_role="citizen", new_status="submitted"),
              ReportEvent(report=report, kind="triaged", actor_role="system", old_status="submitted",
                          new_status="triaged")]
    # when its first events are written
    with CaptureQueriesContext(connection) as queries:
        ReportEvent.objects.start_chain(events)
    # then one INSERT wrote them (no lock, no read of a previous link), and the chain verifies
    assert [q["sql"].split()[0].upper() for q in queries.captured_queries] == ["INSERT"]
    stored = list(ReportEvent.objects.filter(report=report).order_by("id"))
    assert [e.prev_hash for e in stored] == ["", stored[0].hash]
    assert verify_chain(report.pk, stored) is None


def test_start_chain_refuses_events_of_several_reports(reference_data, make_citizen):
    citizen = make_citizen("+84905700801")
    a, b = (make_report(citizen) for _ in range(2))
    with pytest.raises(ValueError):
        ReportEvent.objects.start_chain([ReportEvent(report=a, kind="note"), ReportEvent(report=b, kind="note")])
