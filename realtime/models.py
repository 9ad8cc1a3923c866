"""The event log: every change a screen may hear of, in commit order, kept for a window.

The row id is the event's sequence number (`seq`). A client that reconnects sends the last seq it saw
and is replayed everything after it from here. Payloads are stored per audience, already filtered by
the caller (the backend decides what operators, an agency and the citizen may see), so this package
never needs to know about reports, roles or privacy rules.
"""

from __future__ import annotations

from django.db import models


class EventLog(models.Model):
    id = models.BigAutoField(primary_key=True)
    type = models.CharField(max_length=40)
    # What changed: a report.updated names it ("assigned", "accepted", ...); empty for creations.
    change = models.CharField(max_length=40, blank=True)
    report_id = models.BigIntegerField()
    # The agency that holds the ticket after the change, and the one that lost it (reassigned or
    # returned), which is told only that the ticket is no longer theirs.
    agency_id = models.BigIntegerField(null=True, blank=True)
    previous_agency_id = models.BigIntegerField(null=True, blank=True)
    alert = models.BooleanField(default=False)
    # Null means "this audience is not told": e.g. an internal note has no citizen payload.
    ops_payload = models.JSONField(null=True, blank=True)
    agency_payload = models.JSONField(null=True, blank=True)
    citizen_payload = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        # "The newest event of stream S before seq N" must be one index probe (see log.last_in).
        indexes = [
            models.Index(fields=["agency_id", "id"], name="rt_event_agency_seq"),
            models.Index(fields=["previous_agency_id", "id"], name="rt_event_prev_agency_seq"),
            models.Index(fields=["report_id", "id"], name="rt_event_report_seq"),
            models.Index(fields=["alert", "id"], name="rt_event_alert_seq"),
        ]
        verbose_name = "sự kiện thời gian thực / realtime event"
        verbose_name_plural = "nhật ký sự kiện / realtime event log"

    def __str__(self) -> str:
        return f"#{self.id} {self.type} report {self.report_id}"


class LogWatermark(models.Model):
    """One row: the highest seq ever purged. A resume from at or below it cannot be served."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    purged_through = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "mốc xoá nhật ký / event log watermark"
