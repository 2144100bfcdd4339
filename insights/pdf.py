"""The quarterly monitoring return as a PDF (reportlab). Every string that enters Paragraph markup is
escaped first: organisation and centre names are typed by people."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from insights.selectors import Period, ReturnLine
from insights.tables import display

FONT_DIR = Path(settings.BASE_DIR) / "letters" / "fonts"


def _fonts() -> tuple[str, str]:
    """DejaVu Sans where the project ships it (it has glyphs Helvetica lacks), else Helvetica."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "InsightsSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("InsightsSans", str(regular)))
            pdfmetrics.registerFont(TTFont("InsightsSans-Bold", str(bold)))
        return "InsightsSans", "InsightsSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _p(text, style) -> Paragraph:
    return Paragraph(escape(display(text)), style)


def render_return(
    period: Period, label: str, lines: list[ReturnLine], *, service_name: str, produced_on: date
) -> bytes:
    font, bold = _fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11)
    strong = ParagraphStyle("strong", parent=body, fontName=bold)
    title = ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    intro = ParagraphStyle("intro", fontName=font, fontSize=10, leading=13, spaceAfter=2)

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Quarterly monitoring return {label}",
        author=service_name,
    )
    story = [
        Paragraph(escape(f"Quarterly monitoring return: {label}"), title),
        Paragraph(escape(f"{service_name}. Period: {period}. Produced on {display(produced_on)}."), intro),
        Paragraph(
            escape(
                "Every figure counts events dated in the quarter, as its definition says. Counts only: "
                "no person or case is named. A dash means there was nothing to divide by."
            ),
            intro,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [[_p("Code", strong), _p("Measure", strong), _p("Value", strong), _p("Definition", strong)]]
    section_rows = []
    current = None
    for line in lines:
        if line.section != current:
            current = line.section
            section_rows.append(len(rows))
            rows.append([_p(line.section, strong), "", "", ""])
        rows.append([_p(line.code, body), _p(line.measure, body), _p(line.value, body), _p(line.definition, body)])
    table = Table(rows, colWidths=[14 * mm, 85 * mm, 22 * mm, 146 * mm], repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b1b4b6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
    ]
    for index in section_rows:
        style += [
            ("SPAN", (0, index), (-1, index)),
            ("BACKGROUND", (0, index), (-1, index), colors.HexColor("#e8f1f8")),
        ]
    table.setStyle(TableStyle(style))
    story.append(table)
    document.build(story)
    return buffer.getvalue()
