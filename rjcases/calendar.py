"""The working-day calendar table (``CalendarDay``): filled from the bank holiday data after every migrate.

Insights count working days in the database (a stay's working days are the difference of two calendar rows),
so the table must agree with ``rjcases.clocks`` day for day. ``refresh_calendar`` compares a fingerprint of
the table (how many days, and the sum of their running counts, which changes if any holiday is added, dropped
or moved) with the one the current bank holiday data gives, and rewrites the table only when they differ.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import router, transaction
from django.db.models import Count, Sum

from rjcases import clocks

FIRST_DAY = date(1990, 1, 1)
LAST_DAY = date(2100, 12, 31)


def calendar_rows(first: date = FIRST_DAY, last: date = LAST_DAY) -> list[tuple[date, int]]:
    """(day, working days from ``first`` up to and including day), for every day from ``first`` to ``last``."""
    rows, running = [], 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(offset)
        running += clocks.is_working_day(day)
        rows.append((day, running))
    return rows


def refresh_calendar(using: str | None = None) -> bool:
    """Make the table hold exactly ``calendar_rows()``. Returns True when it had to be rewritten."""
    from rjcases.models import CalendarDay

    using = using or router.db_for_write(CalendarDay)
    rows = calendar_rows()
    wanted = {"days": len(rows), "total": sum(running for _, running in rows), "first": rows[0][0], "last": rows[-1][0]}
    days = CalendarDay.objects.using(using)
    with transaction.atomic(using=using):
        found = days.aggregate(days=Count("day"), total=Sum("working_days"))
        ends = list(days.filter(day__in=[wanted["first"], wanted["last"]]).values_list("day", flat=True))
        if found["days"] == wanted["days"] and found["total"] == wanted["total"] and len(ends) == 2:
            return False
        days.all().delete()
        CalendarDay.objects.using(using).bulk_create(
            [CalendarDay(day=day, working_days=running) for day, running in rows], batch_size=5000
        )
    return True


def refresh_calendar_after_migrate(sender, using=None, **kwargs) -> None:
    if sender.label == "rjcases":
        refresh_calendar(using)
