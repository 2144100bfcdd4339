"""Working days in England and Wales (weekends and bank holidays), from the cached bank holiday data.

No network: ``govuk-bank-holidays`` is told to use the copy it ships. Its data ends at a known date;
past it every weekday counts as a working day, so ``beyond_known_holidays`` lets pages warn.
"""

from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from govuk_bank_holidays.bank_holidays import BankHolidays

DIVISION = BankHolidays.ENGLAND_AND_WALES
RJ_INFORMATION_WORKING_DAYS = 5
RJ_INFORMATION_WORKING_DAYS_ENHANCED = 1
INITIAL_CONTACT_WORKING_DAYS = getattr(settings, "RJ_INITIAL_CONTACT_WORKING_DAYS", 10)


@lru_cache(maxsize=1)
def _holidays() -> tuple[frozenset[date], date]:
    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=DIVISION)
    dates = frozenset(h["date"] for h in holidays)
    return dates, max(dates)


def last_known_holiday() -> date:
    return _holidays()[1]


def beyond_known_holidays(day: date) -> bool:
    """True when ``day`` is past the end of the bank holiday data (it may then be miscounted)."""
    return day > date(last_known_holiday().year, 12, 31)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays()[0]


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the day of the event itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def rj_information_due(received_on: date, enhanced: bool) -> date:
    """Victims' Code: tell the victim about RJ within 5 working days (1 with enhanced rights)."""
    days = RJ_INFORMATION_WORKING_DAYS_ENHANCED if enhanced else RJ_INFORMATION_WORKING_DAYS
    return add_working_days(received_on, days)


def initial_contact_due(received_on: date) -> date:
    return add_working_days(received_on, INITIAL_CONTACT_WORKING_DAYS)
