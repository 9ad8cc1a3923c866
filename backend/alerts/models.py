"""Warnings the city sends to citizens (thông báo, cảnh báo), and the history of each one.

An `Alert` holds the warning as it stands now; every issue of it (first publication, each update, the
cancellation) is an `AlertRevision` with a snapshot of what was said, so CAP consumers can follow the
chain (msgType Alert -> Update... -> Cancel, each referencing the earlier messages) and the city can
show what it told people and when.

Severity, urgency and certainty take CAP 1.2's own values, so what an operator picks is what a
warning aggregator reads.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    FLOOD = "flood", "Ngập lụt / Flood"
    STORM = "storm", "Bão, áp thấp / Storm"
    EPIDEMIC = "epidemic", "Dịch bệnh / Epidemic"
    TRAFFIC = "traffic", "Giao thông / Traffic"
    UTILITY_OUTAGE = "utility_outage", "Cắt điện, cắt nước / Utility outage"
    SECURITY = "security", "An ninh, trật tự / Security"
    OTHER = "other", "Khác / Other"


class Severity(models.TextChoices):
    EXTREME = "Extreme", "Cực kỳ nghiêm trọng / Extreme"
    SEVERE = "Severe", "Nghiêm trọng / Severe"
    MODERATE = "Moderate", "Trung bình / Moderate"
    MINOR = "Minor", "Nhẹ / Minor"
    UNKNOWN = "Unknown", "Chưa rõ / Unknown"


class AlertUrgency(models.TextChoices):
    IMMEDIATE = "Immediate", "Hành động ngay / Immediate"
    EXPECTED = "Expected", "Trong giờ tới / Expected"
    FUTURE = "Future", "Sắp tới / Future"
    PAST = "Past", "Đã qua / Past"
    UNKNOWN = "Unknown", "Chưa rõ / Unknown"


class Certainty(models.TextChoices):
    OBSERVED = "Observed", "Đã xảy ra / Observed"
    LIKELY = "Likely", "Nhiều khả năng / Likely"
    POSSIBLE = "Possible", "Có thể / Possible"
    UNLIKELY = "Unlikely", "Ít khả năng / Unlikely"
    UNKNOWN = "Unknown", "Chưa rõ / Unknown"


# Most severe first: the order citizens' lists use.
SEVERITY_RANK = {Severity.EXTREME: 0, Severity.SEVERE: 1, Severity.MODERATE: 2, Severity.MINOR: 3, Severity.UNKNOWN: 4}


class MsgType(models.TextChoices):
    ALERT = "Alert", "Phát hành / Alert"
    UPDATE = "Update", "Cập nhật / Update"
    CANCEL = "Cancel", "Huỷ / Cancel"


class State(models.TextChoices):
    """Derived from the times and the cancellation, never stored."""

    SCHEDULED = "scheduled", "Chưa hiệu lực / Scheduled"
    ACTIVE = "active", "Đang hiệu lực / Active"
    EXPIRED = "expired", "Đã hết hạn / Expired"
    CANCELLED = "cancelled", "Đã huỷ / Cancelled"


class Alert(models.Model):
    title_vi = models.CharField("tiêu đề / title (vi)", max_length=200)
    body_vi = models.TextField("nội dung / body (vi)")
    title_en = models.CharField("tiêu đề / title (en)", max_length=200, blank=True)
    body_en = models.TextField("nội dung / body (en)", blank=True)
    kind = models.CharField("loại / kind", max_length=20, choices=Kind.choices)
    severity = models.CharField("mức độ / severity", max_length=10, choices=Severity.choices)
    urgency = models.CharField("độ khẩn / urgency", max_length=10, choices=AlertUrgency.choices)
    certainty = models.CharField("độ chắc chắn / certainty", max_length=10, choices=Certainty.choices)
    # Exactly one of the three areas is set (checked by the service and a constraint).
    city_wide = models.BooleanField("toàn thành phố / whole city", default=False)
    wards = models.ManyToManyField("routing.Area", verbose_name="phường/xã / wards", blank=True, related_name="+")
    # A GeoJSON Polygon ([lng, lat] rings) or a circle {"center": [lng, lat], "radius_m": N}.
    geometry = models.JSONField("vùng vẽ / drawn area", null=True, blank=True)
    starts_at = models.DateTimeField("bắt đầu / starts at")
    expires_at = models.DateTimeField("hết hạn / expires at", db_index=True)
    cancelled_at = models.DateTimeField("huỷ lúc / cancelled at", null=True, blank=True)
    cancel_reason = models.CharField("lý do huỷ / cancel reason", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    # When the latest revision was sent: "newest first" in every list, and CAP's `sent`.
    issued_at = models.DateTimeField("phát hành lúc / issued at", db_index=True)
    # When the live stream was told the warning is in force / has expired, each set once (the periodic
    # job claims them), so a scheduled warning is announced when it starts and every warning when it ends.
    start_announced_at = models.DateTimeField(null=True, blank=True)
    expiry_announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người tạo / created by"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "cảnh báo / warning"
        verbose_name_plural = "cảnh báo / warnings"
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("starts_at")), name="alert_expires_after_start"),
        ]

    def __str__(self) -> str:
        return self.title_vi

    def state(self, now: datetime) -> str:
        if self.cancelled_at is not None:
            return State.CANCELLED
        if now >= self.expires_at:
            return State.EXPIRED
        if now < self.starts_at:
            return State.SCHEDULED
        return State.ACTIVE


class AlertRevision(models.Model):
    """One issue of a warning, as it was sent: append-only, written by the services only."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    msg_type = models.CharField(max_length=8, choices=MsgType.choices)
    sent_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_role = models.CharField(max_length=16, blank=True)
    # The warning's content as sent in this revision, and which fields changed from the one before.
    snapshot = models.JSONField()
    changed = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["alert", "version"]
        verbose_name = "lần phát hành / revision"
        verbose_name_plural = "lịch sử phát hành / revisions"
        constraints = [models.UniqueConstraint(fields=["alert", "version"], name="one_revision_per_version")]

    def __str__(self) -> str:
        return f"{self.alert_id} v{self.version} {self.msg_type}"
