"""What the citizens' live warning stream (/ws/alerts/) is told.

Called by the warning services INSIDE the transaction of the change: the event-log row is written in
that same transaction (a rolled-back change tells nobody) and published after commit. A warning is
public, so the one audience is everyone ("citizen" payload); operators follow warnings over REST.

Event types: `alert.published`, `alert.updated`, `alert.cancelled`, and from the periodic job
`alert.started` (a scheduled warning comes into force) and `alert.expired`. `data` is the warning as
`GET /api/v1/alerts/` shows it, plus its `state` and the wards it reaches (`area.ward_codes`), so each
socket hears only of warnings for the wards or position it subscribed to; an update that moves a
warning also carries `area_before`, so the clients it left hear of it once and drop it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.alerts import selectors
from backend.alerts.models import Alert
from backend.alerts.outputs import AlertStreamOutput
from realtime import log
from realtime.streams import CITY

PUBLISHED, UPDATED, CANCELLED, STARTED, EXPIRED = "published", "updated", "cancelled", "started", "expired"


def stream_payload(alert: Alert, *, now: datetime) -> dict[str, Any]:
    fresh = selectors.with_relations(Alert.objects.filter(pk=alert.pk)).get()
    return dict(AlertStreamOutput(fresh, context={"now": now}).data)


def alert_changed(alert: Alert, change: str, *, now: datetime, area_before: dict[str, Any] | None = None) -> None:
    """Record one event of the warning's life; `area_before` (the stream payload's `area` before an
    update) when the update changed where the warning applies."""
    payload = stream_payload(alert, now=now)
    if area_before is not None and area_before != payload["area"]:
        payload["area_before"] = area_before
    log.record(f"alert.{change}", report_id=CITY, change=change, payloads={"citizen": payload})
