"""Deadlines in Vietnamese public-sector working time (pure Python + `holidays`, no Django).

Units:
- "hours": wall-clock hours, 24/7 (critical reports: danger to life does not wait for Monday);
- "working_hours": hours of working time, skipping nights, lunch, weekends and public holidays;
- "working_days": working time as well, one working day being the full length of a working day
  (7.5 h with the default hours), so Friday 16:00 + 1 working day = Monday 16:00.

Public holidays come from `holidays.Vietnam` (Tết Nguyên Đán with the government's extra days,
Hùng Kings, 30/4, 1/5, 2/9, ...), plus the Saturdays the government swaps in as working days to
bridge a holiday ("làm bù"), plus any days off or working days the city configures.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from threading import Lock
from typing import Any
from zoneinfo import ZoneInfo

from holidays import country_holidays

from routing.types import URGENCIES, DeadlinePolicy, DeadlineUnit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_PERIODS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})
# Guard against a calendar with no working time at all (would loop forever otherwise).
_MAX_DAYS_SCANNED = 3 * 366

# DESIGN.md's starting point; per-category policies configured by the city take precedence.
DEFAULT_POLICIES: tuple[DeadlinePolicy, ...] = (
    DeadlinePolicy(None, "critical", 4, "hours"),
    DeadlinePolicy(None, "high", 1, "working_days"),
    DeadlinePolicy(None, "normal", 3, "working_days"),
    DeadlinePolicy(None, "low", 7, "working_days"),
)


def _substituted_working_days(year: int) -> set[date]:
    """Weekend days the government makes working days to give a bridge day off ("làm bù").

    `holidays` records them as the "from" half of its substituted holidays, e.g. 2026: Monday 31/8
    off, Saturday 22/8 worked. It exposes them only as class data, so read that defensively.
    """
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        specials: Any = VietnamStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):  # pragma: no cover - library layout changed
        return set()
    out: set[date] = set()
    for entry_year, entries in specials.items():
        items = entries if entries and isinstance(entries[0], tuple) else (entries,)
        for item in items:
            if len(item) < 4:
                continue
            from_year = item[4] if len(item) > 4 else entry_year
            if from_year == year:
                try:
                    out.add(date(from_year, item[2], item[3]))
                except (TypeError, ValueError):  # pragma: no cover - unexpected format
                    continue
    return out


class WorkingCalendar:
    """When the city's agencies work. Immutable configuration, holiday lists cached per year."""

    def __init__(
        self,
        *,
        periods: Sequence[tuple[time, time]] = DEFAULT_PERIODS,
        weekdays: Iterable[int] = MONDAY_TO_FRIDAY,
        tz: ZoneInfo = HCM,
        public_holidays: bool = True,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        swapped_working_days: bool = True,
    ) -> None:
        ordered = tuple(sorted(periods))
        for start, end in ordered:
            if not start < end:
                raise ValueError(f"working period {start}-{end} must end after it starts")
        for (_, end), (next_start, _) in zip(ordered, ordered[1:], strict=False):
            if next_start < end:
                raise ValueError("working periods must not overlap")
        if not ordered:
            raise ValueError("at least one working period is needed")
        self.periods = ordered
        self.weekdays = frozenset(weekdays)
        if not self.weekdays <= set(range(7)):
            raise ValueError("weekdays are 0 (Monday) .. 6 (Sunday)")
        self.tz = tz
        self.public_holidays = public_holidays
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        self.swapped_working_days = swapped_working_days
        self.day_length = sum(
            (datetime.combine(date.min, end) - datetime.combine(date.min, start) for start, end in ordered),
            timedelta(),
        )
        self._holidays: dict[int, dict[date, str]] = {}
        self._swapped: dict[int, set[date]] = {}
        self._working_days: dict[date, bool] = {}
        self._lock = Lock()

    def _year(self, year: int) -> tuple[dict[date, str], set[date]]:
        cached = self._holidays.get(year)
        if cached is None:
            with self._lock:
                if year not in self._holidays:
                    days: dict[date, str] = {}
                    if self.public_holidays:
                        days = {
                            d: str(n) for d, n in country_holidays("VN", years=year, language="en_US").items()
                        }
                    swapped = _substituted_working_days(year) if self.swapped_working_days else set()
                    self._swapped[year] = swapped
                    self._holidays[year] = days
                cached = self._holidays[year]
        return cached, self._swapped[year]

    def holiday_name(self, day: date) -> str | None:
        if day in self.extra_days_off:
            return "day off"
        return self._year(day.year)[0].get(day)

    def is_working_day(self, day: date) -> bool:
        known = self._working_days.get(day)
        if known is None:
            known = self._is_working_day(day)
            self._working_days[day] = known  # a few hundred days a year: cheap to keep
        return known

    def _is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        holidays_of_year, swapped = self._year(day.year)
        if day in holidays_of_year:
            return False
        return day.weekday() in self.weekdays or day in swapped

    def _periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        return [
            (datetime.combine(day, start, tzinfo=self.tz), datetime.combine(day, end, tzinfo=self.tz))
            for start, end in self.periods
        ]

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time after `start` (counting from the next working moment)."""
        _require_aware(start)
        if amount < timedelta():
            raise ValueError("amount of working time must not be negative")
        cursor = start.astimezone(self.tz)
        remaining = amount
        day = cursor.date()
        one_day = timedelta(days=1)
        is_working_day = self.is_working_day
        # The first day may start mid-period; walk its periods.
        if is_working_day(day):
            for period_start, period_end in self._periods_on(day):
                begin = max(cursor, period_start)
                if begin >= period_end:
                    continue
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        # Later days are whole: skip each full working day without building datetimes, and walk the
        # periods only on the day the deadline falls in (an exact fit ends at that day's close).
        day_length = self.day_length
        for _ in range(_MAX_DAYS_SCANNED):
            day += one_day
            if not is_working_day(day):
                continue
            if remaining > day_length:
                remaining -= day_length
                continue
            for period_start, period_end in self._periods_on(day):
                available = period_end - period_start
                if remaining <= available:
                    return period_start + remaining
                remaining -= available
        raise ValueError(f"no working time within {_MAX_DAYS_SCANNED} days of {start.isoformat()}")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time elapsed from `start` to `end` (0 if end <= start); for on-time statistics."""
        _require_aware(start)
        _require_aware(end)
        a, b = start.astimezone(self.tz), end.astimezone(self.tz)
        total = timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                for period_start, period_end in self._periods_on(day):
                    lo, hi = max(a, period_start), min(b, period_end)
                    if hi > lo:
                        total += hi - lo
            day += timedelta(days=1)
        return total

    def due_at(self, start: datetime, amount: float, unit: DeadlineUnit | str) -> datetime:
        """Deadline for work starting at `start` (aware); returned in the calendar's time zone."""
        _require_aware(start)
        if unit == "hours":
            # Wall clock: add elapsed time in UTC so a DST zone would not shift it.
            return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(self.tz)
        if unit == "working_hours":
            return self.add_working_time(start, timedelta(hours=amount))
        if unit == "working_days":
            return self.add_working_time(start, self.day_length * amount)
        raise ValueError(f"unknown deadline unit {unit!r}")


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got naive {moment.isoformat()}")


class PolicyTable:
    """Policies compiled for O(1) lookup: category+urgency beats urgency-only beats the defaults."""

    def __init__(self, policies: Iterable[DeadlinePolicy] = DEFAULT_POLICIES) -> None:
        self._table: dict[tuple[str | None, str], DeadlinePolicy] = {}
        # The first policy given for a key wins (as in `policy_for`); the defaults fill the gaps.
        for policy in (*policies, *DEFAULT_POLICIES):
            self._table.setdefault((policy.category, policy.urgency), policy)

    def for_(self, category: str | None, urgency: str) -> DeadlinePolicy:
        if urgency not in URGENCIES:
            raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}")
        table = self._table
        found = table.get((category, urgency)) or table.get((None, urgency))
        assert found is not None  # every urgency has a default
        return found


def policy_for(
    category: str | None,
    urgency: str,
    policies: Iterable[DeadlinePolicy] | PolicyTable = DEFAULT_POLICIES,
) -> DeadlinePolicy:
    """The most specific policy: category+urgency, else urgency-only, else DESIGN.md's default."""
    if isinstance(policies, PolicyTable):
        return policies.for_(category, urgency)
    if urgency not in URGENCIES:
        raise ValueError(f"unknown urgency {urgency!r}; expected one of {URGENCIES}")
    general: DeadlinePolicy | None = None
    for policy in policies:
        if policy.urgency != urgency:
            continue
        if policy.category is not None and policy.category == category:
            return policy
        if policy.category is None and general is None:
            general = policy
    if general is not None:
        return general
    return next(p for p in DEFAULT_POLICIES if p.urgency == urgency)


DEFAULT_CALENDAR = WorkingCalendar()
