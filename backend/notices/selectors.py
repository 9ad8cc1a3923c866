"""Reads for official information: what is published and not expired, pinned first, newest next."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from backend.core.folding import query_words
from backend.notices.models import Notice


def public_notices(*, now: datetime, kind: str | None = None, query: str = "") -> QuerySet[Notice]:
    qs = Notice.objects.filter(published=True, published_at__lte=now).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    if kind:
        qs = qs.filter(kind=kind)
    for word in query_words(query):
        qs = qs.filter(search_text__contains=f" {word}")
    return qs.order_by("-pinned", "-published_at", "-id")


def public_notice_get(*, now: datetime, notice_id: int) -> Notice:
    found = public_notices(now=now).filter(pk=notice_id).first()
    if found is None:
        raise Http404
    return found
