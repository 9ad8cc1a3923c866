"""Epidemic mode and what a health report says beyond its text.

`EpidemicMode` rows are the history of the city's epidemic periods: one row per period, for a named
disease, `active` until an admin ends it (at most one active at a time, by a constraint). While one is open the
intake asks each kind of health report its questions (kinds.QUESTIONS).

`HealthDetails` is a `health_epidemic` report's kind and answers, one row per report. It is as
confidential as the report: only the monitoring centre and the health agency ever read it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.epidemic.kinds import HealthKind


class EpidemicMode(models.Model):
    disease_vi = models.CharField("bệnh / disease (vi)", max_length=120)
    disease_en = models.CharField("bệnh / disease (en)", max_length=120, blank=True)
    active = models.BooleanField("đang bật / on", default=True)
    started_at = models.DateTimeField("bắt đầu / started at")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="người bật / started by"
    )
    ended_at = models.DateTimeField("kết thúc / ended at", null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="người tắt / ended by",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "chế độ dịch bệnh / epidemic mode"
        verbose_name_plural = "chế độ dịch bệnh / epidemic mode"
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_epidemic_mode_at_a_time"),
        ]

    def __str__(self) -> str:
        return self.disease_vi


class HealthDetails(models.Model):
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="health")
    kind = models.CharField("loại / kind", max_length=20, choices=HealthKind.choices, db_index=True)
    # Whether the citizen chose the kind (else it was guessed from the text and may be corrected).
    kind_given = models.BooleanField(default=False)
    symptoms = models.JSONField("triệu chứng / symptoms", default=list, blank=True)
    onset_date = models.DateField("ngày khởi phát / onset date", null=True, blank=True)
    people_count = models.PositiveIntegerField("số người / people", null=True, blank=True)
    # The epidemic period the report came in, if any.
    epidemic = models.ForeignKey(EpidemicMode, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "thông tin y tế / health details"
        verbose_name_plural = "thông tin y tế / health details"

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"
