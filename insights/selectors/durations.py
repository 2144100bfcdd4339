"""Working days between events, counted and summarised by the database: how many, the median, the 90th percentile.

The working days after date ``a`` up to and including date ``b`` are the difference of two rows of the
working-day calendar (``rjcases.CalendarDay``, kept equal to ``rjcases.clocks``), so a duration is two joins
and a subtraction. The median and the nearest-rank 90th percentile are picked out by the database from running
counts over each group's distinct values: it returns at most three rows a group (those holding the one or two
middle ranks and rank ceil(0.9 n)), whatever the number of cases. The SQL is the same on SQLite and
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
    return (
        f"CASE WHEN {later}.working_days > {earlier}.working_days "
        f"THEN {later}.working_days - {earlier}.working_days ELSE 0 END"
    )


def calendar_table() -> str:
    connection = connections[router.db_for_read(CalendarDay)]
    return connection.ops.quote_name(CalendarDay._meta.db_table)


def subquery(queryset: QuerySet) -> tuple[str, tuple]:
    """A queryset's SQL and parameters, to be used as a named subquery (a CTE) of the summary query."""
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def summarise(
    ctes: list[tuple[str, str, tuple]], samples: str, params: tuple = (), *, using: str | None = None
) -> dict[tuple[str, str | None], Summary]:
    """Summaries of the durations that ``samples`` (a SELECT of ``kind, grp, days`` rows, which may use the
    named subqueries ``ctes``: (name, SQL, parameters)) returns, one per (kind, grp). One query."""
    names = ", ".join(f"{name} AS ({sql})" for name, sql, _ in ctes)
    # The callers' SQL text holds names and constants only; every value is a parameter. The samples are first
    # counted by value (a few hundred distinct numbers of days a group), so that the ranks are running sums over
    # those counts rather than a sort of every sample: the rows kept are those holding the middle rank(s) and
    # rank ceil(0.9 n), each with the ranks it spans (below, upto].
    sql = (
        f"WITH {names}{', ' if names else ''}"  # noqa: S608
        f"samples (kind, grp, days) AS ({samples}), "
        "counted AS (SELECT kind, grp, days, COUNT(*) AS c FROM samples GROUP BY kind, grp, days), "
        "running AS (SELECT kind, grp, days, c, "
        "CAST(SUM(c) OVER (PARTITION BY kind, grp ORDER BY days) AS BIGINT) AS upto, "
        "CAST(SUM(c) OVER (PARTITION BY kind, grp) AS BIGINT) AS n FROM counted) "
        "SELECT kind, grp, n, upto - c AS below, upto, days FROM running "
        "WHERE (upto - c < (n + 1) / 2 AND (n + 1) / 2 <= upto) OR (upto - c < n / 2 + 1 AND n / 2 + 1 <= upto) "
        "OR (upto - c < (9 * n + 9) / 10 AND (9 * n + 9) / 10 <= upto)"
    )
    all_params = tuple(p for _, _, cte_params in ctes for p in cte_params) + tuple(params)
    spans: dict[tuple, list[tuple[int, int, int]]] = defaultdict(list)
    totals: dict[tuple, int] = {}
    with connections[using or router.db_for_read(CalendarDay)].cursor() as cursor:
        cursor.execute(sql, all_params)
        for kind, grp, n, below, upto, days in cursor.fetchall():
            spans[(kind, grp)].append((below, upto, days))
            totals[(kind, grp)] = n

    def at_rank(key, rank: int) -> int:
        return next(days for below, upto, days in spans[key] if below < rank <= upto)

    summaries = {}
    for key, n in totals.items():
        if n % 2:
            median = at_rank(key, (n + 1) // 2)
        else:
            median = (at_rank(key, n // 2) + at_rank(key, n // 2 + 1)) / 2
        summaries[key] = Summary(n=n, median=median, p90=at_rank(key, (9 * n + 9) // 10))
    return summaries


def counted(ctes: list[tuple[str, str, tuple]], samples: str, by: int, *, using: str | None = None) -> list[tuple]:
    """How many samples of each value: the rows of ``samples`` (a SELECT of ``by`` grouping columns, then
    ``kind, grp, days``, which may use the named subqueries ``ctes``) counted by all their columns, as
    ``(*group, kind, grp, days, n)`` tuples. One query. ``summary_of`` summarises such counts the way
    ``summarise`` does, once they are added up over any of the groups."""
    names = ", ".join(f"{name} AS ({sql})" for name, sql, _ in ctes)
    columns = ", ".join([*(f"g{i}" for i in range(by)), "kind", "grp", "days"])
    # As in ``summarise``: names and constants in the text, every value a parameter.
    sql = (
        f"WITH {names}{', ' if names else ''}samples ({columns}) AS ({samples}) "  # noqa: S608
        f"SELECT {columns}, COUNT(*) FROM samples GROUP BY {columns}"
    )
    with connections[using or router.db_for_read(CalendarDay)].cursor() as cursor:
        cursor.execute(sql, tuple(p for _, _, cte_params in ctes for p in cte_params))
        return cursor.fetchall()


def summary_of(counts: dict[int, int]) -> Summary:
    """The summary of durations given as {working days: how many}: the same median and nearest-rank 90th
    percentile as ``summarise`` picks out in the database."""
    n = sum(counts.values())
    if not n:
        return Summary()
    ranked, upto = [], 0
    for days in sorted(counts):
        upto += counts[days]
        ranked.append((upto, days))

    def at_rank(rank: int) -> int:
        return next(days for reached, days in ranked if rank <= reached)

    median = at_rank((n + 1) // 2) if n % 2 else (at_rank(n // 2) + at_rank(n // 2 + 1)) / 2
    return Summary(n=n, median=median, p90=at_rank((9 * n + 9) // 10))
