"""Aggregates behind the public statistics, so a request never reads every report (backend/transparency/figures.py)."""

from __future__ import annotations

from django.db import models


class DailyFigures(models.Model):
    """The additive parts of the statistics for the reports received on one UTC day, by agency and category.

    Kept exact by database triggers on reports_report (installed by this app's migrations, written in
    figures.py): every insert, update of a counted column and delete adds the row's new contribution
    and takes away its old one, whatever wrote it (a service, the admin, a bulk UPDATE). 0 stands for
    "no agency" / "no category" (so the unique key has no NULLs). Merged duplicates are not counted.
    """

    day = models.DateField()
    agency_id = models.IntegerField()
    category_id = models.IntegerField()
    total = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    open_with_deadline = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_with_deadline = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    rated = models.IntegerField(default=0)
    stars_sum = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "agency_id", "category_id"], name="daily_figures_key")]
        verbose_name = "số liệu theo ngày / daily figures"
        verbose_name_plural = "số liệu theo ngày / daily figures"


class ResolutionMedian(models.Model):
    """The median hours to resolve of one agency's or category's reports received from `day` on.

    A median does not add up across days, so the periodic job computes one per group and day
    (figures.medians_refresh) and a request reads one row per group.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", "agency"
        CATEGORY = "category", "category"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    group_id = models.IntegerField()
    day = models.DateField()
    median_hours = models.FloatField()
    resolved = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "group_id", "day"], name="resolution_median_key")]


class MedianRefresh(models.Model):
    """When the medians were last computed (one row); without it, medians are computed from the reports."""

    computed_at = models.DateTimeField()
