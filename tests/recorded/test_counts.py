"""The hotspot summary equals a count from the raw rows: on hand-built data, after random writes (imports,
re-imports that change rows, referrals, police records linked to referrals), and after a rebuild; and the page
reads the summary for any period (whole months and part months)."""

import random
from datetime import date, timedelta

import pytest

from insights import selectors
from insights.selectors import Period
from insights.selectors.incidents import IncidentFilters, incident_hotspots
from recorded import counts
from recorded.models import RecordedCount
from recorded.services import import_police_records
from tests.factories import incident_data
from tests.recorded.conftest import CRIMES, STRANDS, WARDS, police_row
from tests.walk import refer

pytestmark = pytest.mark.django_db

START = date(2025, 1, 1)
PERIODS = [
    Period(date(2025, 1, 1), date(2026, 11, 30)),
    Period(date(2025, 3, 17), date(2025, 11, 2)),  # part months at both ends
    Period(date(2026, 2, 3), date(2026, 2, 20)),  # inside one month
]


def summary(basis: str, period: Period) -> dict:
    """The summary's cells for the period, keyed like ``counts.raw_counts``."""
    from insights.selectors.incidents import period_cells

    found = {}
    rows = RecordedCount.objects.filter(period_cells(period), basis=basis).values_list(
        "ward_id", "crime_type_id", "source", "strand_id", "incidents", "repeat_victim", "repeat_place"
    )
    for ward, crime, source, strand, n, victim, place in rows:
        key = (ward, crime, source, strand)
        old = found.get(key, (0, 0, 0))
        found[key] = (old[0] + n, old[1] + victim, old[2] + place)
    return {key: value for key, value in found.items() if value != (0, 0, 0)}


def assert_summary_is_exact():
    for basis in ("occurred", "reported"):
        for period in PERIODS:
            assert summary(basis, period) == counts.raw_counts(basis, period.start, period.end), (basis, period)


def random_row(rng: random.Random, number: int) -> dict:
    occurred = START + timedelta(days=rng.randrange(0, 690))
    reported = occurred + timedelta(days=rng.choice([0, 0, 1, 3, 40]))
    crime = rng.choice(CRIMES)
    return police_row(
        number,
        occurred_on=occurred.isoformat(),
        reported_at=reported.isoformat(),
        ward=rng.choice(WARDS),
        crime_type=crime,
        crime_or_non_crime="non-crime" if crime == "nchi" else "crime",
        strands=";".join(rng.sample(STRANDS, rng.choice([1, 1, 2]))),
        repeat_victim=rng.choice(["yes", "no", "no", "no"]),
        victim_key=rng.choice(["", "", "c3" * 16, "d4" * 16]),
        postcode=rng.choice(["", "", "M32 0TH", "M33 7AB"]),
    )


def test_the_summary_stays_exact_through_random_writes(police_reference, police_referrer):
    rng = random.Random(16)
    import_police_records([(i + 2, random_row(rng, i)) for i in range(40)])
    assert_summary_is_exact()
    for round_number in range(4):
        # Re-import a random half (changing most of them) and add new ones.
        rows = [random_row(rng, i) for i in rng.sample(range(40 + 10 * round_number), 20)]
        rows += [random_row(rng, 40 + 10 * round_number + i) for i in range(10)]
        import_police_records([(i + 2, row) for i, row in enumerate(rows)])
        # A referral linked to a police record, and one of its own.
        refer(police_referrer, incident=incident_data(crime_reference=f"06/{100000 + rng.randrange(40)}/26"))
        refer(police_referrer, strands=("religion", "race"), incident=incident_data(ward_code=rng.choice(WARDS)))
        assert_summary_is_exact()

    before = summary("occurred", PERIODS[0])
    counts.rebuild()
    assert summary("occurred", PERIODS[0]) == before
    assert_summary_is_exact()


def test_the_page_counts_equal_the_raw_counts_for_any_period(police_reference):
    rng = random.Random(7)
    import_police_records([(i + 2, random_row(rng, i)) for i in range(60)])
    ref = selectors.load_reference()
    for period in PERIODS:
        raw = counts.raw_counts("occurred", period.start, period.end)
        result = incident_hotspots(IncidentFilters(period=period), ref)
        assert result.total == sum(n for (_w, _c, _s, strand), (n, _v, _p) in raw.items() if strand == 0)
        assert result.strand_links == sum(n for (_w, _c, _s, strand), (n, _v, _p) in raw.items() if strand)
        assert result.repeat_victim_total == sum(v for (_w, _c, _s, strand), (_n, v, _p) in raw.items() if strand == 0)
