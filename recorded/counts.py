"""The summary the hotspot page reads (``RecordedCount``), kept exact on every write.

Why a summary table kept current on write, not a materialised view refreshed by a job: recorded incidents are
written in two places only (the police import and ``record_case_incident``), both in this app, so each can
change the counts in its own transaction and the page is never stale; a materialised view would show figures
as old as its last refresh, and refreshing it reads every row (seconds at a million).

How a write keeps it exact: before writing, ``contributions`` reads what the rows it will touch add to the
counts (every row whose counted values or repeat flags can change: the rows written and every row sharing a
person or place key with them); after writing it reads them again; the difference is added to the counts
(``INSERT ... ON CONFLICT DO UPDATE SET n = n + excluded.n``, atomic per cell on PostgreSQL and SQLite).
The police import reads less (``services.import_police_records``): before, the rows it changes; after, the rows
it wrote (from the values it wrote) and the rows whose flags ``refresh_repeats`` changed, those also as they
were before (``invert``); a row neither written nor re-flagged adds the same before and after.
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
COLUMNS = "basis, grain, day, ward_id, crime_type_id, source, strand_id, incidents, repeat_victim, repeat_place"
# PostgreSQL: cells upserted in one order, so that two writers take their locks alike and cannot deadlock; from
# this many cells on through COPY and a temporary table (an import), below it as arrays in one statement.
ORDER = "ORDER BY 1, 2, 3, 4, 5, 6, 7"
COPY_FROM = 1000
BASES = (("occurred", "occurred_on"), ("reported", "reported_on"))


def chunks(items: Iterable, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def contributions(ids: Iterable[int], invert: dict[int, set[str]] | None = None, cells: Cells | None = None) -> Cells:
    """What the recorded incidents with these ids add to the counts, as they are in the database now (added to
    ``cells`` when given). ``invert``: id -> the repeat flags ("repeat_victim", "repeat_place") to count the other
    way from how they are stored (what a row added before a refresh of its flags changed them)."""
    if cells is None:
        cells = new_cells()
    invert = invert or {}
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
            flipped = invert.get(pk, ())
            victim = victim != ("repeat_victim" in flipped)
            place = place != ("repeat_place" in flipped)
            add(cells, source, case_id, occurred, reported, ward, crime, victim, place, strands[pk])
    return cells


def add(cells: Cells, source, case_id, occurred, reported, ward, crime, victim, place, strands) -> None:
    """Add what one recorded incident with these values adds to the counts to ``cells``."""
    src = counted_source(source, case_id)
    victim, place = int(victim), int(place)
    keys = (0, *strands)
    for basis, day in (("occurred", occurred), ("reported", reported)):
        for grain, cell_day in (("day", day), ("month", day.replace(day=1))):
            for strand in keys:
                cell = cells[(basis, grain, cell_day, ward, crime, src, strand)]
                cell[0] += 1
                cell[1] += victim
                cell[2] += place


def new_cells() -> Cells:
    return defaultdict(lambda: [0, 0, 0])


def apply_difference(before: Cells, after: Cells) -> int:
    """Add ``after - before`` to the counts; the number of cells changed."""
    changes = []
    for key, new in after.items():
        old = before.get(key, (0, 0, 0))
        if new[0] != old[0] or new[1] != old[1] or new[2] != old[2]:
            changes.append((*key, new[0] - old[0], new[1] - old[1], new[2] - old[2]))
    for key, old in before.items():
        if key not in after and (old[0] or old[1] or old[2]):
            changes.append((*key, -old[0], -old[1], -old[2]))
    if not changes:
        return 0
    table = connection.ops.quote_name(RecordedCount._meta.db_table)
    head = f"INSERT INTO {table} ({COLUMNS})"  # noqa: S608
    conflict = (
        " ON CONFLICT (basis, grain, day, ward_id, crime_type_id, source, strand_id) DO UPDATE SET "
        f"incidents = {table}.incidents + excluded.incidents, "
        f"repeat_victim = {table}.repeat_victim + excluded.repeat_victim, "
        f"repeat_place = {table}.repeat_place + excluded.repeat_place"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and len(changes) >= COPY_FROM:
            # Many cells (an import): COPY them into a temporary table, then one upsert from it.
            cursor.execute(
                "CREATE TEMPORARY TABLE recorded_count_changes (basis text, grain text, day date, ward_id int, "
                "crime_type_id int, source text, strand_id int, incidents int, repeat_victim int, repeat_place int)"
            )
            with cursor.cursor.copy(f"COPY recorded_count_changes ({COLUMNS}) FROM STDIN") as copy:
                for change in changes:
                    copy.write_row(change)
            cursor.execute(f"{head} SELECT {COLUMNS} FROM recorded_count_changes {ORDER}{conflict}")  # noqa: S608
            cursor.execute("DROP TABLE recorded_count_changes")
        elif connection.vendor == "postgresql":
            # A few (a referral): one statement, the cells as ten arrays.
            kinds = ("text", "text", "date", "int", "int", "text", "int", "int", "int", "int")
            arrays = ", ".join(f"%s::{kind}[]" for kind in kinds)
            sql = f"{head} SELECT * FROM unnest({arrays}) {ORDER}{conflict}"  # noqa: S608
            cursor.execute(sql, [list(column) for column in zip(*changes, strict=True)])
        else:
            changes.sort(key=lambda c: c[:7])
            sql = f"{head} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s){conflict}"  # noqa: S608
            for part in chunks(changes, 2000):
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
