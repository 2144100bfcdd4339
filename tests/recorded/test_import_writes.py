"""The police import's bulk writes (recorded.writes): one history row for each record created or changed, none
for a record left alone; and the repeat flags and the summary kept exact when a re-import moves a record off a
person key, or a new record makes a record already held a repeat."""

from datetime import date

import pytest

from recorded import counts
from recorded.models import RecordedCount, RecordedIncident
from recorded.services import import_police_records
from tests.recorded.conftest import police_row

pytestmark = pytest.mark.django_db

KEY, OTHER_KEY = "ab" * 16, "cd" * 16


def history(reference: str):
    return RecordedIncident.objects.get(crime_reference=reference).history.order_by("history_id")


def assert_summary_is_exact():
    for basis in ("occurred", "reported"):
        found = {}
        for ward, crime, source, strand, n, victim, place in RecordedCount.objects.filter(
            basis=basis, grain="day"
        ).values_list("ward_id", "crime_type_id", "source", "strand_id", "incidents", "repeat_victim", "repeat_place"):
            old = found.get((ward, crime, source, strand), (0, 0, 0))
            found[(ward, crime, source, strand)] = (old[0] + n, old[1] + victim, old[2] + place)
        found = {key: value for key, value in found.items() if value != (0, 0, 0)}
        assert found == counts.raw_counts(basis, date(2000, 1, 1), date(2100, 1, 1)), basis


def test_each_record_created_or_changed_has_one_history_row_and_one_left_alone_none(police_reference, manager):
    import_police_records([(2, police_row(1)), (3, police_row(2))], user=manager, name="march.csv")
    first = history("06/100001/26").get()
    assert (first.history_type, first.history_user, first.history_change_reason) == (
        "+",
        manager,
        "police import march.csv",
    )
    assert (first.crime_type.code, first.occurred_on, first.source) == ("public-order", date(2026, 3, 1), "police")

    report = import_police_records([(2, police_row(1)), (3, police_row(2))], user=manager, name="march.csv")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert history("06/100001/26").count() == history("06/100002/26").count() == 1

    import_police_records([(2, police_row(1, crime_type="violence")), (3, police_row(2))], name="april.csv")
    rows = list(history("06/100001/26"))
    assert [(r.history_type, r.crime_type.code) for r in rows] == [("+", "public-order"), ("~", "violence")]
    assert (rows[1].history_user, rows[1].history_change_reason) == (None, "police import april.csv (update)")
    assert history("06/100002/26").count() == 1
    record = RecordedIncident.objects.get(crime_reference="06/100001/26")
    assert (record.crime_type.code, list(record.strands.values_list("code", flat=True))) == ("violence", ["race"])
    assert record.created_at < record.updated_at


def test_a_record_moved_off_a_person_key_stops_the_next_one_being_a_repeat(police_reference):
    import_police_records(
        [
            (2, police_row(1, victim_key=KEY)),
            (3, police_row(2, occurred_on="2026-03-05", reported_at="2026-03-06", victim_key=KEY)),
        ]
    )
    second = RecordedIncident.objects.get(crime_reference="06/100002/26")
    assert second.repeat_victim
    assert_summary_is_exact()

    import_police_records([(2, police_row(1, victim_key=OTHER_KEY))])

    second.refresh_from_db()
    assert not second.repeat_victim  # the only other record under its key has moved to another person
    assert history("06/100002/26").count() == 1  # a derived flag: no history row
    assert_summary_is_exact()
    counts.rebuild()  # the flags and the summary from the raw rows: as they were
    assert not RecordedCount.objects.filter(repeat_victim__gt=0).exists()
    assert_summary_is_exact()


def test_a_new_earlier_record_makes_one_held_a_repeat_and_the_summary_counts_it(police_reference):
    import_police_records(
        [(2, police_row(2, occurred_on="2026-03-05", reported_at="2026-03-06", postcode="M32 0TH", ward="TRF01"))]
    )
    held = RecordedIncident.objects.get()
    assert not held.repeat_place

    import_police_records([(2, police_row(1, occurred_on="2026-03-01", postcode="M32 0TH", ward="TRF01"))])

    held.refresh_from_db()
    assert held.repeat_place
    assert history("06/100002/26").count() == 1
    assert_summary_is_exact()
    assert (
        sum(
            RecordedCount.objects.filter(basis="occurred", grain="month", strand_id=0).values_list(
                "repeat_place", flat=True
            )
        )
        == 1
    )


def test_an_import_of_many_cells_keeps_the_summary_exact(police_reference, monkeypatch):
    """From ``COPY_FROM`` cells on, PostgreSQL upserts them through COPY and a temporary table (an import of
    thousands of rows); here from the first cell, so that this path is the one taken."""
    monkeypatch.setattr(counts, "COPY_FROM", 1)
    rows = [
        police_row(n, victim_key=KEY if n % 2 else "", strands="race;religion" if n % 3 else "race") for n in range(8)
    ]
    import_police_records([(n + 2, row) for n, row in enumerate(rows)])
    assert_summary_is_exact()
    rows[1:4] = [police_row(n, ward="TRF02", crime_type="violence") for n in range(1, 4)]
    report = import_police_records([(n + 2, row) for n, row in enumerate(rows)])
    assert (report.updated, report.unchanged) == (3, 5)
    assert_summary_is_exact()
    assert RecordedCount.objects.filter(incidents__lt=0).count() == 0
