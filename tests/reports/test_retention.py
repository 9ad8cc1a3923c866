"""Retention: personal data and photos of long-finished reports go; the anonymised record stays."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from backend.accounts.models import DeviceToken, User
from backend.accounts.tokens import token_issue
from backend.reports.models import IdempotencyKey, Photo, Report, ReportEvent, Status
from backend.reports.services import lifecycle
from backend.reports.services.retention import REMOVED_TEXT, retention_apply
from tests.conftest import png_bytes, upload
from tests.factories import make_report, make_staff

PHONE = "+84905333444"


@pytest.fixture
def finished(reference_data, make_citizen, settings, citizen_client, fake_triage):
    """A citizen's report with a photo, resolved with an after-photo and rated; closed long ago."""
    fake_triage("environment", "normal", 0.95)
    citizen = User.objects.get(phone="+84905123456")
    body = citizen_client.post(
        "/api/v1/reports/",
        {"description": "Rác trước nhà bà Lan, gọi 0905123456", "latitude": 16.463712, "longitude": 107.590934,
         "photos": [upload("a.png", png_bytes(), "image/png")]},
        format="multipart", HTTP_IDEMPOTENCY_KEY="k1",
    ).json()
    staff = make_staff("hepco-ret", "agency", agency="hepco")
    lifecycle.ticket_accept(actor=staff, report_id=body["id"])
    lifecycle.ticket_resolve(actor=staff, report_id=body["id"], note="Đã dọn, đã gọi bà Lan",
                             photos=[upload("b.png", png_bytes(color=(0, 0, 200)), "image/png")])
    lifecycle.report_rate(actor=citizen, report_id=body["id"], stars=4, comment="Cảm ơn, Lan")
    long_ago = timezone.now() - timedelta(days=400)
    Report.objects.filter(pk=body["id"]).update(closed_at=long_ago)
    DeviceToken.objects.filter(user=citizen).update(last_used_at=long_ago)
    return Report.objects.get(pk=body["id"])


def test_a_long_finished_report_keeps_its_record_and_loses_its_personal_data(
    finished, settings, django_capture_on_commit_callbacks
):
    files = [settings.MEDIA_ROOT / n for p in Photo.objects.all() for n in (p.image.name, p.thumbnail.name)]
    assert all(f.exists() for f in files) and len(files) == 4
    kept = {f: getattr(finished, f) for f in ("status", "category_id", "urgency", "area_id", "agency_id",
                                              "created_at", "resolved_at", "rating_stars", "due_at")}
    # when retention runs
    with django_capture_on_commit_callbacks(execute=True):
        counts = retention_apply()
    # then the record is kept, the personal data gone
    report = Report.objects.get(pk=finished.pk)
    assert (counts.reports, counts.photos, counts.accounts) == (1, 2, 1)
    assert {f: getattr(report, f) for f in kept} == kept
    assert (report.description, report.rating_comment, report.client_created_at) == (REMOVED_TEXT, "", None)
    assert (report.latitude, report.longitude) == (16.464, 107.591)
    assert report.anonymised_at is not None
    assert Photo.objects.count() == 0 and not any(f.exists() for f in files)
    assert IdempotencyKey.objects.count() == 0
    assert set(ReportEvent.objects.filter(report=report).values_list("note", flat=True)) == {""}
    # and the citizen's account no longer names anyone
    user = report.reporter
    assert (user.phone, user.username, user.is_active) == (None, f"anonymised-{user.pk}", False)
    assert not DeviceToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    # while the audit trail still verifies
    out = io.StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert out.getvalue().strip() == "audit trail intact"


def test_recent_and_open_reports_are_left_alone(reference_data, make_citizen):
    citizen = make_citizen(PHONE)
    recent = make_report(citizen, status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=30))
    open_old = make_report(citizen, status=Status.IN_PROGRESS, created_ago=timedelta(days=800))
    counts = retention_apply()
    assert counts.reports == 0
    for report in (recent, open_old):
        fresh = Report.objects.get(pk=report.pk)
        assert (fresh.description, fresh.anonymised_at) == (report.description, None)
    assert User.objects.get(pk=citizen.pk).phone == PHONE


def test_a_citizen_with_a_report_still_kept_keeps_their_account(reference_data, make_citizen):
    citizen = make_citizen(PHONE)
    make_report(citizen, status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=400))
    make_report(citizen, status=Status.ASSIGNED)
    assert retention_apply().accounts == 0
    assert User.objects.get(pk=citizen.pk).phone == PHONE


def test_a_citizen_who_still_uses_the_app_keeps_their_account(reference_data, make_citizen):
    citizen = make_citizen(PHONE)
    make_report(citizen, status=Status.REJECTED, closed_at=timezone.now() - timedelta(days=400))
    token_issue(user=citizen)
    DeviceToken.objects.filter(user=citizen).update(last_used_at=timezone.now())
    counts = retention_apply()
    assert (counts.reports, counts.accounts) == (1, 0)
    assert User.objects.get(pk=citizen.pk).phone == PHONE


def test_running_twice_changes_nothing_more(finished):
    first = retention_apply()
    second = retention_apply()
    assert (first.reports, second.reports, second.accounts) == (1, 0, 0)


def test_the_period_must_outlast_the_reopen_window(db):
    with pytest.raises(CommandError, match="longer than the reopen window"):
        call_command("apply_retention", "--days", "3", stdout=io.StringIO())


def test_the_command_reports_what_it_did(finished):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "due: 1 report(s)"
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert out.getvalue().strip() == "reports=1 photos=2 notes=2 accounts=1"
