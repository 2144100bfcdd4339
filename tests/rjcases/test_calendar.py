"""The working-day calendar table: filled after migrate, equal to rjcases.clocks day for day, and rewritten
when the bank holiday data changes (and only then)."""

import random
from datetime import date, timedelta

import pytest

from rjcases import calendar, clocks
from rjcases.models import CalendarDay

pytestmark = pytest.mark.django_db


def working_days_in_database(start: date, end: date) -> int:
    rows = dict(CalendarDay.objects.filter(day__in=[start, end]).values_list("day", "working_days"))
    return max(0, rows[end] - rows[start])


def test_migrate_filled_the_calendar_from_1990_to_2100():
    assert CalendarDay.objects.count() == (calendar.LAST_DAY - calendar.FIRST_DAY).days + 1
    assert CalendarDay.objects.order_by("day").first().day == date(1990, 1, 1)
    assert CalendarDay.objects.order_by("day").last().day == date(2100, 12, 31)


def test_differences_of_the_running_count_are_the_clocks_working_days():
    rng = random.Random(3)
    pairs = [
        (date(2025, 12, 19), date(2026, 1, 5)),  # Christmas, Boxing Day (moved), New Year
        (date(2026, 4, 2), date(2026, 4, 7)),  # Good Friday and Easter Monday
        (date(2026, 3, 6), date(2026, 3, 9)),  # a weekend
        (date(2026, 3, 5), date(2026, 3, 2)),
    ]  # backwards: none
    for _ in range(200):
        start = date(2012, 1, 1) + timedelta(days=rng.randrange(6000))
        pairs.append((start, start + timedelta(days=rng.randrange(-5, 400))))
    for start, end in pairs:
        assert working_days_in_database(start, end) == clocks.working_days_between(start, end), (start, end)
    assert working_days_in_database(date(2025, 12, 19), date(2026, 1, 5)) == 8


def test_an_unchanged_calendar_is_left_alone():
    assert calendar.refresh_calendar() is False


def test_a_changed_bank_holiday_rewrites_the_calendar(monkeypatch):
    day = date(2026, 6, 15)  # a Monday, not a bank holiday
    before = working_days_in_database(date(2026, 6, 12), date(2026, 6, 19))
    holidays, last = clocks._holidays()
    monkeypatch.setattr(clocks, "_holidays", lambda: (holidays | {day}, last))
    assert calendar.refresh_calendar() is True
    assert working_days_in_database(date(2026, 6, 12), date(2026, 6, 19)) == before - 1 == 4
    assert calendar.refresh_calendar() is False


def test_a_damaged_calendar_is_repaired():
    CalendarDay.objects.filter(day=date(2030, 1, 2)).delete()
    assert calendar.refresh_calendar() is True
    assert (
        CalendarDay.objects.get(day=date(2030, 1, 2)).working_days == dict(calendar.calendar_rows())[date(2030, 1, 2)]
    )
