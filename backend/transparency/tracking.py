"""A report followed by its tracking code, without logging in (the /track/ page and the assistant).

The tracking code is the citizen's own handle (read aloud to the hotline, printed on the receipt), so
whoever holds it may learn where the report stands: status, deadline, the next step and the public
timeline. What else is shown follows the publication policy (`published_reports`): for a report the
public may see, which agency has it and the staff's public notes; for one it may not (health, crime
tips, anything withheld), only the status, the deadline and the steps, never the agency, category,
place or any note, so a code passed around cannot expose a restricted report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from backend.core.limits import Limit, limit_hit, limit_refund
from backend.reports.models import Report, ReportEvent, Status
from backend.reports.tracking import ALPHABET
from backend.transparency import selectors as public_selectors

_LETTER = f"[{ALPHABET}]"
CODE_IN_TEXT = re.compile(rf"(?<![0-9A-Za-z])({_LETTER}{{4}})-({_LETTER}{{4}})(?![0-9A-Za-z])", re.IGNORECASE)


def normalise_code(raw: str) -> str | None:
    """ "abcd efgh", "ABCDEFGH", "abcd-efgh" -> "ABCD-EFGH"; None if it cannot be a code."""
    compact = re.sub(r"[\s-]", "", raw).upper()
    if len(compact) != 8 or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{compact[:4]}-{compact[4:]}"


def code_in_text(text: str) -> str | None:
    match = CODE_IN_TEXT.search(text)
    return f"{match.group(1)}-{match.group(2)}".upper() if match else None


@dataclass(frozen=True)
class TrackedReport:
    report: Report
    published: bool  # may the public see what it is about (agency, category, notes)?
    timeline: list[ReportEvent]


def tracked_report(*, code: str) -> TrackedReport | None:
    report = (
        Report.objects.select_related("agency", "category", "merged_into")
        .filter(tracking_code=code.upper())
        .first()
    )
    if report is None:
        return None
    published = public_selectors.published_reports().filter(pk=report.pk).exists()
    events = list(report.events.filter(is_public=True).order_by("created_at", "id"))
    return TrackedReport(report=report, published=published, timeline=events)


def lookup_limit() -> Limit:
    # A tracking code is a bearer secret (29^8 codes): bound how many codes one address may try that
    # match no report. Codes that exist are given back, so a citizen's page polling its own code never
    # runs out; past the limit every lookup is refused, a right guess included.
    return Limit("track_misses_ip", settings.TRACK_MISSES_PER_IP_PER_HOUR, 3600, code="track_lookups_limited")


def tracked_report_for(*, code: str, client_ip: str) -> TrackedReport | None:
    """`tracked_report` for a caller at `client_ip`, within its limit of codes that do not exist."""
    limit_hit(lookup_limit(), client_ip)
    found = tracked_report(code=code)
    if found is not None:
        limit_refund(lookup_limit(), client_ip)
    return found


def due_text(value: datetime | None, english: bool) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d %H:%M") if english else local.strftime("%H:%M ngày %d/%m/%Y")


def next_step(tracked: TrackedReport, *, english: bool) -> str:
    """What happens next, in one sentence, in the citizen's language."""
    report = tracked.report
    agency = report.agency
    if agency is not None and tracked.published:
        who = agency.name_en if english else agency.name_vi
    else:
        who = "the agency in charge" if english else "đơn vị phụ trách"
    due = due_text(report.due_at, english)
    s = report.status
    if s in (Status.SUBMITTED, Status.TRIAGED, Status.NEEDS_REVIEW):
        return ("The city's monitoring centre (IOC) is reviewing it and will pass it to the agency in charge."
                if english else "Trung tâm IOC đang xem xét và sẽ chuyển đến đơn vị xử lý.")
    if s == Status.ASSIGNED:
        return (f"Passed to {who}, which is to handle it by {due}." if english
                else f"Đã chuyển đến {who}, hạn xử lý {due}.")
    if s in (Status.ACCEPTED, Status.IN_PROGRESS):
        return f"{who[0].upper()}{who[1:]} is working on it; deadline {due}." if english else f"{who[0].upper()}{who[1:]} đang xử lý, hạn {due}."
    if s == Status.REOPENED:
        return (f"Reopened as you asked; {who} is handling it again by {due}." if english
                else f"Đã mở lại theo yêu cầu; {who} xử lý lại, hạn {due}.")
    if s == Status.RETURNED:
        return ("The agency said it is not theirs; the IOC is choosing the right one." if english
                else "Đơn vị đã trả lại; Trung tâm IOC đang chọn đơn vị phù hợp.")
    if s == Status.RESOLVED:
        days = settings.REOPEN_WINDOW_DAYS
        return (f"Resolved. Rate the result in the app, or reopen it within {days} days if it is not fixed."
                if english else f"Đã xử lý xong. Hãy đánh giá trong ứng dụng, hoặc mở lại trong {days} ngày nếu chưa ổn.")
    if s == Status.CLOSED:
        return "Closed. Thank you for reporting." if english else "Đã đóng. Cảm ơn bạn đã phản ánh."
    if s == Status.MERGED:
        return ("It was a duplicate and joined an earlier report of the same problem; that one is being handled."
                if english else "Trùng với một phản ánh trước về cùng sự việc và đã được gộp; phản ánh đó đang được xử lý.")
    return ("Not accepted (out of scope or invalid). Call the hotline if you think this is a mistake." if english
            else "Không được tiếp nhận (ngoài phạm vi hoặc không hợp lệ). Gọi đường dây nóng nếu bạn thấy chưa đúng.")


def is_overdue(tracked: TrackedReport, now: datetime) -> bool:
    return public_selectors.is_overdue(tracked.report, now)
