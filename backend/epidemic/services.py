"""Writes for epidemic mode: an admin starts it for a named disease and ends it.

While it is on, the intake asks each kind of health report its questions (kinds.QUESTIONS), and the
Open311 definition of `health_epidemic` publishes them as attributes. Starting it while it is on is a
conflict: end the current period first, so each period names one disease and its dates.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.exceptions import Conflict, Forbidden
from backend.epidemic.models import EpidemicMode


def _require_admin(actor: User) -> None:
    if actor.role != Role.ADMIN and not actor.is_superuser:
        raise Forbidden()


def epidemic_mode_start(*, actor: User, disease_vi: str, disease_en: str = "", now: datetime | None = None) -> EpidemicMode:
    _require_admin(actor)
    now = now or timezone.now()
    current = EpidemicMode.objects.filter(active=True).first()
    if current is not None:
        raise Conflict("epidemic_mode_on", disease=current.disease_vi)
    try:
        with transaction.atomic():
            return EpidemicMode.objects.create(
                disease_vi=disease_vi.strip(), disease_en=disease_en.strip(), started_at=now, started_by=actor,
            )
    except IntegrityError:  # another admin started one a moment ago: the constraint keeps it to one
        current = EpidemicMode.objects.filter(active=True).first()
        raise Conflict("epidemic_mode_on", disease=current.disease_vi if current else "") from None


def epidemic_mode_end(*, actor: User, now: datetime | None = None) -> EpidemicMode:
    _require_admin(actor)
    now = now or timezone.now()
    with transaction.atomic():
        current = EpidemicMode.objects.select_for_update().filter(active=True).first()
        if current is None:
            raise Conflict("epidemic_mode_off")
        current.active = False
        current.ended_at = now
        current.ended_by = actor
        current.save(update_fields=["active", "ended_at", "ended_by"])
    return current
