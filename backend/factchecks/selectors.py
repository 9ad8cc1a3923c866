"""Reads for fact checks: the public's search (with or without diacritics) and the agency's list."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from backend.core.folding import query_words
from backend.factchecks.models import FactCheck


def _with_counts(qs: QuerySet[FactCheck]) -> QuerySet[FactCheck]:
    return qs.select_related("agency").annotate(sighting_count=Count("sightings"))


def matching(qs: QuerySet[FactCheck], query: str) -> QuerySet[FactCheck]:
    """Every query word starts a word of the claim or explanation, marks and case ignored."""
    for word in query_words(query):
        qs = qs.filter(Q(search_text__contains=f" {word}"))
    return qs


def public_factchecks(*, query: str = "") -> QuerySet[FactCheck]:
    """Published conclusions, newest first. Nothing of the reports behind them is reachable from here."""
    qs = _with_counts(FactCheck.objects.filter(published=True, published_at__isnull=False))
    return matching(qs, query).order_by("-published_at", "-id")


def public_factcheck_get(*, fact_check_id: int) -> FactCheck:
    found = public_factchecks().filter(pk=fact_check_id).first()
    if found is None:
        raise Http404
    return found


def factcheck_list(*, query: str = "") -> QuerySet[FactCheck]:
    """All of them, drafts included, for the agency that writes them."""
    return matching(_with_counts(FactCheck.objects.all()), query).order_by("-updated_at", "-id")


def factcheck_get(*, fact_check_id: int) -> FactCheck:
    found = _with_counts(FactCheck.objects.prefetch_related("sightings")).filter(pk=fact_check_id).first()
    if found is None:
        raise Http404
    return found
