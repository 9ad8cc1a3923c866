"""The report lifecycle: one service per transition, each checked, recorded and published.

Every service follows the same steps, in one short transaction:
1. lock the report row (`select_for_update`), so two operators (or an operator and the periodic job)
   cannot both act on the same state;
2. check the actor: role first (Forbidden), then the object (an agency acts only on its own tickets;
   another agency's ticket is NotFound, its existence is not theirs to know);
3. check the transition is legal from the current status (`transitions.TRANSITIONS`), else
   IllegalTransition with nothing changed;
4. write the new state and one append-only ReportEvent (actor, role, old/new status and values, note,
   whether the citizen sees it);
5. `events.report_updated(...)`, which publishes after commit.

Refusals are domain errors (backend.core.exceptions); the API layer gives them a status and words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from backend.accounts.models import User
from backend.core.exceptions import Conflict, Forbidden, IllegalTransition, InvalidInput, NotFound
from backend.epidemic.holders import require_may_hold, require_urgency_floor, require_urgency_for_kind
from backend.epidemic.intake import health_details_ensure
from backend.epidemic.kinds import HealthKind
from backend.epidemic.models import HealthDetails
from backend.reports.models import Photo, Report, ReportEvent, Status, overdue_q
from backend.reports.services import events
from backend.reports.services.routing_apply import apply_route, route_existing, route_report, set_deadline
from backend.reports.storage import StoredPhoto, delete_stored, store_photo
from backend.reports.transitions import MERGE_TARGET_STATUSES, TRANSITIONS, is_legal
from routing.models import Agency, Area, Category, Urgency

S = Status

# --- helpers ------------------------------------------------------------------------------------


def _require_role(actor: User, action: str) -> None:
    if actor.role not in TRANSITIONS[action].roles:
        raise Forbidden()


def _illegal(action: str, status: str) -> IllegalTransition:
    return IllegalTransition(action, status, Status(status).label)


def _require_legal(action: str, report: Report) -> None:
    if not is_legal(action, report.status):
        raise _illegal(action, report.status)


def _not_found() -> NotFound:
    return NotFound()


def _locked(qs: QuerySet[Report], report_id: int) -> Report:
    report = qs.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise _not_found()
    return report


def _lock_for_operator(actor: User, action: str, report_id: int) -> Report:
    _require_role(actor, action)
    report = _locked(Report.objects.all(), report_id)
    _require_legal(action, report)
    return report


def _lock_for_agency(actor: User, action: str, report_id: int) -> Report:
    _require_role(actor, action)
    # Another agency's ticket (or one returned by this agency) is not found, not forbidden.
    report = _locked(Report.objects.filter(agency_id=actor.agency_id or 0), report_id)
    _require_legal(action, report)
    return report


def _lock_for_reporter(actor: User, action: str, report_id: int) -> Report:
    _require_role(actor, action)
    report = _locked(Report.objects.filter(reporter=actor), report_id)
    _require_legal(action, report)
    return report


def _record(
    report: Report,
    *,
    kind: str,
    actor: User | None,
    old_status: str,
    note: str = "",
    is_public: bool = True,
    old_value: dict[str, Any] | None = None,
    new_value: dict[str, Any] | None = None,
) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        actor=actor,
        actor_role=actor.role if actor is not None else "system",
        old_status=old_status,
        new_status=report.status,
        old_value=old_value,
        new_value=new_value,
        note=note,
        is_public=is_public,
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _code(obj: Category | Agency | Area | None) -> str | None:
    return obj.code if obj is not None else None


def _routing_values(report: Report) -> dict[str, Any]:
    return {
        "category": _code(report.category),
        "urgency": report.urgency or None,
        "area": _code(report.area),
        "agency": _code(report.agency),
        "due_at": _iso(report.due_at),
        "rule_id": report.routing_rule_id,
    }


# --- operators ----------------------------------------------------------------------------------


@transaction.atomic
def report_triage_confirm(
    *, actor: User, report_id: int, category: Category, urgency: str, now: datetime | None = None
) -> Report:
    """The operator confirms or corrects category and urgency; the report is routed again.

    The deadline counts from the report's submission: it is the city's promise to the citizen, and
    time spent in review is part of it. The decision is kept (event `triage_override`) as a labelled
    example for retraining (`triage_feedback_rows`).
    """
    if urgency not in Urgency.values:
        raise InvalidInput("invalid", fields={"urgency": [f"unknown urgency: {urgency}"]})
    now = now or timezone.now()
    report = _lock_for_operator(actor, "triage", report_id)
    require_urgency_for_kind(report, category, urgency)  # a request for medical help is at least high
    old_status = report.status
    old = _routing_values(report)
    routed = route_report(
        category=category, urgency=urgency, latitude=report.latitude, longitude=report.longitude,
        start=report.created_at,
    )
    report.category = category
    report.urgency = urgency
    apply_route(report, routed, now=now)
    # The operator has looked: only a missing agency keeps the report in review (they assign by hand).
    report.needs_review_reasons = [r for r in routed.review_reasons if r in {"no_agency", "agency_not_allowed"}]
    report.status = S.ASSIGNED if routed.agency is not None else S.NEEDS_REVIEW
    report.save()
    health_details_ensure(report)
    confirmed = old["category"] == category.code and old["urgency"] == urgency
    _record(
        report, kind=ReportEvent.Kind.TRIAGE_OVERRIDE, actor=actor, old_status=old_status,
        old_value=old, new_value={**_routing_values(report), "confirmed": confirmed},
    )
    # An operator raising a report to critical is news for the alert screens, like a critical intake.
    raised_to_critical = urgency == Urgency.CRITICAL and old["urgency"] != Urgency.CRITICAL
    events.report_updated(
        report, change="triage_confirmed" if confirmed else "triage_override",
        alert=raised_to_critical,
    )
    return report


@transaction.atomic
def report_assign(*, actor: User, report_id: int, agency: Agency, now: datetime | None = None) -> Report:
    """Forward a report to an agency chosen by the operator (over routing's choice)."""
    now = now or timezone.now()
    report = _lock_for_operator(actor, "assign", report_id)
    require_may_hold(report.category, agency)  # health reports: the health agency or the IOC only
    old_status, old = report.status, _routing_values(report)
    report.agency = agency
    report.status = S.ASSIGNED
    report.needs_review_reasons = []
    if report.due_at is None:
        set_deadline(report, route_existing(report, start=report.created_at).due_at, now=now)
    report.save()
    _record(
        report, kind=ReportEvent.Kind.ASSIGNED, actor=actor, old_status=old_status,
        old_value=old, new_value=_routing_values(report),
    )
    events.report_updated(report, change="assigned")
    return report


@transaction.atomic
def report_reject(*, actor: User, report_id: int, reason: str) -> Report:
    """Spam, invalid or out of scope. The reason is public: the citizen is told why."""
    report = _lock_for_operator(actor, "reject", report_id)
    old_status = report.status
    report.status = S.REJECTED
    report.closed_at = timezone.now()
    report.save()
    _record(report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=reason)
    events.report_updated(report, change="rejected")
    return report


@transaction.atomic
def report_merge(*, actor: User, report_id: int, into_id: int) -> Report:
    """A duplicate joins another report, which counts one more "me too" (plus the duplicate's own)."""
    _require_role(actor, "merge")
    if into_id == report_id:
        raise InvalidInput("merge_into_self", fields={"into": ["merge_into_self"]})
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[report_id, into_id]).order_by("pk")}
    report = locked.get(report_id)
    if report is None:
        raise _not_found()
    _require_legal("merge", report)
    target = locked.get(into_id)
    if target is None or target.status not in MERGE_TARGET_STATUSES:
        raise Conflict("merge_target_invalid", fields={"into": ["merge_target_invalid"]})
    old_status = report.status
    gained = 1 + report.me_too_count
    report.status = S.MERGED
    report.merged_into = target
    report.closed_at = timezone.now()
    report.save()
    # Reports merged into this one follow it, so every reporter ends at the live report.
    Report.objects.filter(merged_into=report).update(merged_into=target)
    Report.objects.filter(pk=target.pk).update(me_too_count=F("me_too_count") + gained)
    target.refresh_from_db(fields=["me_too_count"])
    _record(
        report, kind=ReportEvent.Kind.MERGED, actor=actor, old_status=old_status,
        note=target.tracking_code,
        new_value={"merged_into": target.pk, "tracking_code": target.tracking_code},
    )
    _record(
        target, kind=ReportEvent.Kind.ME_TOO, actor=actor, old_status=target.status,
        old_value={"me_too_count": target.me_too_count - gained},
        new_value={"me_too_count": target.me_too_count, "merged": report.pk},
    )
    events.report_updated(report, change="merged")
    events.report_updated(target, change="me_too")
    return report


@transaction.atomic
def report_mark_sensitive(*, actor: User, report_id: int, sensitive: bool, reason: str) -> Report:
    """Withdraw a report from every public path (or give it back): publication.py reads the flag."""
    report = _lock_for_operator(actor, "mark_sensitive", report_id)
    if report.sensitive == sensitive:
        return report
    report.sensitive = sensitive
    report.save(update_fields=["sensitive", "updated_at"])
    _record(
        report, kind=ReportEvent.Kind.SENSITIVITY, actor=actor, old_status=report.status, note=reason,
        is_public=False, old_value={"sensitive": not sensitive}, new_value={"sensitive": sensitive},
    )
    events.report_updated(report, change="sensitivity")
    return report


@transaction.atomic
def report_health_kind_set(*, actor: User, report_id: int, kind: str) -> Report:
    """The operator confirms or corrects what a health report is (suspected case, medical help...):
    the epidemic figures count suspected cases by it, and a request for medical help is at least high."""
    if kind not in HealthKind.values:
        raise InvalidInput("invalid", fields={"kind": [f"one of {', '.join(HealthKind.values)}"]})
    report = _lock_for_operator(actor, "health_kind", report_id)
    details = HealthDetails.objects.select_for_update().filter(report=report).first() or health_details_ensure(report)
    if details is None:
        raise Conflict("not_a_health_report")
    require_urgency_floor(kind, report.urgency)
    if details.kind == kind and details.kind_given:
        return report
    old = {"kind": details.kind, "kind_given": details.kind_given}
    details.kind, details.kind_given = kind, True
    details.save(update_fields=["kind", "kind_given"])
    # Internal: what kind of health matter it is stays between the IOC and the health agency.
    _record(
        report, kind=ReportEvent.Kind.HEALTH_KIND, actor=actor, old_status=report.status, is_public=False,
        old_value=old, new_value={"kind": kind, "kind_given": True},
    )
    events.report_updated(report, change="health_kind")
    return report


@transaction.atomic
def report_note_add(*, actor: User, report_id: int, note: str) -> ReportEvent:
    """An internal note: IOC staff see it on the timeline; citizens and agencies never do."""
    report = _lock_for_operator(actor, "note", report_id)
    event = _record(report, kind=ReportEvent.Kind.NOTE, actor=actor, old_status=report.status, note=note, is_public=False)
    events.report_updated(report, change="note")
    return event


# --- agencies -----------------------------------------------------------------------------------


@transaction.atomic
def ticket_accept(*, actor: User, report_id: int) -> Report:
    report = _lock_for_agency(actor, "accept", report_id)
    old_status = report.status
    report.status = S.ACCEPTED
    report.save()
    _record(report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status)
    events.report_updated(report, change="accepted")
    return report


@transaction.atomic
def ticket_progress(*, actor: User, report_id: int, note: str) -> Report:
    """A progress note the citizen reads; the first one moves the ticket to in_progress."""
    report = _lock_for_agency(actor, "progress", report_id)
    old_status = report.status
    report.status = S.IN_PROGRESS
    report.save()
    _record(report, kind=ReportEvent.Kind.NOTE, actor=actor, old_status=old_status, note=note)
    events.report_updated(report, change="progress")
    return report


def ticket_resolve(
    *, actor: User, report_id: int, note: str, photos: Sequence[IO[bytes]] = (), now: datetime | None = None
) -> Report:
    """Resolved, with a note and up to 5 after-photos through the intake photo pipeline.

    Photos are checked and processed before the transaction opens (CPU work outside the lock); their
    files are removed if the transaction fails, including when the transition turns out illegal.
    """
    from backend.reports.services.intake import (  # the intake pipeline, one place for its rules
        process_photos,
        read_uploads,
    )

    _require_role(actor, "resolve")
    raw = read_uploads(photos)
    # Cheap early refusal before the photo work; the locked check below is the one that counts.
    current = Report.objects.filter(pk=report_id, agency_id=actor.agency_id or 0).values_list("status", flat=True).first()
    if current is None:
        raise _not_found()
    if not is_legal("resolve", current):
        raise _illegal("resolve", current)
    processed = process_photos(raw, user_id=actor.pk)
    stored: list[StoredPhoto] = []
    try:
        for photo in processed:
            stored.append(store_photo(photo, folder="resolutions"))
        with transaction.atomic():
            report = _lock_for_agency(actor, "resolve", report_id)
            old_status = report.status
            report.status = S.RESOLVED
            report.resolved_at = now or timezone.now()
            report.save()
            Photo.objects.bulk_create(
                Photo(
                    report=report, kind=Photo.Kind.RESOLUTION, position=position,
                    image=item.image_name, thumbnail=item.thumbnail_name,
                    content_type=item.photo.content_type, width=item.photo.width, height=item.photo.height,
                    sha256=item.photo.sha256,
                )
                for position, item in enumerate(stored)
            )
            _record(
                # The after-photos' digests are sealed into the audit chain with the answer's text, so the
                # agency's official answer can be proven unchanged (audit_chain.py, verify_audit_trail).
                report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=note,
                new_value={"photos": len(stored), "photo_sha256": [item.photo.sha256 for item in stored]},
            )
            events.report_updated(report, change="resolved")
    except BaseException:
        delete_stored(stored)
        raise
    return report


@transaction.atomic
def ticket_return(*, actor: User, report_id: int, reason: str) -> Report:
    """Not ours: back to the operators' queue, without an agency."""
    report = _lock_for_agency(actor, "return", report_id)
    old_status, old = report.status, _routing_values(report)
    report.status = S.RETURNED
    report.agency = None
    report.save()
    _record(
        report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=reason,
        old_value=old, new_value=_routing_values(report),
    )
    # The report has no agency any more; realtime tells the agency that held it that it left its board.
    events.report_updated(report, change="returned")
    return report


# --- citizens -----------------------------------------------------------------------------------


@transaction.atomic
def report_rate(*, actor: User, report_id: int, stars: int, comment: str = "") -> Report:
    """Once per report, after it is resolved; a rating closes the report."""
    if not 1 <= stars <= 5:
        raise InvalidInput("invalid", fields={"stars": ["must be between 1 and 5"]})
    report = _lock_for_reporter(actor, "rate", report_id)
    if report.rating_stars is not None:
        raise Conflict("already_rated")
    now = timezone.now()
    old_status = report.status
    report.rating_stars = stars
    report.rating_comment = comment
    report.rated_at = now
    report.status = S.CLOSED
    report.closed_at = report.closed_at or now
    report.save()
    _record(
        report, kind=ReportEvent.Kind.RATED, actor=actor, old_status=old_status, note=comment,
        new_value={"stars": stars},
    )
    events.report_updated(report, change="rated")
    return report


@transaction.atomic
def report_reopen(*, actor: User, report_id: int, reason: str, now: datetime | None = None) -> Report:
    """Not satisfied: back to the same agency with a fresh deadline, within the reopen window."""
    now = now or timezone.now()
    report = _lock_for_reporter(actor, "reopen", report_id)
    window = timedelta(days=settings.REOPEN_WINDOW_DAYS)
    if report.resolved_at is None or now - report.resolved_at > window:
        raise Conflict("reopen_window_passed", days=settings.REOPEN_WINDOW_DAYS)
    if report.agency_id is None:  # defensive: a resolved report always has its agency
        raise _illegal("reopen", report.status)
    old_status, old = report.status, _routing_values(report)
    report.status = S.REOPENED
    report.reopened_count += 1
    report.closed_at = None
    set_deadline(report, route_existing(report, start=now).due_at, now=now)
    report.save()
    _record(
        report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=reason,
        old_value=old, new_value=_routing_values(report),
    )
    events.report_updated(report, change="reopened")
    return report


# --- the periodic job (no actor) ----------------------------------------------------------------


def report_mark_overdue(*, report_id: int, now: datetime) -> bool:
    """Record once that the deadline passed, and alert the operators. False if another process did.

    The conditional UPDATE is the lock: of several processes racing, exactly one changes the row.
    """
    with transaction.atomic():
        claimed = Report.objects.filter(
            overdue_q(now), pk=report_id, overdue_notified_at__isnull=True
        ).update(overdue_notified_at=now)
        if not claimed:
            return False
        report = Report.objects.select_related("agency").get(pk=report_id)
        _record(
            report, kind=ReportEvent.Kind.OVERDUE, actor=None, old_status=report.status, is_public=False,
            new_value={"due_at": _iso(report.due_at), "agency": _code(report.agency)},
        )
        events.report_updated(report, change="overdue", alert=True)
    return True


def report_auto_close(*, report_id: int, now: datetime) -> bool:
    """Close a resolved report nobody rated within AUTO_CLOSE_DAYS. False if it changed meanwhile."""
    cutoff = now - timedelta(days=settings.AUTO_CLOSE_DAYS)
    with transaction.atomic():
        claimed = Report.objects.filter(
            pk=report_id, status=S.RESOLVED, rating_stars__isnull=True, resolved_at__lte=cutoff
        ).update(status=S.CLOSED, closed_at=now, updated_at=now)
        if not claimed:
            return False
        report = Report.objects.get(pk=report_id)
        _record(
            report, kind=ReportEvent.Kind.STATUS, actor=None, old_status=S.RESOLVED,
            new_value={"auto_closed_after_days": settings.AUTO_CLOSE_DAYS},
        )
        events.report_updated(report, change="closed")
    return True


# --- labelled examples for the triage model -----------------------------------------------------


def triage_feedback_rows() -> list[dict[str, str]]:
    """Operator-confirmed or corrected reports as training rows: {text, category, urgency}.

    One row per report, from the operator's latest triage decision. Rejected reports are left out:
    spam and out-of-scope texts would teach the model a category they do not have.
    """
    latest: dict[int, dict[str, Any]] = {}
    rows = (
        ReportEvent.objects.filter(kind=ReportEvent.Kind.TRIAGE_OVERRIDE)
        .exclude(report__status=S.REJECTED)
        .order_by("report_id", "created_at", "id")
        .values_list("report_id", "new_value", "report__description")
    )
    for report_id, value, text in rows:
        if value and value.get("category") and value.get("urgency"):
            latest[report_id] = {"text": text, "category": value["category"], "urgency": value["urgency"]}
    return [latest[key] for key in sorted(latest)]
