"""Grow a seeded database to more cases by copying its cases, incidents, strand links and people, for timing
the list pages (bench/pages.py) where seeding them all would take too long.

    .venv/bin/python bench/multiply.py --database-url postgres://postgres@127.0.0.1:5432/rj_lists_bench_100k \\
        --cases 100000

Each copy k of the rows seed_demo made gets new keys (the old ones plus k times the largest), the references
"RJ-2026-k00042" (the same shape, unique), and the same dates, states, routes, wards, strands, facilitators and
names, so every filter and search picks as large a share of the list as before. Only the list's tables are
copied: history, transitions, assessments, consents and the rest stay with the original cases (the case page
and timeline are timed on one of those). bench/README.md says when a figure was taken on a grown database.
``grow`` and ``copy_table`` are shared with bench/partnerships.py, which also copies the recorded incidents
(``recorded=True``: the hotspot page counts them) and copies a whole partnership into new ones.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def reference_sql(tag: str) -> str:
    """A copy's case reference: "RJ-2026-00042" with ``tag`` before its number ("RJ-2026-<tag>00042")."""
    return f"'RJ-' || substr(reference, 4, 4) || '-{tag}' || substr(reference, 9)"


def tagged_sql(column: str, tag: str) -> str:
    """A copy's value of a column that must stay unique where it is set (a crime reference, a person key)."""
    return f"CASE WHEN {column} = '' THEN '' ELSE {column} || '/{tag}' END"


def copy_table(cursor, model, where: str, shift: dict[str, int], replace: dict[str, str] | None = None) -> None:
    """Copy the rows of ``model``'s table that match ``where`` into the same table: each column named in ``shift``
    plus its amount (the keys), each in ``replace`` as that SQL expression, every other column as it is."""
    from django.db import connection

    names, exprs = [], []
    for field in model._meta.concrete_fields:
        column = connection.ops.quote_name(field.column)
        names.append(column)
        if replace and field.column in replace:
            exprs.append(replace[field.column])
        elif field.column in shift:
            exprs.append(f"{column} + {shift[field.column]}")
        else:
            exprs.append(column)
    table = connection.ops.quote_name(model._meta.db_table)
    cursor.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {table} WHERE {where}")


def reset_sequences(models) -> None:
    """After inserting keys by hand: each table's id sequence past its largest key (PostgreSQL), and ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for model in models:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")


def grow(cases: int, *, recorded: bool = False, last_seeded: int = 0, first_copy: int = 1, report=print) -> None:
    """Copy the seeded cases (those up to ``last_seeded``, or all) until there are ``cases`` of them, with their
    incidents, strand links and people; with ``recorded``, their recorded incidents and those incidents' strand
    links too (crime references, person and place keys tagged with the copy: unique, and no copy a repeat of
    another). Counts are not kept:
    call ``recorded.counts.rebuild`` after."""
    from django.db import connection, transaction
    from django.db.models import Max

    from recorded.models import RecordedIncident
    from rjcases.models import Case, Incident, Party

    strands = Incident.strands.through
    recorded_strands = RecordedIncident.strands.through
    tables = [Case, Incident, strands, Party] + ([RecordedIncident, recorded_strands] if recorded else [])
    last_seeded = last_seeded or Case.objects.aggregate(m=Max("id"))["m"]
    seeded = Case.objects.filter(id__lte=last_seeded).count()
    base = {
        Case: last_seeded,
        Incident: Incident.objects.filter(case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
        strands: strands.objects.filter(incident__case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
        Party: Party.objects.filter(case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
        RecordedIncident: RecordedIncident.objects.aggregate(m=Max("id"))["m"] or 0,
        recorded_strands: recorded_strands.objects.aggregate(m=Max("id"))["m"] or 0,
    }
    copies = -(-cases // seeded) - 1
    started = time.monotonic()
    for k in range(first_copy, copies + 1):
        wanted = min(seeded, cases - seeded * k)  # the last copy: only as many cases as still wanted
        cutoff = Case.objects.filter(id__lte=base[Case]).order_by("id").values_list("id", flat=True)[wanted - 1]
        copied_recorded = f"id <= {base[RecordedIncident]} AND case_id <= {cutoff}"
        where = {
            Case: f"id <= {cutoff}",
            Incident: f"id <= {base[Incident]} AND case_id <= {cutoff}",
            Party: f"id <= {base[Party]} AND case_id <= {cutoff}",
            strands: f"id <= {base[strands]} AND incident_id IN "
            f"(SELECT id FROM rjcases_incident WHERE id <= {base[Incident]} AND case_id <= {cutoff})",
            RecordedIncident: copied_recorded,
            recorded_strands: f"id <= {base[recorded_strands]} AND recordedincident_id IN "
            f"(SELECT id FROM recorded_recordedincident WHERE {copied_recorded})",
        }
        shift = {
            "id": 0,
            "case_id": k * base[Case],
            "incident_id": k * base[Incident],
            "supports_id": k * base[Party],
            "recordedincident_id": k * base[RecordedIncident],
        }
        replace = {
            Case: {"reference": reference_sql(str(k))},
            RecordedIncident: {
                "crime_reference": tagged_sql("crime_reference", f"k{k}"),
                "victim_key": tagged_sql("victim_key", f"k{k}"),
                "place_key": tagged_sql("place_key", f"k{k}"),
            },
        }
        with transaction.atomic(), connection.cursor() as cursor:
            for model in tables:
                copy_table(cursor, model, where[model], {**shift, "id": k * base[model]}, replace.get(model))
        report(f"copy {k} of {copies}: {Case.objects.count():,} cases, {time.monotonic() - started:.0f} s")
    reset_sequences(tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from rjcases.models import Case, Party

    started = time.monotonic()
    grow(
        args.cases,
        # The rows seed_demo made (MULTIPLY_BASE_CASE: the largest case id of those, when finishing a stopped run).
        last_seeded=int(os.environ.get("MULTIPLY_BASE_CASE", "0")),
        first_copy=int(os.environ.get("MULTIPLY_FROM", "1")),  # to finish a run that stopped after a copy
        report=lambda line: print(line, flush=True),
    )
    print(f"{Case.objects.count():,} cases, {Party.objects.count():,} people, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
