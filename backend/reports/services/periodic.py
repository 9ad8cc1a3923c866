"""Periodic work over database rows: deadlines passing, resolved reports nobody rated, old keys,
warnings coming into force or expiring (told to the live warning stream), the public statistics'
medians (hourly), personal data past the retention period (a batch per pass), and once every
AUDIT_VERIFY_HOURS a check of every report's audit-trail hash chain.

One pass is a handful of short transactions; several processes may run passes at the same time
(several workers in production, or `serve` plus a stray `run_periodic_jobs`): each report is claimed
with a conditional UPDATE (`lifecycle.report_mark_overdue`, `report_auto_close`), so exactly one
process records an escalation or a closing, and nobody waits on a lock. Every pass writes a
JobHeartbeat row, so operators can see the loop is alive.
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.db.models import Max
from django.utils import timezone

from backend.alerts.services import alerts_announce_due
from backend.core.models import JobHeartbeat
from backend.reports.models import Report, Status
from backend.reports.selectors.audit import audit_trail_breaks
from backend.reports.services import lifecycle
from backend.reports.services.intake import idempotency_keys_purge
from backend.reports.services.retention import retention_apply
from backend.transparency import figures
from realtime import log as event_log

logger = logging.getLogger(__name__)

JOB_NAME = "periodic"
AUDIT_JOB_NAME = "audit_trail"
BATCH = 500
HEARTBEAT_KEEP_DAYS = 7
# How many broken chains are named in the log; the heartbeat keeps the count.
AUDIT_BREAKS_LOGGED = 20


@dataclass(frozen=True)
class PassCounts:
    overdue: int
    auto_closed: int
    idempotency_keys_purged: int
    events_purged: int
    alerts_announced: int
    # The public statistics' medians (backend/transparency/figures.py), recomputed at most hourly.
    medians_refreshed: bool = False
    anonymised: int = 0
    # Broken audit-trail chains found by this pass, or None when the check was not due.
    audit_breaks: int | None = None


def overdue_mark_all(*, now: datetime) -> int:
    """Escalate every open report whose deadline passed and that nobody escalated yet."""
    due = (
        Report.objects.overdue(now).filter(overdue_notified_at__isnull=True)
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(lifecycle.report_mark_overdue(report_id=pk, now=now) for pk in list(due))


def resolved_auto_close_all(*, now: datetime) -> int:
    cutoff = now - timedelta(days=settings.AUTO_CLOSE_DAYS)
    stale = (
        Report.objects.filter(status=Status.RESOLVED, rating_stars__isnull=True, resolved_at__lte=cutoff)
        .order_by("resolved_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(lifecycle.report_auto_close(report_id=pk, now=now) for pk in list(stale))


def audit_trail_check_due(*, now: datetime) -> int | None:
    """Verify every report's audit chain when the last check is older than AUDIT_VERIFY_HOURS.

    It reads the whole trail, so one process does it: the claim is an atomic add in the cache every
    server shares, and the finished check leaves a heartbeat that the next passes look at. A broken
    chain is an alarm for the people running the city's system: logged as an error naming the report
    and event (no personal data), counted in the heartbeat (and so visible in /metrics)."""
    every = timedelta(hours=settings.AUDIT_VERIFY_HOURS)
    last = JobHeartbeat.objects.filter(name=AUDIT_JOB_NAME).aggregate(at=Max("beat_at"), id=Max("id"))
    if last["at"] is not None and last["at"] > now - every:
        return None
    # Processes that saw the same last check race for the same key; the winner's heartbeat moves the
    # next check to a new key. A claimer that dies leaves the key to expire after one interval.
    claim = f"periodic:{AUDIT_JOB_NAME}:after:{last['id'] or 0}"
    if not cache.add(claim, socket.gethostname()[:120], timeout=int(every.total_seconds())):
        return None
    breaks = list(audit_trail_breaks())
    for link in breaks[:AUDIT_BREAKS_LOGGED]:
        logger.error("audit trail broken: %s", link)
    JobHeartbeat.objects.create(
        name=AUDIT_JOB_NAME, host=socket.gethostname()[:120],
        detail={"broken": len(breaks), "first": str(breaks[0]) if breaks else None},
    )
    return len(breaks)


def run_pass(*, now: datetime | None = None) -> PassCounts:
    now = now or timezone.now()
    counts = PassCounts(
        overdue=overdue_mark_all(now=now),
        auto_closed=resolved_auto_close_all(now=now),
        idempotency_keys_purged=idempotency_keys_purge(now=now),
        # Events past the retention window; a client resuming from before them is told to reload.
        events_purged=event_log.purge_expired(now=now),
        alerts_announced=alerts_announce_due(now=now),
        medians_refreshed=figures.medians_refresh(now=now),
        anonymised=retention_apply(now=now, limit=BATCH).reports,
        audit_breaks=audit_trail_check_due(now=now),
    )
    JobHeartbeat.objects.create(name=JOB_NAME, host=socket.gethostname()[:120], detail=asdict(counts))
    JobHeartbeat.objects.filter(
        name__in=(JOB_NAME, AUDIT_JOB_NAME), beat_at__lt=now - timedelta(days=HEARTBEAT_KEEP_DAYS)
    ).delete()
    return counts


def run_forever(*, interval: float | None = None, stop: threading.Event | None = None) -> None:
    """Pass after pass until `stop` is set. A failing pass is logged and the loop goes on."""
    stop = stop or threading.Event()
    wait = settings.PERIODIC_INTERVAL_SECONDS if interval is None else interval
    while not stop.is_set():
        close_old_connections()
        try:
            counts = run_pass()
            if counts.overdue or counts.auto_closed or counts.anonymised:
                logger.info("periodic pass: %s", asdict(counts))
        except Exception:
            logger.exception("periodic pass failed; trying again in %ss", wait)
        finally:
            close_old_connections()
        stop.wait(wait)


def start_in_thread(*, interval: float | None = None) -> tuple[threading.Thread, threading.Event]:
    """The embedded default runs the loop inside the server process, in a daemon thread."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, kwargs={"interval": interval, "stop": stop}, name="periodic-jobs", daemon=True
    )
    thread.start()
    return thread, stop
