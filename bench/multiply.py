"""Grow a seeded database to more cases by copying its cases, incidents, strand links and people, for timing
the list pages (bench/pages.py) where seeding them all would take too long.

    .venv/bin/python bench/multiply.py --database-url postgres://postgres@127.0.0.1:5432/rj_lists_bench_100k \\
        --cases 100000

Each copy k of the rows seed_demo made gets new keys (the old ones plus k times the largest), the references
"RJ-2026-k00042" (the same shape, unique), and the same dates, states, routes, wards, strands, facilitators and
names, so every filter and search picks as large a share of the list as before. Only the list's tables are
copied: history, transitions, assessments, consents and the rest stay with the original cases (the case page
and timeline are timed on one of those). bench/README.md says when a figure was taken on a grown database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, required=True)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Max

    from rjcases.models import Case, Incident, Party

    strands = Incident.strands.through
    tables = [Case, Incident, strands, Party]
    # The rows seed_demo made (MULTIPLY_BASE_CASE: the largest case id of those, when finishing a stopped run).
    last_seeded = int(os.environ.get("MULTIPLY_BASE_CASE", "0")) or Case.objects.aggregate(m=Max("id"))["m"]
    seeded = Case.objects.filter(id__lte=last_seeded).count()
    base = {
        Case: last_seeded,
        Incident: Incident.objects.filter(case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
        strands: strands.objects.filter(incident__case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
        Party: Party.objects.filter(case_id__lte=last_seeded).aggregate(m=Max("id"))["m"],
    }
    copies = -(-args.cases // seeded) - 1
    started = time.monotonic()

    def columns(model, k: int) -> tuple[str, str]:
        shift = {"id": base[model], "case_id": base[Case], "incident_id": base[Incident], "supports_id": base[Party]}
        names, exprs = [], []
        for field in model._meta.concrete_fields:
            column = field.column
            names.append(connection.ops.quote_name(column))
            if column in shift:
                exprs.append(f"{column} + {k * shift[column]}")
            elif model is Case and column == "reference":
                exprs.append(f"'RJ-' || substr(reference, 4, 4) || '-{k}' || substr(reference, 9)")
            else:
                exprs.append(connection.ops.quote_name(column))
        return ", ".join(names), ", ".join(exprs)

    first_copy = int(os.environ.get("MULTIPLY_FROM", "1"))  # to finish a run that stopped after a copy
    for k in range(first_copy, copies + 1):
        wanted = min(seeded, args.cases - seeded * k)  # the last copy: only as many cases as still wanted
        cutoff = Case.objects.filter(id__lte=base[Case]).order_by("id").values_list("id", flat=True)[wanted - 1]
        where = {
            Case: f"id <= {cutoff}",
            Incident: f"id <= {base[Incident]} AND case_id <= {cutoff}",
            Party: f"id <= {base[Party]} AND case_id <= {cutoff}",
            strands: f"id <= {base[strands]} AND incident_id IN "
            f"(SELECT id FROM rjcases_incident WHERE id <= {base[Incident]} AND case_id <= {cutoff})",
        }
        with transaction.atomic(), connection.cursor() as cursor:
            for model in tables:
                names, exprs = columns(model, k)
                table = model._meta.db_table
                cursor.execute(f"INSERT INTO {table} ({names}) SELECT {exprs} FROM {table} WHERE {where[model]}")
        print(f"copy {k} of {copies}: {Case.objects.count():,} cases, {time.monotonic() - started:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in tables:
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{Case.objects.count():,} cases, {Party.objects.count():,} people, {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
