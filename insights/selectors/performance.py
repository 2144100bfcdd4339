"""The RJ performance picture of the cases received in a period, and satisfaction with RJ."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import Lag, Lead, TruncDate, TruncMonth, TruncQuarter
from django.utils import timezone

from conferences.models import Activity, AgreementAction, Feedback
from insights import stats
from insights.selectors import durations
from insights.selectors.common import (
    Filters,
    Period,
    Reference,
    StrandLink,
    _route_sort_key,
    cases_for,
    count_in_sets,
    in_partnerships,
    quarter_label,
    route_label,
)
from insights.selectors.durations import Summary
from rjcases.models import Case, CaseTransition, HateStrand, Party

# ---------------------------------------------------------------------------------------------------
# RJ performance


@dataclass
class Measures:
    """Counts over a group of cases (conditional counts of one grouped query, and ``count_in_sets``) and the
    rates they give."""

    referrals: int = 0
    accepted: int = 0
    declined: int = 0
    awaiting: int = 0
    activity: int = 0
    closed: int = 0
    fulfilled: int = 0
    partly_fulfilled: int = 0
    breached: int = 0
    rj_met: int = 0
    rj_late: int = 0
    rj_overdue: int = 0
    contact_met: int = 0
    contact_late: int = 0
    contact_overdue: int = 0

    def __add__(self, other: Measures) -> Measures:
        return Measures(**{name: getattr(self, name) + getattr(other, name) for name in MEASURE_NAMES})

    @property
    def decided(self) -> int:
        return self.accepted + self.declined

    @property
    def acceptance_rate(self) -> float | None:
        return stats.share(self.accepted, self.decided)

    @property
    def activity_rate(self) -> float | None:
        return stats.share(self.activity, self.accepted)

    @property
    def agreement_outcomes(self) -> int:
        return self.fulfilled + self.partly_fulfilled + self.breached

    @property
    def completion_rate(self) -> float | None:
        return stats.share(self.fulfilled, self.agreement_outcomes)

    @property
    def rj_due(self) -> int:
        return self.rj_met + self.rj_late + self.rj_overdue

    @property
    def rj_rate(self) -> float | None:
        return stats.share(self.rj_met, self.rj_due)

    @property
    def contact_due(self) -> int:
        return self.contact_met + self.contact_late + self.contact_overdue

    @property
    def contact_rate(self) -> float | None:
        return stats.share(self.contact_met, self.contact_due)


MEASURE_NAMES = [name for name in Measures.__dataclass_fields__]


# Counted from other tables with ``count_in_sets`` (a semi-join each), not as conditional counts.
SET_MEASURES = ["accepted", "declined", "activity"]


def _measure_aggregates(today: date) -> dict:
    """The conditional counts behind ``Measures`` that read the case row itself, for a Case queryset (grouped
    or not); ``SET_MEASURES`` are counted apart.

    Accepted / declined: the referral was ever accepted / declined (a transition row says so). Activity: at
    least one restorative activity took place. Victims' Code: met when the date given is on or before the
    date due; late when after; overdue when not given and the due date has passed.
    """
    return {
        "referrals": Count("pk"),
        "awaiting": Count("pk", filter=Q(state=Case.State.REFERRAL)),
        "closed": Count("pk", filter=Q(state=Case.State.CLOSED)),
        "fulfilled": Count("pk", filter=Q(state=Case.State.CLOSED, outcome=Case.Outcome.AGREEMENT_FULFILLED)),
        "partly_fulfilled": Count(
            "pk", filter=Q(state=Case.State.CLOSED, outcome=Case.Outcome.AGREEMENT_PARTLY_FULFILLED)
        ),
        "breached": Count("pk", filter=Q(state=Case.State.CLOSED, outcome=Case.Outcome.AGREEMENT_BREACHED)),
        "rj_met": Count(
            "pk",
            filter=Q(rj_information_given_on__isnull=False, rj_information_given_on__lte=F("rj_information_due_on")),
        ),
        "rj_late": Count("pk", filter=Q(rj_information_given_on__gt=F("rj_information_due_on"))),
        "rj_overdue": Count("pk", filter=Q(rj_information_given_on__isnull=True, rj_information_due_on__lt=today)),
        "contact_met": Count(
            "pk", filter=Q(initial_contact_on__isnull=False, initial_contact_on__lte=F("initial_contact_due_on"))
        ),
        "contact_late": Count("pk", filter=Q(initial_contact_on__gt=F("initial_contact_due_on"))),
        "contact_overdue": Count("pk", filter=Q(initial_contact_on__isnull=True, initial_contact_due_on__lt=today)),
    }


def _measures(row: dict, in_sets: dict[str, int]) -> Measures:
    return Measures(**{name: in_sets.get(name, 0) if name in SET_MEASURES else row[name] for name in MEASURE_NAMES})


STAGES = [
    Case.State.REFERRAL,
    Case.State.ASSESSMENT,
    Case.State.PREPARATION,
    Case.State.CONFERENCING,
    Case.State.AGREEMENT,
]


@dataclass
class Durations:
    """Working days: per state (each case's total time in it, over every completed stay), and from referral
    to closure (closed cases), each summarised by the database (``insights.selectors.durations``)."""

    per_state: dict[str, Summary]
    to_closure: Summary

    def summary(self) -> list[tuple[str, int, float | None, int | None]]:
        rows = [(Case.State(s).label, d.n, d.median, d.p90) for s, d in self.per_state.items()]
        rows.append(("Referral to closure", self.to_closure.n, self.to_closure.median, self.to_closure.p90))
        return rows


def duration_samples(cases: QuerySet[Case], *by: str) -> tuple[list[tuple[str, str, tuple]], str]:
    """The named subqueries and the SELECT of ``(*by, kind, grp, days)`` samples behind the working days of
    these cases, for ``durations.summarise`` (``by`` empty) or ``durations.counted`` (``by`` naming any of
    "month", the month the case was received, and "partnership", its partnership).

    Each case starts in referral on the date it was received; every later move ends the stay in the state it
    leaves (the state the previous move entered), which began on the later of the date received and the date
    of the previous move. The working days of a stay count the days after it began up to and including the day
    it ended; a case's time in a state is the sum of its stays there (kind "state", grp the state). A case whose
    last move closed it counts from the date received to the date of that move (kind "closure", and kind
    "facilitator" with grp its facilitator's id).
    """

    def over(expression):
        return Window(expression, partition_by=[F("case_id")], order_by=[F("at").asc(), F("id").asc()])

    moves = (
        CaseTransition.objects.filter(case__in=cases.values("pk"))
        .exclude(name="refer")
        .order_by()
        .annotate(
            m_case=F("case_id"),
            m_received=F("case__received_on"),
            m_facilitator=F("case__facilitator_id"),
            m_month=TruncMonth("case__received_on"),
            m_partnership=F("case__partnership_id"),
            m_entered=F("target"),
            m_day=TruncDate("at"),
            m_left=over(Lag("target")),
            m_since=over(Lag(TruncDate("at"))),
            m_next=over(Lead("id")),
        )
        .values(
            "m_case",
            "m_received",
            "m_facilitator",
            "m_month",
            "m_partnership",
            "m_entered",
            "m_day",
            "m_left",
            "m_since",
            "m_next",
        )
    )
    # Only table names from the model's meta and constant SQL are put in the text; every value is a parameter.
    calendar, days = durations.calendar_table(), durations.working_days_sql("e", "b")
    began = "CASE WHEN m.m_since > m.m_received THEN m.m_since ELSE m.m_received END"
    stays = (
        "SELECT m.m_case AS case_id, m.m_month AS month, m.m_partnership AS partnership, "  # noqa: S608
        f"COALESCE(m.m_left, %s) AS state, {days} AS days FROM moves m "
        f"JOIN {calendar} e ON e.day = m.m_day JOIN {calendar} b ON b.day = {began}"
    )
    stages = ", ".join(["%s"] * len(STAGES))
    per_case = (
        "SELECT state, case_id, month, partnership, SUM(days) AS days FROM stays "  # noqa: S608
        f"WHERE state IN ({stages}) GROUP BY state, case_id, month, partnership"
    )
    closures = (
        "SELECT m.m_facilitator AS facilitator, m.m_month AS month, m.m_partnership AS partnership, "  # noqa: S608
        f"{days} AS days FROM moves m "
        f"JOIN {calendar} e ON e.day = m.m_day JOIN {calendar} b ON b.day = m.m_received "
        "WHERE m.m_next IS NULL AND m.m_entered = %s"
    )
    lead = "".join(f"{column}, " for column in by)
    samples = (
        f"SELECT {lead}'state', state, days FROM per_case "  # noqa: S608
        f"UNION ALL SELECT {lead}'closure', '', days FROM closures "
        f"UNION ALL SELECT {lead}'facilitator', CAST(facilitator AS TEXT), days FROM closures"
    )
    ctes = [
        ("moves", *durations.subquery(moves)),
        ("stays", stays, (Case.State.REFERRAL.value,)),
        ("per_case", per_case, tuple(s.value for s in STAGES)),
        ("closures", closures, (Case.State.CLOSED.value,)),
    ]
    return ctes, samples


def durations_from(found: dict[tuple[str, str | None], Summary]) -> tuple[Durations, dict[int | None, Summary]]:
    """The durations and, per facilitator, the referral-to-closure summary, from the summaries by (kind, grp)."""
    per_state = {s.value: found.get(("state", s.value), Summary()) for s in STAGES}
    by_facilitator = {
        (None if grp is None else int(grp)): summary for (kind, grp), summary in found.items() if kind == "facilitator"
    }
    return Durations(per_state=per_state, to_closure=found.get(("closure", ""), Summary())), by_facilitator


@dataclass
class Performance:
    filters: Filters
    totals: Measures
    by_route: list[tuple[str, Measures]]
    by_strand: list[tuple[HateStrand, Measures]]
    by_quarter: list[tuple[str, Measures]]
    by_facilitator: list[tuple[str, Measures, float | None]] | None
    activity_kinds: list[tuple[str, int, float | None]]
    outcomes: list[tuple[str, int]]
    actions: dict[str, int]
    durations: Durations

    @property
    def action_completion_rate(self) -> float | None:
        done, missed = self.actions.get("done", 0), self.actions.get("missed", 0)
        return stats.share(done, done + missed)


def performance(filters: Filters, ref: Reference, *, with_facilitators: bool, today: date | None = None) -> Performance:
    """The RJ performance picture of the cases received in the period, followed up to today, counted from the
    case records (``insights.summary`` gives the same picture from the summary tables where it can).

    Eight queries: the measures counted by route, centre, quarter and facilitator at once (a few hundred rows
    at most, added up here into the route, quarter and facilitator tables, so the per-case tests run once), and
    the accepted, declined and activity counts grouped the same way; the same two by strand; activities by
    kind; outcomes; agreement actions; and the working days from the transition rows.
    """
    today = today or timezone.localdate()
    cases = cases_for(filters)
    aggregates = _measure_aggregates(today)

    group = ("route_id", "reporting_centre_id", "facilitator_id")
    in_sets = count_in_sets(cases, SET_MEASURES, *group, quarter=TruncQuarter("received_on"))
    cells, names = [], {}
    for row in (
        cases.order_by()
        .values(
            *group,
            "facilitator__first_name",
            "facilitator__last_name",
            "facilitator__username",
            quarter=TruncQuarter("received_on"),
        )
        .annotate(**aggregates)
    ):
        key = (*(row[name] for name in group), row["quarter"])
        cells.append((*key, _measures(row, in_sets.get(key, {}))))
        if row["facilitator_id"] is not None:
            names[row["facilitator_id"]] = (
                " ".join(filter(None, [row["facilitator__first_name"], row["facilitator__last_name"]]))
                or row["facilitator__username"]
            )

    strand_sets = count_in_sets(cases, SET_MEASURES, "incident__strands")
    strand_rows = {
        r["incident__strands"]: _measures(r, strand_sets.get((r["incident__strands"],), {}))
        for r in cases.order_by().values("incident__strands").annotate(**aggregates)
    }
    kinds = dict(
        Activity.objects.filter(case__in=cases.values("pk"), status=Activity.Status.TOOK_PLACE)
        .order_by()
        .values("kind")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("kind", "n")
    )
    outcomes = dict(
        cases.filter(state=Case.State.CLOSED)
        .order_by()
        .values("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    actions = dict(
        AgreementAction.objects.filter(agreement__case__in=cases.values("pk"), agreement__superseded=False)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return assemble(
        filters,
        ref,
        cells=cells,
        by_strand=strand_rows,
        found=durations.summarise(*duration_samples(cases)),
        kinds=kinds,
        outcomes=outcomes,
        actions=actions,
        names=names if with_facilitators else None,
    )


def assemble(
    filters: Filters,
    ref: Reference,
    *,
    cells: list[tuple[int | None, int | None, int | None, date, Measures]],
    by_strand: Mapping[int, Measures],
    found: dict[tuple[str, str | None], Summary],
    kinds: dict[str, int],
    outcomes: dict[str, int],
    actions: dict[str, int],
    names: dict[int, str] | None,
) -> Performance:
    """The picture laid out from its counts, whether counted from the case records (``performance``) or read
    from the summary tables (``insights.summary``): ``cells`` are (route, centre, facilitator, quarter start,
    measures); ``by_strand`` the measures per strand; ``found`` the working-day summaries by (kind, grp);
    ``kinds`` the cases with an activity of each kind that took place; ``outcomes`` the closed cases by
    outcome; ``actions`` the agreement actions by status; ``names`` the facilitators' names (None: the
    facilitator table is not shown)."""
    by_route_key: dict[tuple, Measures] = defaultdict(Measures)
    by_quarter_key: dict[date, Measures] = defaultdict(Measures)
    by_facilitator_key: dict[int | None, Measures] = defaultdict(Measures)
    for route, centre, facilitator, quarter, measures in cells:
        by_route_key[(route, centre)] += measures
        by_quarter_key[quarter] += measures
        by_facilitator_key[facilitator] += measures
    by_route = [
        (route_label(ref, route, centre), by_route_key[(route, centre)])
        for route, centre in sorted(by_route_key, key=lambda key: _route_sort_key(ref, *key))
    ]
    totals = sum((m for _, m in by_route), Measures())
    by_quarter = [(quarter_label(quarter), by_quarter_key[quarter]) for quarter in sorted(by_quarter_key)]
    strands = [s for s in ref.strands if not filters.strand or s.pk == filters.strand]
    durations_found, closure_by_facilitator = durations_from(found)

    by_facilitator = None
    if names is not None:
        label: dict[int | None, str] = {None: "Not allocated"}
        label.update(names.items())
        order = sorted(by_facilitator_key, key=lambda pk: (pk is None, label.get(pk, "")))
        by_facilitator = [
            (label.get(pk, ""), by_facilitator_key[pk], closure_by_facilitator.get(pk, Summary()).median)
            for pk in order
        ]
    return Performance(
        filters=filters,
        totals=totals,
        by_route=by_route,
        by_strand=[(s, by_strand.get(s.pk, Measures())) for s in strands],
        by_quarter=by_quarter,
        by_facilitator=by_facilitator,
        activity_kinds=[
            (label, kinds.get(value, 0), stats.share(kinds.get(value, 0), totals.accepted))
            for value, label in Activity.Kind.choices
        ],
        outcomes=[(label, outcomes.get(value, 0)) for value, label in Case.Outcome.choices],
        actions=actions,
        durations=durations_found,
    )


# ---------------------------------------------------------------------------------------------------
# Satisfaction with RJ

BENCHMARKS = {"satisfied": 85, "would_recommend": 78, "felt_better": 62}
BENCHMARK_SOURCE = (
    "Ministry of Justice evaluation of restorative justice conferencing (Shapland et al.), "
    "victims who took part in a conference"
)


def _feedback_figures(feedback: QuerySet[Feedback]) -> dict:
    """``conferences.selectors.feedback_figures``: one query; a share is of the feedback given (not refused)
    with an answer to that question."""
    from conferences.selectors import feedback_figures

    return feedback_figures(feedback)


def satisfaction(
    period: Period, strand: int | None = None, partnerships: tuple[int, ...] | None = None
) -> dict[str, dict]:
    """Feedback recorded in the period on the cases of ``partnerships`` (None: all), for persons harmed, persons
    responsible and everyone (three queries)."""
    feedback = in_partnerships(Feedback.objects.all(), "case__partnership_id", partnerships).filter(
        recorded_on__gte=period.start, recorded_on__lte=period.end
    )
    if strand:
        feedback = feedback.filter(
            Exists(StrandLink.objects.filter(incident__case_id=OuterRef("case_id"), hatestrand_id=strand))
        )
    return {
        "harmed": _feedback_figures(feedback.filter(party__role=Party.Role.HARMED)),
        "responsible": _feedback_figures(feedback.filter(party__role=Party.Role.RESPONSIBLE)),
        "all": _feedback_figures(feedback),
    }
