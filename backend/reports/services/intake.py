"""Writes for reports. Each function checks, writes in one short transaction, publishes on commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.accounts.models import User
from backend.core.db_locks import writer_turn
from backend.core.decode_slots import photo_decode_slot
from backend.core.exceptions import InvalidInput, Unprocessable
from backend.core.limits import Limit, limits_hit
from backend.core.messages import Message
from backend.epidemic.intake import HealthAnswers, health_details_record, health_intake
from backend.reports.models import IdempotencyKey, Photo, Report, ReportEvent, Status
from backend.reports.photos import PhotoRejected, ProcessedPhoto, process_photo
from backend.reports.selectors.idempotency import StoredKey, idempotency_key_find
from backend.reports.services import events
from backend.reports.services.intake_decision import IntakeDecision, decide_intake
from backend.reports.storage import StoredPhoto, delete_stored, store_photo
from backend.reports.tracking import new_tracking_code
from routing.models import Category


@dataclass(frozen=True)
class ReportInput:
    description: str
    latitude: float
    longitude: float
    category_hint: Category | None = None
    anonymous: bool = False
    client_created_at: datetime | None = None
    # A health report's kind and answers (backend/epidemic/), if the citizen gave them.
    health: HealthAnswers | None = None


@dataclass(frozen=True)
class SubmitOutcome:
    report: Report
    created: bool


def _request_hash(data: ReportInput, photo_bytes: Sequence[bytes]) -> str:
    body = {
        "description": data.description,
        "latitude": round(data.latitude, 7),
        "longitude": round(data.longitude, 7),
        "category": data.category_hint.code if data.category_hint else None,
        "anonymous": data.anonymous,
        "client_created_at": data.client_created_at.isoformat() if data.client_created_at else None,
        "photos": [hashlib.sha256(raw).hexdigest() for raw in photo_bytes],
    }
    if data.health is not None:  # only then, so the keys stored before health answers existed still match
        body["health"] = data.health.as_json()
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _replay(stored: StoredKey | None, request_hash: str) -> Report | None:
    """The report an earlier request with this key created, or None; 422 if the body differs.

    A lapsed key (older than IDEMPOTENCY_KEY_TTL_DAYS) answers nothing: the request is a new one.
    """
    if stored is None or stored.lapsed:
        return None
    if stored.request_hash != request_hash:
        raise Unprocessable("idempotency_key_reused")
    return Report.objects.select_related("category", "area", "agency").get(pk=stored.report_id)


def read_uploads(files: Sequence[IO[bytes]]) -> list[bytes]:
    """The uploaded photos' bytes, at most PHOTO_MAX_COUNT of them (the one place that counts them)."""
    if len(files) > settings.PHOTO_MAX_COUNT:
        raise InvalidInput("too_many_photos", fields={"photos": ["too_many_photos"]}, max=settings.PHOTO_MAX_COUNT)
    # One byte over the limit is enough to know a file is too large; never read the rest.
    return [f.read(settings.PHOTO_MAX_BYTES + 1) for f in files]


def process_photos(raw_photos: Sequence[bytes], *, user_id: int | None = None) -> list[ProcessedPhoto]:
    """Each photo decoded inside a slot (backend/core/decode_slots.py): bounded per process and per user."""
    processed = []
    for index, raw in enumerate(raw_photos):
        try:
            with photo_decode_slot(user_id):
                processed.append(
                    process_photo(raw, max_bytes=settings.PHOTO_MAX_BYTES, max_pixels=settings.PHOTO_MAX_PIXELS)
                )
        except PhotoRejected as exc:
            # Both wordings travel with the refusal; the API layer picks the asker's language.
            text = Message(f"[{index}] {exc.message_for('vi')}", f"[{index}] {exc.message_for('en')}")
            raise InvalidInput(exc.code, fields={"photos": [text]}) from exc
    return processed


def _insert_report(user: User, data: ReportInput, stored: list[StoredPhoto], decision: IntakeDecision) -> Report:
    report = Report.objects.create(
        tracking_code=new_tracking_code(),
        reporter=user,
        anonymous=data.anonymous,
        description=data.description,
        latitude=data.latitude,
        longitude=data.longitude,
        category_hint=data.category_hint,
        client_created_at=data.client_created_at,
        status=decision.status,
        category=decision.category,
        urgency=decision.urgency,
        predicted_category=decision.predicted_category,
        predicted_urgency=decision.predicted_urgency,
        triage_confidence=decision.confidence,
        triage_model_version=decision.model_version,
        triage_rules=decision.rules_fired,
        triage_scores=decision.scores,
        area=decision.routed.area,
        agency=decision.agency,
        due_at=decision.routed.due_at,
        routing_rule_id=decision.routed.rule_id,
        routing_reason=decision.routed.reason,
        needs_review_reasons=decision.review_reasons,
    )
    photos = Photo.objects.bulk_create(
        Photo(
            report=report,
            kind=Photo.Kind.REPORT,
            position=position,
            image=item.image_name,
            thumbnail=item.thumbnail_name,
            content_type=item.photo.content_type,
            width=item.photo.width,
            height=item.photo.height,
            sha256=item.photo.sha256,
            gps_lat=item.photo.gps[0] if item.photo.gps else None,
            gps_lon=item.photo.gps[1] if item.photo.gps else None,
        )
        for position, item in enumerate(stored)
    )
    # The response shows these photos; spare it a query for rows we hold in hand.
    report._prefetched_objects_cache = {"photos": photos}  # type: ignore[attr-defined]
    hint = data.category_hint.code if data.category_hint else None
    category = decision.category.code if decision.category else None
    ReportEvent.objects.start_chain(
        [
            ReportEvent(
                report=report, kind=ReportEvent.Kind.SUBMITTED, actor=user, actor_role=user.role,
                new_status=Status.SUBMITTED, new_value={"category_hint": hint}, is_public=True,
            ),
            ReportEvent(
                report=report, kind=ReportEvent.Kind.TRIAGED, actor_role="system",
                old_status=Status.SUBMITTED, new_status=Status.TRIAGED, is_public=True,
                new_value={
                    "category": category, "urgency": decision.urgency, "confidence": decision.confidence,
                    "model_version": decision.model_version or None, "rules": decision.rules_fired,
                },
            ),
            ReportEvent(
                report=report, kind=ReportEvent.Kind.ROUTED, actor_role="system",
                old_status=Status.TRIAGED, new_status=decision.status, is_public=True,
                new_value={
                    "area": decision.routed.area.code if decision.routed.area else None,
                    "agency": decision.agency.code if decision.agency else None,
                    "due_at": decision.routed.due_at.isoformat() if decision.routed.due_at else None,
                    "rule_id": decision.routed.rule_id, "reason": decision.routed.reason,
                    "review_reasons": decision.review_reasons,
                },
            ),
        ]
    )
    return report


def report_submit(
    *,
    user: User,
    data: ReportInput,
    photos: Sequence[IO[bytes]] = (),
    idempotency_key: str | None = None,
    limits: Sequence[Limit] = (),
) -> SubmitOutcome:
    """Store a new report (or answer a retry with the stored one); `limits` cap new submissions per account."""
    raw_photos = read_uploads(photos)
    request_hash = _request_hash(data, raw_photos)
    stored_key = idempotency_key_find(user_id=user.pk, key=idempotency_key) if idempotency_key else None
    existing = _replay(stored_key, request_hash)
    if existing is not None:
        return SubmitOutcome(existing, created=False)
    now = timezone.now()
    # Health answers are checked before the limits count and the photo work: a refusal costs nothing.
    health = health_intake(answers=data.health, description=data.description, today=timezone.localdate(now))
    limits_hit(limits, str(user.pk))  # after the replay: a retry answered from storage costs nothing

    # CPU-heavy work happens before the transaction opens, so the write lock is held for milliseconds.
    processed = process_photos(raw_photos, user_id=user.pk)
    decision = decide_intake(
        description=data.description,
        latitude=data.latitude,
        longitude=data.longitude,
        category_hint=data.category_hint,
        now=now,
        minimum_urgency=health.minimum_urgency,
    )
    stored: list[StoredPhoto] = []
    try:
        for photo in processed:
            stored.append(store_photo(photo))
        with writer_turn(), transaction.atomic():
            report = _insert_report(user, data, stored, decision)
            details = health_details_record(report, health)
            # The outputs show the health details: spare them a query for the row (or its absence) in hand.
            Report.health.related.set_cached_value(report, details)  # type: ignore[attr-defined]
            if idempotency_key:
                if stored_key is not None:  # lapsed (a live one answered above): the key starts afresh
                    IdempotencyKey.objects.filter(pk=stored_key.pk).delete()
                IdempotencyKey.objects.create(
                    user=user, key=idempotency_key, request_hash=request_hash, report=report
                )
            events.report_created(report, alert=decision.alert)
    except IntegrityError:
        delete_stored(stored)
        # A concurrent retry with the same key won the race: answer with its report.
        if idempotency_key:
            existing = _replay(idempotency_key_find(user_id=user.pk, key=idempotency_key), request_hash)
            if existing is not None:
                return SubmitOutcome(existing, created=False)
        raise
    except BaseException:
        delete_stored(stored)
        raise
    return SubmitOutcome(report, created=True)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(days=settings.IDEMPOTENCY_KEY_TTL_DAYS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
