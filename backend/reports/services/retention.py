"""Retention: personal data of finished reports is removed after RETENTION_DAYS; the record is kept.

A report closed, rejected or merged more than RETENTION_DAYS ago (longer than the reopen window)
keeps what the city's statistics and the public record need: category, urgency, ward, agency, the
dates, the status, the rating's stars, the "me too" count, and its audit trail of who did what when.
What goes:
- the photos (files and rows), report and after-photos alike, with the camera positions;
- the description (it is the citizen's own words, often with names and addresses), the rating
  comment, the time the phone queued it;
- the exact position: rounded to 3 decimals (about 110 m), enough for a map of the ward;
- every note in its trail (staff notes can name people too): blanked in place with `redacted_at`,
  the one change the append-only trail allows; the hash chain still verifies (audit_chain.py);
- the citizen's account, once none of their reports is kept in full and they have not signed in for
  the retention period: phone, names and e-mail removed, tokens revoked, the account deactivated
  (its id stays, so the trail still says "a citizen" did this).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from backend.accounts.models import DeviceToken, Role, User
from backend.reports.models import FINAL_STATUSES, IdempotencyKey, Photo, Report, ReportEvent

logger = logging.getLogger(__name__)

REMOVED_TEXT = "[Đã xoá theo thời hạn lưu trữ / removed after the retention period]"
POSITION_DECIMALS = 3


@dataclass
class RetentionCounts:
    reports: int = 0
    photos: int = 0
    notes: int = 0
    accounts: int = 0


def retention_cutoff(now: datetime, days: int | None = None) -> datetime:
    days = settings.RETENTION_DAYS if days is None else days
    # A closed report may still be reopened: never remove what a citizen may come back to.
    if days <= settings.REOPEN_WINDOW_DAYS:
        raise ValueError(f"the retention period must be longer than the reopen window ({settings.REOPEN_WINDOW_DAYS} days)")
    return now - timedelta(days=days)


def reports_due(*, cutoff: datetime, limit: int | None = None) -> list[int]:
    due = (
        Report.objects.filter(status__in=FINAL_STATUSES, closed_at__lt=cutoff, anonymised_at__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    return list(due[:limit] if limit is not None else due)


def _redact_notes(report_id: int, now: datetime) -> int:
    # The retention redaction is the one update the database lets through (migration 0004): the ORM
    # refuses every update of the trail, so this goes to the table directly.
    ids = list(
        ReportEvent.objects.filter(report_id=report_id, redacted_at__isnull=True).exclude(note="").values_list("id", flat=True)
    )
    if ids:
        table = ReportEvent._meta.db_table
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET note = '', redacted_at = %s WHERE id IN ({placeholders})", [now, *ids])
    return len(ids)


def report_anonymise(*, report_id: int, now: datetime) -> tuple[int, int] | None:
    """Remove one finished report's personal data; returns (photos removed, notes blanked), or None
    when another process got there first."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.anonymised_at is not None:
            return None
        photos = list(Photo.objects.filter(report=report))
        names = [name for photo in photos for name in (photo.image.name, photo.thumbnail.name) if name]
        Photo.objects.filter(report=report).delete()
        IdempotencyKey.objects.filter(report=report).delete()
        report.description = REMOVED_TEXT
        report.rating_comment = ""
        report.client_created_at = None
        report.latitude = round(report.latitude, POSITION_DECIMALS)
        report.longitude = round(report.longitude, POSITION_DECIMALS)
        report.anonymised_at = now
        report.save()
        notes = _redact_notes(report.pk, now)
        # Files go once the rows are gone for good; a failed delete leaves an orphan, never a dangling row.
        transaction.on_commit(lambda: _delete_files(names))
    return len(photos), notes


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:
            logger.exception("retention: could not delete a photo file")


def _accounts_due(reporter_ids: set[int], cutoff: datetime) -> list[User]:
    kept_in_full = set(
        Report.objects.filter(reporter_id__in=reporter_ids, anonymised_at__isnull=True).values_list("reporter_id", flat=True)
    )
    candidates = (
        User.objects.filter(pk__in=reporter_ids - kept_in_full, role=Role.CITIZEN)
        .exclude(phone__isnull=True, is_active=False)
        .annotate(token_used=Max("device_tokens__last_used_at"))
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .filter(Q(token_used__isnull=True) | Q(token_used__lt=cutoff))
    )
    return list(candidates)


def account_anonymise(*, user: User, now: datetime) -> None:
    with transaction.atomic():
        DeviceToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
        user.phone = None
        user.username = f"anonymised-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()


def retention_apply(
    *, now: datetime | None = None, days: int | None = None, limit: int | None = None
) -> RetentionCounts:
    """Anonymise the reports that are due (at most `limit`: the periodic pass takes a batch at a time,
    the command all of them). Safe to run from several processes: each report is locked and skipped
    once anonymised."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now, days)
    counts = RetentionCounts()
    reporters: set[int] = set()
    for report_id in reports_due(cutoff=cutoff, limit=limit):
        removed = report_anonymise(report_id=report_id, now=now)
        if removed is None:
            continue
        photos, notes = removed
        counts.reports += 1
        counts.photos += photos
        counts.notes += notes
        reporters.add(Report.objects.filter(pk=report_id).values_list("reporter_id", flat=True).get())
    for user in _accounts_due(reporters, cutoff):
        account_anonymise(user=user, now=now)
        counts.accounts += 1
    return counts
