"""What every insights read shares: periods, the filters and the cases they pick, and reference data.

Scope, by design: the figures are partnership-wide counts over every case of the partnerships the reader works
for (``Filters.partnerships``, from ``Reference.partnerships``: ``insights.access.partnership_scope``), because the
partnership's analysis needs its whole picture; the regional lead's scope is every partnership (None). Nothing
in insights.selectors returns a person harmed or responsible, a name of
either, or a case reference; who may see which figures is decided in ``insights.access``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone

from accounts import roles
from accounts.models import Organisation, User
from conferences.models import Activity
from rjcases.models import Case, CaseTransition, CrimeType, HateStrand, Incident, ReferralRoute, Ward

StrandLink = Incident.strands.through

# ---------------------------------------------------------------------------------------------------
# Periods and filters


@dataclass(frozen=True)
class Period:
    """A run of whole days, both ends included."""

    start: date
    end: date

    def __str__(self) -> str:
        return f"{_long_date(self.start)} to {_long_date(self.end)}"

    def months(self) -> list[date]:
        """The first day of each calendar month the period touches, in order."""
        months, current = [], self.start.replace(day=1)
        while current <= self.end:
            months.append(current)
            current = add_months(current, 1)
        return months

    def datetimes(self) -> tuple[datetime, datetime]:
        """The period as an aware [start, end) range of datetimes, for timestamp columns (uses their index)."""
        start = timezone.make_aware(datetime.combine(self.start, time.min))
        end = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return start, end


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def default_period(today: date | None = None) -> Period:
    """The last 12 months: the 11 whole months before this one, and this month up to today."""
    today = today or timezone.localdate()
    return Period(add_months(today.replace(day=1), -11), today)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(start, add_months(start, 3) - timedelta(days=1))


def last_complete_quarter(today: date | None = None) -> tuple[int, int]:
    year, quarter = quarter_of(today or timezone.localdate())
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_label(day: date) -> str:
    year, quarter = quarter_of(day)
    return f"{year} Q{quarter}"


@dataclass(frozen=True)
class Filters:
    """What a page counts: cases received in the period, narrowed by any of strand, crime type, route and
    (managers only) facilitator."""

    period: Period
    strand: int | None = None
    crime_type: int | None = None
    route: int | None = None
    facilitator: int | None = None
    # The partnerships counted (their cases; their wards' recorded incidents); None: every partnership.
    partnerships: tuple[int, ...] | None = None


def in_partnerships(rows: QuerySet, path: str, partnerships: tuple[int, ...] | None) -> QuerySet:
    """``rows`` of the given partnerships only (``path`` leads to the partnership key); all where None."""
    return rows if partnerships is None else rows.filter(**{f"{path}__in": list(partnerships)})


def cases_for(filters: Filters) -> QuerySet[Case]:
    """The cases a figure counts: received in the period, with the chosen strand, crime type, route and
    facilitator. A case appears once whatever its number of strands."""
    query = Q(received_on__gte=filters.period.start, received_on__lte=filters.period.end)
    if filters.route:
        query &= Q(route_id=filters.route)
    if filters.crime_type:
        query &= Q(incident__crime_type_id=filters.crime_type)
    if filters.facilitator:
        query &= Q(facilitator_id=filters.facilitator)
    if filters.strand:
        query &= Q(Exists(StrandLink.objects.filter(incident__case_id=OuterRef("pk"), hatestrand_id=filters.strand)))
    return in_partnerships(Case.objects.filter(query), "partnership_id", filters.partnerships)


def _case_sets() -> dict[str, QuerySet]:
    """Facts about a case held in other tables, each as the set of cases it is true of."""
    return {
        "accepted": CaseTransition.objects.filter(name="accept").values("case_id"),  # the referral was accepted
        "declined": CaseTransition.objects.filter(name="decline").values("case_id"),  # the referral was declined
        "activity": Activity.objects.filter(status=Activity.Status.TOOK_PLACE).values("case_id"),  # RJ took place
    }


def count_in_sets(
    cases: QuerySet[Case], names: list[str], *group: str, **group_expressions
) -> dict[tuple, dict[str, int]]:
    """For each group of ``cases`` (grouped by the fields ``group`` and the expressions ``group_expressions``,
    in that order), how many are in each of the named case sets (``_case_sets``). One query.

    Each set is counted by its own grouped SELECT with ``WHERE id IN (set)``, the SELECTs joined by UNION ALL.
    In a WHERE clause the database runs the IN as a semi-join (hashed, and spilled to disk when it is large);
    the same IN inside a conditional COUNT's FILTER is checked case by case, which PostgreSQL does by hashing
    the set only while it fits in ``work_mem`` and by scanning it for every case beyond that (minutes at a
    million cases; bench/README.md).
    """
    sets = _case_sets()
    keys = [*group, *group_expressions]
    parts = [
        cases.filter(pk__in=sets[name])
        .order_by()
        .values(*group, **group_expressions)
        .annotate(in_set=Value(name), n=Count("pk"))
        for name in names
    ]
    counts: dict[tuple, dict[str, int]] = defaultdict(dict)
    for row in parts[0].union(*parts[1:], all=True).order_by():
        counts[tuple(row[key] for key in keys)][row["in_set"]] = row["n"]
    return counts


def _incidents_for(filters: Filters) -> QuerySet[Incident]:
    """The same cases as ``cases_for``, read from their incidents (one incident per case)."""
    query = Q(case__received_on__gte=filters.period.start, case__received_on__lte=filters.period.end)
    if filters.route:
        query &= Q(case__route_id=filters.route)
    if filters.crime_type:
        query &= Q(crime_type_id=filters.crime_type)
    if filters.facilitator:
        query &= Q(case__facilitator_id=filters.facilitator)
    if filters.strand:
        query &= Q(Exists(StrandLink.objects.filter(incident_id=OuterRef("pk"), hatestrand_id=filters.strand)))
    return in_partnerships(Incident.objects.filter(query), "case__partnership_id", filters.partnerships)


def _strand_links_for(filters: Filters) -> QuerySet:
    """One row per (case, strand) of the same cases: a case with two strands gives two rows. With a strand
    filter, only that strand's rows (so a strand table shows that strand alone)."""
    query = Q(
        incident__case__received_on__gte=filters.period.start, incident__case__received_on__lte=filters.period.end
    )
    if filters.route:
        query &= Q(incident__case__route_id=filters.route)
    if filters.crime_type:
        query &= Q(incident__crime_type_id=filters.crime_type)
    if filters.facilitator:
        query &= Q(incident__case__facilitator_id=filters.facilitator)
    if filters.strand:
        query &= Q(hatestrand_id=filters.strand)
    return in_partnerships(StrandLink.objects.filter(query), "incident__case__partnership_id", filters.partnerships)


# ---------------------------------------------------------------------------------------------------
# Reference data, read once per page (the filters' choices and every label come from here)


@dataclass
class Reference:
    wards: list[Ward]
    crime_types: list[CrimeType]
    strands: list[HateStrand]
    routes: list[ReferralRoute]
    centres: dict[int, str]  # reporting-centre organisation id -> name
    partnerships: tuple[int, ...] | None = None  # whose figures the page shows (None: every partnership's)

    def __post_init__(self):
        self.ward_by_id = {w.pk: w for w in self.wards}
        self.crime_by_id = {c.pk: c for c in self.crime_types}
        self.strand_by_id = {s.pk: s for s in self.strands}
        self.route_by_id = {r.pk: r for r in self.routes}


def load_reference(partnerships: tuple[int, ...] | None = None) -> Reference:
    """Wards (of these partnerships; of all where None), crime types, strands, routes and reporting centres: five
    queries. The partnerships go with it to the filters, so every figure of the page counts theirs only."""
    return Reference(
        partnerships=partnerships,
        wards=list(in_partnerships(Ward.objects.order_by("name"), "partnership_id", partnerships)),
        crime_types=list(CrimeType.objects.order_by("order", "name")),
        strands=list(HateStrand.objects.order_by("order", "name")),
        routes=list(ReferralRoute.objects.order_by("order", "name")),
        centres=dict(_centre_organisations(partnerships).order_by("name").values_list("id", "name")),
    )


def _centre_organisations(partnerships: tuple[int, ...] | None) -> QuerySet[Organisation]:
    """The reporting-centre organisations whose register entry is in these partnerships (its ward's), and those with
    no register entry, which belong to none (every one where None): another partnership's centre is not named."""
    centres = Organisation.objects.filter(kind=Organisation.Kind.REPORTING_CENTRE)
    if partnerships is None:
        return centres
    return centres.filter(
        Q(centre_register_entry__isnull=True) | Q(centre_register_entry__ward__partnership_id__in=list(partnerships))
    )


def facilitator_choices(partnerships: tuple[int, ...] | None = None) -> list[tuple[int, str]]:
    """Everyone with the facilitator role in these partnerships (every partnership where None), for the managers'
    filter (one query)."""
    people = in_partnerships(
        User.objects.filter(groups__name=roles.FACILITATOR), "partnerships", partnerships
    ).order_by("first_name", "last_name", "username")
    return [(u.pk, u.get_full_name() or u.username) for u in people.distinct()]


def route_label(ref: Reference, route_id: int | None, centre_id: int | None) -> str:
    route = ref.route_by_id.get(route_id)
    name = route.name if route else "Route not recorded"
    if centre_id:
        return f"{name}: {ref.centres.get(centre_id, 'unknown centre')}"
    if route and route.code == "reporting-centre":
        return f"{name}: centre not recorded"
    return name


def _route_sort_key(ref: Reference, route_id: int | None, centre_id: int | None) -> tuple:
    route = ref.route_by_id.get(route_id)
    centre = ref.centres.get(centre_id, "") if centre_id else ""
    return (route.order if route else 999, route.name if route else "", centre)
