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


def copy_history(last_seeded: int, report=print) -> None:
    """Give the copies of the cases up to ``last_seeded`` (made by ``grow``: copy k's case ids are the seeded ones
    plus k times ``last_seeded``) their originals' transitions, activities, agreements and agreement actions, so
    that the performance page and its summary have a million cases' history to read. The audit chain's columns
    are copied as they are, so a grown database's chains do not verify: it is for timing only. Activities' and
    agreements' invitees and signatories (many-to-many rows) are not copied."""
    from django.db import connection, transaction
    from django.db.models import Max

    from conferences.models import Activity, Agreement, AgreementAction
    from rjcases.models import Case, CaseTransition, Party

    copies = Case.objects.filter(id__gt=last_seeded).count() // Case.objects.filter(id__lte=last_seeded).count()
    of_seeded = {"case_id__lte": last_seeded}
    base = {
        CaseTransition: CaseTransition.objects.filter(**of_seeded).aggregate(m=Max("id"))["m"],
        Activity: Activity.objects.filter(**of_seeded).aggregate(m=Max("id"))["m"],
        Agreement: Agreement.objects.filter(**of_seeded).aggregate(m=Max("id"))["m"],
        AgreementAction: AgreementAction.objects.filter(agreement__case_id__lte=last_seeded).aggregate(m=Max("id"))[
            "m"
        ],
    }
    chain = CaseTransition.objects.aggregate(m=Max("chain_seq"))["m"]
    people = Party.objects.filter(**of_seeded).aggregate(m=Max("id"))["m"]  # grow's shift of the people's keys
    seeded_agreements = f"agreement_id IN (SELECT id FROM conferences_agreement WHERE case_id <= {last_seeded})"
    started = time.monotonic()
    for k in range(1, copies + 1):
        cases = k * last_seeded
        with transaction.atomic(), connection.cursor() as cursor:
            seeded = f"case_id <= {last_seeded}"
            copy_table(
                cursor,
                CaseTransition,
                seeded,
                {"id": k * base[CaseTransition], "chain_seq": k * chain, "case_id": cases},
            )
            copy_table(
                cursor,
                Activity,
                seeded,
                {"id": k * base[Activity], "case_id": cases, "supersedes_id": k * base[Activity]},
            )
            copy_table(
                cursor,
                Agreement,
                seeded,
                {"id": k * base[Agreement], "case_id": cases, "activity_id": k * base[Activity]},
            )
            copy_table(
                cursor,
                AgreementAction,
                seeded_agreements,
                {
                    "id": k * base[AgreementAction],
                    "agreement_id": k * base[Agreement],
                    "responsible_party_id": k * people,
                },
            )
        report(f"history of copy {k} of {copies}: {time.monotonic() - started:.0f} s")
    reset_sequences([CaseTransition, Activity, Agreement, AgreementAction])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument(
        "--history",
        action="store_true",
        help="Also copy the seeded cases' transitions, activities and agreements into their copies (copy_history).",
    )
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db.models import Max

    from rjcases.models import Case, Party

    seeded_up_to = Case.objects.aggregate(m=Max("id"))["m"]
    started = time.monotonic()
    if Case.objects.count() >= args.cases:
        print(f"The database already holds {Case.objects.count():,} cases: none copied.")
    else:
        grow(
            args.cases,
            # The rows seed_demo made (MULTIPLY_BASE_CASE: the largest case id of those, when finishing a stopped run).
            last_seeded=int(os.environ.get("MULTIPLY_BASE_CASE", "0")),
            first_copy=int(os.environ.get("MULTIPLY_FROM", "1")),  # to finish a run that stopped after a copy
            report=lambda line: print(line, flush=True),
        )
    print(f"{Case.objects.count():,} cases, {Party.objects.count():,} people, {time.monotonic() - started:.0f} s")
    if args.history:
        # MULTIPLY_BASE_CASE names the seeded cases' largest id when the cases were grown by an earlier run.
        copy_history(int(os.environ.get("MULTIPLY_BASE_CASE", "0")) or seeded_up_to, report=print)


if __name__ == "__main__":
    main()
