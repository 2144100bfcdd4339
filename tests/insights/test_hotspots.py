"""Hotspots: exact counts by ward, crime type, strand, route and month; the multi-strand rule; the Poisson
flag on a constructed hotspot and not on an even spread; filters; CSV of every table.

The selector tests read ``selectors.hotspots`` (RJ cases by referral date, which the API serves); the page
tests read the hotspot page, which counts every recorded incident by incident date
(tests/insights/test_incident_hotspots.py has its counts)."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from insights import selectors
from insights.selectors import Filters, Period
from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward
from tests.factories import reference
from tests.insights.conftest import make_case, set_population

pytestmark = pytest.mark.django_db

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
WARDS = ("TRF01", "TRF02", "TRF03", "TRF04")


def run(period=Q1, **filters):
    ref = selectors.load_reference()
    return selectors.hotspots(Filters(period=period, **filters), ref), ref


def cell(heat, ward_code, column_code):
    row = next(r for r in heat.rows if r.ward.code == ward_code)
    index = next(i for i, c in enumerate(heat.columns) if c.code == column_code)
    return row.cells[index]


def flags_of(result):
    return {(f.ward.code, f.kind, f.category) for f in result.flags}


def test_counts_by_ward_crime_type_strand_route_and_month(police_referrer, centre_staff, manager):
    for code in WARDS:
        reference(Ward, code)
    make_case(police_referrer, ward="TRF01", crime="violence", strands=("race",), received_on=date(2026, 1, 5))
    make_case(police_referrer, ward="TRF01", crime="public-order", strands=("religion",), received_on=date(2026, 1, 20))
    make_case(
        centre_staff,
        ward="TRF02",
        crime="violence",
        strands=("race",),
        received_on=date(2026, 3, 2),
        route="reporting-centre",
        reporting_centre=centre_staff.organisation,
        report_kind="assisted",
        consents_to_police=True,
    )
    make_case(
        manager,
        ward="TRF03",
        crime="criminal-damage",
        strands=("disability",),
        received_on=date(2026, 3, 9),
        route="self-referral",
    )
    # Outside the period: never counted.
    make_case(police_referrer, ward="TRF01", crime="violence", received_on=date(2025, 12, 31))
    make_case(police_referrer, ward="TRF01", crime="violence", received_on=date(2026, 4, 1))

    result, _ = run()

    assert result.total == 4
    assert dict((w.code, n) for w, n in result.ward_totals) == {"TRF01": 2, "TRF02": 1, "TRF03": 1, "TRF04": 0}
    assert {c.code: n for c, n in result.crime_totals} == {"violence": 2, "public-order": 1, "criminal-damage": 1}
    assert {s.code: n for s, n in result.strand_totals} == {"race": 2, "religion": 1, "disability": 1}
    assert cell(result.crime_heat, "TRF01", "violence").count == 1
    assert cell(result.crime_heat, "TRF02", "violence").count == 1
    assert cell(result.strand_heat, "TRF01", "religion").count == 1
    assert cell(result.strand_heat, "TRF04", "race").count == 0
    assert result.routes == [("Police", 2), ("Reporting-Centre: Test Reporting Centre", 1), ("Self-Referral", 1)]
    assert [(m, n, change) for m, n, change in result.months] == [
        (date(2026, 1, 1), 2, None),
        (date(2026, 2, 1), 0, -2),
        (date(2026, 3, 1), 2, 2),
    ]
    assert sorted((w.code, c.code, s.code, n) for w, c, s, n in result.full) == [
        ("TRF01", "public-order", "religion", 1),
        ("TRF01", "violence", "race", 1),
        ("TRF02", "violence", "race", 1),
        ("TRF03", "criminal-damage", "disability", 1),
    ]


def test_a_case_with_two_strands_counts_once_in_each_and_once_in_the_total(police_referrer):
    make_case(police_referrer, ward="TRF01", strands=("race", "religion"), received_on=date(2026, 2, 1))
    make_case(police_referrer, ward="TRF02", strands=("race",), received_on=date(2026, 2, 2))

    result, _ = run()

    assert result.total == 2
    assert {s.code: n for s, n in result.strand_totals} == {"race": 2, "religion": 1}
    assert result.strand_links == 3
    row = next(r for r in result.strand_heat.rows if r.ward.code == "TRF01")
    assert [c.count for c in row.cells] == [1, 1]
    assert row.total == 1
    assert sum(n for _, n in result.routes) == 2
    assert sum(n for _, n, _ in result.months) == 2


def test_the_page_says_how_multi_strand_cases_are_counted(client, manager, police_referrer):
    make_case(police_referrer, strands=("race", "religion"))
    client.force_login(manager)
    page = client.get(reverse("insights:hotspots")).content.decode()
    assert "An incident with more than one strand counts once in each strand and once in the total" in page
    assert "the strand counts add up to 2." in page


def test_a_constructed_hotspot_is_flagged(police_referrer):
    for code in WARDS:
        reference(Ward, code)
    # Violence, race: 8 in TRF01 and 1 in each other ward of equal population: expected 11 x 1/4 = 2.75,
    # P(X >= 8 | 2.75) = 0.0073 < 0.01.
    for _ in range(8):
        make_case(police_referrer, ward="TRF01", crime="violence", strands=("race",), received_on=date(2026, 2, 3))
    for code in WARDS[1:]:
        make_case(police_referrer, ward=code, crime="violence", strands=("race",), received_on=date(2026, 2, 3))
        make_case(
            police_referrer, ward=code, crime="public-order", strands=("disability",), received_on=date(2026, 2, 3)
        )

    result, _ = run()

    assert flags_of(result) == {("TRF01", "Crime type", "Violence"), ("TRF01", "Strand", "Race")}
    hotspot = cell(result.crime_heat, "TRF01", "violence")
    assert hotspot.flagged
    assert hotspot.expected == pytest.approx(2.75)
    assert hotspot.p_value == pytest.approx(0.00734681, rel=1e-6)
    assert not cell(result.crime_heat, "TRF02", "violence").flagged


def test_an_even_spread_is_not_flagged(police_referrer):
    for code in WARDS:
        for crime in ("violence", "public-order"):
            for _ in range(3):
                make_case(police_referrer, ward=code, crime=crime, strands=("race",), received_on=date(2026, 1, 9))

    result, _ = run()

    assert result.total == 24
    assert result.flags == []
    assert all(c.expected == pytest.approx(3.0) for r in result.crime_heat.rows for c in r.cells)


def test_the_expectation_follows_population(police_referrer):
    set_population("TRF01", 30000)
    set_population("TRF02", 10000)
    for _ in range(6):
        make_case(police_referrer, ward="TRF01", received_on=date(2026, 1, 9))
    for _ in range(2):
        make_case(police_referrer, ward="TRF02", received_on=date(2026, 1, 9))

    result, _ = run()

    assert cell(result.crime_heat, "TRF01", "public-order").expected == pytest.approx(6.0)
    assert cell(result.crime_heat, "TRF02", "public-order").expected == pytest.approx(2.0)
    assert result.flags == []


def test_fewer_than_three_cases_are_never_flagged_however_unlikely(police_referrer):
    set_population("TRF01", 40000)
    set_population("TRF05", 100)
    for _ in range(10):
        make_case(police_referrer, ward="TRF01", strands=("race",), received_on=date(2026, 1, 9))
    for _ in range(2):
        make_case(police_referrer, ward="TRF05", strands=("transgender",), received_on=date(2026, 1, 9))

    result, _ = run()
    small = cell(result.strand_heat, "TRF05", "transgender")
    assert small.p_value < 0.01
    assert not small.flagged

    make_case(police_referrer, ward="TRF05", strands=("transgender",), received_on=date(2026, 1, 9))
    result, _ = run()
    assert ("TRF05", "Strand", "Transgender") in flags_of(result)


def test_a_ward_without_a_population_is_not_tested(police_referrer):
    set_population("TRF01", 10000)
    set_population("TRF09", 0)
    for _ in range(5):
        make_case(police_referrer, ward="TRF09", received_on=date(2026, 1, 9))
    make_case(police_referrer, ward="TRF01", received_on=date(2026, 1, 9))

    result, _ = run()

    assert cell(result.crime_heat, "TRF09", "public-order").expected is None
    assert [w.code for w in result.unpopulated_wards] == ["TRF09"]
    assert result.flags == []


def test_filters_narrow_every_count(police_referrer, centre_staff):
    make_case(
        police_referrer, ward="TRF01", crime="violence", strands=("race", "religion"), received_on=date(2026, 1, 5)
    )
    make_case(police_referrer, ward="TRF02", crime="public-order", strands=("race",), received_on=date(2026, 1, 6))
    make_case(
        centre_staff,
        ward="TRF02",
        crime="violence",
        strands=("disability",),
        received_on=date(2026, 1, 7),
        route="reporting-centre",
        reporting_centre=centre_staff.organisation,
        report_kind="anonymous",
        consents_to_police=False,
    )
    race = HateStrand.objects.get(code="race")
    violence = CrimeType.objects.get(code="violence")
    centre_route = ReferralRoute.objects.get(code="reporting-centre")

    by_strand, _ = run(strand=race.pk)
    assert by_strand.total == 2
    assert [(s.code, n) for s, n in by_strand.strand_totals] == [("race", 2)]  # only the chosen strand
    assert [c.code for c in by_strand.strand_heat.columns] == ["race"]

    by_crime, _ = run(crime_type=violence.pk)
    assert by_crime.total == 2
    assert {s.code: n for s, n in by_crime.strand_totals} == {"race": 1, "religion": 1, "disability": 1}

    by_route, _ = run(route=centre_route.pk)
    assert by_route.total == 1
    assert by_route.routes == [("Reporting-Centre: Test Reporting Centre", 1)]

    both, _ = run(strand=race.pk, crime_type=violence.pk)
    assert both.total == 1


def test_the_default_period_is_the_last_twelve_months(client, manager, police_referrer):
    from tests.factories import days_ago

    for day in (days_ago(0), days_ago(400)):
        make_case(police_referrer, received_on=day, occurred=day)
    client.force_login(manager)
    response = client.get(reverse("insights:hotspots"))
    assert response.context["result"].total == 1
    assert len(response.context["result"].months) == 12


def test_strand_filter_on_the_page_and_its_csv(client, manager, police_referrer):
    make_case(police_referrer, ward="TRF01", strands=("race", "religion"), received_on=date(2026, 1, 5))
    make_case(police_referrer, ward="TRF02", strands=("religion",), received_on=date(2026, 1, 6))
    make_case(police_referrer, ward="TRF02", strands=("race",), received_on=date(2026, 1, 7))
    religion = HateStrand.objects.get(code="religion")
    client.force_login(manager)
    query = {
        "date_from-day": "1",
        "date_from-month": "9",
        "date_from-year": "2026",
        "date_to-day": "30",
        "date_to-month": "11",
        "date_to-year": "2026",
        "strand": str(religion.pk),
    }

    page = client.get(reverse("insights:hotspots"), query)
    assert page.context["result"].total == 2
    assert "Strand: Religion" in page.content.decode()

    download = client.get(reverse("insights:hotspots"), {**query, "format": "csv", "table": "ward-strand"})
    assert download["Content-Type"].startswith("text/csv")
    assert 'filename="hotspots-ward-strand.csv"' in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Ward", "Population", "Religion", "All incidents (each counted once)"]
    assert rows[1:] == [["Trf01", "10000", "1", "1"], ["Trf02", "10000", "1", "1"], ["Borough", "20000", "2", "2"]]


def test_every_table_downloads_as_csv(client, manager, police_referrer):
    make_case(police_referrer, received_on=date(2026, 1, 5))
    client.force_login(manager)
    page = client.get(reverse("insights:hotspots"))
    tables = page.context["tables"]
    assert set(tables) == {
        "wards",
        "ward-crime-type",
        "ward-strand",
        "crime-types",
        "strands",
        "crime-type-strand",
        "sources",
        "months",
        "flagged",
        "new-hotspots",
        "vulnerability",
        "ward-crime-type-strand",
    }
    html = page.content.decode()
    for key, table in tables.items():
        assert f'data-testid="csv-{key}"' in html or key in (
            "flagged",
            "new-hotspots",
        )  # shown only when there are flags
        download = client.get(reverse("insights:hotspots"), {"format": "csv", "table": key})
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1
    assert client.get(reverse("insights:hotspots"), {"format": "csv", "table": "nope"}).status_code == 404


def test_a_csv_cell_that_would_run_as_a_formula_is_quoted(client, manager, police_referrer):
    ward = reference(Ward, "TRF01")
    ward.name = '=HYPERLINK("http://example.org")'
    ward.save()
    make_case(police_referrer, ward="TRF01")
    client.force_login(manager)
    download = client.get(reverse("insights:hotspots"), {"format": "csv", "table": "wards"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][0].startswith("'=")


def test_a_backwards_period_is_refused_with_a_message(client, manager):
    client.force_login(manager)
    query = {
        "date_from-day": "1",
        "date_from-month": "3",
        "date_from-year": "2026",
        "date_to-day": "1",
        "date_to-month": "1",
        "date_to-year": "2026",
    }
    page = client.get(reverse("insights:hotspots"), query)
    html = page.content.decode()
    assert "The end date must be the same as or after the start date" in html
    assert "govuk-error-summary" in html
    assert "result" not in page.context
    assert client.get(reverse("insights:hotspots"), {**query, "format": "csv", "table": "wards"}).status_code == 400


def test_the_page_draws_svg_charts_with_summaries_and_no_style_attributes(client, manager, police_referrer):
    make_case(police_referrer, ward="TRF01", received_on=date(2026, 1, 5))
    client.force_login(manager)
    html = client.get(reverse("insights:hotspots")).content.decode()
    for chart in ("chart-wards", "chart-months", "chart-sources"):
        assert f'role="img" aria-labelledby="{chart}-title" aria-describedby="{chart}-summary"' in html
        assert f'<figcaption id="{chart}-summary"' in html
    assert " style=" not in html
    assert "P(X ≥ observed), X ~ Poisson(expected), below 0.01" in html
