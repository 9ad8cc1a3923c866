"""The audit trail cannot be rewritten unnoticed: each report's events form a keyed hash chain.

Every ReportEvent stores `content_digest` (a digest of its note and old/new values), `prev_hash` (the
`hash` of the report's previous event, "" for the first) and `hash`, a keyed HMAC over prev_hash,
the event's header (report, kind, actor, roles, statuses, publicity, time) and the content digest.
The key (AUDIT_CHAIN_KEY, by default derived from the secret key) is not in the database, so someone
who can write to the database can change or delete a row but cannot compute the hashes that would
hide it: `manage.py verify_audit_trail` recomputes every chain and names the first broken link.

Rows are never updated or deleted through the ORM (models.py), nor through the admin or the API;
PostgreSQL refuses it with a trigger as well (SQLite refuses updates). The one update allowed is the
retention command's redaction, which blanks the note and values of an old event and sets
`redacted_at`: the chain still verifies because it covers the stored content digest, and a redacted
event is the only kind whose content is not checked against that digest.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.crypto import salted_hmac


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def content_digest(note: str, old_value: Any, new_value: Any) -> str:
    return hashlib.sha256(_canonical({"note": note, "old": old_value, "new": new_value}).encode()).hexdigest()


def _key() -> bytes:
    configured = getattr(settings, "AUDIT_CHAIN_KEY", "")
    if configured:
        return configured.encode()
    return salted_hmac("backend.reports.audit_chain", "key", algorithm="sha256").digest()


def link_hash(event: Any, prev_hash: str) -> str:
    """The hash of `event` (a ReportEvent, saved or about to be) following `prev_hash`."""
    header = {
        "report": event.report_id, "kind": event.kind, "actor": event.actor_id, "actor_role": event.actor_role,
        "old_status": event.old_status, "new_status": event.new_status, "public": bool(event.is_public),
        "at": _instant(event.created_at), "content": event.content_digest, "prev": prev_hash,
    }
    return hmac.new(_key(), _canonical(header).encode(), hashlib.sha256).hexdigest()


def seal(event: Any, prev_hash: str) -> None:
    """Fill in the chain fields of a new event whose previous link is `prev_hash`."""
    event.content_digest = content_digest(event.note, event.old_value, event.new_value)
    event.prev_hash = prev_hash
    event.hash = link_hash(event, prev_hash)


@dataclass(frozen=True)
class BrokenLink:
    report_id: int
    event_id: int
    reason: str

    def __str__(self) -> str:
        return f"report {self.report_id}, event {self.event_id}: {self.reason}"


def verify_chain(report_id: int, events: Iterable[Any], report_status: str | None = None) -> BrokenLink | None:
    """The first broken link of one report's events (in id order), or None if the chain holds."""
    prev = ""
    last = None
    for event in events:
        if event.prev_hash != prev:
            return BrokenLink(report_id, event.pk, "does not follow the event before it (one was removed or moved)")
        if event.redacted_at is None and event.content_digest != content_digest(
            event.note, event.old_value, event.new_value
        ):
            return BrokenLink(report_id, event.pk, "note or values changed")
        if event.hash != link_hash(event, prev):
            return BrokenLink(report_id, event.pk, "who, what or when changed")
        prev = event.hash
        last = event
    if last is not None and report_status is not None and last.new_status and last.new_status != report_status:
        return BrokenLink(
            report_id, last.pk,
            f"the report is '{report_status}' but its last event says '{last.new_status}' (later events removed?)",
        )
    return None


def chains(events: Iterable[Any]) -> Iterator[tuple[int, list[Any]]]:
    """Group events ordered by (report, id) into one list per report."""
    current: int | None = None
    batch: list[Any] = []
    for event in events:
        if event.report_id != current:
            if current is not None:
                yield current, batch
            current, batch = event.report_id, []
        batch.append(event)
    if current is not None:
        yield current, batch
