"""Deadlines in Vietnamese public-sector working time: weekends, Tết, swapped Saturdays, wall clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing.deadlines import DEFAULT_CALENDAR, DEFAULT_POLICIES, PolicyTable, WorkingCalendar, policy_for
from routing.types import DeadlinePolicy

HUE = ZoneInfo("Asia/Ho_Chi_Minh")


def hue(*args: int) -> datetime:
    return datetime(*args, tzinfo=HUE)  # type: ignore[misc]


calendar = DEFAULT_CALENDAR


def test_a_working_day_is_seven_and_a_half_hours() -> None:
    # 07:30-11:30 and 13:30-17:00.
    assert calendar.day_length == timedelta(hours=7, minutes=30)


# -- weekends -------------------------------------------------------------------------------------


def test_friday_afternoon_plus_one_working_day_is_monday_same_time() -> None:
    # Given a high-urgency report on Friday 20 Nov 2026 at 16:00 in Huế.
    # When it gets 1 working day: 1 h on Friday, then 6.5 h on Monday.
    due = calendar.due_at(hue(2026, 11, 20, 16, 0), 1, "working_days")
    # Then it is due Monday 23 Nov at 16:00 local time.
    assert due == hue(2026, 11, 23, 16, 0)
    assert due.utcoffset() == timedelta(hours=7)


def test_three_working_days_skip_the_weekend_and_vietnam_culture_day() -> None:
    # holidays.Vietnam lists Tuesday 24 Nov 2026 as Vietnam Culture Day (a day off).
    assert calendar.holiday_name(date(2026, 11, 24)) == "Vietnam Cultural Day"
    # Fri 1 h + Mon 7.5 h + Wed 7.5 h = 16 h of 22.5 h; the last 6.5 h: Thu 07:30-11:30, 13:30-16:00.
    assert calendar.due_at(hue(2026, 11, 20, 16, 0), 3, "working_days") == hue(2026, 11, 26, 16, 0)


def test_report_on_a_saturday_counts_from_monday_morning() -> None:
    assert calendar.due_at(hue(2026, 11, 21, 10, 0), 1, "working_days") == hue(2026, 11, 23, 17, 0)


def test_same_instant_in_utc_gives_the_same_deadline() -> None:
    # 09:00 UTC is 16:00 in Huế.
    due = calendar.due_at(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), 1, "working_days")
    assert due == hue(2026, 11, 23, 16, 0)
    assert due.astimezone(UTC) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# -- Tết ------------------------------------------------------------------------------------------


def test_tet_2027_days_off_are_the_ones_the_library_lists() -> None:
    # Tết Nguyên Đán 2027 is Saturday 6 Feb; public servants are off Thursday 4 to Wednesday 10 Feb.
    days = {d: calendar.holiday_name(d) for d in (date(2027, 2, 1) + timedelta(n) for n in range(14))}
    assert {d: n for d, n in days.items() if n} == {
        date(2027, 2, 4): "29 of Lunar New Year",
        date(2027, 2, 5): "Lunar New Year's Eve",
        date(2027, 2, 6): "Lunar New Year",
        date(2027, 2, 7): "Second Day of Lunar New Year",
        date(2027, 2, 8): "Third Day of Lunar New Year",
        date(2027, 2, 9): "Fourth Day of Lunar New Year",
        date(2027, 2, 10): "Fifth Day of Lunar New Year",
    }
    assert [d.day for d in sorted(days) if calendar.is_working_day(d)] == [1, 2, 3, 11, 12]


def test_one_working_day_before_tet_is_due_after_tet() -> None:
    # Given a report on Wednesday 3 Feb 2027 at 10:00, the last working day before Tết.
    # Then 1 working day later is Thursday 11 Feb 10:00, the first working day after it.
    assert calendar.due_at(hue(2027, 2, 3, 10, 0), 1, "working_days") == hue(2027, 2, 11, 10, 0)


def test_three_working_days_across_tet_2027() -> None:
    # Wed 3 Feb 10:00 + 3 working days: Thu 11, Fri 12, then Monday 15 Feb 10:00.
    assert calendar.due_at(hue(2027, 2, 3, 10, 0), 3, "working_days") == hue(2027, 2, 15, 10, 0)


def test_seven_working_days_across_tet_2027() -> None:
    # Mon 1 Feb 09:00 + 7: Tue 2, Wed 3, Thu 11, Fri 12, Mon 15, Tue 16, Wed 17 Feb 09:00.
    assert calendar.due_at(hue(2027, 2, 1, 9, 0), 7, "working_days") == hue(2027, 2, 17, 9, 0)


# -- swapped working days -------------------------------------------------------------------------


def test_saturday_swapped_for_a_bridge_day_is_worked() -> None:
    # 2026: Monday 31 Aug is off in exchange for Saturday 22 Aug, which is worked.
    assert calendar.is_working_day(date(2026, 8, 22)) is True
    assert calendar.is_working_day(date(2026, 8, 31)) is False
    assert calendar.due_at(hue(2026, 8, 21, 16, 0), 1, "working_days") == hue(2026, 8, 22, 16, 0)
    # National Day: Mon 31 Aug, Tue 1 and Wed 2 Sep off; Friday 28 Aug 16:00 + 1 -> Thursday 3 Sep.
    assert calendar.due_at(hue(2026, 8, 28, 16, 0), 1, "working_days") == hue(2026, 9, 3, 16, 0)


def test_swapped_saturdays_can_be_turned_off() -> None:
    plain = WorkingCalendar(swapped_working_days=False)
    assert plain.is_working_day(date(2026, 8, 22)) is False


# -- working hours and wall-clock hours -----------------------------------------------------------


def test_critical_four_wall_clock_hours_cross_midnight() -> None:
    # Given a critical report on Saturday night; then 4 hours later, whatever the day.
    assert calendar.due_at(hue(2026, 11, 21, 22, 30), 4, "hours") == hue(2026, 11, 22, 2, 30)


def test_critical_hours_ignore_holidays() -> None:
    assert calendar.due_at(hue(2027, 2, 6, 23, 0), 4, "hours") == hue(2027, 2, 7, 3, 0)


def test_working_hours_skip_the_lunch_break() -> None:
    # Monday 11:00 + 1 working hour: 30 min before lunch, 30 min after.
    assert calendar.due_at(hue(2026, 11, 23, 11, 0), 1, "working_hours") == hue(2026, 11, 23, 14, 0)


def test_working_time_ending_on_a_period_end_stays_there() -> None:
    # Monday 07:30 + 4 working hours is 11:30, not 13:30.
    assert calendar.due_at(hue(2026, 11, 23, 7, 30), 4, "working_hours") == hue(2026, 11, 23, 11, 30)


def test_working_hours_started_in_the_evening_count_from_next_morning() -> None:
    assert calendar.due_at(hue(2026, 11, 16, 20, 0), 8, "working_hours") == hue(2026, 11, 18, 8, 0)


def test_working_time_between_counts_only_working_time() -> None:
    start, end = hue(2026, 11, 20, 16, 0), hue(2026, 11, 23, 16, 0)
    assert calendar.working_time_between(start, end) == timedelta(hours=7, minutes=30)
    assert calendar.working_time_between(end, start) == timedelta()


# -- configuration --------------------------------------------------------------------------------


def test_configured_hours_and_extra_days_off() -> None:
    # Given a city that works 07:00-11:30 and 13:30-17:00 and closes on Monday 23 Nov 2026.
    custom = WorkingCalendar(
        periods=[(time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))],
        extra_days_off=[date(2026, 11, 23)],
    )
    assert custom.day_length == timedelta(hours=8)
    assert custom.holiday_name(date(2026, 11, 23)) == "day off"
    # Fri 16:00: 1 h, Mon off, Tue 24 holiday, Wed 25: 7 h more -> 07:00-11:30 (4.5 h) + 13:30-16:00.
    assert custom.due_at(hue(2026, 11, 20, 16, 0), 1, "working_days") == hue(2026, 11, 25, 16, 0)


def test_extra_working_day_overrides_a_weekend() -> None:
    custom = WorkingCalendar(extra_working_days=[date(2026, 11, 21)])
    assert custom.due_at(hue(2026, 11, 20, 16, 0), 1, "working_days") == hue(2026, 11, 21, 16, 0)


def test_public_holidays_can_be_ignored() -> None:
    custom = WorkingCalendar(public_holidays=False)
    assert custom.due_at(hue(2027, 2, 3, 10, 0), 1, "working_days") == hue(2027, 2, 4, 10, 0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"periods": [(time(11, 0), time(10, 0))]},
        {"periods": [(time(7, 0), time(12, 0)), (time(11, 0), time(17, 0))]},
        {"periods": []},
        {"weekdays": [7]},
    ],
)
def test_impossible_calendars_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkingCalendar(**kwargs)  # type: ignore[arg-type]


def test_calendar_with_no_working_days_fails_instead_of_looping() -> None:
    never = WorkingCalendar(weekdays=[], swapped_working_days=False)
    with pytest.raises(ValueError, match="no working time"):
        never.due_at(hue(2026, 11, 20, 16, 0), 1, "working_days")


def test_naive_datetimes_and_unknown_units_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        calendar.due_at(datetime(2026, 11, 20, 16, 0), 1, "working_days")
    with pytest.raises(ValueError, match="unit"):
        calendar.due_at(hue(2026, 11, 20, 16, 0), 1, "fortnights")


# -- policies -------------------------------------------------------------------------------------


def test_default_policies_are_designs_starting_point() -> None:
    assert [(p.category, p.urgency, p.amount, p.unit) for p in DEFAULT_POLICIES] == [
        (None, "critical", 4, "hours"),
        (None, "high", 1, "working_days"),
        (None, "normal", 3, "working_days"),
        (None, "low", 7, "working_days"),
    ]


def test_most_specific_policy_wins() -> None:
    flooding_high = DeadlinePolicy("drainage_flooding", "high", 8, "hours")
    any_high = DeadlinePolicy(None, "high", 2, "working_days")
    policies = [any_high, flooding_high]
    for lookup in (lambda c, u: policy_for(c, u, policies), PolicyTable(policies).for_):
        assert lookup("drainage_flooding", "high") == flooding_high
        assert lookup("road_damage", "high") == any_high
        # Urgencies the city did not configure fall back to DESIGN.md's defaults.
        assert lookup("road_damage", "low") == DeadlinePolicy(None, "low", 7, "working_days")
        assert lookup(None, "critical") == DeadlinePolicy(None, "critical", 4, "hours")


def test_unknown_urgency_is_refused() -> None:
    with pytest.raises(ValueError, match="urgency"):
        policy_for("road_damage", "whenever")
    with pytest.raises(ValueError, match="urgency"):
        PolicyTable().for_("road_damage", "whenever")


@pytest.mark.parametrize(
    ("urgency", "amount", "unit"),
    [("whenever", 1, "hours"), ("high", 0, "hours"), ("high", -1, "hours"), ("high", 1, "weeks")],
)
def test_impossible_policies_are_refused(urgency: str, amount: float, unit: str) -> None:
    with pytest.raises(ValueError):
        DeadlinePolicy(None, urgency, amount, unit)  # type: ignore[arg-type]


def test_policy_describes_itself_for_operators() -> None:
    assert DeadlinePolicy(None, "high", 1, "working_days").describe() == "1 working day"
    assert DeadlinePolicy(None, "critical", 4, "hours").describe() == "4 hours"
    assert DeadlinePolicy(None, "normal", 1.5, "working_hours").describe() == "1.5 working hours"


# -- cases a mutation run showed untested (docs/security.md, "Proof") -------------------------------


def test_a_new_calendar_reads_the_swapped_days_of_the_year_asked_for() -> None:
    fresh = WorkingCalendar()  # not the shared one: its per-year lists are computed here
    assert fresh.is_working_day(date(2026, 8, 22)) is True
    assert fresh.is_working_day(date(2026, 8, 29)) is False  # an ordinary Saturday of the same year


def test_zero_working_time_is_the_next_working_moment() -> None:
    # Saturday evening + nothing = Monday's start; during work + nothing = now
    assert DEFAULT_CALENDAR.add_working_time(hue(2026, 3, 7, 20, 0), timedelta()) == hue(2026, 3, 9, 7, 30)
    assert DEFAULT_CALENDAR.add_working_time(hue(2026, 3, 9, 9, 0), timedelta()) == hue(2026, 3, 9, 9, 0)


def test_a_calendar_without_working_periods_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="^at least one working period is needed$"):
        WorkingCalendar(periods=())


def test_a_saturday_worked_for_the_next_years_bridge_is_read_from_that_entry() -> None:
    # `holidays` files the Saturday 27 Dec 2014, worked for the 2015 New Year bridge, under 2015.
    fresh = WorkingCalendar()
    assert fresh.is_working_day(date(2014, 12, 27)) is True
    assert fresh.is_working_day(date(2019, 1, 5)) is True  # filed under 2018


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"periods": ((time(8), time(12)), (time(11), time(17)))}, "^working periods must not overlap$"),
        ({"weekdays": (0, 7)}, r"^weekdays are 0 \(Monday\) \.\. 6 \(Sunday\)$"),
    ],
)
def test_a_wrong_calendar_is_refused_by_name(kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingCalendar(**kwargs)


def test_a_seven_day_week_is_a_valid_calendar() -> None:
    every_day = WorkingCalendar(weekdays=range(7))
    assert every_day.is_working_day(date(2026, 3, 8)) is True  # a Sunday


def test_holidays_are_named_in_english_for_the_english_screens() -> None:
    fresh = WorkingCalendar()
    assert (fresh.holiday_name(date(2026, 9, 2)), fresh.holiday_name(date(2026, 1, 1))) == (
        "National Day", "New Year's Day"
    )
