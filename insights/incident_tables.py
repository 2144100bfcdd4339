"""The hotspot page's tables (recorded incidents), each shown on the page and downloadable as CSV, and the
open-data file."""

from __future__ import annotations

import csv

from django.http import HttpResponse

from insights.selectors.incidents import SUPPRESS_BELOW, IncidentHotspots, OpenDataRow
from insights.tables import Table, _heat, _p_value, flag_rows, month_label


def incident_tables(h: IncidentHotspots) -> dict[str, Table]:
    per_10k = lambda n, population: round(10000 * n / population, 1) if population else None  # noqa: E731
    tables = [
        Table(
            "wards",
            "Incidents by ward",
            ["Ward", "Population", "Incidents", "Incidents per 10,000 residents"],
            [[w.name, w.population, n, per_10k(n, w.population)] for w, n in h.ward_totals]
            + [["Borough", h.borough_population, h.total, per_10k(h.total, h.borough_population)]],
        ),
        _heat(h.crime_heat),
        _heat(h.strand_heat),
        Table(
            "crime-types",
            "Incidents by crime type",
            ["Crime type", "Incidents"],
            [[c.name, n] for c, n in h.crime_totals] + [["All crime types", h.total]],
        ),
        Table(
            "strands",
            "Incidents by strand",
            ["Strand", "Incidents"],
            [[s.name, n] for s, n in h.strand_totals] + [["All incidents (each counted once)", h.total]],
            note="An incident with more than one strand counts once in each strand, and once in the total.",
        ),
        Table(
            "crime-type-strand",
            "Incidents by crime type and strand",
            ["Crime type"] + [s.name for s, _ in h.strand_totals],
            [[c.name] + counts for c, counts in h.crime_by_strand],
        ),
        Table(
            "sources",
            "Incidents by source",
            ["Source", "Incidents"],
            [[label, n] for _key, label, n in h.sources] + [["All sources", h.total]],
            note="A police record later referred to RJ is one incident, counted under 'Police recorded, then "
            "referred to RJ'.",
        ),
        Table(
            "months",
            "Incidents by month",
            ["Month", "Incidents", "Change from the month before"],
            [[month_label(m), n, change] for m, n, change in h.months],
        ),
        Table(
            "flagged",
            "Unusual concentrations for the population",
            ["Ward", "Of", "Category", "Incidents", "Expected", "Incidents / expected", "p-value"],
            flag_rows(h.flags),
            numeric_from=3,
        ),
        Table(
            "new-hotspots",
            "New hotspots: well above the same ward's previous 12 months",
            [
                "Ward",
                "Of",
                "Category",
                "This period",
                "Previous 12 months",
                "Expected from the previous 12 months",
                "p-value",
            ],
            [
                [f.ward.name, f.kind, f.category, f.current, f.previous, round(f.expected, 2), _p_value(f.p_value)]
                for f in h.new_flags
            ],
            numeric_from=3,
        ),
        Table(
            "vulnerability",
            "Repeat victims and repeat places by ward",
            ["Ward", "Incidents", "Against a repeat victim", "At a repeat place"],
            [[v.ward.name, v.incidents, v.repeat_victim, v.repeat_place] for v in h.vulnerability]
            + [["Borough", h.total, h.repeat_victim_total, h.repeat_place_total]],
        ),
        Table(
            "ward-crime-type-strand",
            "Incidents by ward, crime type and strand (every combination with an incident)",
            ["Ward", "Crime type", "Strand", "Incidents"],
            [[w.name, c.name, s.name, n] for w, c, s, n in h.full],
            numeric_from=3,
        ),
    ]
    return {t.key: t for t in tables}


SUPPRESSION_RULE = (
    f"Counts of 1 to {SUPPRESS_BELOW - 1} are shown as 'fewer than {SUPPRESS_BELOW}', so that no small group of "
    "people can be picked out; combinations with no incident are left out. Each incident counts once in each of "
    "its strands. No crime reference, no date finer than the month, no place finer than the ward."
)


def open_data_response(rows: list[OpenDataRow], label: str, basis_label: str) -> HttpResponse:
    """The open-data file: the rule and the period first, then one row per ward, month, crime type and strand."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hate-incidents-open-data.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([f"Recorded hate crimes and non-crime hate incidents by {basis_label}, {label}."])
    writer.writerow([f"Suppression rule: {SUPPRESSION_RULE}"])
    writer.writerow([])
    writer.writerow(["Month", "Ward", "Crime type", "Strand", "Incidents"])
    for row in rows:
        writer.writerow([f"{row.month:%Y-%m}", row.ward, row.crime_type, row.strand, row.shown])
    return response
