"""Hotspots of every recorded hate incident (police records, centre reports, RJ referrals): ward x crime type x
strand and by source, by incident date or report date; the Poisson flag against population; the new-hotspot
flag against the same ward's previous 12 months; repeat victims and repeat places by ward; the open-data
counts. Read from the summary ``recorded.RecordedCount`` (kept exact on write), three queries whatever the
number of incidents: the period's cells, the period's months, and the previous 12 months' cells.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum

from insights import stats
from insights.selectors.common import Period, Reference, add_months
from insights.selectors.hotspots import HeatTable, Hotspot, _heat_table
from recorded.models import COUNTED_SOURCES, RecordedCount
from rjcases.models import CrimeType, HateStrand, Ward

BASIS_LABELS = dict(RecordedCount.Basis.choices)
Counts = defaultdict[Any, int]


@dataclass(frozen=True)
class IncidentFilters:
    period: Period
    basis: str = RecordedCount.Basis.OCCURRED
    strand: int | None = None
    crime_type: int | None = None
    source: str | None = None
    # The partnerships counted: the recorded incidents of their wards (None: every partnership's).
    partnerships: tuple[int, ...] | None = None


def previous_year(period: Period) -> Period:
    """The 12 months before the period starts: from the same day a year earlier to the day before it."""
    start = period.start
    try:
        earlier = start.replace(year=start.year - 1)
    except ValueError:  # 29 February
        earlier = start.replace(year=start.year - 1, day=28)
    return Period(earlier, start - timedelta(days=1))


def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def period_cells(period: Period) -> Q:
    """The summary rows that add up to exactly the days of the period: a month row for each whole month inside
    it, day rows for the days of the months it only partly covers."""
    whole = [m for m in period.months() if m >= period.start and _month_end(m) <= period.end]
    if not whole:
        return Q(grain=RecordedCount.Grain.DAY, day__gte=period.start, day__lte=period.end)
    query = Q(grain=RecordedCount.Grain.MONTH, day__gte=whole[0], day__lte=whole[-1])
    if period.start < whole[0]:
        query |= Q(grain=RecordedCount.Grain.DAY, day__gte=period.start, day__lt=whole[0])
    if _month_end(whole[-1]) < period.end:
        query |= Q(grain=RecordedCount.Grain.DAY, day__gt=_month_end(whole[-1]), day__lte=period.end)
    return query


def counted_wards(filters: IncidentFilters, ref: Reference) -> list[int] | None:
    """The keys of the wards whose cells are counted (None: every ward), from the reference where it is of the same
    partnerships (no query). A list, written into the query as it is: with it PostgreSQL reads the summary by ward
    (``recorded_count_ward``), only these wards' cells of the period; with a subquery on the wards it read every
    partnership's cells of the period and dropped the others' (bench/README.md, "Partnerships: ten of 100,000")."""
    if filters.partnerships is None:
        return None
    if ref.partnerships == filters.partnerships:
        return sorted(ref.ward_by_id)
    wards = Ward.objects.filter(partnership_id__in=list(filters.partnerships)).order_by("pk")
    return list(wards.values_list("pk", flat=True))


def _cells(filters: IncidentFilters, period: Period, wards: list[int] | None) -> QuerySet:
    """The period's summary rows under the filters, of these wards (every ward where None). With a strand chosen,
    only that strand's rows: they count each incident with the strand once, so they are the incident counts too."""
    query = Q(basis=filters.basis) & period_cells(period)
    if filters.crime_type:
        query &= Q(crime_type_id=filters.crime_type)
    if filters.source:
        query &= Q(source=filters.source)
    if filters.strand:
        query &= Q(strand_id=filters.strand)
    if wards is not None:
        query &= Q(ward_id__in=wards)
    return RecordedCount.objects.filter(query).order_by()


@dataclass
class NewHotspot:
    ward: Ward
    kind: str
    category: str
    current: int
    previous: int
    expected: float  # what the previous 12 months' daily rate predicts for this period
    p_value: float

    @property
    def ratio(self) -> float:
        return self.current / self.expected if self.expected else float("inf")


@dataclass
class WardVulnerability:
    ward: Ward
    incidents: int
    repeat_victim: int
    repeat_place: int


@dataclass
class IncidentHotspots:
    filters: IncidentFilters
    previous: Period
    total: int
    ward_totals: list[tuple[Ward, int]]
    crime_totals: list[tuple[CrimeType, int]]
    strand_totals: list[tuple[HateStrand, int]]
    strand_links: int
    sources: list[tuple[str, str, int]]  # key, label, count
    months: list[tuple[date, int, int | None]]
    crime_heat: HeatTable
    strand_heat: HeatTable
    crime_by_strand: list[tuple[CrimeType, list[int]]]
    full: list[tuple[Ward, CrimeType, HateStrand, int]]
    flags: list[Hotspot]
    new_flags: list[NewHotspot]
    vulnerability: list[WardVulnerability]
    repeat_victim_total: int
    repeat_place_total: int
    borough_population: int
    unpopulated_wards: list[Ward]

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.filters.basis].lower()


def _new_flags(current: dict, previous: dict, columns: list, kind: str, ref: Reference, days: tuple) -> list:
    found = []
    for ward in ref.wards:
        for column in columns:
            now, before = current.get((ward.pk, column.pk), 0), previous.get((ward.pk, column.pk), 0)
            flagged, p_value = stats.is_new_hotspot(now, before, *days)
            if flagged and p_value is not None:
                expected = before * days[0] / days[1]
                found.append(NewHotspot(ward, kind, column.name, now, before, expected, p_value))
    return found


def incident_hotspots(filters: IncidentFilters, ref: Reference) -> IncidentHotspots:
    """Everything the hotspot page shows, from three grouped reads of the summary."""
    wards = counted_wards(filters, ref)
    rows = list(
        _cells(filters, filters.period, wards)
        .values("ward_id", "crime_type_id", "source", "strand_id")
        .annotate(n=Sum("incidents"), victim=Sum("repeat_victim"), place=Sum("repeat_place"))
    )
    month_rows = (
        _cells(filters, filters.period, wards)
        .filter(strand_id=filters.strand or 0)
        .values("grain", "day")
        .annotate(n=Sum("incidents"))
    )
    previous = previous_year(filters.period)
    previous_rows = (
        _cells(filters, previous, wards).values("ward_id", "crime_type_id", "strand_id").annotate(n=Sum("incidents"))
    )

    once = filters.strand or 0  # the rows that count each incident once
    by_ward_crime: Counts = defaultdict(int)
    by_ward_strand: Counts = defaultdict(int)
    by_crime_strand: Counts = defaultdict(int)
    full_counts: Counts = defaultdict(int)
    by_source: Counts = defaultdict(int)
    ward_victim: Counts = defaultdict(int)
    ward_place: Counts = defaultdict(int)
    for row in rows:
        ward, crime, strand, n = row["ward_id"], row["crime_type_id"], row["strand_id"], row["n"]
        if strand == once:
            by_ward_crime[(ward, crime)] += n
            by_source[row["source"]] += n
            ward_victim[ward] += row["victim"]
            ward_place[ward] += row["place"]
        if strand:
            by_ward_strand[(ward, strand)] += n
            by_crime_strand[(crime, strand)] += n
            full_counts[(ward, crime, strand)] += n
    previous_crime: Counts = defaultdict(int)
    previous_strand: Counts = defaultdict(int)
    for row in previous_rows:
        if row["strand_id"] == once:
            previous_crime[(row["ward_id"], row["crime_type_id"])] += row["n"]
        if row["strand_id"]:
            previous_strand[(row["ward_id"], row["strand_id"])] += row["n"]
    month_counts: Counts = defaultdict(int)
    for row in month_rows:
        month_counts[row["day"].replace(day=1)] += row["n"]

    crime_columns = [c for c in ref.crime_types if not filters.crime_type or c.pk == filters.crime_type]
    strand_columns = [s for s in ref.strands if not filters.strand or s.pk == filters.strand]
    ward_totals: Counts = defaultdict(int)
    crime_totals: Counts = defaultdict(int)
    for (ward, crime), n in by_ward_crime.items():
        ward_totals[ward] += n
        crime_totals[crime] += n
    total = sum(by_ward_crime.values())

    flags: list[Hotspot] = []
    crime_heat = _heat_table(
        "ward-crime-type",
        "Incidents by ward and crime type",
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
        "Incidents by ward and strand",
        "Strand",
        strand_columns,
        by_ward_strand,
        ref,
        ward_totals,
        total,
        "All incidents (each counted once)",
        flags,
    )
    flags.sort(key=lambda f: (f.p_value, f.ward.name, f.category))
    days = ((filters.period.end - filters.period.start).days + 1, (previous.end - previous.start).days + 1)
    new_flags = _new_flags(by_ward_crime, previous_crime, crime_columns, "Crime type", ref, days)
    new_flags += _new_flags(by_ward_strand, previous_strand, strand_columns, "Strand", ref, days)
    new_flags.sort(key=lambda f: (f.p_value, f.ward.name, f.category))

    months: list[tuple[date, int, int | None]] = []
    before: int | None = None
    for month in filters.period.months():
        count = month_counts.get(month, 0)
        months.append((month, count, None if before is None else count - before))
        before = count
    full = [(ref.ward_by_id[w], ref.crime_by_id[c], ref.strand_by_id[s], n) for (w, c, s), n in full_counts.items()]
    full.sort(key=lambda row: (row[0].name, row[1].order, row[1].name, row[2].order, row[2].name))
    return IncidentHotspots(
        filters=filters,
        previous=previous,
        total=total,
        ward_totals=[(w, ward_totals.get(w.pk, 0)) for w in ref.wards],
        crime_totals=[(c, crime_totals.get(c.pk, 0)) for c in crime_columns],
        strand_totals=[(s, sum(by_ward_strand.get((w.pk, s.pk), 0) for w in ref.wards)) for s in strand_columns],
        strand_links=sum(full_counts.values()),
        sources=[(key, label, by_source.get(key, 0)) for key, label in COUNTED_SOURCES.items()],
        months=months,
        crime_heat=crime_heat,
        strand_heat=strand_heat,
        crime_by_strand=[(c, [by_crime_strand.get((c.pk, s.pk), 0) for s in strand_columns]) for c in crime_columns],
        full=full,
        flags=flags,
        new_flags=new_flags,
        vulnerability=[
            WardVulnerability(w, ward_totals.get(w.pk, 0), ward_victim.get(w.pk, 0), ward_place.get(w.pk, 0))
            for w in ref.wards
        ],
        repeat_victim_total=sum(ward_victim.values()),
        repeat_place_total=sum(ward_place.values()),
        borough_population=sum(w.population for w in ref.wards if w.population > 0),
        unpopulated_wards=[w for w in ref.wards if w.population <= 0],
    )


# ---------------------------------------------------------------------------------------------------
# Open data

SUPPRESS_BELOW = 5


@dataclass
class OpenDataRow:
    ward: str
    month: date
    crime_type: str
    strand: str
    count: int

    @property
    def shown(self) -> str:
        return f"fewer than {SUPPRESS_BELOW}" if 0 < self.count < SUPPRESS_BELOW else str(self.count)


def open_data(period: Period, ref: Reference, basis: str = RecordedCount.Basis.OCCURRED) -> list[OpenDataRow]:
    """Ward x month x crime type x strand over the whole months the period touches (one query): the counts an
    open-data file publishes. No reference, no date finer than a month, no place finer than a ward."""
    whole = Period(period.start.replace(day=1), _month_end(period.end.replace(day=1)))
    rows = (
        RecordedCount.objects.filter(
            basis=basis, grain=RecordedCount.Grain.MONTH, day__gte=whole.start, day__lte=whole.end, strand_id__gt=0
        )
        .filter(ward_id__in=list(ref.ward_by_id))  # the wards of the reader's partnerships (Reference)
        .order_by()
        .values("day", "ward_id", "crime_type_id", "strand_id")
        .annotate(n=Sum("incidents"))
    )
    found = [
        OpenDataRow(
            ref.ward_by_id[r["ward_id"]].name,
            r["day"],
            ref.crime_by_id[r["crime_type_id"]].name,
            ref.strand_by_id[r["strand_id"]].name,
            r["n"],
        )
        for r in rows
        if r["n"]
    ]
    found.sort(key=lambda r: (r.month, r.ward, r.crime_type, r.strand))
    return found
