"""A citizen's report, its photos, and the append-only trail of everything that happened to it."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from backend.core import folding
from routing.models import Urgency


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Đã gửi / Submitted"
    TRIAGED = "triaged", "Đã phân loại / Triaged"
    NEEDS_REVIEW = "needs_review", "Chờ kiểm duyệt / Needs review"
    ASSIGNED = "assigned", "Đã chuyển đơn vị / Assigned"
    ACCEPTED = "accepted", "Đơn vị đã tiếp nhận / Accepted"
    IN_PROGRESS = "in_progress", "Đang xử lý / In progress"
    RESOLVED = "resolved", "Đã xử lý / Resolved"
    CLOSED = "closed", "Đã đóng / Closed"
    REJECTED = "rejected", "Từ chối / Rejected"
    RETURNED = "returned", "Đơn vị trả lại / Returned"
    MERGED = "merged", "Đã gộp / Merged"
    REOPENED = "reopened", "Mở lại / Reopened"


# Status groups, defined once here and used by services, selectors, outputs, payloads and pages.
S = Status
# Not finished: overdue applies, duplicates are looked for, a merge may target them.
OPEN_STATUSES = frozenset(
    {S.SUBMITTED, S.TRIAGED, S.NEEDS_REVIEW, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}
)
# The same, as the list every query and partial index spells (SQLite uses a partial index only for a
# query whose condition is written exactly like the index's: same values, same order).
OPEN_STATUS_LIST = sorted(OPEN_STATUSES)
# Finished, for now or for good: the complement of OPEN_STATUSES.
DONE_STATUSES = frozenset(Status.values) - OPEN_STATUSES
# Nothing more happens to these (a closed report may still be reopened within the reopen window).
FINAL_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.MERGED})
# The operators' queue order: most urgent first; a report not yet triaged comes after the known ones.
URGENCY_ORDER: tuple[str, ...] = (Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL, Urgency.LOW)


_CONSTANT = re.compile(r"[a-z_]+")


@models.CharField.register_lookup
class InConstants(models.Lookup):  # type: ignore[type-arg]
    """`field__in_constants=[...]`: IN with the values written into the SQL, not bound as parameters.

    For our own status constants only: a partial index's WHERE holds literals, and SQLite uses the
    index only for a query whose condition has the same literals (bound parameters never match).
    """

    lookup_name = "in_constants"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return "%s", ()

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values or not all(isinstance(v, str) and _CONSTANT.fullmatch(v) for v in values):
            raise ValueError("in_constants takes a non-empty list of lower-case code constants")
        return f"{lhs} IN ({', '.join(repr(str(v)) for v in values)})", tuple(params)


class ReportQuerySet(models.QuerySet["Report"]):
    def open(self) -> ReportQuerySet:
        return self.filter(status__in_constants=OPEN_STATUS_LIST)

    def done(self) -> ReportQuerySet:
        return self.filter(status__in=DONE_STATUSES)

    def overdue(self, now: datetime) -> ReportQuerySet:
        return self.filter(overdue_q(now))


def overdue_q(now: datetime) -> models.Q:
    """Open with its deadline passed: the one definition of overdue for queries (see Report.is_overdue)."""
    return models.Q(status__in_constants=OPEN_STATUS_LIST, due_at__lt=now)


def rank_of(urgency: str) -> int:
    """URGENCY_ORDER as a number (0 = critical; not yet triaged after every known urgency)."""
    return URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else len(URGENCY_ORDER)


# The queue's orders, each served by an index (docs/performance.md section 5): the rank is stored
# (Report.urgency_rank) because a computed CASE cannot be read from an index in order.
_QUEUE_ORDER = ["urgency_rank", "created_at", "id"]


class Report(models.Model):
    tracking_code = models.CharField("mã theo dõi / tracking code", max_length=12, unique=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports", verbose_name="người gửi"
    )
    anonymous = models.BooleanField("ẩn danh / anonymous", default=False)
    description = models.TextField("nội dung / description")
    latitude = models.FloatField("vĩ độ / latitude")
    longitude = models.FloatField("kinh độ / longitude")
    status = models.CharField(
        "trạng thái / status", max_length=16, choices=Status.choices, default=Status.SUBMITTED,
        db_index=False,  # report_queue_status leads with it
    )
    category_hint = models.ForeignKey(
        "routing.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="lĩnh vực người dân chọn / citizen's category hint",
    )
    # Final values: what operators and agencies work with (triage's guess until a human confirms).
    category = models.ForeignKey(
        "routing.Category", on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
        verbose_name="lĩnh vực / category",
        db_index=False,  # the report_queue_* index on it leads with it
    )
    urgency = models.CharField("mức độ khẩn / urgency", max_length=8, choices=Urgency.choices, blank=True)
    # rank_of(urgency), written by save() with it: the operators' queue is ordered by it from an index.
    urgency_rank = models.PositiveSmallIntegerField(default=len(URGENCY_ORDER), editable=False)
    # What the model said, kept apart from the final values so corrections become training data.
    predicted_category = models.CharField(max_length=40, blank=True)
    predicted_urgency = models.CharField(max_length=8, blank=True)
    triage_confidence = models.FloatField(null=True, blank=True)
    triage_model_version = models.CharField(max_length=40, blank=True)
    triage_rules = models.JSONField(default=list, blank=True)
    triage_scores = models.JSONField(default=dict, blank=True)
    area = models.ForeignKey(
        "routing.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="reports",
        verbose_name="phường/xã / ward",
        db_index=False,  # the report_queue_* index on it leads with it
    )
    agency = models.ForeignKey(
        "routing.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="tickets",
        verbose_name="đơn vị xử lý / agency",
        db_index=False,  # the report_queue_* index on it leads with it
    )
    due_at = models.DateTimeField("hạn xử lý / deadline", null=True, blank=True, db_index=True)
    # Why routing chose this agency (shown to operators): the rule id and a one-line reason.
    routing_rule_id = models.IntegerField(null=True, blank=True)
    routing_reason = models.CharField(max_length=300, blank=True)
    needs_review_reasons = models.JSONField(default=list, blank=True)
    # Set once by the periodic job when the deadline passes, so escalation happens exactly once.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rating_stars = models.PositiveSmallIntegerField("đánh giá / rating", null=True, blank=True)
    rating_comment = models.TextField(blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_reports"
    )
    me_too_count = models.PositiveIntegerField("số người cùng phản ánh / me too", default=0)
    # Marked by an operator (a named person, a minor, a victim...): never published by any path
    # (backend/reports/publication.py), whatever its category.
    sensitive = models.BooleanField("nhạy cảm / sensitive", default=False)
    # When the retention command removed its personal data (services/retention.py); the record stays.
    anonymised_at = models.DateTimeField("ẩn danh hoá lúc / anonymised at", null=True, blank=True)
    client_created_at = models.DateTimeField("thời điểm tạo trên máy / queued on phone at", null=True, blank=True)
    created_at = models.DateTimeField("thời điểm nhận / received at", auto_now_add=True)  # report_newest
    updated_at = models.DateTimeField(auto_now=True)
    # The description's words folded (no marks, lower case), so operators find "đường ngập" by typing
    # "duong ngap" and the other way round; written on every save from the description.
    search_text = models.TextField(blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "phản ánh / report"
        verbose_name_plural = "phản ánh / reports"
        indexes = [
            models.Index(fields=["reporter", "-created_at"]),
            # The queue: default order, then each filter followed by the same order; open-only apart
            # because open reports are a small share of the table once the city has run for a while.
            models.Index(fields=_QUEUE_ORDER, name="report_queue"),
            models.Index(fields=_QUEUE_ORDER, condition=models.Q(status__in=OPEN_STATUS_LIST),
                         name="report_queue_open"),
            models.Index(fields=["status", *_QUEUE_ORDER], name="report_queue_status"),
            models.Index(fields=["agency", *_QUEUE_ORDER], name="report_queue_agency"),
            # An agency's board of open tickets (its usual view) without walking its closed ones.
            models.Index(fields=["agency", *_QUEUE_ORDER], condition=models.Q(status__in=OPEN_STATUS_LIST),
                         name="report_queue_agency_open"),
            models.Index(fields=["area", *_QUEUE_ORDER], name="report_queue_area"),
            models.Index(fields=["category", *_QUEUE_ORDER], name="report_queue_category"),
            # Newest first (ops, the public list, Open311) and the public list by ward.
            models.Index(fields=["created_at", "id"], name="report_newest"),
            models.Index(fields=["area", "created_at", "id"], name="report_area_newest"),
            # Open and not yet due, by agency and category: the public statistics' overdue figure
            # (backend/transparency/figures.py) reads only this short range.
            models.Index(fields=["due_at", "agency", "category"], condition=models.Q(status__in=OPEN_STATUS_LIST),
                         name="report_open_due"),
            # Duplicate candidates (selectors/duplicates.py): open reports in a small box, by latitude
            # first (a box a hundred metres high is a thin slice of the city), longitude checked in it.
            models.Index(fields=["latitude", "longitude", "created_at"],
                         condition=models.Q(status__in=OPEN_STATUS_LIST), name="report_open_position"),
            # Retention (services/retention.py), asked by every periodic pass: finished reports not yet
            # anonymised, oldest closing first; the anonymised bulk of old reports stays out of it.
            models.Index(fields=["closed_at"], condition=models.Q(anonymised_at__isnull=True),
                         name="report_retention_due"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(latitude__gte=-90, latitude__lte=90), name="report_lat_range"),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=-180, longitude__lte=180), name="report_lon_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = folding.search_text(self.description)
        self.urgency_rank = rank_of(self.urgency)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"description": "search_text", "urgency": "urgency_rank"}
            kwargs["update_fields"] = {*update_fields, *(derived[f] for f in update_fields if f in derived)}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: datetime) -> bool:
        """Overdue is derived from the deadline, never a status (see overdue_q for queries)."""
        return self.is_open and self.due_at is not None and self.due_at < now


class Photo(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Ảnh phản ánh / Report photo"
        RESOLUTION = "resolution", "Ảnh sau xử lý / After photo"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.REPORT)
    position = models.PositiveSmallIntegerField(default=0)
    image = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # Where the camera says it was: a private hint for operators, never published or stored in files.
    gps_lat = models.FloatField(null=True, blank=True)
    gps_lon = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = "ảnh / photo"
        verbose_name_plural = "ảnh / photos"


class AppendOnly(Exception):
    """The audit trail is never changed or deleted (backend/reports/audit_chain.py)."""


class ReportEventQuerySet(models.QuerySet["ReportEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("report events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("report events are append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnly("report events are append-only")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """Sealed one by one in order, each report's chain continuing from its stored last link."""
        from backend.core.db_locks import serialize_on
        from backend.reports.audit_chain import seal

        objs = list(objs)
        with transaction.atomic():
            last: dict[int, str] = {}
            for event in objs:
                if event.report_id not in last:
                    serialize_on(f"report-events:{event.report_id}")
                    last[event.report_id] = _last_hash(event.report_id)
                seal(event, last[event.report_id])
                last[event.report_id] = event.hash
            return super().bulk_create(objs, *args, **kwargs)

    def start_chain(self, objs: Any) -> Any:
        """The first events of a report inserted in this same transaction: its chain starts empty.

        Nobody else can see the report before commit, so there is no earlier link to read and no
        concurrent writer to wait for: no lock, no read, no savepoint (the intake's statements per
        create, docs/performance.md section 3). Only for a report with no events yet.
        """
        from backend.reports.audit_chain import seal

        objs = list(objs)
        if len({event.report_id for event in objs}) != 1:
            raise ValueError("start_chain takes the first events of one report")
        prev = ""
        for event in objs:
            seal(event, prev)
            prev = event.hash
        return super().bulk_create(objs)


def _last_hash(report_id: int) -> str:
    return ReportEvent.objects.filter(report_id=report_id).order_by("-id").values_list("hash", flat=True).first() or ""


class ReportEvent(models.Model):
    """Append-only audit trail: one row per transition, with who, when, and old/new values.

    Each report's events form a keyed hash chain (backend/reports/audit_chain.py); rows are only ever
    inserted (the retention command may blank an old event's note and values, nothing else).
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Gửi phản ánh / Submitted"
        TRIAGED = "triaged", "Phân loại tự động / Triaged"
        ROUTED = "routed", "Điều phối / Routed"
        STATUS = "status", "Đổi trạng thái / Status changed"
        TRIAGE_OVERRIDE = "triage_override", "Sửa phân loại / Triage corrected"
        ASSIGNED = "assigned", "Chuyển đơn vị / Assigned"
        NOTE = "note", "Ghi chú / Note"
        RATED = "rated", "Đánh giá / Rated"
        MERGED = "merged", "Gộp / Merged"
        ME_TOO = "me_too", "Cùng phản ánh / Me too"
        OVERDUE = "overdue", "Quá hạn / Overdue"
        SENSITIVITY = "sensitivity", "Đánh dấu nhạy cảm / Sensitivity marked"
        HEALTH_KIND = "health_kind", "Xác nhận loại phản ánh y tế / Health kind confirmed"

    # PROTECT: deleting a report must not delete its history.
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # PROTECT: who did what stays known; a staff member who leaves is deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=16, blank=True)
    old_status = models.CharField(max_length=16, blank=True)
    new_status = models.CharField(max_length=16, blank=True)
    old_value = models.JSONField(null=True, blank=True)
    new_value = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    # Set here, not by auto_now_add (which would overwrite it after the hash that covers it is made).
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    content_digest = models.CharField(max_length=64, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    redacted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReportEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "nhật ký xử lý / report event"
        verbose_name_plural = "nhật ký xử lý / report events"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("report events are append-only")
        from backend.core.db_locks import serialize_on
        from backend.reports.audit_chain import seal

        with transaction.atomic():
            serialize_on(f"report-events:{self.report_id}")
            seal(self, _last_hash(self.report_id))
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("report events are append-only")


class IdempotencyKey(models.Model):
    """Remembers a submission so a phone's retry returns the same report instead of a duplicate.

    Stored in the database (not memory) so a retry after a server restart still finds it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")]
