"""Points in time typed into query strings (`since`, `until`, Open311's `start_date`/`end_date`)."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_SPACE_FOR_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


def parse_instant(raw: str, *, end_of_day: bool = False) -> datetime:
    """An ISO 8601 datetime, or a bare date meaning the whole day, as an aware datetime.

    Without an offset the city's time zone is meant (a Huế resident types local times). A bare date
    is the day's first instant, or with `end_of_day` its last one, so `until=2026-11-30` includes the
    30th. Raises ValueError on anything else.
    """
    # An unencoded "+07:00" in a query string arrives as " 07:00"; the intent is unambiguous.
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", raw.strip())
    if _DATE_ONLY.fullmatch(text):
        value = datetime.combine(date.fromisoformat(text), time.max if end_of_day else time.min)
    else:
        value = datetime.fromisoformat(text)
    # Far outside any report; also keeps date arithmetic (a 90-day window) from overflowing.
    if not 1900 <= value.year <= 9000:
        raise ValueError("year out of range")
    return timezone.make_aware(value) if timezone.is_naive(value) else value
