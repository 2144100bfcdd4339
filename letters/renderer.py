"""The letter layout in reportlab: A4, letterhead, recipient's address block, date and reference, "Private and
confidential", the body, a signature block and "Page 1 of 2" on every page.

Every string printed comes from ``LetterContent`` as plain text and passes through ``markup()``, which escapes
it (``xml.sax.saxutils.escape``) before it reaches reportlab's paragraph markup; the only tags in a paragraph
are the font changes ``markup()`` itself adds. Fonts are TrueType files shipped in ``letters/fonts/``: DejaVu
Sans for Latin, Greek and Cyrillic, Noto Sans Arabic for Arabic-script text, which is shaped
(arabic-reshaper) and put in display order (python-bidi) first, because reportlab does neither (its own bidi
needs rlbidi, not in the registry; its harfbuzz shaping needs uharfbuzz and still no reordering).

A letter in a right-to-left language (Arabic, Urdu) is laid out mirrored: its text right-aligned, the
letterhead on the left, bullets on the right. Its paragraphs are broken into lines here, in logical order and
measured in the fonts they print in, and each line is then put in display order: reordering a whole paragraph
first would put its last words on its first line.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Image, KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from letters.bsl import BSL_VIDEO_INTRO, qr_png
from letters.content import LetterContent
from letters.languages import ENGLISH, html_lang, label, strip_bidi_controls
from letters.models import LetterFormat

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONTS = {
    "LetterSans": "DejaVuSans.ttf",
    "LetterSans-Bold": "DejaVuSans-Bold.ttf",
    "LetterArabic": "NotoSansArabic-Regular.ttf",
    "LetterArabic-Bold": "NotoSansArabic-Bold.ttf",
}
ARABIC_CHARS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# A run of Arabic-script words, with the spaces and joiners between them.
ARABIC_RUN_RE = re.compile(f"[{ARABIC_CHARS}]+(?:[\\s\u200c\u200d]+[{ARABIC_CHARS}]+)*")
# The first strong character of a line sets its direction (the bidi algorithm's rule P2).
FIRST_STRONG_RE = re.compile(f"[{ARABIC_CHARS}A-Za-z\u00c0-\u024f\u0370-\u04ff]")
_reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, "support_ligatures": False})
_fonts_registered = False


def register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        "LetterSans", normal="LetterSans", bold="LetterSans-Bold", italic="LetterSans", boldItalic="LetterSans-Bold"
    )
    pdfmetrics.registerFontFamily(
        "LetterArabic",
        normal="LetterArabic",
        bold="LetterArabic-Bold",
        italic="LetterArabic",
        boldItalic="LetterArabic-Bold",
    )
    _fonts_registered = True


def _covered(font_name: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font_name).face.charToGlyph


def shape_arabic(run: str) -> str:
    """An Arabic-script run joined into its presentation forms and put in display (right-to-left) order.

    A presentation form the font lacks falls back to its base letter, which prints unjoined but readable.
    """
    return _in_font(get_display(_reshaper.reshape(run)))


def _in_font(shaped: str) -> str:
    out = []
    for char in shaped:
        if char.isspace() or _covered("LetterArabic", char):
            out.append(char)
        else:
            base = unicodedata.normalize("NFKC", char)
            out.append(base if all(_covered("LetterArabic", c) for c in base) else char)
    return "".join(out)


def markup(text: str, *, bold: bool = False) -> str:
    """Plain text as safe paragraph markup: escaped, with Arabic-script runs shaped and set in the Arabic font."""
    register_fonts()
    text = strip_bidi_controls(text)
    arabic_font = "LetterArabic-Bold" if bold else "LetterArabic"
    pieces = []
    position = 0
    for match in ARABIC_RUN_RE.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f'<font face="{arabic_font}">{escape(shape_arabic(match.group(0)))}</font>')
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def _fonts(bold: bool) -> tuple[str, str]:
    return ("LetterSans-Bold", "LetterArabic-Bold") if bold else ("LetterSans", "LetterArabic")


def starts_right_to_left(text: str) -> bool:
    first = FIRST_STRONG_RE.search(text)
    return first is not None and ARABIC_RUN_RE.match(first.group(0)) is not None


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """How wide ``text`` prints at ``size``: Arabic-script runs shaped, in the Arabic font, the rest in the Latin."""
    register_fonts()
    text = strip_bidi_controls(text)
    latin, arabic = _fonts(bold)
    width = 0.0
    position = 0
    for match in ARABIC_RUN_RE.finditer(text):
        width += stringWidth(text[position : match.start()], latin, size)
        width += stringWidth(_in_font(_reshaper.reshape(match.group(0))), arabic, size)
        position = match.end()
    return width + stringWidth(text[position:], latin, size)


def rtl_lines(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """A right-to-left paragraph broken into lines of at most ``width`` points, each still in logical order."""
    space = stringWidth(" ", _fonts(bold)[0], size)
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        wide = text_width(word, size, bold=bold)
        if current and used + space + wide > width:
            lines.append(" ".join(current))
            current, used = [], 0.0
        used += (space if current else 0.0) + wide
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def rtl_markup(line: str, *, bold: bool = False) -> str:
    """One line of a right-to-left paragraph as safe markup, in display order (the Arabic shaped, numbers and
    Latin words left to right inside it), each run in its font."""
    register_fonts()
    latin, arabic = _fonts(bold)
    shown = strip_bidi_controls(get_display(_reshaper.reshape(line), base_dir="R"))
    pieces = []
    position = 0
    for match in ARABIC_RUN_RE.finditer(shown):
        pieces.append(escape(shown[position : match.start()]))
        pieces.append(f'<font face="{arabic}">{escape(_in_font(match.group(0)))}</font>')
        position = match.end()
    pieces.append(escape(shown[position:]))
    return "".join(pieces)


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that would print as empty boxes (none, for the scripts the service supports)."""
    register_fonts()
    missing = set()
    position = 0
    for match in ARABIC_RUN_RE.finditer(text):
        missing |= {c for c in text[position : match.start()] if not c.isspace() and not _covered("LetterSans", c)}
        missing |= {c for c in shape_arabic(match.group(0)) if not c.isspace() and not _covered("LetterArabic", c)}
        position = match.end()
    missing |= {c for c in text[position:] if not c.isspace() and not _covered("LetterSans", c)}
    return missing


@dataclass(frozen=True)
class Layout:
    """Sizes for one format. Large print and easy read keep every piece of text at 16 pt or more."""

    body: float
    leading: float
    space_after: float
    heading: float
    small: float
    block_gap: float


LAYOUTS = {
    LetterFormat.STANDARD: Layout(body=11, leading=15, space_after=8, heading=13, small=9, block_gap=8 * mm),
    LetterFormat.LARGE_PRINT: Layout(body=16, leading=24, space_after=14, heading=19, small=16, block_gap=10 * mm),
    LetterFormat.EASY_READ: Layout(body=16, leading=26, space_after=18, heading=20, small=16, block_gap=10 * mm),
}


class LetterRenderer:
    """Renders a ``LetterContent`` to PDF bytes in its format's layout."""

    page_size = A4
    margin_x = 20 * mm
    margin_top = 18 * mm
    margin_bottom = 22 * mm

    def __init__(self, fmt: str = LetterFormat.STANDARD):
        register_fonts()
        self.format = fmt if fmt in LAYOUTS else LetterFormat.STANDARD
        self.layout = LAYOUTS[self.format]
        self._all_styles: dict[bool, dict[str, ParagraphStyle]] = {False: self._styles(rtl=False)}
        self.styles = self._all_styles[False]
        self.rtl = False
        self.language = ENGLISH
        # The frame's width less its padding: what a paragraph may fill.
        self.text_width = self.page_size[0] - 2 * self.margin_x - 12

    def _styles(self, *, rtl: bool) -> dict[str, ParagraphStyle]:
        """The styles of a letter; mirrored for a right-to-left one (text right, letterhead left)."""
        size = self.layout
        start, end = (TA_RIGHT, TA_LEFT) if rtl else (TA_LEFT, TA_RIGHT)
        base = ParagraphStyle(
            "body",
            fontName="LetterSans",
            fontSize=size.body,
            leading=size.leading,
            spaceAfter=size.space_after,
            alignment=start,
        )
        return {
            "body": base,
            "letterhead_name": ParagraphStyle(
                "lh_name",
                parent=base,
                fontName="LetterSans-Bold",
                fontSize=size.heading,
                leading=size.heading * 1.3,
                spaceAfter=2,
                alignment=end,
            ),
            "letterhead": ParagraphStyle(
                "lh", parent=base, fontSize=size.small, leading=size.small * 1.35, spaceAfter=0, alignment=end
            ),
            "confidential": ParagraphStyle(
                "conf", parent=base, fontName="LetterSans-Bold", spaceAfter=size.leading / 3
            ),
            "address": ParagraphStyle("addr", parent=base, spaceAfter=0),
            "meta": ParagraphStyle("meta", parent=base, spaceAfter=0),
            "subject": ParagraphStyle(
                "subject",
                parent=base,
                fontName="LetterSans-Bold",
                fontSize=size.heading,
                leading=size.heading * 1.35,
                spaceBefore=size.space_after,
                spaceAfter=size.space_after * 1.2,
            ),
            "list": ParagraphStyle("list", parent=base, spaceAfter=size.space_after / 2),
            "signature": ParagraphStyle("sig", parent=base, spaceAfter=0),
            "signature_name": ParagraphStyle("sig_name", parent=base, fontName="LetterSans-Bold", spaceAfter=0),
        }

    def _para(self, text: str, style: str, *, bold: bool = False, indent: float = 0) -> Paragraph:
        style_obj = self.styles[style]
        bold = bold or style_obj.fontName.endswith("Bold")
        if not self.rtl or not starts_right_to_left(text):
            # Left to right (in a right-to-left letter: an address, a name in Latin letters), right-aligned there.
            return Paragraph(markup(text, bold=bold), style_obj)
        # A little short of the full width: reportlab must never break a line of ours again.
        width = (self.text_width - indent) * 0.97
        lines = rtl_lines(text, width, style_obj.fontSize, bold=bold)
        return Paragraph("<br/>".join(rtl_markup(line, bold=bold) for line in lines), style_obj)

    def _label(self, key: str, **values) -> str:
        return label(self.language, key, **values)

    def _use(self, content: LetterContent) -> None:
        self.language = content.language
        self.rtl = content.rtl
        if self.rtl not in self._all_styles:
            self._all_styles[self.rtl] = self._styles(rtl=self.rtl)
        self.styles = self._all_styles[self.rtl]

    def story(self, content: LetterContent) -> list:
        self._use(content)
        size = self.layout
        flow: list = [self._para(content.service_name, "letterhead_name")]
        for line in [*content.service_address, content.service_phone, content.service_email, content.service_website]:
            if line:
                flow.append(self._para(line, "letterhead"))
        flow.append(Spacer(1, size.block_gap))
        flow.append(self._para(self._label("confidential"), "confidential"))
        address = [self._para(content.recipient_name, "address")]
        address += [self._para(line, "address") for line in content.recipient_address]
        flow.append(KeepTogether(address))
        flow.append(Spacer(1, size.block_gap))
        flow.append(self._para(f"{self._label('date')}: {content.letter_date}", "meta"))
        flow.append(self._para(f"{self._label('reference')}: {content.reference}", "meta"))
        flow.append(self._para(content.subject, "subject"))
        for block in content.blocks:
            if block.kind == "list":
                indent = size.body * 1.6
                bullet = {"bulletFontName": "LetterSans", "bulletFontSize": size.body, "leftIndent": indent}
                if self.rtl:
                    bullet = {**bullet, "leftIndent": 0, "rightIndent": indent, "bulletDir": "rtl"}
                items = [
                    ListItem(self._para(item, "list", indent=indent), value="\u2022", **bullet) for item in block.items
                ]
                flow.append(
                    ListFlowable(items, bulletType="bullet", start="\u2022", spaceAfter=size.space_after, **bullet)
                )
            else:
                flow.append(self._para(block.text, "body"))
        if content.bsl_video_url:
            flow.append(self._bsl_video(content.bsl_video_url))
        signature = [
            Spacer(1, size.space_after),
            self._para(content.closing, "signature"),
            Spacer(1, 14 * mm),
            self._para(content.signatory_name, "signature_name"),
            self._para(content.signatory_title, "signature"),
        ]
        if content.signatory_title != content.service_name:
            signature.append(self._para(content.service_name, "signature"))
        flow.append(KeepTogether(signature))
        return flow

    def _bsl_video(self, url: str) -> KeepTogether:
        """The link to the letter's BSL video, and a QR code to it (an image, 35 mm square)."""
        qr = Image(io.BytesIO(qr_png(url)), width=35 * mm, height=35 * mm, hAlign="LEFT")
        return KeepTogether(
            [
                self._para(BSL_VIDEO_INTRO, "body", bold=True),
                self._para(url, "body"),
                qr,
                Spacer(1, self.layout.space_after),
            ]
        )

    def _canvas_class(self, content: LetterContent):
        """A canvas that knows the page count when it saves, so each page says "Page 1 of 2"."""
        renderer = self

        class NumberedCanvas(rl_canvas.Canvas):
            def __init__(self, *args, **kwargs):
                # Without these the canvas starts each page in Helvetica 12, a font the letter never uses.
                kwargs.update(
                    initialFontName="LetterSans",
                    initialFontSize=renderer.layout.body,
                    initialLeading=renderer.layout.leading,
                )
                super().__init__(*args, **kwargs)
                self._page_states: list[dict] = []

            def showPage(self):  # noqa: N802 (reportlab's name)
                self._page_states.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._page_states)
                for state in self._page_states:
                    self.__dict__.update(state)
                    renderer._draw_page_furniture(self, content, total)
                    super().showPage()
                super().save()

        return NumberedCanvas

    def _draw_page_furniture(self, canvas, content: LetterContent, total: int) -> None:
        page = canvas.getPageNumber()
        size = self.layout.small
        width, _ = self.page_size
        canvas.saveState()
        canvas.setFont("LetterSans", size)
        footer = self._label("page", page=page, total=total)
        head = self._label("running_head", reference=content.reference) if page > 1 else ""
        head_y = self.page_size[1] - self.margin_top / 2 - size / 2
        if self.rtl:
            # Shaped and in display order like the text; the running head on the right, where the text starts.
            style = ParagraphStyle("furniture", fontName="LetterSans", fontSize=size, leading=size * 1.2)
            for text, y, right in ((footer, self.margin_bottom / 2, None), (head, head_y, width - self.margin_x - 6)):
                if text:
                    line_width = text_width(text, size) + 1
                    shown = Paragraph(rtl_markup(text), style)
                    shown.wrap(line_width, size * 2)
                    x = (width - line_width) / 2 if right is None else right - line_width
                    shown.drawOn(canvas, x, y - size * 0.2)
        else:
            canvas.drawCentredString(width / 2, self.margin_bottom / 2, footer)
            if head:
                # Frames pad their text by 6 pt: the running head lines up with the text below it.
                canvas.drawString(self.margin_x + 6, head_y, head)
        canvas.restoreState()

    def render(self, content: LetterContent) -> bytes:
        return self.render_with_page_count(content)[0]

    def render_with_page_count(self, content: LetterContent) -> tuple[bytes, int]:
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin_x,
            rightMargin=self.margin_x,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=content.subject,
            author=content.service_name,
            subject=content.reference,
            creator=content.service_name,
            lang=html_lang(content.language),
        )
        doc.build(self.story(content), canvasmaker=self._canvas_class(content))
        return buffer.getvalue(), doc.page
