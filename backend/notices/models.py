"""The city's official information: notices, guidance and FAQs, written in the admin in vi and en.

Guidance is how to protect yourself, where to get tested, which agency handles what; FAQs are a
question (the title) and its answer (the body). The assistant answers from these and cites them.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from backend.core.folding import search_text


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "Thông báo / Notice"
    GUIDANCE = "guidance", "Hướng dẫn / Guidance"
    FAQ = "faq", "Hỏi đáp / FAQ"


class Notice(models.Model):
    kind = models.CharField("loại / kind", max_length=10, choices=NoticeKind.choices)
    title_vi = models.CharField("tiêu đề hoặc câu hỏi / title or question (vi)", max_length=300)
    body_vi = models.TextField("nội dung hoặc trả lời / body or answer (vi)")
    title_en = models.CharField("tiêu đề hoặc câu hỏi / title or question (en)", max_length=300, blank=True)
    body_en = models.TextField("nội dung hoặc trả lời / body or answer (en)", blank=True)
    published = models.BooleanField("công bố / published", default=False)
    pinned = models.BooleanField("ghim lên đầu / pinned", default=False)
    published_at = models.DateTimeField("công bố lúc / published at", null=True, blank=True)
    expires_at = models.DateTimeField("hết hiệu lực / expires at", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-pinned", "-published_at", "-id"]
        verbose_name = "thông tin chính thức / official information"
        verbose_name_plural = "thông báo, hướng dẫn, hỏi đáp / notices, guidance, FAQs"

    def __str__(self) -> str:
        return self.title_vi

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.utils import timezone

        if self.published and self.published_at is None:
            self.published_at = timezone.now()
        self.search_text = search_text(self.title_vi, self.title_en, self.body_vi, self.body_en)
        super().save(*args, **kwargs)
