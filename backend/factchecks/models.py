"""Rumours the city checked, and the citizens' reports that saw them.

A `FactCheck` is the agency's conclusion about one claim, worded by the agency (never the reporter's
text, which may carry names, places or the rumour's own spin): true, false, misleading or unverified,
a short explanation and a source. Every misinformation report about the same rumour joins it as a
`Sighting`, so the city sees how far a rumour spread, and citizens see it was checked.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from backend.core.folding import search_text


class Verdict(models.TextChoices):
    TRUE = "true", "Đúng / True"
    FALSE = "false", "Sai sự thật / False"
    MISLEADING = "misleading", "Gây hiểu lầm / Misleading"
    UNVERIFIED = "unverified", "Chưa được kiểm chứng / Unverified"


class FactCheck(models.Model):
    claim_vi = models.CharField("nội dung tin đồn / claim (vi)", max_length=500)
    claim_en = models.CharField("nội dung tin đồn / claim (en)", max_length=500, blank=True)
    verdict = models.CharField("kết luận / verdict", max_length=12, choices=Verdict.choices)
    explanation_vi = models.TextField("giải thích / explanation (vi)")
    explanation_en = models.TextField("giải thích / explanation (en)", blank=True)
    source_name = models.CharField("nguồn / source", max_length=200)
    source_url = models.URLField("đường dẫn nguồn / source URL", max_length=500, blank=True)
    agency = models.ForeignKey(
        "routing.Agency", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị kết luận / agency"
    )
    published = models.BooleanField("công bố / published", default=True)
    published_at = models.DateTimeField("công bố lúc / published at", null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The claim and explanation folded (no marks, lower case): searched with or without diacritics.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "kiểm chứng tin đồn / fact check"
        verbose_name_plural = "kiểm chứng tin đồn / fact checks"

    def __str__(self) -> str:
        return self.claim_vi

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text(self.claim_vi, self.claim_en, self.explanation_vi, self.explanation_en)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class Sighting(models.Model):
    """A citizen's misinformation report of a rumour already checked (one fact check per report)."""

    fact_check = models.ForeignKey(FactCheck, on_delete=models.CASCADE, related_name="sightings")
    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="sighting")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = "lần xuất hiện / sighting"
        verbose_name_plural = "lần xuất hiện / sightings"
