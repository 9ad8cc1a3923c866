"""Writes for warnings: publish, update, cancel, and announce the ones that start or expire.

Each issue of a warning is one short transaction that locks the row, checks, writes the new state and
one AlertRevision (the history CAP's `references` are built from), and tells the live stream after
commit (events.py). A cancelled or expired warning is final: it cannot be changed or cancelled again
(409), so the history always ends with what citizens were last told.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.alerts import events
from backend.alerts.models import Alert, AlertRevision, MsgType, State
from backend.core.exceptions import Conflict, InvalidInput, NotFound
from backend.core.messages import Message
from routing.models import Area

CONTENT_FIELDS = (
    "title_vi", "body_vi", "title_en", "body_en", "kind", "severity", "urgency", "certainty",
    "starts_at", "expires_at",
)
AREA_FIELDS = ("city_wide", "wards", "geometry")
_FINAL_WORDS: dict[str, tuple[str, str]] = {State.CANCELLED: ("huỷ", "cancelled"), State.EXPIRED: ("hết hạn", "expired")}


@dataclass(frozen=True)
class AreaChoice:
    """Exactly one of: the whole city, some wards, a drawn area (already checked by areas.parse_geometry)."""

    city_wide: bool = False
    wards: list[Area] = field(default_factory=list)
    geometry: dict[str, Any] | None = None


@dataclass(frozen=True)
class AlertInput:
    title_vi: str
    body_vi: str
    kind: str
    severity: str
    urgency: str
    certainty: str
    expires_at: datetime
    area: AreaChoice
    title_en: str = ""
    body_en: str = ""
    starts_at: datetime | None = None


def area_choice(*, city_wide: bool | None, wards: list[Area] | None, geometry: dict[str, Any] | None) -> AreaChoice:
    """The one area the operator chose; 400 `alert_area_required` for none or several."""
    chosen = [name for name, given in (("city_wide", bool(city_wide)), ("wards", bool(wards)), ("geometry", geometry is not None)) if given]
    if len(chosen) != 1:
        problem = ["choose exactly one of city_wide, wards, geometry"]
        raise InvalidInput("alert_area_required", fields={name: problem for name in AREA_FIELDS})
    return AreaChoice(city_wide=bool(city_wide), wards=list(wards or []), geometry=geometry)


def _check_times(starts_at: datetime, expires_at: datetime, now: datetime) -> None:
    if expires_at <= now:
        raise InvalidInput("invalid", fields={"expires_at": ["must be in the future"]})
    if expires_at <= starts_at:
        raise InvalidInput("invalid", fields={"expires_at": ["must be after starts_at"]})


def snapshot(alert: Alert) -> dict[str, Any]:
    """What a revision said: its content and area, in plain JSON."""
    return {
        "title_vi": alert.title_vi,
        "body_vi": alert.body_vi,
        "title_en": alert.title_en,
        "body_en": alert.body_en,
        "kind": alert.kind,
        "severity": alert.severity,
        "urgency": alert.urgency,
        "certainty": alert.certainty,
        "city_wide": alert.city_wide,
        "wards": sorted(a.code for a in alert.wards.all()),
        "geometry": alert.geometry,
        "starts_at": alert.starts_at.isoformat(),
        "expires_at": alert.expires_at.isoformat(),
        "cancel_reason": alert.cancel_reason,
    }


def _revise(alert: Alert, *, msg_type: str, actor: User | None, now: datetime, changed: list[str]) -> AlertRevision:
    return AlertRevision.objects.create(
        alert=alert, version=alert.version, msg_type=msg_type, sent_at=now, actor=actor,
        actor_role=getattr(actor, "role", "") if actor is not None else "system",
        snapshot=snapshot(alert), changed=changed,
    )


def _set_area(alert: Alert, area: AreaChoice) -> None:
    alert.city_wide = area.city_wide
    alert.geometry = area.geometry


def alert_create(*, actor: User, data: AlertInput, now: datetime | None = None) -> Alert:
    now = now or timezone.now()
    starts_at = data.starts_at or now
    _check_times(starts_at, data.expires_at, now)
    with transaction.atomic():
        alert = Alert(
            title_vi=data.title_vi, body_vi=data.body_vi, title_en=data.title_en, body_en=data.body_en,
            kind=data.kind, severity=data.severity, urgency=data.urgency, certainty=data.certainty,
            starts_at=starts_at, expires_at=data.expires_at, issued_at=now, created_by=actor, version=1,
            start_announced_at=now if starts_at <= now else None,
        )
        _set_area(alert, data.area)
        alert.save()
        alert.wards.set(data.area.wards)
        _revise(alert, msg_type=MsgType.ALERT, actor=actor, now=now, changed=[])
        events.alert_changed(alert, events.PUBLISHED, now=now)
    return alert


def _locked_open(alert_id: int, now: datetime) -> Alert:
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise NotFound()
    state = alert.state(now)
    if state in _FINAL_WORDS:
        vi, en = _FINAL_WORDS[state]
        raise Conflict("alert_closed", state=Message(vi, en))
    return alert


def alert_update(
    *, actor: User, alert_id: int, changes: dict[str, Any], area: AreaChoice | None = None, now: datetime | None = None
) -> Alert:
    """Change what a live or scheduled warning says or where it applies: a CAP Update."""
    now = now or timezone.now()
    unknown = set(changes) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not alert content: {sorted(unknown)}")
    with transaction.atomic():
        alert = _locked_open(alert_id, now)
        before = snapshot(alert)
        area_before = events.stream_payload(alert, now=now)["area"] if area is not None else None
        for name, value in changes.items():
            setattr(alert, name, value)
        if area is not None:
            _set_area(alert, area)
        _check_times(alert.starts_at, alert.expires_at, now)
        after = {**snapshot(alert), "wards": sorted(a.code for a in area.wards) if area is not None else before["wards"]}
        changed = [name for name in after if after[name] != before[name]]
        if not changed:
            raise InvalidInput("alert_nothing_to_change")
        alert.version += 1
        alert.issued_at = now
        # The update itself tells the stream the warning's state; a start moved later is announced later.
        alert.start_announced_at = now if alert.starts_at <= now else None
        alert.save()
        if area is not None:
            alert.wards.set(area.wards)
        _revise(alert, msg_type=MsgType.UPDATE, actor=actor, now=now, changed=changed)
        events.alert_changed(alert, events.UPDATED, now=now, area_before=area_before)
    return alert


def alert_cancel(*, actor: User, alert_id: int, reason: str = "", now: datetime | None = None) -> Alert:
    """Withdraw a warning: it leaves every citizen's list at once (a CAP Cancel)."""
    now = now or timezone.now()
    with transaction.atomic():
        alert = _locked_open(alert_id, now)
        alert.cancelled_at = now
        alert.cancel_reason = reason
        alert.version += 1
        alert.issued_at = now
        alert.save()
        _revise(alert, msg_type=MsgType.CANCEL, actor=actor, now=now, changed=["cancelled"])
        events.alert_changed(alert, events.CANCELLED, now=now)
    return alert


def alerts_announce_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Tell the live stream of each scheduled warning that came into force and each warning whose expiry
    passed, once each: the periodic job's share of warnings.

    Each is claimed with a conditional UPDATE inside its own short transaction (with its event), so two
    passes running at once announce it once and a failure leaves it for the next pass.
    """
    now = now or timezone.now()
    announced = 0
    open_ones = Alert.objects.filter(cancelled_at__isnull=True)
    started = open_ones.filter(start_announced_at__isnull=True, starts_at__lte=now, expires_at__gt=now)
    for pk in list(started.order_by("starts_at").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            if Alert.objects.filter(pk=pk, start_announced_at__isnull=True).update(start_announced_at=now):
                events.alert_changed(Alert.objects.get(pk=pk), events.STARTED, now=now)
                announced += 1
    expired = open_ones.filter(expiry_announced_at__isnull=True, expires_at__lte=now)
    for pk in list(expired.order_by("expires_at").values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            if Alert.objects.filter(pk=pk, expiry_announced_at__isnull=True).update(expiry_announced_at=now):
                events.alert_changed(Alert.objects.get(pk=pk), events.EXPIRED, now=now)
                announced += 1
    return announced

