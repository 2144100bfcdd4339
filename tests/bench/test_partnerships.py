"""The pure parts of bench/partnerships.py and the SQL expressions it shares with bench/multiply.py: the copies'
case references, crime references and ward codes stay unique, and the ward mapping maps only what it is given.
The SQL is run on an in-memory SQLite database (the same expressions run on PostgreSQL in the bench)."""

import sqlite3

import pytest

from bench.multiply import reference_sql, tagged_sql
from bench.partnerships import database_names, ward_case_sql, ward_code


def _apply(expression: str, column: str, values: list) -> list:
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE TABLE t ({column})")
    db.executemany("INSERT INTO t VALUES (?)", [(v,) for v in values])
    return [row[0] for row in db.execute(f"SELECT {expression} FROM t ORDER BY rowid")]


def test_references_of_grown_copies_and_of_each_partnership_are_unique():
    seeded = [f"RJ-{year}-{n:05d}" for year in (2025, 2026) for n in range(1, 400)]
    grown = seeded + [ref for k in range(1, 4) for ref in _apply(reference_sql(str(k)), "reference", seeded)]
    every = grown + [ref for p in range(2, 11) for ref in _apply(reference_sql(f"{p:02d}"), "reference", grown)]
    assert len(every) == len(set(every)) == len(seeded) * 4 * 10
    assert _apply(reference_sql("02"), "reference", ["RJ-2026-300042"]) == ["RJ-2026-02300042"]
    assert max(map(len, every)) <= 20  # Case.reference's max_length


def test_tagged_values_stay_empty_where_empty_and_unique_where_set():
    assert _apply(tagged_sql("crime_reference", "p03"), "crime_reference", ["06/100003/25", ""]) == [
        "06/100003/25/p03",
        "",
    ]


def test_ward_mapping_maps_the_given_wards_only():
    assert _apply(ward_case_sql("ward_id", {1: 101, 2: 102}), "ward_id", [1, 2, 3]) == [101, 102, 3]


def test_ward_codes_of_a_copy_are_new_and_at_most_twelve_characters():
    assert ward_code("TRF01", 2) == "P02TRF01"
    assert ward_code("TRF01", 10) == "P10TRF01"
    with pytest.raises(ValueError, match="too long"):
        ward_code("E0500081912", 2)


def test_the_ten_partnership_database_is_named_after_the_first():
    assert database_names("postgres://postgres@127.0.0.1:5432/rj_partnerships") == (
        "rj_partnerships",
        "rj_partnerships_ten",
    )
