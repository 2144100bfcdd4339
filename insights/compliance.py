"""The Victims' Code compliance return: the page, its CSV and its PDF (managers only).

Beside the quarterly monitoring return (same quarter chooser, same CSV and PDF conventions); its reads are
``insights.selectors.compliance``. Every string entering reportlab's Paragraph markup is escaped.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from accounts import roles
from insights import access, snapshots
from insights.forms import QuarterForm
from insights.pdf import _fonts
from insights.selectors import Period
from insights.selectors.common import quarter_period
from insights.selectors.compliance import COUNTING, ComplianceLine
from insights.tables import Table as DataTable
from insights.tables import csv_response, display

COLUMNS = ["Measure", "Due", "Met in time", "Late", "Median working days late", "Not yet due", "Not applicable"]


def compliance_table(lines: list[ComplianceLine], label: str) -> DataTable:
    rows = [
        [line.measure, line.due, line.met, line.late, line.median_days_late, line.pending, line.not_applicable]
        for line in lines
    ]
    return DataTable(
        key="victims-code",
        caption=f"Victims' Code compliance, {label}",
        columns=[*COLUMNS, "Definition"],
        rows=[[*row, line.definition] for row, line in zip(rows, lines, strict=True)],
        note=COUNTING,
    )


def render_pdf(period: Period, label: str, lines: list[ComplianceLine], *, service_name: str, produced_on: date):
    font, bold = _fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11)
    strong = ParagraphStyle("strong", parent=body, fontName=bold)
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    intro = ParagraphStyle("intro", fontName=font, fontSize=9.5, leading=12.5, spaceAfter=3)

    def p(text, style=body) -> Paragraph:
        return Paragraph(escape(display(text)), style)

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Victims' Code compliance return {label}",
        author=service_name,
    )
    rows = [[p(c, strong) for c in [*COLUMNS, "Definition"]]]
    for line in lines:
        values = [line.due, line.met, line.late, line.median_days_late, line.pending, line.not_applicable]
        rows.append([p(line.measure), *[p(v) for v in values], p(line.definition)])
    table = Table(rows, colWidths=[45 * mm, 14 * mm, 17 * mm, 14 * mm, 24 * mm, 18 * mm, 20 * mm, 115 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
            ]
        )
    )
    story = [
        p(f"Victims' Code compliance return: {label}", title),
        p(f"{service_name}. Period: {period}. Produced on {display(produced_on)}.", intro),
        p("Counts only: no person or case is named. A dash means there was nothing to count.", intro),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 4 * mm),
        p("How the figures are counted", strong),
        p(COUNTING, intro),
    ]
    document.build(story)
    return buffer.getvalue()


@login_required
def compliance(request):
    if not roles.is_manager(request.user):
        raise PermissionDenied("You do not have access to this page.")
    form = QuarterForm(request.GET if "quarter" in request.GET else None)
    context: dict = {"page_title": "Victims' Code compliance return", "form": form, "counting": COUNTING}
    if form.is_bound and not form.is_valid():
        if request.GET.get("format"):
            return HttpResponseBadRequest("Correct the quarter before downloading.", content_type="text/plain")
        return render(request, "insights/compliance_return.html", {**context, "invalid": True})
    year, quarter = form.chosen()
    # From the hourly snapshot of this quarter and scope, if current; else counted from the case records now.
    lines, today, snapshot = snapshots.return_lines(
        snapshots.COMPLIANCE, year, quarter, access.partnership_scope(request.user)
    )
    period = quarter_period(year, quarter)
    label, name = f"{year} Q{quarter}", f"victims-code-compliance-{year}-Q{quarter}"
    output = request.GET.get("format")
    if output == "csv":
        return csv_response(compliance_table(lines, label), name)
    if output == "pdf":
        content = render_pdf(period, label, lines, service_name=settings.SERVICE_NAME, produced_on=today)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    query = f"quarter={year}-Q{quarter}"
    context.update(
        lines=lines,
        period=period,
        label=label,
        csv_url=f"?{query}&format=csv",
        pdf_url=f"?{query}&format=pdf",
        snapshot=snapshot,
        snapshot_every=snapshots.EVERY,
    )
    return render(request, "insights/compliance_return.html", context)
