"""The quarterly monitoring return: events dated in the quarter, each figure with its definition."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone

from conferences.models import Activity, AgreementAction, Feedback
from insights import stats, survey
from insights.models import CentreSurveyResponse
from insights.selectors import durations
from insights.selectors.common import Period, Reference, StrandLink, _long_date, in_partnerships, quarter_period
from insights.selectors.needs import communication_lines
from insights.selectors.non_crime import non_crime_lines
from insights.selectors.performance import BENCHMARKS, _feedback_figures, _measure_aggregates
from rjcases import clocks
from rjcases.models import Case, CaseTransition, Party

# ---------------------------------------------------------------------------------------------------
# The quarterly monitoring return


@dataclass
class ReturnLine:
    code: str
    section: str
    measure: str
    value: object
    definition: str


def _closure_outcome(name: str, recorded: str | None) -> str:
    return {
        "decline": Case.Outcome.REFERRAL_DECLINED,
        "find_unsuitable": Case.Outcome.NOT_SUITABLE,
        "withdraw": Case.Outcome.WITHDRAWN,
    }.get(name, recorded or "")


def quarterly_return(
    year: int, quarter: int, ref: Reference, today: date | None = None
) -> tuple[Period, list[ReturnLine]]:
    """The quarterly monitoring return: events dated in the quarter, with the definitions printed beside
    each figure. Fourteen queries besides the reference data (fifteen where letters record their language)."""
    today = today or timezone.localdate()
    period = quarter_period(year, quarter)
    start, end = period.datetimes()
    scope = ref.partnerships  # every count below is of these partnerships' cases (None: all)
    received = in_partnerships(
        Case.objects.filter(received_on__gte=period.start, received_on__lte=period.end), "partnership_id", scope
    )
    lines: list[ReturnLine] = []

    def add(code, section, measure, value, definition=""):
        lines.append(ReturnLine(code, section, measure, value, definition))

    # A: referrals received, by route and centre, with the Victims' Code clocks (one query) and by strand.
    route_rows = list(
        received.order_by()
        .values("route_id", "reporting_centre_id")
        .annotate(
            n=Count("pk"), **{k: v for k, v in _measure_aggregates(today).items() if k.startswith(("rj_", "contact_"))}
        )
    )
    total = sum(r["n"] for r in route_rows)
    section = "Referrals"
    add(
        "A1",
        section,
        "Referrals received",
        total,
        "Cases whose referral or report was received in the quarter (each case once).",
    )
    per_route = defaultdict(int)
    per_centre = defaultdict(int)
    for r in route_rows:
        per_route[r["route_id"]] += r["n"]
        if r["reporting_centre_id"]:
            per_centre[r["reporting_centre_id"]] += r["n"]
    for i, route in enumerate(ref.routes, start=1):
        add(
            f"A2.{i}",
            section,
            f"Referrals received: {route.name}",
            per_route.get(route.pk, 0),
            "A1 by the route the referral came by.",
        )
    strand_counts = dict(
        StrandLink.objects.filter(incident__case__in=received.values("pk"))
        .order_by()
        .values("hatestrand_id")
        .annotate(n=Count("id"))
        .values_list("hatestrand_id", "n")
    )
    for i, strand in enumerate(ref.strands, start=1):
        add(
            f"A3.{i}",
            section,
            f"Referrals received: {strand.name}",
            strand_counts.get(strand.pk, 0),
            "A1 by hate crime strand. A case with several strands counts once in each, so these add up to "
            "more than A1.",
        )
    for i, (centre_id, name) in enumerate(ref.centres.items(), start=1):
        add(
            f"A4.{i}",
            section,
            f"Reports taken at {name}",
            per_centre.get(centre_id, 0),
            "Cases received in the quarter recorded as taken at this third-party reporting centre.",
        )

    # B: referral decisions made in the quarter.
    decisions = dict(
        in_partnerships(CaseTransition.objects.all(), "case__partnership_id", scope)
        .filter(name__in=["accept", "decline"], at__gte=start, at__lt=end)
        .order_by()
        .values("name")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("name", "n")
    )
    accepted, declined = decisions.get("accept", 0), decisions.get("decline", 0)
    section = "Decisions"
    add("B1", section, "Referrals accepted", accepted, "Cases whose referral was accepted in the quarter.")
    add("B2", section, "Referrals declined", declined, "Cases whose referral was declined in the quarter.")
    add(
        "B3",
        section,
        "Acceptance rate (%)",
        _rounded(stats.share(accepted, accepted + declined)),
        "B1 / (B1 + B2) x 100.",
    )

    # C: restorative activities that took place in the quarter.
    kinds = dict(
        in_partnerships(Activity.objects.all(), "case__partnership_id", scope)
        .filter(status=Activity.Status.TOOK_PLACE, took_place_on__gte=period.start, took_place_on__lte=period.end)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    section = "Restorative activities"
    add(
        "C1",
        section,
        "Restorative activities that took place",
        sum(kinds.values()),
        "Activities recorded as having taken place on a date in the quarter (a case may have more than one).",
    )
    for i, (value, label) in enumerate(Activity.Kind.choices, start=1):
        add(f"C2.{i}", section, f"Activities: {label}", kinds.get(value, 0), "C1 by type of activity.")

    # D: closures in the quarter, by outcome.
    closures = defaultdict(int)
    for row in (
        in_partnerships(CaseTransition.objects.all(), "case__partnership_id", scope)
        .filter(target=Case.State.CLOSED, at__gte=start, at__lt=end)
        .order_by()
        .values("name", outcome=KT("data__outcome"))
        .annotate(n=Count("id"))
    ):
        closures[_closure_outcome(row["name"], row["outcome"])] += row["n"]
    section = "Closures"
    add(
        "D1",
        section,
        "Cases closed",
        sum(closures.values()),
        "Closing moves recorded in the quarter (a case closed, reopened and closed again counts twice).",
    )
    for i, (value, label) in enumerate(Case.Outcome.choices, start=1):
        add(f"D2.{i}", section, f"Closed: {label}", closures.get(value, 0), "D1 by outcome.")
    fulfilled = closures.get(Case.Outcome.AGREEMENT_FULFILLED, 0)
    with_agreement = (
        fulfilled
        + closures.get(Case.Outcome.AGREEMENT_PARTLY_FULFILLED, 0)
        + closures.get(Case.Outcome.AGREEMENT_BREACHED, 0)
    )
    add(
        "D3",
        section,
        "Agreements fulfilled in full (%)",
        _rounded(stats.share(fulfilled, with_agreement)),
        "Closures with every agreement action done / closures with an agreement (fulfilled, partly "
        "fulfilled or breached) x 100.",
    )

    # E: agreement actions resolved in the quarter.
    actions = dict(
        in_partnerships(AgreementAction.objects.all(), "agreement__case__partnership_id", scope)
        .filter(agreement__superseded=False, resolved_on__gte=period.start, resolved_on__lte=period.end)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    done, missed = actions.get(AgreementAction.Status.DONE, 0), actions.get(AgreementAction.Status.MISSED, 0)
    section = "Agreement actions"
    add("E1", section, "Actions completed", done, "Agreement actions marked done with a date in the quarter.")
    add("E2", section, "Actions missed", missed, "Agreement actions marked missed with a date in the quarter.")
    add(
        "E3", section, "Action completion rate (%)", _rounded(stats.share(done, done + missed)), "E1 / (E1 + E2) x 100."
    )

    # F: Victims' Code clocks of the referrals received in the quarter.
    def clock(prefix):
        return [sum(r[f"{prefix}_{part}"] for r in route_rows) for part in ("met", "late", "overdue")]

    section = "Victims' Code"
    for code, prefix, what, limit in (
        ("F", "rj", "told about restorative justice", "5 working days (1 for victims entitled to enhanced rights)"),
        ("G", "contact", "first contact made", f"{clocks.INITIAL_CONTACT_WORKING_DAYS} working days"),
    ):
        met, late, overdue = clock(prefix)
        add(
            f"{code}1",
            section,
            f"Referrals {what} in time",
            met,
            f"Referrals received in the quarter where this was recorded on or before its due date ({limit} after "
            "the referral was received).",
        )
        add(f"{code}2", section, f"Referrals {what} late", late, "Recorded after the due date.")
        add(
            f"{code}3",
            section,
            f"Referrals not yet {what}, past the due date",
            overdue,
            f"Not recorded and the due date has passed, on {_long_date(today)}.",
        )
        add(
            f"{code}4",
            section,
            f"Deadline met (%): {what}",
            _rounded(stats.share(met, met + late + overdue)),
            f"{code}1 / ({code}1 + {code}2 + {code}3) x 100.",
        )

    # H: time from referral to closure, for closures in the quarter.
    closed = (
        in_partnerships(CaseTransition.objects.all(), "case__partnership_id", scope)
        .filter(target=Case.State.CLOSED, at__gte=start, at__lt=end)
        .order_by()
        .annotate(c_day=TruncDate("at"), c_received=F("case__received_on"))
        .values("c_day", "c_received")
    )
    calendar = durations.calendar_table()
    days = durations.summarise(
        [("closed", *durations.subquery(closed))],
        f"SELECT 'closure', '', {durations.working_days_sql('e', 'b')} FROM closed c "  # noqa: S608 (names only)
        f"JOIN {calendar} e ON e.day = c.c_day JOIN {calendar} b ON b.day = c.c_received",
    ).get(("closure", ""), durations.Summary())
    section = "Time taken"
    add("H1", section, "Closures timed", days.n, "D1: each closure, from the date the referral was received.")
    add(
        "H2",
        section,
        "Median working days, referral to closure",
        _rounded(days.median),
        "The middle value (the mean of the two middle values when their number is even). Working days exclude "
        "weekends and England and Wales bank holidays.",
    )
    add(
        "H3",
        section,
        "90th percentile working days, referral to closure",
        days.p90,
        "Nearest rank: the smallest number of days within which at least 90% of the closures came.",
    )

    # J: participants' feedback recorded in the quarter.
    feedback = in_partnerships(Feedback.objects.all(), "case__partnership_id", scope).filter(
        recorded_on__gte=period.start, recorded_on__lte=period.end
    )
    section = "Satisfaction with restorative justice"
    for prefix, who, figures in (
        ("J", "persons harmed", _feedback_figures(feedback.filter(party__role=Party.Role.HARMED))),
        ("K", "all participants", _feedback_figures(feedback)),
    ):
        add(
            f"{prefix}1",
            section,
            f"Feedback given: {who}",
            figures["given"],
            "Feedback recorded in the quarter, not refused.",
        )
        for i, (name, label) in enumerate(
            (("satisfied", "satisfied"), ("would_recommend", "would recommend"), ("felt_better", "felt better")),
            start=2,
        ):
            figure = figures[name]
            add(
                f"{prefix}{i}",
                section,
                f"Share {label} (%): {who}",
                _rounded(_percent(figure["share"])),
                f"{figure['count']} of {figure['of']}: of the feedback given with an answer to the question. "
                f"Benchmark {BENCHMARKS[name]}% (Shapland et al., victims).",
            )

    # L: satisfaction at the reporting centres.
    # A centre's partnership is its ward's.
    centre = (
        in_partnerships(CentreSurveyResponse.objects.all(), "centre__ward__partnership_id", scope).filter(
            submitted_on__gte=period.start, submitted_on__lte=period.end
        )
    ).aggregate(n=Count("id"), positive=Count("id", filter=Q(satisfaction__in=survey.POSITIVE["satisfaction"])))
    section = "Third-party reporting centres"
    add(
        "L1",
        section,
        "Centre survey responses",
        centre["n"],
        "Reporting-centre satisfaction surveys answered in the quarter (on a link or entered by staff).",
    )
    add(
        "L2",
        section,
        "Satisfied with how the centre took the report (%)",
        _rounded(stats.share(centre["positive"], centre["n"])),
        f"{centre['positive']} of {centre['n']} answered satisfied or very satisfied.",
    )
    for line in communication_lines(period, scope):  # M: communication needs, interpreters, letters by format
        add(*line)
    for line in non_crime_lines(period, scope):  # N: non-crime hate incidents
        add(*line)
    return period, lines


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else 100 * fraction


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
