"""Where hate incidents were reported: ward x crime type x strand, routes, months, and the Poisson flag."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth

from insights import stats
from insights.selectors.common import (
    Filters,
    Reference,
    _incidents_for,
    _route_sort_key,
    _strand_links_for,
    route_label,
)
from rjcases.models import CrimeType, HateStrand, Ward

# ---------------------------------------------------------------------------------------------------
# Hotspots


@dataclass
class Cell:
    count: int
    expected: float | None = None
    p_value: float | None = None
    flagged: bool = False
    level: int = 0  # 0 (none) to 5 (the table's highest count), for shading


@dataclass
class HeatRow:
    ward: Ward
    cells: list[Cell]
    total: int


@dataclass
class HeatTable:
    key: str
    caption: str
    kind: str  # "Crime type" or "Strand"
    columns: list  # CrimeType or HateStrand
    rows: list[HeatRow]
    column_totals: list[int]
    total: int
    total_label: str


@dataclass
class Hotspot:
    ward: Ward
    kind: str
    category: str
    observed: int
    expected: float
    p_value: float

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else 0.0


@dataclass
class Hotspots:
    filters: Filters
    total: int
    ward_totals: list[tuple[Ward, int]]
    crime_totals: list[tuple[CrimeType, int]]
    strand_totals: list[tuple[HateStrand, int]]
    strand_links: int  # total of the strand counts (more than ``total`` when cases carry several strands)
    routes: list[tuple[str, int]]
    months: list[tuple[date, int, int | None]]  # month, count, change from the month before
    crime_heat: HeatTable
    strand_heat: HeatTable
    crime_by_strand: list[tuple[CrimeType, list[int]]]
    full: list[tuple[Ward, CrimeType, HateStrand, int]]
    flags: list[Hotspot]
    borough_population: int
    unpopulated_wards: list[Ward]


def _level(count: int, highest: int) -> int:
    return 0 if not count or not highest else max(1, math.ceil(5 * count / highest))


def _heat_table(
    key: str,
    caption: str,
    kind: str,
    columns: list,
    counts: dict,
    ref: Reference,
    row_totals: dict[int, int],
    total: int,
    total_label: str,
    flags: list[Hotspot],
) -> HeatTable:
    """Ward rows x category columns, each cell tested against the borough rate and the ward's population.

    expected = (borough count of the category in wards with a population) x ward population / borough
    population; flagged when observed >= 3 and P(X >= observed | Poisson(expected)) < 0.01.
    """
    populated = [w for w in ref.wards if w.population > 0]
    borough_population = sum(w.population for w in populated)
    populated_ids = {w.pk for w in populated}
    borough = {c.pk: sum(counts.get((w, c.pk), 0) for w in populated_ids) for c in columns}
    highest = max((counts.get((w.pk, c.pk), 0) for w in ref.wards for c in columns), default=0)
    rows = []
    for ward in ref.wards:
        cells = []
        for column in columns:
            observed = counts.get((ward.pk, column.pk), 0)
            cell = Cell(count=observed, level=_level(observed, highest))
            if ward.population > 0 and borough_population:
                cell.expected = borough[column.pk] * ward.population / borough_population
                cell.flagged, cell.p_value = stats.is_hotspot(observed, cell.expected)
                if cell.flagged:
                    flags.append(Hotspot(ward, kind, column.name, observed, cell.expected, cell.p_value))
            cells.append(cell)
        rows.append(HeatRow(ward=ward, cells=cells, total=row_totals.get(ward.pk, 0)))
    column_totals = [sum(counts.get((w.pk, c.pk), 0) for w in ref.wards) for c in columns]
    return HeatTable(key, caption, kind, columns, rows, column_totals, total, total_label)


def hotspots(filters: Filters, ref: Reference) -> Hotspots:
    """Where hate incidents were reported: four grouped counts (ward x crime type; ward x crime type x
    strand; route and centre; month), from which every table on the page is laid out."""
    incidents = _incidents_for(filters).order_by()
    by_ward_crime = {
        (row["ward_id"], row["crime_type_id"]): row["n"]
        for row in incidents.values("ward_id", "crime_type_id").annotate(n=Count("id"))
    }
    full_counts = {
        (row["incident__ward_id"], row["incident__crime_type_id"], row["hatestrand_id"]): row["n"]
        for row in _strand_links_for(filters)
        .order_by()
        .values("incident__ward_id", "incident__crime_type_id", "hatestrand_id")
        .annotate(n=Count("id"))
    }
    route_rows = list(incidents.values("case__route_id", "case__reporting_centre_id").annotate(n=Count("id")))
    month_counts = {
        row["month"]: row["n"]
        for row in incidents.annotate(month=TruncMonth("case__received_on")).values("month").annotate(n=Count("id"))
    }

    crime_columns = [c for c in ref.crime_types if not filters.crime_type or c.pk == filters.crime_type]
    strand_columns = [s for s in ref.strands if not filters.strand or s.pk == filters.strand]
    ward_totals = defaultdict(int)
    crime_totals = defaultdict(int)
    for (ward_id, crime_id), n in by_ward_crime.items():
        ward_totals[ward_id] += n
        crime_totals[crime_id] += n
    by_ward_strand = defaultdict(int)
    by_crime_strand = defaultdict(int)
    for (ward_id, crime_id, strand_id), n in full_counts.items():
        by_ward_strand[(ward_id, strand_id)] += n
        by_crime_strand[(crime_id, strand_id)] += n
    total = sum(by_ward_crime.values())

    flags: list[Hotspot] = []
    crime_heat = _heat_table(
        "ward-crime-type",
        "Cases by ward and crime type",
        "Crime type",
        crime_columns,
        by_ward_crime,
        ref,
        ward_totals,
        total,
        "All crime types",
        flags,
    )
    strand_heat = _heat_table(
        "ward-strand",
        "Cases by ward and strand",
        "Strand",
        strand_columns,
        by_ward_strand,
        ref,
        ward_totals,
        total,
        "All cases (each counted once)",
        flags,
    )
    flags.sort(key=lambda f: (f.p_value, f.ward.name, f.category))

    routes = sorted(route_rows, key=lambda r: _route_sort_key(ref, r["case__route_id"], r["case__reporting_centre_id"]))
    months, previous = [], None
    for month in filters.period.months():
        count = month_counts.get(month, 0)
        months.append((month, count, None if previous is None else count - previous))
        previous = count
    full = [(ref.ward_by_id[w], ref.crime_by_id[c], ref.strand_by_id[s], n) for (w, c, s), n in full_counts.items()]
    full.sort(key=lambda row: (row[0].name, row[1].order, row[1].name, row[2].order, row[2].name))
    return Hotspots(
        filters=filters,
        total=total,
        ward_totals=[(w, ward_totals.get(w.pk, 0)) for w in ref.wards],
        crime_totals=[(c, crime_totals.get(c.pk, 0)) for c in crime_columns],
        strand_totals=[(s, sum(by_ward_strand.get((w.pk, s.pk), 0) for w in ref.wards)) for s in strand_columns],
        strand_links=sum(full_counts.values()),
        routes=[(route_label(ref, r["case__route_id"], r["case__reporting_centre_id"]), r["n"]) for r in routes],
        months=months,
        crime_heat=crime_heat,
        strand_heat=strand_heat,
        crime_by_strand=[(c, [by_crime_strand.get((c.pk, s.pk), 0) for s in strand_columns]) for c in crime_columns],
        full=full,
        flags=flags,
        borough_population=sum(w.population for w in ref.wards if w.population > 0),
        unpopulated_wards=[w for w in ref.wards if w.population <= 0],
    )
