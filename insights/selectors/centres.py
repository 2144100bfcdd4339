"""Third-party reporting centres: the register with its counts, one centre's detail, the survey analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter
from django.utils import timezone

from insights import stats, survey
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from insights.selectors.common import Period, count_in_sets, in_partnerships, quarter_label
from rjcases.models import Case

# ---------------------------------------------------------------------------------------------------
# Third-party reporting centres


def training_cutoff(today: date) -> date:
    """Training dated before this day is over 12 months old (matches ``TrainedStaffMember.training_overdue``)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February: training from 28 February a year ago ran out yesterday
        return date(today.year - 1, 3, 1)


@dataclass
class SurveyFigures:
    responses: int = 0
    positive: dict[str, int] = field(default_factory=dict)  # question code -> positive answers
    answers: dict[str, dict[str, int]] = field(default_factory=dict)  # question code -> answer -> count
    # Responses by the language of the question set they were given in (every language counted together above).
    languages: dict[str, int] = field(default_factory=dict)

    def share(self, code: str) -> float | None:
        return stats.share(self.positive.get(code, 0), self.responses)

    @property
    def satisfaction_share(self) -> float | None:
        return self.share("satisfaction")


def _survey_aggregates(detailed: bool = False) -> dict:
    aggregates = {"responses": Count("id")}
    for question in survey.questions():
        aggregates[f"positive__{question.code}"] = Count(
            "id", filter=Q(**{f"{question.code}__in": survey.POSITIVE[question.code]})
        )
        if detailed:
            for value, _ in question.choices:
                aggregates[f"answer__{question.code}__{value}"] = Count("id", filter=Q(**{question.code: value}))
    if detailed:
        for code, _ in survey.LANGUAGES:
            aggregates[f"language__{code}"] = Count("id", filter=Q(questions_language=code))
    return aggregates


def _survey_figures(row: dict) -> SurveyFigures:
    figures = SurveyFigures(responses=row["responses"])
    for question in survey.questions():
        figures.positive[question.code] = row[f"positive__{question.code}"]
        figures.answers[question.code] = {
            value: row[f"answer__{question.code}__{value}"]
            for value, _ in question.choices
            if f"answer__{question.code}__{value}" in row
        }
    figures.languages = {code: row[f"language__{code}"] for code, _ in survey.LANGUAGES if f"language__{code}" in row}
    return figures


@dataclass
class CentreReports:
    reports: int = 0
    assisted: int = 0
    anonymous: int = 0
    consented_to_police: int = 0
    accepted: int = 0
    activity: int = 0


def _report_aggregates() -> dict:
    return {
        "reports": Count("pk"),
        "assisted": Count("pk", filter=Q(report_kind="assisted")),
        "anonymous": Count("pk", filter=Q(report_kind="anonymous")),
        "consented_to_police": Count("pk", filter=Q(consents_to_police=True)),
    }


# Counted apart with ``count_in_sets``.
SET_REPORTS = ["accepted", "activity"]


def _centre_reports(row: dict, in_sets: dict[str, int]) -> CentreReports:
    return CentreReports(
        **{
            name: in_sets.get(name, 0) if name in SET_REPORTS else row[name]
            for name in CentreReports.__dataclass_fields__
        }
    )


@dataclass
class CentreSummary:
    centre: ReportingCentre
    staff: int
    staff_overdue: int
    reports: CentreReports
    survey: SurveyFigures

    @property
    def response_rate(self) -> float | None:
        return stats.share(self.survey.responses, self.reports.reports)


def centres_in(partnerships: tuple[int, ...] | None) -> QuerySet[ReportingCentre]:
    """The centres of these partnerships (every centre where None). A centre's partnership is its ward's, as in
    ``insights.access.centre_partnership_id``."""
    return in_partnerships(ReportingCentre.objects.all(), "ward__partnership_id", partnerships)


def centre_register(
    period: Period,
    centres: QuerySet[ReportingCentre],
    today: date | None = None,
    partnerships: tuple[int, ...] | None = None,
) -> tuple[list[CentreSummary], list[tuple[str, SurveyFigures]]]:
    """Each centre with its trained staff counts, the reports taken there in the period (of these partnerships'
    cases; all where None) and its survey results; and the survey results of these centres by quarter. Five
    queries."""
    today = today or timezone.localdate()
    cutoff = training_cutoff(today)
    centres = list(
        centres.select_related("organisation", "ward")
        .annotate(
            staff=Count("trained_staff", filter=Q(trained_staff__active=True)),
            staff_overdue=Count(
                "trained_staff", filter=Q(trained_staff__active=True, trained_staff__last_trained_on__lt=cutoff)
            ),
        )
        .order_by("name")
    )
    organisation_ids = [c.organisation_id for c in centres]
    cases = in_partnerships(
        Case.objects.filter(
            reporting_centre_id__in=organisation_ids, received_on__gte=period.start, received_on__lte=period.end
        ),
        "partnership_id",
        partnerships,
    )
    in_sets = count_in_sets(cases, SET_REPORTS, "reporting_centre_id")
    reports = {
        r["reporting_centre_id"]: _centre_reports(r, in_sets.get((r["reporting_centre_id"],), {}))
        for r in cases.order_by().values("reporting_centre_id").annotate(**_report_aggregates())
    }
    responses = CentreSurveyResponse.objects.filter(
        centre__in=[c.pk for c in centres], submitted_on__gte=period.start, submitted_on__lte=period.end
    )
    surveys = {
        r["centre_id"]: _survey_figures(r)
        for r in responses.order_by().values("centre_id").annotate(**_survey_aggregates())
    }
    by_quarter = [
        (quarter_label(r["quarter"]), _survey_figures(r))
        for r in responses.order_by()
        .annotate(quarter=TruncQuarter("submitted_on"))
        .values("quarter")
        .annotate(**_survey_aggregates())
        .order_by("quarter")
    ]
    summaries = [
        CentreSummary(
            centre=c,
            staff=c.staff,
            staff_overdue=c.staff_overdue,
            reports=reports.get(c.organisation_id, CentreReports()),
            survey=surveys.get(c.pk, SurveyFigures()),
        )
        for c in centres
    ]
    return summaries, by_quarter


@dataclass
class CentreDetail:
    centre: ReportingCentre
    staff: list[TrainedStaffMember]
    reports: CentreReports
    reports_by_month: list[tuple[date, int]]
    survey: SurveyFigures
    survey_by_quarter: list[tuple[str, SurveyFigures]]
    comments: list[tuple[date, str]]


def centre_detail(centre: ReportingCentre, period: Period, *, with_comments: bool) -> CentreDetail:
    """One centre: its trained staff, the reports taken there by month (cases of the centre's partnership only,
    the partnership of its ward; every case where it has no ward), and its survey answers in total and by quarter
    (five queries; six with the comments)."""
    staff = list(centre.trained_staff.order_by("-active", "name", "id"))
    cases = in_partnerships(
        Case.objects.filter(
            reporting_centre_id=centre.organisation_id, received_on__gte=period.start, received_on__lte=period.end
        ),
        "partnership_id",
        (centre.ward.partnership_id,) if centre.ward is not None else None,
    ).order_by()
    month_rows = {
        r["month"]: r
        for r in cases.annotate(month=TruncMonth("received_on")).values("month").annotate(**_report_aggregates())
    }
    in_sets = count_in_sets(cases, SET_REPORTS, month=TruncMonth("received_on"))
    reports = CentreReports()
    for month, row in month_rows.items():
        counted = _centre_reports(row, in_sets.get((month,), {}))
        for name in CentreReports.__dataclass_fields__:
            setattr(reports, name, getattr(reports, name) + getattr(counted, name))
    responses = centre.survey_responses.filter(submitted_on__gte=period.start, submitted_on__lte=period.end)
    figures = _survey_figures(responses.order_by().aggregate(**_survey_aggregates(detailed=True)))
    by_quarter = [
        (quarter_label(r["quarter"]), _survey_figures(r))
        for r in responses.order_by()
        .annotate(quarter=TruncQuarter("submitted_on"))
        .values("quarter")
        .annotate(**_survey_aggregates())
        .order_by("quarter")
    ]
    comments = []
    if with_comments:
        comments = list(
            responses.exclude(comments="").order_by("-submitted_on", "-id").values_list("submitted_on", "comments")[:50]
        )
    return CentreDetail(
        centre=centre,
        staff=staff,
        reports=reports,
        reports_by_month=[(m, month_rows[m]["reports"] if m in month_rows else 0) for m in period.months()],
        survey=figures,
        survey_by_quarter=by_quarter,
        comments=comments,
    )
