"""The hotspot page over every recorded hate incident, and its open-data file. Thin, like insights.views."""

from __future__ import annotations

from django.shortcuts import render

from insights import access, charts, stats
from insights.incident_forms import IncidentFiltersForm
from insights.incident_tables import SUPPRESSION_RULE, incident_tables, open_data_response
from insights.selectors import load_reference
from insights.selectors.incidents import BASIS_LABELS, SUPPRESS_BELOW, IncidentFilters, incident_hotspots, open_data
from insights.tables import month_label
from insights.views import _csv_links, _csv_requested, _filter_data, _invalid_filters, _trend_summary, allowed
from recorded.models import COUNTED_SOURCES
from recorded.permissions import may_import

TEMPLATE = "insights/incident_hotspots.html"


def _summary(filters: IncidentFilters, ref) -> list[str]:
    parts = [f"Period: {filters.period}", f"Counted by: {BASIS_LABELS[filters.basis].lower()}"]
    if filters.strand:
        parts.append(f"Strand: {ref.strand_by_id[filters.strand].name}")
    if filters.crime_type:
        parts.append(f"Crime type: {ref.crime_by_id[filters.crime_type].name}")
    if filters.source:
        parts.append(f"Source: {COUNTED_SOURCES[filters.source]}")
    return parts


@allowed(access.sees_hotspots)
def hotspots(request):
    ref = load_reference(access.partnership_scope(request.user))
    form = IncidentFiltersForm(_filter_data(request), ref=ref)
    context = {"page_title": "Hate incident hotspots", "form": form, "may_import": may_import(request.user)}
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, TEMPLATE, context)
    filters = form.incident_filters()
    result = incident_hotspots(filters, ref)
    tables = incident_tables(result)
    download = _csv_requested(request, tables, "hotspots")
    if download:
        return download
    top_ward = max(result.ward_totals, key=lambda item: item[1], default=(None, 0))
    open_query = request.GET.copy()
    for key in ("format", "table"):
        open_query.pop(key, None)
    context.update(
        {
            "result": result,
            "tables": tables,
            "csv": _csv_links(request, tables),
            "filter_summary": _summary(filters, ref),
            "p_threshold": stats.HOTSPOT_P_VALUE,
            "min_count": stats.HOTSPOT_MIN_COUNT,
            "suppress_below": SUPPRESS_BELOW,
            "suppression_rule": SUPPRESSION_RULE,
            "open_data_query": open_query.urlencode(),
            "ward_chart": charts.horizontal_bars(
                "chart-wards",
                "Incidents by ward",
                [(w.name, n) for w, n in result.ward_totals],
                summary=(
                    f"{result.total} incidents in {len(result.ward_totals)} wards; the most in {top_ward[0].name} "
                    f"({top_ward[1]})."
                    if result.total
                    else "No incidents in this period."
                ),
            ),
            "month_chart": charts.columns(
                "chart-months",
                "Incidents by month",
                [(month_label(m), n) for m, n, _ in result.months],
                summary=_trend_summary(result.months).replace("cases", "incidents"),
            ),
            "source_chart": charts.horizontal_bars(
                "chart-sources", "Incidents by source", [(label, n) for _k, label, n in result.sources], label_width=330
            ),
        }
    )
    return render(request, TEMPLATE, context)


@allowed(access.sees_hotspots)
def open_data_file(request):
    """Anonymised counts for publication: ward x month x crime type x strand, small counts suppressed."""
    ref = load_reference(access.partnership_scope(request.user))
    form = IncidentFiltersForm(_filter_data(request), ref=ref)
    if form.is_bound and not form.is_valid():
        return _invalid_filters(request, TEMPLATE, {"page_title": "Hate incident hotspots", "form": form})
    filters = form.incident_filters()
    rows = open_data(filters.period, ref, filters.basis)
    months = filters.period.months()
    label = f"{month_label(months[0])} to {month_label(months[-1])}"
    return open_data_response(rows, label, BASIS_LABELS[filters.basis].lower())
