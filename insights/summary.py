"""The performance page's counts kept in summary tables, counted again by a job: a page at a million cases.

Counted from the case records, the performance page reads every case of the period, its transitions (the
working days in each state) and its activities and agreement actions: 16.9 s at a million cases
(bench/README.md). ``refresh`` counts the same measures once for every month and partnership into
``PerformanceCell`` (by route, centre and facilitator, and by strand), ``PerformanceDays`` (how many cases took
each number of working days, from which the median and 90th percentile of any run of months follow exactly) and
``PerformanceTally`` (activity kinds, outcomes, agreement actions); ``performance`` reads the picture of whole
months back from them in four queries, whatever the number of cases.

Why refreshed by a job rather than kept current on every write (as ``recorded.RecordedCount`` is): nearly every
write to a case changes a figure here (each move, contact, activity, agreement action, allocation), and some
change with no write at all (a Victims' Code deadline becomes overdue when the day passes), so a summary kept
on write would put a second write, and a lock on a shared row, into every service of the case app and still
need a daily recount. A count every hour (``jobs.schedule``: ``refresh_performance_summary``) costs one
scan of the tables an hour; the page says when it was counted, and counts from the case records (saying so)
when the summary cannot answer: a strand, crime type, route or facilitator chosen, a period that starts or ends
inside a month, or no summary younger than ``MAX_AGE``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from accounts.models import User
from conferences.models import Activity, AgreementAction
from insights.models import PerformanceCell, PerformanceDays, PerformanceSummary, PerformanceTally
from insights.selectors import durations
from insights.selectors.common import Filters, Reference, count_in_sets, in_partnerships
from insights.selectors.performance import (
    MEASURE_NAMES,
    SET_MEASURES,
    Measures,
    Performance,
    _measure_aggregates,
    _measures,
    assemble,
    duration_samples,
)
from rjcases.models import Case

# A summary older than this is not shown: the page counts from the case records instead.
MAX_AGE = timedelta(days=1)
# How often the job counts again (jobs.schedule), said on the page.
EVERY = "every hour"
CASE_CELL = 0  # PerformanceCell.strand_id of a cell by route, centre and facilitator
CELL_KEY = ("partnership_id", "route_id", "reporting_centre_id", "facilitator_id")


def _as_date(value: date | datetime | str) -> date:
    """A month as the database gave it: a date, a timestamp (PostgreSQL's date_trunc in raw SQL) or text
    (SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _cells(cases, today: date) -> list[PerformanceCell]:
    """The measures by month, partnership, route, centre and facilitator, and by month, partnership and strand:
    four queries (the conditional counts and the set counts of each)."""
    aggregates = _measure_aggregates(today)
    month = {"month": TruncMonth("received_on")}
    cells = []
    in_sets = count_in_sets(cases, SET_MEASURES, *CELL_KEY, **month)
    for row in cases.order_by().values(*CELL_KEY, **month).annotate(**aggregates):
        measures = _measures(row, in_sets.get((*(row[k] for k in CELL_KEY), row["month"]), {}))
        cells.append(
            PerformanceCell(
                month=_as_date(row["month"]),
                partnership_id=row["partnership_id"],
                route_id=row["route_id"],
                centre_id=row["reporting_centre_id"],
                facilitator_id=row["facilitator_id"],
                strand_id=CASE_CELL,
                **{name: getattr(measures, name) for name in MEASURE_NAMES},
            )
        )
    strand_key = ("partnership_id", "incident__strands")
    strand_sets = count_in_sets(cases, SET_MEASURES, *strand_key, **month)
    for row in cases.order_by().values(*strand_key, **month).annotate(**aggregates):
        if row["incident__strands"] is None:  # a case with no strand is in no strand's row
            continue
        measures = _measures(row, strand_sets.get((*(row[k] for k in strand_key), row["month"]), {}))
        cells.append(
            PerformanceCell(
                month=_as_date(row["month"]),
                partnership_id=row["partnership_id"],
                strand_id=row["incident__strands"],
                **{name: getattr(measures, name) for name in MEASURE_NAMES},
            )
        )
    return cells


def _tallies(cases) -> list[PerformanceTally]:
    """Activity kinds (cases with one that took place), outcomes (closed cases) and agreement actions (of
    agreements in force), by month and partnership: three queries."""
    month = TruncMonth("case__received_on")
    activities = (
        Activity.objects.filter(case__in=cases.values("pk"), status=Activity.Status.TOOK_PLACE)
        .order_by()
        .values_list(month, "case__partnership_id", "kind")
        .annotate(n=Count("case_id", distinct=True))
    )
    outcomes = (
        cases.filter(state=Case.State.CLOSED)
        .order_by()
        .values_list(TruncMonth("received_on"), "partnership_id", "outcome")
        .annotate(n=Count("pk"))
    )
    actions = (
        AgreementAction.objects.filter(agreement__case__in=cases.values("pk"), agreement__superseded=False)
        .order_by()
        .values_list(TruncMonth("agreement__case__received_on"), "agreement__case__partnership_id", "status")
        .annotate(n=Count("id"))
    )
    return [
        PerformanceTally(month=_as_date(m), partnership_id=p, topic=topic, value=value, n=n)
        for topic, rows in (("activity", activities), ("outcome", outcomes), ("action", actions))
        for m, p, value, n in rows
    ]


def refresh(today: date | None = None) -> PerformanceSummary:
    """Count every case into the summary tables, following the clocks up to ``today``, and replace what was
    there in one transaction (a page reads the old counts or the new, never half of each). Safe to run twice
    and at once: the summary row is locked while the tables are replaced."""
    started = time.monotonic()
    today = today or timezone.localdate()
    cases = Case.objects.all()
    cells = _cells(cases, today)
    days = [
        PerformanceDays(month=_as_date(m), partnership_id=p, kind=kind, grp=grp, days=d, n=n)
        for m, p, kind, grp, d, n in durations.counted(*duration_samples(cases, "month", "partnership"), by=2)
    ]
    tallies = _tallies(cases)
    total = sum(cell.referrals for cell in cells if cell.strand_id == CASE_CELL)
    with transaction.atomic():
        PerformanceSummary.objects.get_or_create(
            pk=1, defaults={"made_at": timezone.now(), "as_of": today, "seconds": 0, "cases": 0}
        )
        summary = PerformanceSummary.objects.select_for_update().get(pk=1)
        for model, rows in ((PerformanceCell, cells), (PerformanceDays, days), (PerformanceTally, tallies)):
            model.objects.all().delete()
            model.objects.bulk_create(rows, batch_size=2000)
        summary.made_at, summary.as_of, summary.cases = timezone.now(), today, total
        summary.seconds = round(time.monotonic() - started, 3)
        summary.save()
    return summary


def current(now: datetime | None = None) -> PerformanceSummary | None:
    """The summary, if one was counted within ``MAX_AGE`` (one query)."""
    summary = PerformanceSummary.objects.filter(pk=1).first()
    if summary is None or (now or timezone.now()) - summary.made_at > MAX_AGE:
        return None
    return summary


def may_serve(filters: Filters) -> bool:
    """Whether figures of these filters can be in the summary at all: no strand, crime type, route or facilitator
    chosen, and a period from the first of a month (no query: a page with a filter does not look for a summary)."""
    chosen = filters.strand or filters.crime_type or filters.route or filters.facilitator
    return not chosen and filters.period.start.day == 1


def serves(filters: Filters, summary: PerformanceSummary) -> bool:
    """Whether the summary holds these figures: ``may_serve``, and a period of whole months (the last may run on
    past the day the summary was counted up to)."""
    end = filters.period.end
    return may_serve(filters) and ((end + timedelta(days=1)).day == 1 or end >= summary.as_of)


def performance(filters: Filters, ref: Reference, *, with_facilitators: bool) -> Performance:
    """The performance picture of the months of ``filters.period`` from the summary tables (``serves`` says
    when it may be used): the same figures as ``insights.selectors.performance`` on the day it was counted.
    Three queries, and one for the facilitators' names."""
    period = filters.period

    def of(model):
        rows = model.objects.filter(month__gte=period.start.replace(day=1), month__lte=period.end)
        return in_partnerships(rows, "partnership_id", filters.partnerships).order_by()

    sums = {name: Sum(name) for name in MEASURE_NAMES}
    cells, by_strand = [], {}
    rows = of(PerformanceCell).values(
        "strand_id", "route_id", "centre_id", "facilitator_id", quarter=TruncQuarter("month")
    )
    for row in rows.annotate(**sums):
        measures = Measures(**{name: row[name] for name in MEASURE_NAMES})
        if row["strand_id"] == CASE_CELL:
            cells.append((row["route_id"], row["centre_id"], row["facilitator_id"], _as_date(row["quarter"]), measures))
        else:
            by_strand[row["strand_id"]] = by_strand.get(row["strand_id"], Measures()) + measures

    histograms: dict[tuple[str, str | None], dict[int, int]] = defaultdict(dict)
    for kind, grp, days, n in of(PerformanceDays).values_list("kind", "grp", "days").annotate(n=Sum("n")):
        histograms[(kind, grp)][days] = n
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for topic, value, n in of(PerformanceTally).values_list("topic", "value").annotate(n=Sum("n")):
        tallies[topic][value] = n

    names = None
    if with_facilitators:
        ids = {facilitator for _, _, facilitator, _, _ in cells if facilitator is not None}
        names = {
            user.pk: user.get_full_name() or user.username
            for user in User.objects.filter(pk__in=ids).only("first_name", "last_name", "username")
        }
    return assemble(
        filters,
        ref,
        cells=cells,
        by_strand=by_strand,
        found={key: durations.summary_of(counts) for key, counts in histograms.items()},
        kinds=tallies["activity"],
        outcomes=tallies["outcome"],
        actions=tallies["action"],
        names=names,
    )
