"""The summary the hotspot page reads (``RecordedCount``), kept exact on every write.

Why a summary table kept current on write, not a materialised view refreshed by a job: recorded incidents are
written in two places only (the police import and ``record_case_incident``), both in this app, so each can
change the counts in its own transaction and the page is never stale; a materialised view would show figures
as old as its last refresh, and refreshing it reads every row (seconds at a million).

How a write keeps it exact: before writing, ``contributions`` reads what the rows it will touch add to the
counts (every row whose counted values or repeat flags can change: the rows written and every row sharing a
person or place key with them); after writing it reads them again; the difference is added to the counts
(``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, atomic per cell on PostgreSQL and SQLite).
``rebuild`` recomputes everything from the raw rows (``manage.py rebuild_recorded_counts``), and
``raw_counts`` is the single GROUP BY over the raw rows that the tests and the bench compare against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth

from recorded.models import POLICE_AND_RJ, RecordedCount, RecordedIncident, counted_source

StrandLink = RecordedIncident.strands.through
Key = tuple  # (basis, grain, day, ward_id, crime_type_id, source, strand_id)
Cells = dict[Key, list[int]]  # key -> [incidents, repeat_victim, repeat_place]

CHUNK = 5000
BASES = (("occurred", "occurred_on"), ("reported", "reported_on"))


def chunks(items: Iterable, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def contributions(ids: Iterable[int]) -> Cells:
    """What the recorded incidents with these ids add to the counts, as they are in the database now."""
    cells: Cells = defaultdict(lambda: [0, 0, 0])
    for part in chunks(ids):
        strands = defaultdict(list)
        for incident_id, strand_id in StrandLink.objects.filter(recordedincident_id__in=part).values_list(
            "recordedincident_id", "hatestrand_id"
        ):
            strands[incident_id].append(strand_id)
        rows = RecordedIncident.objects.filter(pk__in=part).values_list(
            "pk",
            "source",
            "case_id",
            "occurred_on",
            "reported_on",
            "ward_id",
            "crime_type_id",
            "repeat_victim",
            "repeat_place",
        )
        for pk, source, case_id, occurred, reported, ward, crime, victim, place in rows:
            src = counted_source(source, case_id)
            adds = (1, int(victim), int(place))
            for basis, day in (("occurred", occurred), ("reported", reported)):
                for grain, cell_day in (("day", day), ("month", day.replace(day=1))):
                    for strand in (0, *strands[pk]):
                        cell = cells[(basis, grain, cell_day, ward, crime, src, strand)]
                        for i in range(3):
                            cell[i] += adds[i]
    return cells


def apply_difference(before: Cells, after: Cells) -> int:
    """Add ``after - before`` to the counts; the number of cells changed."""
    changes = []
    for key in set(before) | set(after):
        old, new = before.get(key, (0, 0, 0)), after.get(key, (0, 0, 0))
        delta = [new[i] - old[i] for i in range(3)]
        if any(delta):
            changes.append((*key, *delta))
    if not changes:
        return 0
    table = connection.ops.quote_name(RecordedCount._meta.db_table)
    sql = (
        f"INSERT INTO {table} (basis, grain, day, ward_id, crime_type_id, source, strand_id, incidents, "  # noqa: S608
        "repeat_victim, repeat_place) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (basis, grain, day, ward_id, crime_type_id, source, strand_id) DO UPDATE SET "
        f"incidents = {table}.incidents + excluded.incidents, "
        f"repeat_victim = {table}.repeat_victim + excluded.repeat_victim, "
        f"repeat_place = {table}.repeat_place + excluded.repeat_place"
    )
    with connection.cursor() as cursor:
        for part in chunks(sorted(changes, key=lambda c: c[:7]), 2000):  # one order: no deadlock between writers
            cursor.executemany(sql, part)
    return len(changes)


# ---------------------------------------------------------------------------------------------------
# From the raw rows


def _counted_source_expression(prefix: str = ""):
    return Case(
        When(
            Q(**{prefix + "source": RecordedIncident.Source.POLICE, prefix + "case__isnull": False}),
            then=Value(POLICE_AND_RJ),
        ),
        default=F(prefix + "source"),
    )


def _grouped(basis: str, grain: str, by_strand: bool) -> QuerySet:
    """One GROUP BY over the raw rows: the counts of one basis and grain, each incident once (strand 0) or once
    per strand. Columns named c_* so that ``rebuild`` can insert them by name."""
    field = dict(BASES)[basis]
    prefix = "recordedincident__" if by_strand else ""
    base = StrandLink.objects if by_strand else RecordedIncident.objects
    day = F(prefix + field) if grain == "day" else TruncMonth(prefix + field)
    return (
        base.annotate(
            c_basis=Value(basis),
            c_grain=Value(grain),
            c_day=day,
            c_ward=F(prefix + "ward_id"),
            c_crime=F(prefix + "crime_type_id"),
            c_source=_counted_source_expression(prefix),
            c_strand=F("hatestrand_id") if by_strand else Value(0, output_field=IntegerField()),
        )
        .order_by()
        .values("c_basis", "c_grain", "c_day", "c_ward", "c_crime", "c_source", "c_strand")
        .annotate(
            c_incidents=Count("pk"),
            c_victim=Sum(Cast(prefix + "repeat_victim", IntegerField())),
            c_place=Sum(Cast(prefix + "repeat_place", IntegerField())),
        )
    )


def raw_counts(basis: str, start: date, end: date) -> dict[tuple, tuple[int, int, int]]:
    """(ward, crime type, counted source, strand) -> (incidents, repeat victim, repeat place) over the period,
    from the raw rows: one GROUP BY per strand rule, no summary table. What the tests and the bench compare
    the summary with."""
    field = dict(BASES)[basis]
    found = {}
    for by_strand in (False, True):
        prefix = "recordedincident__" if by_strand else ""
        rows = (
            _grouped(basis, "day", by_strand)
            .filter(**{f"{prefix}{field}__gte": start, f"{prefix}{field}__lte": end})
            .values("c_ward", "c_crime", "c_source", "c_strand")
            .annotate(
                c_incidents=Count("pk"),
                c_victim=Sum(Cast(prefix + "repeat_victim", IntegerField())),
                c_place=Sum(Cast(prefix + "repeat_place", IntegerField())),
            )
        )
        for row in rows:
            key = (row["c_ward"], row["c_crime"], row["c_source"], row["c_strand"])
            found[key] = (row["c_incidents"], row["c_victim"] or 0, row["c_place"] or 0)
    return found


@transaction.atomic
def rebuild() -> int:
    """Recompute every repeat flag and every count from the raw rows (a repair, and after a bulk load)."""
    from recorded.repeats import refresh_all_repeats

    refresh_all_repeats()
    RecordedCount.objects.all().delete()
    table = connection.ops.quote_name(RecordedCount._meta.db_table)
    columns = "basis, grain, day, ward_id, crime_type_id, source, strand_id, incidents, repeat_victim, repeat_place"
    picked = "c_basis, c_grain, c_day, c_ward, c_crime, c_source, c_strand, c_incidents, c_victim, c_place"
    with connection.cursor() as cursor:
        for basis, _ in BASES:
            for grain in ("day", "month"):
                for by_strand in (False, True):
                    sql, params = _grouped(basis, grain, by_strand).query.sql_with_params()
                    insert = f"INSERT INTO {table} ({columns}) SELECT {picked} FROM ({sql}) grouped"  # noqa: S608
                    cursor.execute(insert, params)
    return RecordedCount.objects.count()
