"""Hotspots of every recorded incident: exact counts by incident date (and by report date), by source with a
police record referred to RJ counted once; the new-hotspot flag against a hand-built previous year, and not when
the previous year matched; repeat victims and places by ward; the open-data file's suppression under 5; the
page and its fixed number of queries."""

import csv
import io
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import selectors
from insights.selectors import Period
from insights.selectors.incidents import IncidentFilters, incident_hotspots, open_data, previous_year
from recorded.services import import_police_records
from tests.factories import incident_data
from tests.recorded import conftest as recorded_helpers
from tests.recorded.conftest import police_row
from tests.walk import refer

pytestmark = pytest.mark.django_db
police_reference = recorded_helpers.police_reference  # the fixture

YEAR = Period(date(2025, 10, 1), date(2026, 9, 30))
KEY_A, KEY_B = "a1" * 16, "b2" * 16


def load(rows):
    report = import_police_records([(i + 2, row) for i, row in enumerate(rows)])
    assert report.imported, report.rejects
    return report


def run(period=YEAR, **filters):
    ref = selectors.load_reference()
    return incident_hotspots(IncidentFilters(period=period, **filters), ref)


def by_code(pairs):
    return {item.code: n for item, n in pairs if n}


def test_counts_by_incident_date_exactly(police_reference, police_referrer):
    load(
        [
            police_row(1, occurred_on="2025-10-01", reported_at="2025-10-01", ward="TRF01", crime_type="violence"),
            police_row(2, occurred_on="2026-09-30", reported_at="2026-10-02", ward="TRF01", strands="race;religion"),
            # Happened before the period, reported in it: counted by report date only.
            police_row(3, occurred_on="2025-09-30", reported_at="2025-10-03", ward="TRF02"),
            police_row(
                4,
                occurred_on="2026-03-15",
                reported_at="2026-03-16 09:00",
                ward="TRF02",
                crime_type="nchi",
                crime_or_non_crime="non-crime",
                strands="disability",
            ),
            police_row(5, occurred_on="2026-10-01", reported_at="2026-10-01", ward="TRF03"),  # after the period
        ]
    )
    # An RJ referral of police record 4 (counted once), and one the police do not have.
    refer(police_referrer, incident=incident_data(crime_reference="06/100004/26"))
    june = timezone.make_aware(datetime(2026, 6, 1, 20, 0))
    refer(
        police_referrer,
        strands=("transgender",),
        incident=incident_data(ward_code="TRF03", occurred_from=june),
        received_on=date(2026, 10, 2),  # reported after the period
    )

    result = run()
    assert result.total == 4
    assert by_code(result.ward_totals) == {"TRF01": 2, "TRF02": 1, "TRF03": 1}
    assert by_code(result.crime_totals) == {"violence": 1, "public-order": 2, "nchi": 1}
    assert by_code(result.strand_totals) == {"race": 2, "religion": 1, "disability": 1, "transgender": 1}
    assert result.strand_links == 5
    assert {key: n for key, _label, n in result.sources if n} == {"police": 2, "police-rj": 1, "rj": 1}
    assert [m for m, _n, _change in result.months] == YEAR.months()
    months = {m: n for m, n, _ in result.months if n}
    assert months == {date(2025, 10, 1): 1, date(2026, 3, 1): 1, date(2026, 6, 1): 1, date(2026, 9, 1): 1}

    by_report = run(basis="reported")
    assert by_report.total == 3  # 1, 3 and 4: record 2 was reported in October 2026, the referrals after the period
    assert by_code(by_report.ward_totals) == {"TRF01": 1, "TRF02": 2}

    violence = next(c for c, _ in result.crime_totals if c.code == "violence")
    assert run(crime_type=violence.pk).total == 1
    race = next(s for s, _ in result.strand_totals if s.code == "race")
    assert run(strand=race.pk).total == 2
    assert run(source="police").total == 2


def test_a_new_hotspot_is_flagged_against_the_previous_year_and_not_when_it_matched(police_reference):
    before = previous_year(YEAR)
    assert before == Period(date(2024, 10, 1), date(2025, 9, 30))
    rows, n = [], 0

    def add(ward, day, count, crime="violence"):
        nonlocal n
        for _ in range(count):
            n += 1
            rows.append(police_row(n, ward=ward, crime_type=crime, occurred_on=day, reported_at=day))

    add("TRF01", "2026-05-04", 8)  # 8 this year, none the year before
    add("TRF02", "2026-05-04", 8)  # 8 this year, 8 the year before
    add("TRF02", "2025-05-04", 8)
    add("TRF03", "2026-05-04", 6)  # 6 against none: P = 0.5^6 = 0.016, not below 0.01
    load(rows)

    result = run()
    flagged = {(f.ward.code, f.kind, f.category): (f.current, f.previous) for f in result.new_flags}
    assert flagged == {("TRF01", "Crime type", "Violence"): (8, 0), ("TRF01", "Strand", "Race"): (8, 0)}
    flag = result.new_flags[0]
    assert flag.p_value == pytest.approx(0.5**8, rel=1e-6)  # both periods are 365 days: p = 1/2


def test_repeat_victims_and_places_are_counted_by_ward(police_reference):
    load(
        [
            police_row(1, occurred_on="2025-11-01", reported_at="2025-11-01", victim_key=KEY_A),
            police_row(2, occurred_on="2026-02-01", reported_at="2026-02-01", victim_key=KEY_A),  # repeat
            police_row(3, occurred_on="2026-09-01", reported_at="2026-09-01", victim_key=KEY_A.upper()),  # repeat
            police_row(4, occurred_on="2024-01-01", reported_at="2024-01-01", victim_key=KEY_B),  # before, > 365 days
            police_row(5, occurred_on="2026-01-10", reported_at="2026-01-10", victim_key=KEY_B, ward="TRF02"),
            police_row(6, occurred_on="2026-01-10", reported_at="2026-01-10", ward="TRF02", repeat_victim="yes"),
            police_row(7, occurred_on="2026-04-01", reported_at="2026-04-01", ward="TRF03", postcode="M32 0TH"),
            police_row(8, occurred_on="2026-04-20", reported_at="2026-04-20", ward="TRF03", postcode="m320th"),
            police_row(9, occurred_on="2026-06-01", reported_at="2026-06-01", ward="TRF03", place="Bus stop, Kings Rd"),
            police_row(10, occurred_on="2026-06-02", reported_at="2026-06-02", ward="TRF03", place="bus stop kings rd"),
        ]
    )
    result = run()
    rows = {v.ward.code: (v.incidents, v.repeat_victim, v.repeat_place) for v in result.vulnerability if v.incidents}
    assert rows == {"TRF01": (3, 2, 0), "TRF02": (2, 1, 0), "TRF03": (4, 0, 2)}
    assert (result.repeat_victim_total, result.repeat_place_total) == (3, 2)


def test_open_data_suppresses_counts_under_5_and_says_so(police_reference, client, manager):
    load(
        [police_row(i, occurred_on="2026-05-0" + str(1 + i % 5), reported_at="2026-05-09") for i in range(1, 7)]
        + [police_row(7, ward="TRF02", occurred_on="2026-05-03", reported_at="2026-05-03")]
        + [police_row(8, ward="TRF02", occurred_on="2026-06-03", reported_at="2026-06-03", strands="religion")]
    )
    ref = selectors.load_reference()
    shown = {(r.ward, r.month, r.strand): r.shown for r in open_data(YEAR, ref)}
    assert shown == {
        ("Trf01", date(2026, 5, 1), "Race"): "6",
        ("Trf02", date(2026, 5, 1), "Race"): "fewer than 5",
        ("Trf02", date(2026, 6, 1), "Religion"): "fewer than 5",
    }

    client.force_login(manager)
    response = client.get(
        reverse("insights:open_data"),
        {
            "date_from_0": "1",
            "date_from_1": "10",
            "date_from_2": "2025",
            "date_to_0": "30",
            "date_to_1": "9",
            "date_to_2": "2026",
        },
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][0].startswith("Suppression rule: Counts of 1 to 4 are shown as 'fewer than 5'")
    assert lines[3] == ["Month", "Ward", "Crime type", "Strand", "Incidents"]
    assert sorted(lines[4:]) == [
        ["2026-05", "Trf01", "Public-Order", "Race", "6"],
        ["2026-05", "Trf02", "Public-Order", "Race", "fewer than 5"],
        ["2026-06", "Trf02", "Public-Order", "Religion", "fewer than 5"],
    ]
    assert "06/1000" not in text
    assert "2026-05-0" not in text


def test_the_page_shows_the_new_hotspot_in_a_fixed_number_of_queries(
    police_reference, client, manager, django_assert_max_num_queries
):
    today = date.today()
    rows = [
        police_row(
            i,
            occurred_on=(today - timedelta(days=10)).isoformat(),
            reported_at=today.isoformat(),
            crime_type="violence",
        )
        for i in range(1, 9)
    ]
    load(rows)
    client.force_login(manager)
    # 17: the reader's partnerships are read once (issue 19: the page counts only theirs).
    with django_assert_max_num_queries(17):
        response = client.get(reverse("insights:hotspots"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 new hotspots" in page
    assert "Import police records" in page
    assert "X ~ Binomial(n, p), is below 0.01" in page


def test_police_and_caseworkers_see_hotspots_but_not_the_import(police_reference, client, police_referrer):
    client.force_login(police_referrer)
    assert client.get(reverse("insights:hotspots")).status_code == 200
    assert "Import police records" not in client.get(reverse("insights:hotspots")).content.decode()
    assert client.get(reverse("recorded:import")).status_code == 403
