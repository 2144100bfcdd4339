"""Working days between events, counted and summarised by the database: how many, the median, the 90th percentile.

The working days after date ``a`` up to and including date ``b`` are the difference of two rows of the
working-day calendar (``rjcases.CalendarDay``, kept equal to ``rjcases.clocks``), so a duration is two joins
and a subtraction. The median and the nearest-rank 90th percentile are picked out with ``ROW_NUMBER()`` and
``COUNT(*)`` over each group: the database returns at most three rows a group (the one or two middle values
and the value at rank ceil(0.9 n)), whatever the number of cases. The SQL is the same on SQLite and
PostgreSQL; the vendor-specific parts (the local date of a timestamp, the filters of a page) come from the ORM.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import QuerySet

from rjcases.models import CalendarDay


@dataclass(frozen=True)
class Summary:
    """How many durations, their median (the middle value, or the mean of the two middle values) and their
    nearest-rank 90th percentile (the smallest value with at least 90% of the values at or below it)."""

    n: int = 0
    median: float | None = None
    p90: int | None = None


def working_days_sql(later: str, earlier: str) -> str:
    """SQL for the working days after calendar row ``earlier`` up to and including calendar row ``later``
    (0 when ``later`` is not after ``earlier``), as ``clocks.working_days_between`` counts them."""
    return (f"CASE WHEN {later}.working_days > {earlier}.working_days "
            f"THEN {later}.working_days - {earlier}.working_days ELSE 0 END")


def calendar_table() -> str:
    connection = connections[router.db_for_read(CalendarDay)]
    return connection.ops.quote_name(CalendarDay._meta.db_table)


def subquery(queryset: QuerySet) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to be used as a named subquery (a CTE) of the summary query."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def summarise(ctes: list[tuple[str, str, tuple]], samples: str, params: tuple = (), *, using: str | None = None
              ) -> dict[tuple[str, str | None], Summary]:
    """Summaries of the durations that ``samples`` (a SELECT of ``kind, grp, days`` rows, which may use the
    named subqueries ``ctes``: (name, SQL, parameters)) returns, one per (kind, grp). One query."""
    names = ", ".join(f"{name} AS ({sql})" for name, sql, _ in ctes)
    # The callers' SQL text holds names and constants only; every value is a parameter.
    sql = (
        f"WITH {names}{', ' if names else ''}"  # noqa: S608
        f"samples (kind, grp, days) AS ({samples}), "
        "ranked AS (SELECT kind, grp, days, "
        "ROW_NUMBER() OVER (PARTITION BY kind, grp ORDER BY days) AS r, "
        "COUNT(*) OVER (PARTITION BY kind, grp) AS n FROM samples) "
        "SELECT kind, grp, n, r, days FROM ranked "
        "WHERE r = (n + 1) / 2 OR r = n / 2 + 1 OR r = (9 * n + 9) / 10"
    )
    all_params = tuple(p for _, _, cte_params in ctes for p in cte_params) + tuple(params)
    found: dict[tuple, tuple[int, dict[int, int]]] = defaultdict(lambda: (0, {}))
    with connections[using or router.db_for_read(CalendarDay)].cursor() as cursor:
        cursor.execute(sql, all_params)
        for kind, grp, n, rank, days in cursor.fetchall():
            found[(kind, grp)] = (n, {**found[(kind, grp)][1], rank: days})
    summaries = {}
    for key, (n, at_rank) in found.items():
        if n % 2:
            median = at_rank[(n + 1) // 2]
        else:
            median = (at_rank[n // 2] + at_rank[n // 2 + 1]) / 2
        summaries[key] = Summary(n=n, median=median, p90=at_rank[(9 * n + 9) // 10])
    return summaries
