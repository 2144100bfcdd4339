"""Reads for insights. Every count is made by the database (GROUP BY and conditional COUNT); so are the
working days between events and their medians and 90th percentiles (``durations``, on the working-day
calendar table). Python only lays the rows out, divides and runs the Poisson test on the counts. Each
function runs a fixed number of queries whatever the number of cases.

- ``common``: periods, filters, the cases a figure counts, reference data;
- ``hotspots``: where incidents were reported, and unusual concentrations;
- ``performance``: the RJ performance picture and satisfaction with RJ;
- ``returns``: the quarterly monitoring return;
- ``durations``: working days between events, summarised in the database;
- ``centres``: the third-party reporting centre register and survey.
"""

from insights.selectors.centres import (
    CentreDetail,
    CentreReports,
    CentreSummary,
    SurveyFigures,
    centre_detail,
    centre_register,
    centres_in,
    training_cutoff,
)
from insights.selectors.common import (
    Filters,
    Period,
    Reference,
    add_months,
    cases_for,
    default_period,
    facilitator_choices,
    last_complete_quarter,
    load_reference,
    quarter_label,
    quarter_of,
    quarter_period,
    route_label,
)
from insights.selectors.durations import Summary
from insights.selectors.hotspots import Cell, HeatRow, HeatTable, Hotspot, Hotspots, hotspots
from insights.selectors.performance import (
    BENCHMARK_SOURCE,
    BENCHMARKS,
    Durations,
    Measures,
    Performance,
    performance,
    satisfaction,
)
from insights.selectors.returns import ReturnLine, quarterly_return

__all__ = [
    "BENCHMARKS",
    "BENCHMARK_SOURCE",
    "Cell",
    "CentreDetail",
    "CentreReports",
    "CentreSummary",
    "Durations",
    "Filters",
    "HeatRow",
    "HeatTable",
    "Hotspot",
    "Hotspots",
    "Measures",
    "Performance",
    "Period",
    "Reference",
    "ReturnLine",
    "Summary",
    "SurveyFigures",
    "add_months",
    "cases_for",
    "centre_detail",
    "centre_register",
    "centres_in",
    "default_period",
    "facilitator_choices",
    "hotspots",
    "last_complete_quarter",
    "load_reference",
    "performance",
    "quarter_label",
    "quarter_of",
    "quarter_period",
    "quarterly_return",
    "route_label",
    "satisfaction",
    "training_cutoff",
]
