"""Case references (RJ-2026-00042): numbers issued per year, from one allocator used by every writer.

On PostgreSQL each year has a database sequence, ``rjcases_case_reference_<year>``: ``nextval`` takes no lock that
lasts until the referral commits, so referrals in flight never wait for each other's numbers. A referral that rolls
back has still used its number, so the references of a year may have gaps: a reference is an identifier, not a count.
The sequence is made the first time a year's number is asked for, under a transaction-scoped advisory lock (only
while no sequence exists: the first referral of the year), starting after the highest number already issued that year
(the ``CaseReferenceSequence`` counter of a database from before the sequences, or the cases' own references).

On SQLite (one writer at a time anyway) the year's ``CaseReferenceSequence`` row is the counter, under a row lock.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import IntegerField
from django.db.models.functions import Cast, Substr

from rjcases.models import Case, CaseReferenceSequence

PREFIX = "RJ"
# Advisory lock keys are a (class, object) pair: this class is "the case reference sequences", the object the year.
ADVISORY_CLASS = 0x524A  # "RJ"


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:05d}"


def sequence_name(year: int) -> str:
    return f"rjcases_case_reference_{int(year)}"


def highest_issued(year: int) -> int:
    """The highest number issued in ``year``: the old counter's, or the highest case reference of that year."""
    counter = CaseReferenceSequence.objects.filter(year=year).values_list("last_number", flat=True).first() or 0
    prefix = f"{PREFIX}-{year}-"
    numbers = (
        Case.objects.filter(reference__regex=rf"^{prefix}[0-9]+$")
        .annotate(number=Cast(Substr("reference", len(prefix) + 1), output_field=IntegerField()))
        .order_by("-number")
        .values_list("number", flat=True)
    )
    return max(counter, numbers.first() or 0)


def _ensure_sequence(cursor, year: int) -> None:
    name = sequence_name(year)
    # Only one transaction makes a year's sequence; the others wait here (only until it commits), then find it.
    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_CLASS, int(year)])
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cursor.fetchone()[0]:
        return
    start = highest_issued(year) + 1
    cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} AS bigint START WITH {int(start)} MINVALUE 1")


def reserve_numbers(year: int, count: int) -> list[int]:
    """``count`` new numbers for ``year``, in increasing order (unique; on PostgreSQL not always consecutive)."""
    if count <= 0:
        return []
    if connection.vendor != "postgresql":
        sequence, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(year=year)
        first = sequence.last_number + 1
        sequence.last_number += count
        sequence.save(update_fields=["last_number"])
        return list(range(first, first + count))
    name = sequence_name(year)
    # One statement when the year's sequence exists (every referral but the year's first).
    query = (
        "SELECT CASE WHEN to_regclass(%s) IS NOT NULL THEN nextval(%s::text::regclass) END FROM generate_series(1, %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, [name, name, count])
        numbers = [row[0] for row in cursor.fetchall()]
        if None in numbers:
            _ensure_sequence(cursor, year)
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
            numbers = [row[0] for row in cursor.fetchall()]
    return sorted(numbers)


def next_reference(year: int) -> str:
    """The next case reference for ``year``, e.g. RJ-2026-00042: a number, so it says nothing of the case."""
    return format_reference(year, reserve_numbers(year, 1)[0])


def reserve_references(year: int, count: int) -> list[str]:
    """``count`` new case references for ``year``, in order (the demo's bulk writer takes them in one go)."""
    return [format_reference(year, number) for number in reserve_numbers(year, count)]


def drop_sequences() -> None:
    """Drop every year's sequence (PostgreSQL): only for a database whose cases were all deleted (the tests' flush)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' "
            "AND n.nspname = current_schema() AND c.relname LIKE 'rjcases\\_case\\_reference\\_%%'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')
