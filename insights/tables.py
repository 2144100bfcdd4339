"""The tables each insights page shows, built once from a selector's result and used twice: rendered on the
page (templates/insights/includes/table.html) and downloaded as CSV (``?format=csv&table=<key>``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpResponse

from insights import selectors, stats, survey
from insights.selectors import HeatTable, Hotspots, Measures, Performance


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    numeric_from: int = 1  # columns from this index on are figures (right-aligned)
    row_classes: list[str] = field(default_factory=list)


def display(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet would run a cell starting with these as a formula.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_response(table: Table, name: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{table.key}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return response


def month_label(month: date) -> str:
    return f"{month:%b %Y}"


# ---------------------------------------------------------------------------------------------------
# Hotspots


def _heat(table: HeatTable) -> Table:
    columns = ["Ward", "Population"] + [c.name for c in table.columns] + [table.total_label]
    rows = [[r.ward.name, r.ward.population] + [c.count for c in r.cells] + [r.total] for r in table.rows]
    rows.append(["Borough", sum(r.ward.population for r in table.rows)] + table.column_totals + [table.total])
    return Table(table.key, table.caption, columns, rows)


def hotspot_tables(h: Hotspots) -> dict[str, Table]:
    tables = [
        Table(
            "wards",
            "Cases by ward",
            ["Ward", "Population", "Cases", "Cases per 10,000 residents"],
            [
                [w.name, w.population, n, round(10000 * n / w.population, 1) if w.population else None]
                for w, n in h.ward_totals
            ]
            + [
                [
                    "Borough",
                    h.borough_population,
                    h.total,
                    round(10000 * h.total / h.borough_population, 1) if h.borough_population else None,
                ]
            ],
        ),
        _heat(h.crime_heat),
        _heat(h.strand_heat),
        Table(
            "crime-types",
            "Cases by crime type",
            ["Crime type", "Cases"],
            [[c.name, n] for c, n in h.crime_totals] + [["All crime types", h.total]],
        ),
        Table(
            "strands",
            "Cases by strand",
            ["Strand", "Cases"],
            [[s.name, n] for s, n in h.strand_totals] + [["All cases (each counted once)", h.total]],
            note="A case with more than one strand counts once in each strand, and once in the total.",
        ),
        Table(
            "crime-type-strand",
            "Cases by crime type and strand",
            ["Crime type"] + [s.name for s, _ in h.strand_totals],
            [[c.name] + counts for c, counts in h.crime_by_strand],
        ),
        Table(
            "routes",
            "Cases by reporting route",
            ["Route", "Cases"],
            [[label, n] for label, n in h.routes] + [["All routes", h.total]],
        ),
        Table(
            "months",
            "Cases by month",
            ["Month", "Cases", "Change from the month before"],
            [[month_label(m), n, change] for m, n, change in h.months],
        ),
        Table(
            "flagged",
            "Unusual concentrations",
            ["Ward", "Of", "Category", "Cases", "Expected", "Cases / expected", "p-value"],
            flag_rows(h.flags),
            numeric_from=3,
        ),
        Table(
            "ward-crime-type-strand",
            "Cases by ward, crime type and strand (every combination with a case)",
            ["Ward", "Crime type", "Strand", "Cases"],
            [[w.name, c.name, s.name, n] for w, c, s, n in h.full],
            numeric_from=3,
        ),
    ]
    return {t.key: t for t in tables}


def flag_rows(flags) -> list[list]:
    """The rows of a table of Poisson flags (cases or recorded incidents): ward, of what, category, count,
    expected, ratio, p-value."""
    return [
        [f.ward.name, f.kind, f.category, f.observed, round(f.expected, 2), round(f.ratio, 1), _p_value(f.p_value)]
        for f in flags
    ]


def _p_value(p: float) -> str:
    return "< 0.0001" if p < 0.0001 else f"{p:.4f}"


# ---------------------------------------------------------------------------------------------------
# RJ performance

_MEASURE_COLUMNS = [
    "Referrals",
    "Accepted",
    "Declined",
    "Acceptance rate (%)",
    "Reached an activity",
    "Activity rate (%)",
    "Closed",
    "Agreements fulfilled in full (%)",
    "Told about RJ in time (%)",
]


def _measure_cells(m: Measures) -> list:
    return [
        m.referrals,
        m.accepted,
        m.declined,
        _r(m.acceptance_rate),
        m.activity,
        _r(m.activity_rate),
        m.closed,
        _r(m.completion_rate),
        _r(m.rj_rate),
    ]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def performance_tables(p: Performance) -> dict[str, Table]:
    t = p.totals
    tables = [
        Table(
            "summary",
            "Summary",
            ["Measure", "Count", "Of", "Rate (%)"],
            [
                ["Referrals received", t.referrals, None, None],
                ["Referrals accepted (of those decided)", t.accepted, t.decided, _r(t.acceptance_rate)],
                ["Awaiting a decision", t.awaiting, None, None],
                ["Reached a restorative activity (of those accepted)", t.activity, t.accepted, _r(t.activity_rate)],
                ["Closed", t.closed, t.referrals, _r(stats.share(t.closed, t.referrals))],
                [
                    "Agreements fulfilled in full (of agreement outcomes)",
                    t.fulfilled,
                    t.agreement_outcomes,
                    _r(t.completion_rate),
                ],
                [
                    "Agreement actions done (of those done or missed)",
                    p.actions.get("done", 0),
                    p.actions.get("done", 0) + p.actions.get("missed", 0),
                    _r(p.action_completion_rate),
                ],
                ["Told about RJ in time (Victims' Code)", t.rj_met, t.rj_due, _r(t.rj_rate)],
                ["First contact in time", t.contact_met, t.contact_due, _r(t.contact_rate)],
            ],
        ),
        Table(
            "by-route",
            "By referral route",
            ["Route"] + _MEASURE_COLUMNS,
            [[label] + _measure_cells(m) for label, m in p.by_route] + [["All routes"] + _measure_cells(t)],
        ),
        Table(
            "by-strand",
            "By strand",
            ["Strand"] + _MEASURE_COLUMNS,
            [[s.name] + _measure_cells(m) for s, m in p.by_strand]
            + [["All cases (each counted once)"] + _measure_cells(t)],
            note="A case with more than one strand counts once in each strand, and once in the total.",
        ),
        Table(
            "by-quarter",
            "By quarter received",
            ["Quarter"] + _MEASURE_COLUMNS,
            [[label] + _measure_cells(m) for label, m in p.by_quarter],
        ),
        Table(
            "activities",
            "Restorative activities that took place, by type",
            ["Type of activity", "Cases", "Of cases accepted (%)"],
            [[label, n, _r(rate)] for label, n, rate in p.activity_kinds]
            + [["Any activity", t.activity, _r(t.activity_rate)]],
            note="A case with activities of two types counts once in each type, and once under any activity.",
        ),
        Table(
            "outcomes",
            "Outcomes of closed cases",
            ["Outcome", "Cases"],
            [[label, n] for label, n in p.outcomes] + [["All closed cases", t.closed]],
        ),
        Table(
            "actions",
            "Agreement actions",
            ["Status", "Actions"],
            [
                ["Done", p.actions.get("done", 0)],
                ["Missed", p.actions.get("missed", 0)],
                ["Open", p.actions.get("open", 0)],
            ],
        ),
        Table(
            "durations",
            "Working days in each state",
            ["State", "Cases", "Median", "90th percentile"],
            [[label, n, med, p90] for label, n, med, p90 in p.durations.summary()],
        ),
        Table(
            "victims-code",
            "Victims' Code deadlines",
            ["Deadline", "Met", "Late", "Not met, past the due date", "Met (%)"],
            [
                ["Told about restorative justice", t.rj_met, t.rj_late, t.rj_overdue, _r(t.rj_rate)],
                ["First contact", t.contact_met, t.contact_late, t.contact_overdue, _r(t.contact_rate)],
            ],
        ),
    ]
    if p.by_facilitator is not None:
        tables.append(
            Table(
                "by-facilitator",
                "By facilitator",
                ["Facilitator"] + _MEASURE_COLUMNS + ["Median working days, referral to closure"],
                [[name] + _measure_cells(m) + [med] for name, m, med in p.by_facilitator],
                note="Cases are counted against their lead facilitator.",
            )
        )
    return {t.key: t for t in tables}


# ---------------------------------------------------------------------------------------------------
# The quarterly return, satisfaction, centres


def return_table(lines: list[selectors.ReturnLine], label: str) -> Table:
    return Table(
        "return",
        f"Quarterly monitoring return, {label}",
        ["Code", "Section", "Measure", "Value", "Definition"],
        [[line.code, line.section, line.measure, line.value, line.definition] for line in lines],
        numeric_from=3,
    )


def satisfaction_table(figures: dict[str, dict]) -> Table:
    rows = []
    for name, label in (
        ("satisfied", "Satisfied with the process"),
        ("would_recommend", "Would recommend it"),
        ("felt_better", "Felt better afterwards"),
    ):
        row = [label]
        for who in ("harmed", "responsible", "all"):
            figure = figures[who][name]
            row += [figure["count"], figure["of"], _r(None if figure["share"] is None else 100 * figure["share"])]
        rows.append(row + [selectors.BENCHMARKS[name]])
    columns = ["Measure"]
    for who in ("Persons harmed", "Persons responsible", "All participants"):
        columns += [f"{who}: yes", f"{who}: answered", f"{who}: share (%)"]
    return Table(
        "satisfaction",
        "Satisfaction with restorative justice",
        columns + ["Benchmark (%)"],
        rows,
        note="Benchmark: " + selectors.BENCHMARK_SOURCE + ".",
    )


def centre_tables(summaries, by_quarter) -> dict[str, Table]:
    tables = [
        Table(
            "register",
            "Reporting centres",
            [
                "Centre",
                "Ward",
                "Open",
                "BSL",
                "Hearing loop",
                "Step-free",
                "Trained staff",
                "Training over 12 months old",
                "Reports taken",
                "Anonymous reports",
                "Accepted for RJ",
                "Survey responses",
                "Satisfied (%)",
            ],
            [
                [
                    s.centre.name,
                    s.centre.ward.name if s.centre.ward else "",
                    _yes(s.centre.is_active),
                    _yes(s.centre.bsl),
                    _yes(s.centre.hearing_loop),
                    _yes(s.centre.step_free),
                    s.staff,
                    s.staff_overdue,
                    s.reports.reports,
                    s.reports.anonymous,
                    s.reports.accepted,
                    s.survey.responses,
                    _r(s.survey.share("satisfaction")),
                ]
                for s in summaries
            ],
            numeric_from=6,
        ),
        survey_quarter_table("survey-by-quarter", "Centre survey results by quarter, all centres", by_quarter),
    ]
    return {t.key: t for t in tables}


def survey_quarter_table(key: str, caption: str, by_quarter) -> Table:
    return Table(
        key,
        caption,
        ["Quarter", "Responses"] + [f"{q.positive_label} (%)" for q in survey.questions()],
        [[label, f.responses] + [_r(f.share(q.code)) for q in survey.questions()] for label, f in by_quarter],
    )


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def centre_detail_tables(detail: selectors.CentreDetail, today: date) -> dict[str, Table]:
    tables = [
        Table(
            "staff",
            "Trained staff",
            ["Name", "Job title", "Last trained", "Training due", "Status"],
            [
                [
                    m.name,
                    m.job_title,
                    m.last_trained_on,
                    m.training_due_on,
                    ("Training over 12 months old" if m.training_overdue(today) else "In date")
                    if m.active
                    else "Left the centre",
                ]
                for m in detail.staff
            ],
            numeric_from=99,
        ),
        Table(
            "reports-by-month",
            "Reports taken by month",
            ["Month", "Reports"],
            [[month_label(m), n] for m, n in detail.reports_by_month],
        ),
        Table(
            "answers",
            "Survey answers",
            ["Question", "Answer", "Responses", "Share (%)"],
            [
                [
                    q.text,
                    label,
                    detail.survey.answers.get(q.code, {}).get(value, 0),
                    _r(stats.share(detail.survey.answers.get(q.code, {}).get(value, 0), detail.survey.responses)),
                ]
                for q in survey.questions()
                for value, label in q.choices
            ],
            numeric_from=2,
        ),
        survey_quarter_table("survey-by-quarter", "Survey results by quarter", detail.survey_by_quarter),
    ]
    return {t.key: t for t in tables}
