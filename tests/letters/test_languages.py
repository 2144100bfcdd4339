"""Letters in the person's language: Welsh wording for a Welsh speaker, Arabic shaped and right to left for an
Arabic speaker, and English flagged "translation needed" (held from the print run until released) for a
language the service has no wording in.

How the Arabic is compared, honestly: pypdf reorders right-to-left text itself, by a heuristic of its own (it
reverses each run of Arabic characters it meets inside one text operator). That would hide what the PDF really
holds, so ``drawn_lines`` switches the heuristic off and reads each line's characters in the order they are
drawn, left to right. The test then undoes the display order by the rule of the Unicode bidi algorithm for a
right-to-left line, written out here (not the library the renderer uses): the whole line reversed, runs of
left-to-right characters (numbers, Latin words, a phone number) put back the right way round, mirrored brackets
swapped back. NFKC turns the presentation forms (the joined letter shapes the PDF prints) into the letters
typed; what is left must equal the name and the wording.
"""

import io
import re
import unicodedata
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from letters import services
from letters.languages import wanted_language
from letters.models import Letter, LetterKind, LetterTemplate
from letters.selectors import letters_for_timeline
from letters.wording import WORDING_DIR, default_wording
from rjcases.exceptions import ActionRefused
from rjcases.models import Party
from tests.letters.conftest import files_written, letter_text, party_data, squash
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.letter_files

ARABIC_NAME = ("أمينة", "حسن")
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_LETTERS = re.compile("[\u0621-\u064a]")
RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
LTR_RUN = re.compile(r"[A-Za-z0-9@](?:[A-Za-z0-9@ .\-_:+/]*[A-Za-z0-9@])?")
MIRRORED = str.maketrans("()[]<>{}", ")(][><}{")
CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def case_with(police_referrer, manager, facilitator, **harmed):
    """A case accepted with its first letters written, to a person harmed with these details."""
    case = refer(police_referrer, parties=[party_data(Party.Role.HARMED, **harmed), party_data(Party.Role.RESPONSIBLE)])
    with files_written():
        return to_assessment(case, manager, facilitator)


def rj_information(case) -> Letter:
    return case.letters.get(kind=LetterKind.RJ_INFORMATION)


def drawn_lines(data: bytes) -> list[str]:
    """The PDF's text lines with each line's characters in the order they are drawn (pypdf's own right-to-left
    reordering switched off for the call)."""
    import pypdf._text_extraction as extraction

    saved = extraction.RTL_CHARACTER_PATTERN, extraction.is_char_rtl
    extraction.RTL_CHARACTER_PATTERN, extraction.is_char_rtl = re.compile("(?!)"), lambda *args, **kwargs: False
    try:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    finally:
        extraction.RTL_CHARACTER_PATTERN, extraction.is_char_rtl = saved
    return [line.strip() for line in text.splitlines() if line.strip()]


def logical(line: str) -> str:
    """A right-to-left line back in the order it was typed: reversed, its left-to-right runs put back."""
    if not RTL.search(line):
        return line
    backwards = unicodedata.normalize("NFKC", line)[::-1].translate(MIRRORED)
    return LTR_RUN.sub(lambda run: run.group(0)[::-1].translate(MIRRORED), backwards)


def pdf_bytes(letter) -> bytes:
    letter.refresh_from_db()
    with letter.file.open("rb") as handle:
        return handle.read()


def words(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", CONTROLS.sub("", text)).split())


# ---------------------------------------------------------------------------------------------------
# The recorded language read as a code


@pytest.mark.parametrize(
    ("recorded", "code", "name"),
    [
        ("Welsh", "cy", "Welsh"),
        ("Cymraeg", "cy", "Welsh"),
        (" cy ", "cy", "Welsh"),
        ("Arabic (Egyptian)", "ar", "Arabic"),
        ("العربية", "ar", "Arabic"),
        ("Polish only", "pl", "Polish"),
        ("urdu", "ur", "Urdu"),
        ("English", "en", "English"),
        ("", "en", "English"),
        ("BSL", "en", "English"),
        ("British Sign Language", "en", "English"),
        ("Klingon", None, "Klingon"),
    ],
)
def test_a_recorded_language_is_read_as_a_language_code(recorded, code, name):
    wanted = wanted_language(recorded)
    assert (wanted.code, wanted.name) == (code, name)


# ---------------------------------------------------------------------------------------------------
# Welsh


def test_a_welsh_speaker_gets_their_letter_in_welsh(police_referrer, manager, facilitator):
    case = case_with(police_referrer, manager, facilitator, language="Cymraeg")
    letter = rj_information(case)
    assert (letter.language, letter.translation_needed, letter.template.language) == ("cy", "", "cy")
    text = squash(letter_text(letter))
    shipped = default_wording(LetterKind.RJ_INFORMATION, "", "standard", "cy")
    assert squash(shipped.subject) in text
    assert squash("Annwyl Amina Harmedperson,") in text
    # Every paragraph of the Welsh wording, filled in, is in the PDF; and the frame is in Welsh too.
    for block in letter.content["blocks"]:
        for piece in [block["text"], *block["items"]]:
            assert squash(piece) in text
    assert squash("Mae cymryd rhan yn wirfoddol. Gallwch newid eich meddwl") in text
    assert squash("Fay Facilitator fydd yn cysylltu â chi") in text
    for frame in ("Preifat a chyfrinachol", "Ein cyfeirnod:", "Tudalen 1 o", "Yn gywir,"):
        assert squash(frame) in text
    assert "Private and confidential" not in letter_text(letter)
    # The person responsible recorded no language: their invitation is in English.
    invitation = case.letters.get(kind=LetterKind.INVITATION)
    assert invitation.language == "en"
    assert "An invitation to take part" in letter_text(invitation)


def test_welsh_dates_use_welsh_month_names(police_referrer, manager, facilitator):
    case = case_with(police_referrer, manager, facilitator, language="Welsh")
    letter = rj_information(case)
    months = "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr".split()
    assert letter.content["letter_date"].split()[1] in months


def test_the_accessible_version_carries_the_language_and_direction(client, police_referrer, manager, facilitator):
    welsh = rj_information(case_with(police_referrer, manager, facilitator, language="Welsh"))
    client.force_login(facilitator)
    page = client.get(reverse("letters:accessible", args=[welsh.case.reference, welsh.pk])).content.decode()
    assert '<article class="rj-letter" aria-labelledby="letter-subject" lang="cy-GB" dir="ltr">' in page
    assert "Preifat a chyfrinachol" in page
    english = welsh.case.letters.get(kind=LetterKind.INVITATION)
    page = client.get(reverse("letters:accessible", args=[english.case.reference, english.pk])).content.decode()
    assert 'lang="en-GB" dir="ltr"' in page


# ---------------------------------------------------------------------------------------------------
# Arabic


@pytest.fixture
def arabic_letter(police_referrer, manager, facilitator) -> Letter:
    first, last = ARABIC_NAME
    case = case_with(police_referrer, manager, facilitator, first_name=first, last_name=last, language="Arabic")
    return rj_information(case)


def test_an_arabic_speaker_gets_their_letter_in_arabic(arabic_letter):
    assert (arabic_letter.language, arabic_letter.translation_needed) == ("ar", "")
    content = arabic_letter.content
    assert content["language"] == "ar"
    shipped = default_wording(LetterKind.RJ_INFORMATION, "", "standard", "ar")
    assert content["subject"] == shipped.subject


def test_the_arabic_letter_is_shaped(arabic_letter):
    """Joined letter forms are printed, never the bare letters (which would show unjoined)."""
    drawn = "".join(drawn_lines(pdf_bytes(arabic_letter)))
    assert PRESENTATION_FORMS.search(drawn)
    assert not ARABIC_LETTERS.search(drawn)


def test_the_arabic_letter_reads_right_to_left_as_the_name_and_wording(arabic_letter):
    lines = [logical(line) for line in drawn_lines(pdf_bytes(arabic_letter))]
    text = words(" ".join(lines))
    name = " ".join(ARABIC_NAME)
    assert name in [words(line) for line in lines]  # the address block's first line
    assert words(f"إلى {name}،") in text
    for block in arabic_letter.content["blocks"]:
        for piece in [block["text"], *block["items"]]:
            assert words(piece) in text
    # The phone number keeps its own order inside the right-to-left sentence.
    assert "0161 496 0000" in text
    # The frame's page number in Arabic ("page 1 of N": the privacy notice's line can take the letter to a second page).
    assert any(words(f"صفحة 1 من {pages}") in text for pages in (1, 2, 3))


def test_the_arabic_letter_is_laid_out_mirrored(arabic_letter):
    """Its text starts at the right margin and the letterhead sits on the left: the English letter's mirror."""
    positions: dict[str, float] = {}

    def seen(text, cm, tm, font, size):
        x = tm[4] * cm[0] + cm[4]
        key = unicodedata.normalize("NFKC", text).strip()
        if key:
            positions.setdefault(key, x)

    PdfReader(io.BytesIO(pdf_bytes(arabic_letter))).pages[0].extract_text(visitor_text=seen)
    width = 595.27
    service = next(x for text, x in positions.items() if text.startswith(arabic_letter.content["service_name"]))
    subject_start = max(x for text, x in positions.items() if "معلومات" in text)
    assert service < width / 3  # letterhead on the left
    assert subject_start > width / 3  # the subject, right-aligned, starts well right of the left margin


# ---------------------------------------------------------------------------------------------------
# A language with no wording: English, flagged and held


@pytest.fixture
def polish_case(police_referrer, manager, facilitator):
    return case_with(police_referrer, manager, facilitator, language="Polish")


def test_a_polish_speaker_gets_english_flagged_translation_needed(polish_case, client, facilitator):
    letter = rj_information(polish_case)
    assert (letter.language, letter.translation_needed, letter.translation) == ("en", "Polish", "")
    assert letter.held_for_translation
    assert not letter.printable
    assert "Restorative justice: information for you" in letter_text(letter)
    assert "translation needed: Polish" in letter.history.earliest().history_change_reason
    client.force_login(facilitator)
    page = client.get(reverse("rjcases:letters", args=[polish_case.reference])).content.decode()
    assert 'data-testid="case-translation-needed"' in page
    assert "Translation needed: Polish" in page
    timeline = [what for _, what, _ in letters_for_timeline(polish_case, facilitator)]
    assert any("in English: translation needed: Polish" in what for what in timeline)
    harmed = polish_case.parties.get(role=Party.Role.HARMED)
    shown = client.post(
        reverse("letters:generate", args=[polish_case.reference]),
        {"kind": LetterKind.RJ_INFORMATION, "recipient": f"party-{harmed.pk}", "format": "", "action": "preview"},
    ).content.decode()
    assert 'data-testid="preview-translation-needed"' in shown
    assert "Translation needed: Polish" in shown


def test_the_print_run_holds_it_until_released(polish_case, client, facilitator):
    letter = rj_information(polish_case)
    client.force_login(facilitator)
    run = client.get(reverse("letters:print_run"))
    assert letter in run.context["held"]
    assert letter not in run.context["letters"]
    pdf = client.get(reverse("letters:print_run_pdf"))
    printed = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Restorative justice: information for you" not in printed  # the invitation to Kieran is printed
    assert services.mark_sent(facilitator, [letter]) == (0, 1)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PENDING

    response = client.post(
        reverse("letters:translation", args=[polish_case.reference, letter.pk]), {"resolution": "copy_attached"}
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.translation, letter.translation_resolved_by) == ("copy_attached", facilitator)
    assert letter.printable
    assert letter.history.latest().history_change_reason == "translated copy (Polish) attached"
    run = client.get(reverse("letters:print_run"))
    assert letter in run.context["letters"]
    # Next to the released letter, the person's needs flag: their language is not English.
    flag = re.search(rf'data-testid="needs-flag" data-party="{letter.party_id}">(.*?)</td>', run.content.decode(), re.S)
    assert flag is not None
    assert 'data-need="language">Language: Polish<' in flag.group(1)
    timeline = [what for _, what, _ in letters_for_timeline(polish_case, facilitator)]
    assert any("translated copy (Polish) attached by Fay Facilitator" in what for what in timeline)
    assert services.mark_sent(facilitator, [letter]) == (1, 0)


def test_sending_in_english_can_be_confirmed_instead(polish_case, facilitator):
    letter = services.resolve_translation(rj_information(polish_case), facilitator, "send_in_english")
    assert letter.printable
    assert letter.get_translation_display() == "Sending in English confirmed"
    assert letter.history.latest().history_change_reason == "sending in English confirmed (wanted in Polish)"


def test_only_the_cases_facilitators_and_managers_release_a_held_letter(polish_case, other_facilitator, facilitator):
    letter = rj_information(polish_case)
    versions = letter.history.count()
    with pytest.raises(ActionRefused):
        services.resolve_translation(letter, other_facilitator, "copy_attached")
    letter.refresh_from_db()
    assert (letter.translation, letter.history.count()) == ("", versions)
    services.resolve_translation(letter, facilitator, "copy_attached")
    with pytest.raises(services.LetterRefused, match="not waiting for a translation"):
        services.resolve_translation(letter, facilitator, "send_in_english")


def test_a_letter_in_the_persons_language_is_not_held(police_referrer, manager, facilitator):
    letter = rj_information(case_with(police_referrer, manager, facilitator, language="Welsh"))
    assert not letter.held_for_translation
    assert letter.printable
    with pytest.raises(services.LetterRefused):
        services.resolve_translation(letter, facilitator, "copy_attached")


# ---------------------------------------------------------------------------------------------------
# Wording per language: placeholder checks and history


@pytest.fixture
def welsh_closure(db):
    services.ensure_default_templates()
    return LetterTemplate.objects.get(kind=LetterKind.CLOSURE, format="standard", language="cy")


def test_every_kind_ships_welsh_and_the_first_letters_ship_arabic(db):
    services.ensure_default_templates()
    english = set(LetterTemplate.objects.filter(language="en").values_list("kind", "variant", "format"))
    welsh = set(LetterTemplate.objects.filter(language="cy").values_list("kind", "variant", "format"))
    assert welsh == english
    arabic = set(LetterTemplate.objects.filter(language="ar").values_list("kind", flat=True))
    assert {LetterKind.RJ_INFORMATION, LetterKind.INVITATION} <= arabic
    assert sorted(path.name for path in (WORDING_DIR / "cy").iterdir()) == sorted(
        path.name for path in WORDING_DIR.glob("*.txt")
    )


def test_wording_missing_a_placeholder_in_one_language_is_refused_naming_the_language(welsh_closure, manager):
    before = (welsh_closure.body, welsh_closure.version, welsh_closure.history.count())
    body = welsh_closure.body.replace("{{ case_reference }}", "yr achos")
    with pytest.raises(ValidationError) as refused:
        services.update_template(
            welsh_closure, manager, subject=welsh_closure.subject, body=body, closing=welsh_closure.closing
        )
    message = " ".join(refused.value.messages)
    assert "The Welsh wording is missing {{ case_reference }}" in message
    welsh_closure.refresh_from_db()
    assert (welsh_closure.body, welsh_closure.version, welsh_closure.history.count()) == before


def test_an_unknown_placeholder_in_welsh_wording_names_the_language(welsh_closure, manager):
    with pytest.raises(ValidationError) as refused:
        services.update_template(
            welsh_closure,
            manager,
            subject=welsh_closure.subject,
            closing=welsh_closure.closing,
            body=welsh_closure.body + "\n\n{{ maint_esgid }}",
        )
    assert any(m.startswith("Welsh wording: Unknown placeholder {{ maint_esgid }}") for m in refused.value.messages)


def test_welsh_wording_has_its_own_versions_and_history(welsh_closure, manager):
    english = LetterTemplate.objects.get(kind=LetterKind.CLOSURE, format="standard", language="en")
    english_before = (english.version, english.history.count())
    saved = services.update_template(
        welsh_closure, manager, subject=welsh_closure.subject, closing="Yn gywir iawn,", body=welsh_closure.body
    )
    assert (saved.version, saved.history.count(), saved.history.latest().history_user) == (2, 2, manager)
    english.refresh_from_db()
    assert (english.version, english.history.count()) == english_before


def test_a_manager_adds_wording_in_another_language(client, manager, db):
    services.ensure_default_templates()
    english = LetterTemplate.objects.get(kind=LetterKind.WITHDRAWAL, format="standard", language="en")
    url = reverse("letters:template_add_language", args=[english.pk])
    client.force_login(manager)
    page = client.get(url)
    assert ("pl", "Polish (Polski)") in page.context["form"].fields["language"].choices
    assert "cy" not in dict(page.context["form"].fields["language"].choices)  # Welsh exists: edit it instead
    polish = {
        "language": "pl",
        "subject": "Sprawiedliwość naprawcza została zakończona",
        "closing": "Z poważaniem,",
        "body": "Szanowni Państwo {{ recipient_name }},\n\nSprawa {{ case_reference }} zakończyła się {{ closed_on }}.",
    }
    refused = client.post(url, {**polish, "action": "save"})
    assert refused.status_code == 200
    assert "The Polish wording is missing {{ service_email }}, {{ service_phone }}" in refused.content.decode()
    assert not LetterTemplate.objects.filter(language="pl").exists()
    polish["body"] += "\n\nTelefon: {{ service_phone }}, e-mail: {{ service_email }}."
    saved = client.post(url, {**polish, "action": "save"})
    template = LetterTemplate.objects.get(kind=LetterKind.WITHDRAWAL, language="pl")
    assert saved.status_code == 302
    assert (template.version, template.history.count()) == (1, 1)
    assert template.history.latest().history_change_reason == "added"


def test_only_managers_add_wording(facilitator, db):
    with pytest.raises(ActionRefused):
        services.add_template(
            facilitator, kind="closure", variant="", fmt="standard", language="pl", subject="x", body="y", closing="z"
        )


def test_the_shipped_wording_files_are_utf8_text():
    for path in Path(WORDING_DIR).rglob("*.txt"):
        assert "\ufffd" not in path.read_text(encoding="utf-8")
