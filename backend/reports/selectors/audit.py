"""Reads that check the audit trail (backend/reports/audit_chain.py)."""

from __future__ import annotations

from collections.abc import Iterator

from backend.reports.audit_chain import BrokenLink, chains, verify_chain
from backend.reports.models import Photo, Report, ReportEvent


def audit_trail_breaks(*, report_id: int | None = None) -> Iterator[BrokenLink]:
    """The first broken link of every report whose chain does not hold (report id order)."""
    events = ReportEvent.objects.order_by("report_id", "id")
    statuses = Report.objects.all()
    if report_id is not None:
        events = events.filter(report_id=report_id)
        statuses = statuses.filter(pk=report_id)
    status_of = dict(statuses.values_list("id", "status"))
    photos = Photo.objects.filter(kind=Photo.Kind.RESOLUTION)
    if report_id is not None:
        photos = photos.filter(report_id=report_id)
    after_photos: dict[int, set[str]] = {}
    for photo_report, digest in photos.values_list("report_id", "sha256"):
        after_photos.setdefault(photo_report, set()).add(digest)
    seen: set[int] = set()
    for chain_report, chain in chains(events.iterator(chunk_size=2000)):
        seen.add(chain_report)
        broken = verify_chain(chain_report, chain, status_of.get(chain_report)) or _after_photos_sealed(
            chain_report, chain, after_photos.get(chain_report, set())
        )
        if broken is not None:
            yield broken
    # A report with no events at all lost its whole history (every report is created with one).
    for missing in sorted(set(status_of) - seen):
        yield BrokenLink(missing, 0, "has no events at all (its history was removed)")


def _after_photos_sealed(report_id: int, chain: list[ReportEvent], stored: set[str]) -> BrokenLink | None:
    """Every after-photo on record is one whose digest an agency's resolution event sealed."""
    sealed: set[str] = set()
    last_resolution = 0
    for event in chain:
        digests = (event.new_value or {}).get("photo_sha256") if isinstance(event.new_value, dict) else None
        if digests:
            sealed.update(digests)
            last_resolution = event.pk
    if stored - sealed:
        return BrokenLink(report_id, last_resolution, "an after-photo is not one sealed by the agency's resolution")
    return None
