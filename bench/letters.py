"""Benchmark of letter generation, in one run:

1. ours: ``letters.services.generate_letter`` end to end, from the template in the database to the stored file
   (facts, wording, layout, PDF, SHA-256, file write, the Letter row and its history);
2. reportlab direct: the same content laid out with plain reportlab calls written here (same fonts, same page
   numbering), no database and no file: the floor our end-to-end time is held to (within 2x);
3. WeasyPrint: the same letter rendered from its accessible HTML version, for reference.

Run:  .venv/bin/python bench/letters.py [--runs 20]
It builds its own in-memory SQLite database and a temporary MEDIA_ROOT, and exits 1 when any kind is more
than 2x the direct reportlab time.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("DATABASE_URL", None)
os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-letters-")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

LIMIT = 2.0


def build_cases():
    """One case per ending, walked through the real services (their transitions make letters too)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.models import Organisation, Partnership, User
    from conferences import services as conference_services
    from rjcases import services
    from rjcases.models import Party
    from tests.walk import refer, to_agreement, to_assessment

    roles.ensure_roles()
    rj = Organisation.objects.create(name="Bench RJ Service", kind=Organisation.Kind.RJ_SERVICE)
    police = Organisation.objects.create(
        name="Bench Police", kind=Organisation.Kind.POLICE, address="Police Station\n1 Station Road\nStretford\nM32 0PP"
    )

    def user(username, role, organisation, first, last):
        person = User.objects.create_user(
            username=username,
            password="bench-password-123",
            first_name=first,
            last_name=last,
            organisation=organisation,
        )
        person.groups.add(Group.objects.get(name=role))
        person.partnerships.add(*Partnership.objects.all())  # the bench's cases are in whichever there are
        return person

    manager = user("bench_manager", roles.MANAGER, rj, "Mona", "Manager")
    facilitator = user("bench_facilitator", roles.FACILITATOR, rj, "Fay", "Facilitator")
    referrer = user("bench_police", roles.POLICE_REFERRER, police, "Pat", "Police")

    def new_case():
        return refer(
            referrer,
            parties=[
                services.PartyData(
                    Party.Role.HARMED,
                    "Amina",
                    "Harmedperson",
                    {"address": "1 Harmed Street\nStretford", "postcode": "M32 0AA"},
                ),
                services.PartyData(
                    Party.Role.RESPONSIBLE,
                    "Kieran",
                    "Responsibleperson",
                    {"address": "2 Responsible Road\nSale", "postcode": "M33 7BB"},
                ),
            ],
        )

    agreed = to_agreement(new_case(), manager, facilitator, actions=3)
    completed = to_agreement(new_case(), manager, facilitator, actions=1)
    for action in completed.current_agreement.actions.all():
        conference_services.mark_action_done(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="Seen", told_method="phone"
        )
    completed = services.case_complete(completed, facilitator, summary="Done")
    unsuitable = services.case_find_unsuitable(
        to_assessment(new_case(), manager, facilitator), facilitator, reason="Not suitable"
    )
    withdrawn = services.case_withdraw(
        to_assessment(new_case(), manager, facilitator), facilitator, withdrawn_by="harmed", reason="Changed their mind"
    )
    return facilitator, {
        "referral_acknowledgement": (agreed, "referrer"),
        "rj_information": (agreed, "harmed"),
        "invitation": (agreed, "responsible"),
        "activity_confirmation": (agreed, "harmed"),
        "outcome_agreement": (agreed, "harmed"),
        "closure": (completed, "harmed"),
        "not_suitable": (unsuitable, "harmed"),
        "withdrawal": (withdrawn, "harmed"),
    }


# ---------------------------------------------------------------------------------------------------
# The same content, laid out with reportlab directly


def reportlab_direct(content) -> bytes:
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

    body = ParagraphStyle("b", fontName="LetterSans", fontSize=11, leading=15, spaceAfter=8)
    bold = ParagraphStyle("bb", parent=body, fontName="LetterSans-Bold")
    head = ParagraphStyle("h", parent=bold, fontSize=13, leading=17.5, alignment=TA_RIGHT, spaceAfter=2)
    right = ParagraphStyle("r", parent=body, fontSize=9, leading=12, alignment=TA_RIGHT, spaceAfter=0)
    tight = ParagraphStyle("t", parent=body, spaceAfter=0)

    story = [Paragraph(escape(content.service_name), head)]
    story += [
        Paragraph(escape(line), right)
        for line in [*content.service_address, content.service_phone, content.service_email]
        if line
    ]
    story += [
        Spacer(1, 8 * mm),
        Paragraph("Private and confidential", bold),
        KeepTogether([Paragraph(escape(x), tight) for x in [content.recipient_name, *content.recipient_address]]),
        Spacer(1, 8 * mm),
        Paragraph(escape(f"Date: {content.letter_date}"), tight),
        Paragraph(escape(f"Our reference: {content.reference}"), tight),
        Paragraph(escape(content.subject), ParagraphStyle("s", parent=bold, fontSize=13, leading=17.5)),
    ]
    for block in content.blocks:
        if block.kind == "list":
            story.append(
                ListFlowable(
                    [ListItem(Paragraph(escape(i), body), value="\u2022") for i in block.items],
                    bulletType="bullet",
                    start="\u2022",
                    bulletFontName="LetterSans",
                    bulletFontSize=11,
                )
            )
        else:
            story.append(Paragraph(escape(block.text), body))
    story.append(
        KeepTogether(
            [
                Paragraph(escape(content.closing), tight),
                Spacer(1, 14 * mm),
                Paragraph(escape(content.signatory_name), bold),
                Paragraph(escape(content.signatory_title), tight),
            ]
        )
    )

    class Numbered(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            kwargs.update(initialFontName="LetterSans", initialFontSize=11, initialLeading=15)
            super().__init__(*args, **kwargs)
            self.pages = []

        def showPage(self):  # noqa: N802
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for state in self.pages:
                self.__dict__.update(state)
                self.setFont("LetterSans", 9)
                self.drawCentredString(A4[0] / 2, 11 * mm, f"Page {self.getPageNumber()} of {len(self.pages)}")
                super().showPage()
            super().save()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=22 * mm
    ).build(story, canvasmaker=Numbered)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------
# The same letter from its HTML version, with WeasyPrint


def weasyprint_renderer():
    try:
        import weasyprint
    except (ImportError, OSError) as problem:  # OSError: Pango missing
        return None, f"WeasyPrint unavailable: {problem}"
    from django.template.loader import render_to_string

    fonts = ROOT / "letters" / "fonts"
    css = weasyprint.CSS(
        string=f"""
        @font-face {{ font-family: LetterSans; src: url("file://{fonts / "DejaVuSans.ttf"}"); }}
        @font-face {{ font-family: LetterSans; font-weight: bold; src: url("file://{fonts / "DejaVuSans-Bold.ttf"}"); }}
        @page {{ size: A4; margin: 18mm 20mm 22mm 20mm;
                 @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font: 9pt LetterSans; }} }}
        body {{ font: 11pt/15pt LetterSans; }} header {{ text-align: right; }}
        h1, h2, h3 {{ font-size: 13pt; }}
    """
    )

    def render(content) -> bytes:
        html = render_to_string("letters/_letter_content.html", {"content": content, "heading_level": 1})
        return weasyprint.HTML(string=f"<html lang='en-GB'><body>{html}</body></html>").write_pdf(stylesheets=[css])

    return render, f"WeasyPrint {weasyprint.__version__}"


def mark_all_sent(user, letters) -> None:
    from letters import services

    services.mark_sent(user, list(letters))


def timed(functions: list, runs: int, before=None) -> list[float]:
    """Median milliseconds of each function, run in turn (A, B, A, B, ...) so that both see the same load;
    ``before`` runs untimed ahead of each round."""
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        if before is not None:
            before()
        for i, function in enumerate(functions):
            started = time.perf_counter()
            function()
            samples[i].append(time.perf_counter() - started)
    return [statistics.median(s) * 1000 for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per kind and method (median reported)")
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from letters import services
    from letters.content import party_recipient, recipient_for
    from letters.models import Letter
    from letters.renderer import LetterRenderer, register_fonts
    from rjcases.models import Party

    register_fonts()
    facilitator, cases = build_cases()
    weasy, weasy_label = weasyprint_renderer()
    # Long-lived objects (Django, the parsed fonts) out of the garbage collector's way, as a preloaded server
    # process would have them: both methods measured are spared the same full collections.
    gc.collect()
    gc.freeze()

    import platform

    import reportlab

    print(
        f"Python {platform.python_version()}, reportlab {reportlab.Version}, {weasy_label}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs; standard format"
    )
    print(
        f"{'kind':26} {'ours, new':>13} {'reportlab direct':>16} {'ratio':>6} {'ours, replacing':>17} "
        f"{'WeasyPrint':>12}  pages"
    )
    failed = []
    for kind, (case, who) in cases.items():
        if who == "referrer":
            recipient = recipient_for(case, "referrer")
        else:
            recipient = party_recipient(
                case.parties.get(role=Party.Role.HARMED if who == "harmed" else Party.Role.RESPONSIBLE)
            )
        content, _ = services.render_content(case, kind, recipient, "standard")
        assert LetterRenderer("standard").render(content)[:5] == b"%PDF-"

        ours = partial(
            services.generate_letter, case, facilitator, kind=kind, recipient_key=recipient.key, fmt="standard"
        )
        letter = ours()
        reportlab_direct(content)
        # Each timed generation makes a new version; the one before it is marked sent first (untimed), so the
        # run measures making a letter, not also replacing a pending one (measured on its own after).
        pending = Letter.objects.filter(case=case, kind=kind, recipient_key=recipient.key, status=Letter.Status.PENDING)
        ours_ms, direct_ms = timed(
            [ours, partial(reportlab_direct, content)], args.runs, before=partial(mark_all_sent, facilitator, pending)
        )
        replace_ms = timed([ours], max(3, args.runs // 2))[0]
        weasy_ms = timed([partial(weasy, content)], max(3, args.runs // 4))[0] if weasy else float("nan")
        ratio = ours_ms / direct_ms
        if ratio > LIMIT:
            failed.append(kind)
        print(
            f"{kind:26} {ours_ms:10.1f} ms {direct_ms:13.1f} ms {ratio:5.2f}x {replace_ms:14.1f} ms "
            f"{weasy_ms:9.1f} ms  {letter.pages}"
        )
    if failed:
        print(f"FAIL: more than {LIMIT}x the direct reportlab time: {', '.join(failed)}")
        return 1
    print(f"OK: every kind within {LIMIT}x of reportlab building the same content directly.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
