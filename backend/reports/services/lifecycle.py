"""The ticket lifecycle: one service per transition, each checked, recorded and published.

Every service follows the same steps, in one short transaction:
1. lock the report row (`select_for_update`), so two operators (or an operator and the periodic job)
   cannot both act on the same state;
2. check the actor: role first (403), then the object (an agency acts only on its own tickets; another
   agency's ticket answers 404, its existence is not theirs to know);
3. check the transition is legal from the current status (`TRANSITIONS` below), else 409
   `illegal_transition` with nothing changed;
4. write the new state and one append-only ReportEvent (actor, role, old/new status and values, note,
   whether the citizen sees it);
5. `events.report_updated(...)`, which publishes after commit.

The legal transitions, as data (action -> statuses it may start from -> status it leads to):

| action            | who              | from                                                   | to           |
|-------------------|------------------|--------------------------------------------------------|--------------|
| triage (confirm   | operator/admin   | submitted, triaged, needs_review, assigned, returned   | assigned     |
|   or override)    |                  |                                                        |  (re-routed) |
| assign            | operator/admin   | submitted, triaged, needs_review, assigned, returned   | assigned     |
| reject            | operator/admin   | submitted, triaged, needs_review, assigned, returned   | rejected     |
| merge             | operator/admin   | submitted, triaged, needs_review, assigned, returned   | merged       |
| note (internal)   | operator/admin   | any                                                    | (unchanged)  |
| accept            | agency (own)     | assigned, reopened                                     | accepted     |
| progress          | agency (own)     | accepted, in_progress                                  | in_progress  |
| resolve           | agency (own)     | accepted, in_progress                                  | resolved     |
| return            | agency (own)     | assigned, accepted, in_progress, reopened              | returned     |
| rate (once)       | the reporter     | resolved, closed (auto-closed, not yet rated)          | closed       |
| reopen            | the reporter     | resolved, closed (within REOPEN_WINDOW_DAYS)           | reopened     |
| mark overdue      | system           | every open status, once per report                     | (unchanged)  |
| auto-close        | system           | resolved (unrated, AUTO_CLOSE_DAYS after resolution)   | closed       |

Why these lines:
- Operators work on a report until an agency has accepted it; after that the agency owns the work and
  the way back to the operators is `return`.
- `returned` clears the agency and puts the report back in the operators' queue; `reopened` keeps the
  agency (the citizen says the job is not done) and gives it a fresh deadline.
- Rating closes a resolved report; a rating is given once per report, so a report reopened after a
  rating is not rated again. Reopening is allowed after a rating (a 1-star rating usually means it).
- `rejected`, `merged` and `closed` (after the reopen window) are final.
- Overdue is derived from the deadline, not a status; the periodic job records it once per report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from rest_framework import status as http

from backend.accounts.models import Role, User
from backend.core.errors import ApiError
from backend.reports.models import Photo, Report, ReportEvent, Status
from backend.reports.services import events
from backend.reports.storage import StoredPhoto, delete_stored, store_photo
from routing import runtime as routing
from routing.models import Agency, Area, Category, Urgency

S = Status

# Before an agency has accepted: the operators' part of the workflow.
OPERATOR_STAGE = frozenset({S.SUBMITTED, S.TRIAGED, S.NEEDS_REVIEW, S.ASSIGNED, S.RETURNED})
# Not finished: overdue applies, duplicates are looked for, a merge may target them.
OPEN_STATUSES = frozenset(
    {S.SUBMITTED, S.TRIAGED, S.NEEDS_REVIEW, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.RETURNED, S.REOPENED}
)
FINAL_STATUSES = frozenset({S.CLOSED, S.REJECTED, S.MERGED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the status does not change
    roles: frozenset[str]


_OPS = frozenset({Role.OPERATOR, Role.ADMIN})
_AGENCY = frozenset({Role.AGENCY})
_CITIZEN = frozenset({Role.CITIZEN, Role.OPERATOR, Role.AGENCY, Role.ADMIN})  # the reporter, whoever they are
_SYSTEM: frozenset[str] = frozenset()

TRANSITIONS: dict[str, Transition] = {
    "triage": Transition(OPERATOR_STAGE, S.ASSIGNED, _OPS),
    "assign": Transition(OPERATOR_STAGE, S.ASSIGNED, _OPS),
    "reject": Transition(OPERATOR_STAGE, S.REJECTED, _OPS),
    "merge": Transition(OPERATOR_STAGE, S.MERGED, _OPS),
    "note": Transition(frozenset(Status.values), None, _OPS),
    "accept": Transition(frozenset({S.ASSIGNED, S.REOPENED}), S.ACCEPTED, _AGENCY),
    "progress": Transition(frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.IN_PROGRESS, _AGENCY),
    "resolve": Transition(frozenset({S.ACCEPTED, S.IN_PROGRESS}), S.RESOLVED, _AGENCY),
    "return": Transition(frozenset({S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.REOPENED}), S.RETURNED, _AGENCY),
    "rate": Transition(frozenset({S.RESOLVED, S.CLOSED}), S.CLOSED, _CITIZEN),
    "reopen": Transition(frozenset({S.RESOLVED, S.CLOSED}), S.REOPENED, _CITIZEN),
    "mark_overdue": Transition(OPEN_STATUSES, None, _SYSTEM),
    "auto_close": Transition(frozenset({S.RESOLVED}), S.CLOSED, _SYSTEM),
}
# Where a merge may point: an open report (a resolved or closed one would hide the new complaint).
MERGE_TARGET_STATUSES = OPEN_STATUSES


# How people call the actions, for the refusal message (Vietnamese, English).
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "triage": ("xác nhận phân loại", "confirm triage"),
    "assign": ("chuyển đơn vị", "assign"),
    "reject": ("từ chối", "reject"),
    "merge": ("gộp phản ánh", "merge"),
    "note": ("ghi chú", "add a note"),
    "accept": ("tiếp nhận", "accept"),
    "progress": ("cập nhật tiến độ", "report progress"),
    "resolve": ("báo đã xử lý", "resolve"),
    "return": ("trả lại", "return"),
    "rate": ("đánh giá", "rate"),
    "reopen": ("mở lại", "reopen"),
    "mark_overdue": ("báo quá hạn", "mark overdue"),
    "auto_close": ("tự động đóng", "auto-close"),
}


def is_legal(action: str, current_status: str) -> bool:
    return current_status in TRANSITIONS[action].sources


# --- helpers ------------------------------------------------------------------------------------


def _require_role(actor: User, action: str) -> None:
    if actor.role not in TRANSITIONS[action].roles:
        raise ApiError("permission_denied", http.HTTP_403_FORBIDDEN)


def _illegal(action: str, status: str) -> ApiError:
    english = (get_language() or "vi").startswith("en")
    vi_status, _, en_status = Status(status).label.partition(" / ")
    return ApiError(
        "illegal_transition", http.HTTP_409_CONFLICT,
        action=ACTION_NAMES[action][english], status=en_status if english else vi_status,
    )


def _require_legal(action: str, report: Report) -> None:
    if not is_legal(action, report.status):
        raise _illegal(action, report.status)


def _not_found() -> ApiError:
    return ApiError("not_found", http.HTTP_404_NOT_FOUND)


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


def _deadline(report: Report, *, start: datetime) -> datetime | None:
    """The deadline routing's policy gives this report's category and urgency, counted from `start`."""
    if report.category is None or not report.urgency:
        return report.due_at
    decision = routing.route(
        report.category.code, report.urgency, latitude=report.latitude, longitude=report.longitude,
        area_code=_code(report.area), now=start,
    )
    return decision.due_at


def _set_deadline(report: Report, due_at: datetime | None, now: datetime) -> None:
    if due_at != report.due_at:
        report.due_at = due_at
        # A new deadline may pass again: escalate again then.
        report.overdue_notified_at = None if due_at is None or due_at > now else report.overdue_notified_at


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
        raise ApiError("invalid", fields={"urgency": [f"unknown urgency: {urgency}"]})
    now = now or timezone.now()
    report = _lock_for_operator(actor, "triage", report_id)
    old_status = report.status
    old = _routing_values(report)
    decision = routing.route(
        category.code, urgency, latitude=report.latitude, longitude=report.longitude, now=report.created_at
    )
    agency = Agency.objects.filter(code=decision.agency_code).first()
    if agency is None:  # routing tables name an agency that was deleted: the IOC keeps it
        agency = Agency.objects.filter(is_fallback=True).order_by("code").first()
    report.category = category
    report.urgency = urgency
    report.area = Area.objects.filter(code=decision.area_code).first() if decision.area_code else None
    report.agency = agency
    report.routing_rule_id = decision.rule_id
    report.routing_reason = decision.reason[:300]
    report.needs_review_reasons = []
    _set_deadline(report, decision.due_at, now)
    report.status = S.ASSIGNED if agency is not None else S.NEEDS_REVIEW
    report.save()
    confirmed = old["category"] == category.code and old["urgency"] == urgency
    _record(
        report, kind=ReportEvent.Kind.TRIAGE_OVERRIDE, actor=actor, old_status=old_status,
        old_value=old, new_value={**_routing_values(report), "confirmed": confirmed},
    )
    # An operator raising a report to critical is news for the alert screens, like a critical intake.
    raised_to_critical = urgency == Urgency.CRITICAL and old["urgency"] != Urgency.CRITICAL
    events.report_updated(
        report, change="triage_confirmed" if confirmed else "triage_override", actor_id=actor.pk,
        alert=raised_to_critical,
    )
    return report


@transaction.atomic
def report_assign(*, actor: User, report_id: int, agency: Agency, now: datetime | None = None) -> Report:
    """Forward a report to an agency chosen by the operator (over routing's choice)."""
    now = now or timezone.now()
    report = _lock_for_operator(actor, "assign", report_id)
    old_status, old = report.status, _routing_values(report)
    report.agency = agency
    report.status = S.ASSIGNED
    report.needs_review_reasons = []
    if report.due_at is None:
        _set_deadline(report, _deadline(report, start=report.created_at), now)
    report.save()
    _record(
        report, kind=ReportEvent.Kind.ASSIGNED, actor=actor, old_status=old_status,
        old_value=old, new_value=_routing_values(report),
    )
    events.report_updated(report, change="assigned", actor_id=actor.pk)
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
    events.report_updated(report, change="rejected", actor_id=actor.pk)
    return report


@transaction.atomic
def report_merge(*, actor: User, report_id: int, into_id: int) -> Report:
    """A duplicate joins another report, which counts one more "me too" (plus the duplicate's own)."""
    _require_role(actor, "merge")
    if into_id == report_id:
        raise ApiError("merge_into_self", fields={"into": ["merge_into_self"]})
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {r.pk: r for r in Report.objects.select_for_update().filter(pk__in=[report_id, into_id]).order_by("pk")}
    report = locked.get(report_id)
    if report is None:
        raise _not_found()
    _require_legal("merge", report)
    target = locked.get(into_id)
    if target is None or target.status not in MERGE_TARGET_STATUSES:
        raise ApiError("merge_target_invalid", http.HTTP_409_CONFLICT, fields={"into": ["merge_target_invalid"]})
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
    events.report_updated(report, change="merged", actor_id=actor.pk)
    events.report_updated(target, change="me_too", actor_id=actor.pk)
    return report


@transaction.atomic
def report_note_add(*, actor: User, report_id: int, note: str) -> ReportEvent:
    """An internal note: IOC staff see it on the timeline; citizens and agencies never do."""
    report = _lock_for_operator(actor, "note", report_id)
    event = _record(report, kind=ReportEvent.Kind.NOTE, actor=actor, old_status=report.status, note=note, is_public=False)
    events.report_updated(report, change="note", actor_id=actor.pk)
    return event


# --- agencies -----------------------------------------------------------------------------------


@transaction.atomic
def ticket_accept(*, actor: User, report_id: int) -> Report:
    report = _lock_for_agency(actor, "accept", report_id)
    old_status = report.status
    report.status = S.ACCEPTED
    report.save()
    _record(report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status)
    events.report_updated(report, change="accepted", actor_id=actor.pk)
    return report


@transaction.atomic
def ticket_progress(*, actor: User, report_id: int, note: str) -> Report:
    """A progress note the citizen reads; the first one moves the ticket to in_progress."""
    report = _lock_for_agency(actor, "progress", report_id)
    old_status = report.status
    report.status = S.IN_PROGRESS
    report.save()
    _record(report, kind=ReportEvent.Kind.NOTE, actor=actor, old_status=old_status, note=note)
    events.report_updated(report, change="progress", actor_id=actor.pk)
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
    processed = process_photos(raw)
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
                report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=note,
                new_value={"photos": len(stored)},
            )
            events.report_updated(report, change="resolved", actor_id=actor.pk)
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
    events.report_updated(report, change="returned", actor_id=actor.pk)
    return report


# --- citizens -----------------------------------------------------------------------------------


@transaction.atomic
def report_rate(*, actor: User, report_id: int, stars: int, comment: str = "") -> Report:
    """Once per report, after it is resolved; a rating closes the report."""
    if not 1 <= stars <= 5:
        raise ApiError("invalid", fields={"stars": ["must be between 1 and 5"]})
    report = _lock_for_reporter(actor, "rate", report_id)
    if report.rating_stars is not None:
        raise ApiError("already_rated", http.HTTP_409_CONFLICT)
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
    events.report_updated(report, change="rated", actor_id=actor.pk)
    return report


@transaction.atomic
def report_reopen(*, actor: User, report_id: int, reason: str, now: datetime | None = None) -> Report:
    """Not satisfied: back to the same agency with a fresh deadline, within the reopen window."""
    now = now or timezone.now()
    report = _lock_for_reporter(actor, "reopen", report_id)
    window = timedelta(days=settings.REOPEN_WINDOW_DAYS)
    if report.resolved_at is None or now - report.resolved_at > window:
        raise ApiError("reopen_window_passed", http.HTTP_409_CONFLICT, days=settings.REOPEN_WINDOW_DAYS)
    if report.agency_id is None:  # defensive: a resolved report always has its agency
        raise _illegal("reopen", report.status)
    old_status, old = report.status, _routing_values(report)
    report.status = S.REOPENED
    report.reopened_count += 1
    report.closed_at = None
    _set_deadline(report, _deadline(report, start=now), now)
    report.save()
    _record(
        report, kind=ReportEvent.Kind.STATUS, actor=actor, old_status=old_status, note=reason,
        old_value=old, new_value=_routing_values(report),
    )
    events.report_updated(report, change="reopened", actor_id=actor.pk)
    return report


# --- the periodic job (no actor) ----------------------------------------------------------------


def report_mark_overdue(*, report_id: int, now: datetime) -> bool:
    """Record once that the deadline passed, and alert the operators. False if another process did.

    The conditional UPDATE is the lock: of several processes racing, exactly one changes the row.
    """
    with transaction.atomic():
        claimed = Report.objects.filter(
            pk=report_id, overdue_notified_at__isnull=True, due_at__lt=now, status__in=OPEN_STATUSES
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
