"""Insights pages. Thin: check who may see the page, read the filters, call a selector, lay out tables and
charts. Every table downloads as CSV with the same filters (``?format=csv&table=<key>``)."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from accounts import roles
from govuk.refusals import refusals_to
from insights import access, charts, pdf, selectors, services, snapshots, summary, survey
from insights.forms import CentreForm, FiltersForm, QuarterForm, SurveyForm, TrainedStaffForm
from insights.models import ReportingCentre, TrainedStaffMember
from insights.selectors.comparison import partnership_comparison
from insights.tables import (
    Table,
    centre_detail_tables,
    centre_tables,
    csv_response,
    month_label,
    performance_tables,
    return_table,
    satisfaction_table,
)

NOT_FILTERS = {"format", "table"}


def allowed(predicate):
    """Signed in, and the predicate says yes (else 403)."""

    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied("You do not have access to this page.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _filter_data(request):
    """The query string as form data, or None (defaults) when it holds no filter."""
    return request.GET if any(key not in NOT_FILTERS for key in request.GET) else None


def _csv_links(request, tables: dict[str, Table]) -> dict[str, str]:
    links = {}
    for key in tables:
        query = request.GET.copy()
        query["format"] = "csv"
        query["table"] = key
        links[key] = f"?{query.urlencode()}"
    return links


def _csv_requested(request, tables: dict[str, Table], name: str):
    if request.GET.get("format") != "csv":
        return None
    table = tables.get(request.GET.get("table", ""))
    if table is None:
        raise Http404("No such table.")
    return csv_response(table, name)


def _invalid_filters(request, template: str, context: dict):
    if request.GET.get("format"):
        return HttpResponseBadRequest("Correct the filters before downloading.", content_type="text/plain")
    return render(request, template, {**context, "invalid": True})


def _filter_summary(filters: selectors.Filters, ref: selectors.Reference, facilitators=None) -> list[str]:
    parts = [f"Period: {filters.period}"]
    if filters.strand:
        parts.append(f"Strand: {ref.strand_by_id[filters.strand].name}")
    if filters.crime_type:
        parts.append(f"Crime type: {ref.crime_by_id[filters.crime_type].name}")
    if filters.route:
        parts.append(f"Route: {ref.route_by_id[filters.route].name}")
    if filters.facilitator and facilitators:
        parts.append(f"Facilitator: {dict(facilitators).get(filters.facilitator, '')}")
    return parts


# ---------------------------------------------------------------------------------------------------
# Index


@allowed(access.sees_any_insights)
def index(request):
    user = request.user
    return render(
        request,
        "insights/index.html",
        {
            "page_title": "Insights",
            "borough": access.sees_borough_figures(user),
            "hotspots": access.sees_hotspots(user),
            "centre_staff": roles.is_centre_staff(user),
            "comparison": access.sees_comparison(user),
        },
    )


# ---------------------------------------------------------------------------------------------------
# Hotspots


# The hotspot page itself is insights.incident_views (every recorded incident, not only cases).


def _trend_summary(months) -> str:
    if not any(n for _, n, _ in months):
        return "No cases in this period."
    first, last = months[0], months[-1]
    busiest = max(months, key=lambda m: m[1])
    return (
        f"{sum(n for _, n, _ in months)} cases from {month_label(first[0])} to {month_label(last[0])}; "
        f"the most in {month_label(busiest[0])} ({busiest[1]}); {last[1]} in {month_label(last[0])}."
    )


# ---------------------------------------------------------------------------------------------------
# RJ performance


@allowed(access.sees_borough_figures)
def performance(request):
    ref = selectors.load_reference(access.partnership_scope(request.user))
    managers_view = access.sees_facilitator_breakdown(request.user)
    facilitators = selectors.facilitator_choices(ref.partnerships) if managers_view else None
    form = FiltersForm(_filter_data(request), ref=ref, facilitators=facilitators)
    context = {"page_title": "Restorative justice performance", "form": form}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/performance.html", context)
    filters = form.filters()
    # Whole months with no strand, crime type, route or facilitator chosen: from the hourly summary, if current.
    counted = summary.current() if summary.may_serve(filters) else None
    from_summary = counted is not None and summary.serves(filters, counted)
    if from_summary:
        result = summary.performance(filters, ref, with_facilitators=managers_view)
    else:
        result = selectors.performance(filters, ref, with_facilitators=managers_view)
    tables = performance_tables(result)
    download = _csv_requested(request, tables, "performance")
    if download:
        return download
    t = result.totals
    funnel = [
        ("Referrals received", t.referrals),
        ("Accepted", t.accepted),
        ("Reached an activity", t.activity),
        ("Closed", t.closed),
        ("Agreement fulfilled in full", t.fulfilled),
    ]
    context.update(
        {
            "result": result,
            "tables": tables,
            "csv": _csv_links(request, tables),
            "filter_summary": _filter_summary(filters, ref, facilitators),
            "funnel_chart": charts.horizontal_bars(
                "chart-funnel",
                "From referral to outcome",
                funnel,
                summary=(
                    f"Of {t.referrals} referrals, {t.accepted} were accepted, {t.activity} reached a restorative "
                    f"activity and {t.fulfilled} ended with the agreement fulfilled in full."
                ),
            ),
            "duration_chart": charts.horizontal_bars(
                "chart-durations",
                "Median working days in each state",
                [(label, med or 0) for label, _, med, _ in result.durations.summary()],
                summary="; ".join(
                    f"{label}: {'no cases' if med is None else f'median {med:g}'}"
                    for label, _, med, _ in result.durations.summary()
                )
                + ".",
            ),
            "managers_view": managers_view,
            "today": counted.as_of if from_summary else timezone.localdate(),
            "summary": counted if from_summary else None,
            "live_reason": (
                "the hourly count holds whole months with no strand, crime type, route or facilitator chosen, so "
                "figures like these are counted when you ask, which can take longer"
            )
            if not from_summary and (counted is not None or not summary.may_serve(filters))
            else "",
            "summary_every": summary.EVERY,
        }
    )
    return render(request, "insights/performance.html", context)


# ---------------------------------------------------------------------------------------------------
# The quarterly return


@allowed(access.sees_borough_figures)
def quarterly_return(request):
    form = QuarterForm(request.GET if "quarter" in request.GET else None)
    context = {"page_title": "Quarterly monitoring return", "form": form}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/quarterly_return.html", context)
    year, quarter = form.chosen()
    # From the hourly snapshot of this quarter and scope, if current; else counted from the case records now.
    lines, today, snapshot = snapshots.return_lines(
        snapshots.QUARTERLY, year, quarter, access.partnership_scope(request.user)
    )
    period = selectors.quarter_period(year, quarter)
    label = f"{year} Q{quarter}"
    table = return_table(lines, label)
    name = f"quarterly-return-{year}-Q{quarter}"
    output = request.GET.get("format")
    if output == "csv":
        return csv_response(table, name)
    if output == "pdf":
        response = HttpResponse(
            pdf.render_return(period, label, lines, service_name=settings.SERVICE_NAME, produced_on=today),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    query = f"quarter={year}-Q{quarter}"
    context.update(
        {
            "lines": lines,
            "period": period,
            "label": label,
            "table": table,
            "csv_url": f"?{query}&format=csv",
            "pdf_url": f"?{query}&format=pdf",
            "snapshot": snapshot,
            "snapshot_every": snapshots.EVERY,
        }
    )
    return render(request, "insights/quarterly_return.html", context)


# ---------------------------------------------------------------------------------------------------
# Satisfaction with RJ


@allowed(access.sees_borough_figures)
def satisfaction(request):
    ref = selectors.load_reference(access.partnership_scope(request.user))
    form = FiltersForm(_filter_data(request), ref=ref)
    del form.fields["crime_type"], form.fields["route"]
    context = {"page_title": "Satisfaction with restorative justice", "form": form}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/satisfaction.html", context)
    filters = form.filters()
    figures = selectors.satisfaction(filters.period, filters.strand, filters.partnerships)
    table = satisfaction_table(figures)
    tables = {table.key: table}
    download = _csv_requested(request, tables, "satisfaction")
    if download:
        return download
    harmed = figures["harmed"]
    comparison = []
    for name, label in (
        ("satisfied", "Satisfied"),
        ("would_recommend", "Would recommend"),
        ("felt_better", "Felt better"),
    ):
        share = harmed[name]["share"]
        comparison.append(
            {
                "label": label,
                "count": harmed[name]["count"],
                "of": harmed[name]["of"],
                "share": None if share is None else 100 * share,
                "benchmark": selectors.BENCHMARKS[name],
            }
        )
    context.update(
        {
            "figures": figures,
            "comparison": comparison,
            "table": table,
            "csv": _csv_links(request, tables),
            "benchmark_source": selectors.BENCHMARK_SOURCE,
            "filter_summary": _filter_summary(filters, ref),
            "chart": charts.horizontal_bars(
                "chart-satisfaction",
                "Persons harmed: share answering yes, beside the benchmark (%)",
                [
                    item
                    for row in comparison
                    for item in (
                        (f"{row['label']}: this service", round(row["share"] or 0, 1)),
                        (f"{row['label']}: benchmark", float(row["benchmark"])),
                    )
                ],
                summary="; ".join(
                    f"{row['label']}: {'no answers' if row['share'] is None else f'{row["share"]:.1f}%'} "
                    f"against {row['benchmark']}%"
                    for row in comparison
                )
                + ".",
                label_width=300,
            ),
        }
    )
    return render(request, "insights/satisfaction.html", context)


# ---------------------------------------------------------------------------------------------------
# The comparison between partnerships (the regional lead)


@allowed(access.sees_comparison)
def comparison(request):
    form = _period_form(request)
    context = {"page_title": "Partnerships compared", "form": form}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/comparison.html", context)
    filters = form.filters()
    rows = partnership_comparison(filters.period)
    table = Table(
        key="partnerships",
        caption="Partnerships compared",
        columns=[
            "Partnership",
            "Residents of its wards",
            "Referrals received",
            "Per 10,000 residents",
            "Accepted",
            "Accepted (%)",
            "Reached an activity",
            "Of those accepted (%)",
        ],
        rows=[
            [
                r.partnership.name,
                r.population,
                r.referrals,
                r.per_10000,
                r.accepted,
                r.accepted_share,
                r.activity,
                r.activity_share,
            ]
            for r in rows
        ],
        note=(
            "Cases received in the period, each counted in the partnership it belongs to. A dash: nothing to divide by."
        ),
    )
    tables = {table.key: table}
    download = _csv_requested(request, tables, "partnerships-compared")
    if download:
        return download
    context.update(
        {
            "rows": rows,
            "tables": tables,
            "csv": _csv_links(request, tables),
            "filter_summary": [f"Period: {filters.period}"],
        }
    )
    return render(request, "insights/comparison.html", context)


# ---------------------------------------------------------------------------------------------------
# Reporting centres


def _period_form(request) -> FiltersForm:
    """The filters with the period alone (the centre pages need no reference data)."""
    form = FiltersForm(_filter_data(request), ref=selectors.Reference([], [], [], [], {}))
    for name in ("strand", "crime_type", "route"):
        del form.fields[name]
    return form


def _centre_for(user, pk: int) -> ReportingCentre:
    """The centre if this user may see it; a 404 otherwise (as for a case outside someone's scope)."""
    centre = get_object_or_404(ReportingCentre.objects.select_related("organisation", "ward"), pk=pk)
    if not access.sees_centre(user, centre):
        raise Http404("No such centre.")
    return centre


@login_required
def centre_list(request):
    user = request.user
    if not access.sees_borough_figures(user):
        if roles.is_centre_staff(user):
            own = ReportingCentre.objects.filter(organisation_id=user.organisation_id).first()
            if own is not None:
                return redirect("insights:centre", pk=own.pk)
            return render(request, "insights/centre_missing.html", {"page_title": "Your reporting centre"})
        raise PermissionDenied("You do not have access to this page.")
    form = _period_form(request)
    context = {"page_title": "Third-party reporting centres", "form": form, "manages": access.manages_register(user)}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/centre_list.html", context)
    filters = form.filters()
    today = timezone.localdate()
    scope = access.partnership_scope(user)
    summaries, by_quarter = selectors.centre_register(
        filters.period, selectors.centres_in(scope), today=today, partnerships=scope
    )
    tables = centre_tables(summaries, by_quarter)
    download = _csv_requested(request, tables, "reporting-centres")
    if download:
        return download
    context.update(
        {
            "summaries": summaries,
            "tables": tables,
            "csv": _csv_links(request, tables),
            "filter_summary": [f"Period: {filters.period}"],
            "today": today,
            "quarter_chart": charts.columns(
                "chart-centre-quarters",
                "Share satisfied with how the centre took the report, by quarter (%)",
                [(label, round(f.share("satisfaction") or 0, 1)) for label, f in by_quarter],
                summary=_survey_trend_summary(by_quarter),
            ),
        }
    )
    return render(request, "insights/centre_list.html", context)


def _survey_trend_summary(by_quarter) -> str:
    answered = [(label, f) for label, f in by_quarter if f.responses]
    if not answered:
        return "No survey responses in this period."
    return "; ".join(f"{label}: {f.share('satisfaction'):.1f}% of {f.responses}" for label, f in answered) + "."


@login_required
def centre_detail(request, pk: int):
    centre = _centre_for(request.user, pk)
    form = _period_form(request)
    context = {
        "page_title": centre.name,
        "centre": centre,
        "form": form,
        "takes_surveys": access.takes_surveys(request.user, centre),
        "manages": access.manages_register(request.user),
    }
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, "insights/centre_detail.html", context)
    filters = form.filters()
    today = timezone.localdate()
    detail = selectors.centre_detail(
        centre, filters.period, with_comments=access.sees_survey_comments(request.user, centre)
    )  # the reports counted are those of the centre's partnership's cases
    tables = centre_detail_tables(detail, today)
    download = _csv_requested(request, tables, f"centre-{centre.pk}")
    if download:
        return download
    context.update(
        {
            "detail": detail,
            "tables": tables,
            "csv": _csv_links(request, tables),
            "today": today,
            "filter_summary": [f"Period: {filters.period}"],
            "questions": survey.questions(),
            "survey_languages": survey.LANGUAGES,
            "shows_comments": access.sees_survey_comments(request.user, centre),
            "overdue_staff": [m for m in detail.staff if m.active and m.training_overdue(today)],
            "month_chart": charts.columns(
                "chart-centre-months",
                "Reports taken by month",
                [(month_label(m), n) for m, n in detail.reports_by_month],
                summary=f"{detail.reports.reports} report{pluralize(detail.reports.reports)} taken in the period.",
            ),
        }
    )
    return render(request, "insights/centre_detail.html", context)


def _centre_managed_by(user, pk: int) -> ReportingCentre:
    """The centre if this manager may change it (of one of their partnerships); a 404 otherwise."""
    centre = _centre_for(user, pk)
    if not access.manages_centre(user, centre):
        raise Http404("No such centre.")
    return centre


def _form_page(request, form, *, title: str, back: str, submit: str):
    return render(request, "insights/form.html", {"page_title": title, "form": form, "back": back, "submit": submit})


@allowed(access.manages_register)
def centre_create(request):
    form = CentreForm(request.POST or None, partnerships=tuple(sorted(roles.partnership_ids(request.user))))
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            centre = services.save_centre(form.instance, request.user)
        if not refusal:
            messages.success(request, f"{centre.name} is on the register.")
            return redirect("insights:centre", pk=centre.pk)
    return _form_page(
        request, form, title="Add a reporting centre", back=reverse("insights:centres"), submit="Add the centre"
    )


@allowed(access.manages_register)
def centre_edit(request, pk: int):
    centre = _centre_managed_by(request.user, pk)
    form = CentreForm(
        request.POST or None, instance=centre, partnerships=tuple(sorted(roles.partnership_ids(request.user)))
    )
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.save_centre(form.instance, request.user)
        if not refusal:
            messages.success(request, "The register entry is saved.")
            return redirect("insights:centre", pk=centre.pk)
    return _form_page(
        request,
        form,
        title=f"Change {centre.name}",
        back=reverse("insights:centre", args=[pk]),
        submit="Save the changes",
    )


@allowed(access.manages_register)
def staff_create(request, pk: int):
    centre = _centre_managed_by(request.user, pk)
    form = TrainedStaffForm(request.POST or None, instance=TrainedStaffMember(centre=centre))
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.save_trained_staff(form.instance, request.user)
        if not refusal:
            messages.success(request, f"{form.instance.name} is added to {centre.name}'s trained staff.")
            return redirect("insights:centre", pk=centre.pk)
    return _form_page(
        request,
        form,
        title=f"Add trained staff at {centre.name}",
        back=reverse("insights:centre", args=[pk]),
        submit="Add them",
    )


@allowed(access.manages_register)
def staff_edit(request, pk: int):
    member = get_object_or_404(TrainedStaffMember.objects.select_related("centre__ward"), pk=pk)
    if not access.manages_centre(request.user, member.centre):
        raise Http404("No such training record.")
    form = TrainedStaffForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.save_trained_staff(form.instance, request.user)
        if not refusal:
            messages.success(request, "The training record is saved.")
            return redirect("insights:centre", pk=member.centre_id)
    return _form_page(
        request,
        form,
        title=f"Change the training record of {member.name}",
        back=reverse("insights:centre", args=[member.centre_id]),
        submit="Save the changes",
    )


# ---------------------------------------------------------------------------------------------------
# The centre survey


@login_required
def survey_record(request, pk: int):
    """Centre staff enter the answers a person gives them."""
    centre = _centre_for(request.user, pk)
    if not access.takes_surveys(request.user, centre):
        raise Http404("No such centre.")
    around = survey.page_context(request.GET.get("language"))
    form = SurveyForm(request.POST or None, language=around["language"])
    if request.method == "POST" and form.is_valid():
        with refusals_to(form) as refusal:
            services.record_survey_response(centre, request.user, {**form.cleaned_data, **around})
        if not refusal:
            messages.success(request, "The survey answers are saved. Thank you.")
            return redirect("insights:centre", pk=centre.pk)
    return render(
        request,
        "insights/survey.html",
        {"page_title": f"Survey: {centre.name}", "form": form, "centre": centre, "staff_entry": True, **around},
    )


UNUSABLE_MESSAGES = {
    "not_found": "This survey link is not right. Check it was copied in full, or ask the centre for a new one.",
    "used": "This survey link has already been used. Thank you: each link can be answered once.",
    "expired": "This survey link has expired. Ask the centre for a new one if you would still like to answer.",
}


@never_cache
def survey_public(request, token: str):
    """The survey on a link, without signing in. It shows the questions and takes answers; it never shows
    anyone's answers, including the ones just given."""
    try:
        link = services.usable_link(token)
    except services.SurveyLinkUnusable as problem:
        return render(
            request,
            "insights/survey_unavailable.html",
            {"page_title": "Survey link not available", "message": UNUSABLE_MESSAGES[problem.reason]},
            status=404 if problem.reason == "not_found" else 410,
        )
    around = survey.page_context(request.GET.get("language"))
    form = SurveyForm(request.POST or None, language=around["language"])
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_survey_by_link(token, {**form.cleaned_data, **around})
        except services.SurveyLinkUnusable as problem:
            return render(
                request,
                "insights/survey_unavailable.html",
                {"page_title": "Survey link not available", "message": UNUSABLE_MESSAGES[problem.reason]},
                status=410,
            )
        return redirect("insights:survey_thanks")
    return render(
        request,
        "insights/survey.html",
        {
            "page_title": f"Tell us about reporting at {link.centre.name}",
            "form": form,
            "centre": link.centre,
            "staff_entry": False,
            **around,
        },
    )


def survey_thanks(request):
    return render(request, "insights/survey_thanks.html", {"page_title": "Thank you"})
