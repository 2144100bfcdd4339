"""Each kind of letter, rendered and read back with pypdf: its wording, its layout, its formats and scripts."""

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from letters import services
from letters.content import party_recipient, referrer_recipient
from letters.models import LetterFormat, LetterKind
from letters.renderer import LetterRenderer, missing_glyphs
from rjcases import services as case_services
from rjcases.models import Party
from tests.letters.conftest import add_supporter, party_data, pdf_text, squash
from tests.walk import refer, to_agreement

PARTY_KINDS = [k for k in LetterKind.values if k != LetterKind.REFERRAL_ACKNOWLEDGEMENT]


@pytest.fixture
def agreed_case(letters_case, manager, facilitator):
    return to_agreement(letters_case, manager, facilitator, actions=2)


def render(case, kind, recipient, fmt=None) -> bytes:
    content, _ = services.render_content(case, kind, recipient, fmt or recipient.default_format)
    return LetterRenderer(fmt or recipient.default_format).render(content)


def harmed(case) -> Party:
    return case.parties.get(role=Party.Role.HARMED)


def font_sizes(data: bytes) -> set[float]:
    sizes = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        sizes |= {float(s) for s in re.findall(rb"/[A-Za-z0-9+]+ ([\d.]+) Tf", page.get_contents().get_data())}
    return sizes


EXPECTED_WORDS = {
    LetterKind.RJ_INFORMATION: [
        "Restorative justice: information for you",
        "voluntary",
        "withdraw your consent at any time",
        "What happens next",
    ],
    LetterKind.INVITATION: ["An invitation to take part in restorative justice", "Taking part is voluntary"],
    LetterKind.ACTIVITY_CONFIRMATION: [
        "face-to-face conference",
        "Community room, Stretford library",
        "Kieran Responsibleperson (person responsible)",
        "Fay Facilitator (facilitator)",
    ],
    LetterKind.OUTCOME_AGREEMENT: ["Action 1: Kieran Responsibleperson", "How it will be checked: Facilitator checks"],
    LetterKind.CLOSURE: ["is now closed"],
    LetterKind.NOT_SUITABLE: ["not the right way forward"],
    LetterKind.WITHDRAWAL: ["Taking part in restorative justice is always voluntary"],
}


@pytest.mark.parametrize("kind", PARTY_KINDS)
def test_each_kind_to_a_party_prints_its_wording_and_the_layout(agreed_case, kind):
    text = pdf_text(render(agreed_case, kind, party_recipient(harmed(agreed_case))))
    flat = squash(text)
    for words in EXPECTED_WORDS[kind]:
        assert squash(words) in flat, f"{words!r} missing from the {kind} letter"
    for words in [
        "Trafford Restorative Justice Service",
        "0161 496 0000",
        "Private and confidential",
        "Amina Harmedperson",
        "1 Harmed Street",
        "M32 0AA",
        f"Our reference: {agreed_case.reference}",
        "Dear Amina Harmedperson,",
        "Yours sincerely,",
        "Fay Facilitator",
        "Page 1 of",
    ]:
        assert squash(words) in flat, f"{words!r} missing from the {kind} letter"


def test_the_activity_confirmation_gives_date_time_and_interpreter(letters_case, manager, facilitator):
    from datetime import datetime

    from django.utils import timezone

    from tests.walk import plan_activity, to_preparation

    case = to_preparation(letters_case, manager, facilitator)
    when = timezone.make_aware(datetime(2026, 12, 8, 14, 30))
    plan_activity(case, facilitator, scheduled_for=when, interpreter_booked=True, interpreter_language="Polish")
    text = squash(pdf_text(render(case, LetterKind.ACTIVITY_CONFIRMATION, party_recipient(harmed(case)))))
    assert squash("Date: Tuesday 8 December 2026") in text
    assert squash("Time: 2:30pm") in text
    assert squash("We have booked an interpreter (Polish).") in text


def test_the_referral_acknowledgement_has_accept_and_decline_wording(letters_case, manager, facilitator):
    from tests.walk import to_assessment

    declined_case = case_services.case_decline(refer(letters_case.referred_by), manager, reason="Outside the borough")
    accepted = to_assessment(letters_case, manager, facilitator)

    accept_text = squash(pdf_text(render(accepted, LetterKind.REFERRAL_ACKNOWLEDGEMENT, referrer_recipient(accepted))))
    decline_text = squash(
        pdf_text(render(declined_case, LetterKind.REFERRAL_ACKNOWLEDGEMENT, referrer_recipient(declined_case)))
    )
    assert squash("We have accepted the referral") in accept_text
    assert squash("Pat Police") in accept_text
    assert squash("Test Police Trafford") in accept_text
    assert squash("not able to accept it. The reason is: Outside the borough") in decline_text
    assert squash("We have accepted") not in decline_text


def test_a_long_letter_numbers_its_pages_page_x_of_y(agreed_case):
    recipient = party_recipient(harmed(agreed_case))
    data = render(agreed_case, LetterKind.RJ_INFORMATION, recipient, LetterFormat.LARGE_PRINT)
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    assert "private and confidential" in reader.pages[1].extract_text()
    assert all(
        abs(float(p.mediabox.width) - 595.27) < 1 and abs(float(p.mediabox.height) - 841.89) < 1 for p in reader.pages
    ), "letters are A4"


@pytest.mark.parametrize("fmt", [LetterFormat.LARGE_PRINT, LetterFormat.EASY_READ])
def test_large_print_and_easy_read_never_print_below_16_point(agreed_case, fmt):
    for kind in PARTY_KINDS:
        sizes = font_sizes(render(agreed_case, kind, party_recipient(harmed(agreed_case)), fmt))
        assert sizes, f"no text in the {kind} letter"
        assert min(sizes) >= 16, f"{kind} in {fmt} uses {sorted(sizes)}"


def test_standard_print_is_smaller_and_large_print_has_wider_line_spacing(agreed_case):
    from letters.renderer import LAYOUTS

    recipient = party_recipient(harmed(agreed_case))
    assert min(font_sizes(render(agreed_case, LetterKind.RJ_INFORMATION, recipient, LetterFormat.STANDARD))) < 16
    large = LAYOUTS[LetterFormat.LARGE_PRINT]
    assert large.leading / large.body >= 1.5 > LAYOUTS[LetterFormat.STANDARD].leading / 11


def test_easy_read_uses_its_own_simpler_wording(agreed_case):
    recipient = party_recipient(harmed(agreed_case))
    easy = squash(pdf_text(render(agreed_case, LetterKind.RJ_INFORMATION, recipient, LetterFormat.EASY_READ)))
    standard = squash(pdf_text(render(agreed_case, LetterKind.RJ_INFORMATION, recipient, LetterFormat.STANDARD)))
    assert squash("You choose if you want to take part.") in easy
    assert squash("You choose if you want to take part.") not in standard


def test_the_format_follows_the_recipients_communication_needs(police_referrer, manager):
    case = refer(
        police_referrer,
        parties=[party_data(Party.Role.HARMED, large_print=True), party_data(Party.Role.RESPONSIBLE, easy_read=True)],
    )
    add_supporter(case, manager)
    formats = {p.role: party_recipient(p).default_format for p in case.parties.all()}
    assert formats == {
        Party.Role.HARMED: LetterFormat.LARGE_PRINT,
        Party.Role.RESPONSIBLE: LetterFormat.EASY_READ,
        Party.Role.SUPPORTER: LetterFormat.STANDARD,
    }


# ---------------------------------------------------------------------------------------------------
# Scripts

NAMES = {
    "Polish": ("Łucja", "Wąsowska-Żółć"),
    "Turkish": ("Gökhan", "Yağız"),
    "Vietnamese": ("Nguyễn", "Thị Hường"),
    "Russian": ("Дмитрий", "Иванов"),
    "Greek": ("Γιώργος", "Παπαδόπουλος"),
    "Arabic": ("محمد", "عبد الله"),
    "Urdu": ("عمران", "ٹیپو چوہدری"),
    "Urdu with heh goal and yeh barree": ("فاطمہ", "شہزادے"),
}


@pytest.mark.parametrize("language", NAMES)
@pytest.mark.parametrize("fmt", [LetterFormat.STANDARD, LetterFormat.EASY_READ])
def test_names_in_every_script_print_and_extract_back_as_typed(police_referrer, language, fmt):
    first, last = NAMES[language]
    case = refer(
        police_referrer,
        parties=[
            party_data(Party.Role.HARMED, first_name=first, last_name=last, address=f"{last} House\n12 Street"),
            party_data(Party.Role.RESPONSIBLE),
        ],
    )
    party = harmed(case)
    text = pdf_text(render(case, LetterKind.RJ_INFORMATION, party_recipient(party), fmt))
    normalised = unicodedata.normalize("NFKC", text)
    assert unicodedata.normalize("NFKC", f"{first} {last}") in normalised, normalised[:400]
    assert unicodedata.normalize("NFKC", f"{last} House") in normalised
    assert missing_glyphs(f"Dear {first} {last},") == set(), "a character would print as an empty box"


def test_characters_the_fonts_lack_are_reported():
    assert missing_glyphs("Emoji 🙂") == {"🙂"}


# ---------------------------------------------------------------------------------------------------
# qpdf

QPDF = shutil.which("qpdf")


@pytest.mark.skipif(QPDF is None, reason="qpdf is not installed (Debian package qpdf; .ci/run installs it)")
@pytest.mark.parametrize("fmt", LetterFormat.values)
def test_every_kind_in_every_format_passes_qpdf_check(agreed_case, fmt, tmp_path):
    failures = []
    for kind in LetterKind.values:
        recipient = (
            referrer_recipient(agreed_case)
            if kind == LetterKind.REFERRAL_ACKNOWLEDGEMENT
            else party_recipient(harmed(agreed_case))
        )
        path = tmp_path / f"{kind}-{fmt}.pdf"
        path.write_bytes(render(agreed_case, kind, recipient, fmt))
        result = subprocess.run([QPDF, "--check", str(path)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            failures.append(f"{kind}: {result.stdout}{result.stderr}")
    assert not failures, "\n".join(failures)
