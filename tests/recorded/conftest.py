"""Helpers for recorded incidents: reference data made on demand and CSV text built from rows."""

import csv
import io

import pytest

from recorded.layout import COLUMNS
from rjcases.models import CrimeType, HateStrand, Ward
from tests.factories import reference

WARDS = ("TRF01", "TRF02", "TRF03")
CRIMES = ("public-order", "violence", "criminal-damage", "nchi")
STRANDS = ("race", "religion", "disability", "sexual-orientation", "transgender")


@pytest.fixture
def police_reference(db):
    for code in WARDS:
        reference(Ward, code)
    for code in CRIMES:
        reference(CrimeType, code)
    for code in STRANDS:
        reference(HateStrand, code)


def police_row(reference_number: int | str = 1, **overrides) -> dict:
    """One valid police record as the import layout has it (docs/import.md)."""
    ref = reference_number if isinstance(reference_number, str) else f"06/{100000 + reference_number}/26"
    row = {
        "crime_reference": ref,
        "reported_at": "2026-03-02 14:25",
        "occurred_on": "2026-03-01",
        "ward": "TRF01",
        "postcode": "",
        "place": "",
        "crime_type": "public-order",
        "crime_or_non_crime": "crime",
        "strands": "race",
        "repeat_victim": "no",
        "victim_key": "",
    }
    row.update(overrides)
    return row


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
