"""User text and template wording are escaped before they reach reportlab's paragraph markup: markup prints as
typed and runs nothing."""

import io

import pytest
from pypdf import PdfReader

from letters import services
from letters.content import party_recipient
from letters.models import LetterFormat, LetterKind, LetterTemplate
from letters.renderer import LetterRenderer, markup
from rjcases.models import Party
from tests.letters.conftest import files_written, party_data, pdf_text, squash
from tests.walk import refer, to_assessment


def cve_2023_33733_payload(marker) -> str:
    """The published proof of concept for reportlab's rl_safe_eval escape, aimed at a harmless marker file."""
    return (
        "<font color=\"[ [ getattr(pow, Word('__globals__'))['os'].system('touch " + str(marker) + "') "
        "for Word in [ orgTypeFun('Word', (str,), { 'mutated': 1, 'startswith': lambda self, x: 1 == 0, "
        "'__eq__': lambda self, x: self.mutate() and self.mutated < 0 and str(self) == x, "
        "'mutate': lambda self: { setattr(self, 'mutated', self.mutated - 1) }, "
        "'__hash__': lambda self: hash(str(self)), }, ) ] ] and 'red'\">exploit</font>"
    )


PAYLOADS = {
    "ampersand and tag": "Smith & Sons <b>",
    "javascript link": '<a href="javascript:alert(1)">click me</a>',
    "image": '<img src="/etc/passwd" width="400" height="400"/>',
    "remote image": '<img src="http://127.0.0.1:9/x.png"/>',
    "unclosed": "<para><b><i>",
    "entity": "&amp; &lt;b&gt; &#60;",
}


def letter_for(police_referrer, manager, facilitator, **harmed_fields):
    with files_written():
        case = to_assessment(
            refer(
                police_referrer,
                parties=[party_data(Party.Role.HARMED, **harmed_fields), party_data(Party.Role.RESPONSIBLE)],
            ),
            manager,
            facilitator,
        )
    return case.letters.get(kind=LetterKind.RJ_INFORMATION)


def pdf_objects(data: bytes) -> str:
    return data.decode("latin-1")


@pytest.mark.letter_files
@pytest.mark.parametrize("name", PAYLOADS)
def test_markup_in_a_name_and_address_prints_as_typed(police_referrer, manager, facilitator, name):
    payload = PAYLOADS[name]
    letter = letter_for(
        police_referrer, manager, facilitator, last_name=payload[:100], address=f"{payload}\n1 Harmed Street"
    )
    with letter.file.open("rb") as handle:
        data = handle.read()
    text = squash(pdf_text(data))
    assert squash(payload[:100]) in text
    assert squash(f"Dear Amina {payload[:100]},") in text
    raw = pdf_objects(data)
    for link in ("/URI", "/JavaScript", "/Annots"):
        assert link not in raw, "a link was made"
    for image in ("/Subtype /Image", "/XObject"):
        assert image not in raw, "an image was embedded"


@pytest.mark.letter_files
def test_the_cve_2023_33733_payload_prints_as_text_and_runs_nothing(police_referrer, manager, facilitator, tmp_path):
    marker = tmp_path / "pwned"
    payload = cve_2023_33733_payload(marker)
    letter = letter_for(police_referrer, manager, facilitator, address=payload)
    with letter.file.open("rb") as handle:
        text = squash(pdf_text(handle.read()))
    assert squash(payload) in text
    assert not marker.exists()
    # The same payload given to reportlab unescaped is parsed as markup: escaping is what stops it.
    assert markup(payload).startswith("&lt;font color=")


@pytest.mark.letter_files
def test_markup_in_template_wording_prints_as_typed(manager, police_referrer, facilitator):
    services.ensure_default_templates()
    template = LetterTemplate.objects.get(kind=LetterKind.RJ_INFORMATION, format="standard", language="en")
    services.update_template(
        template,
        manager,
        subject="<b>Bold</b> & <font size=40>big</font>",
        body='Dear {{ recipient_name }},\n\nCall <a href="javascript:x()">us</a> & ask.',
        closing="Yours, <i>",
    )
    letter = letter_for(police_referrer, manager, facilitator)
    with letter.file.open("rb") as handle:
        data = handle.read()
    text = squash(pdf_text(data))
    assert squash("<b>Bold</b> & <font size=40>big</font>") in text
    assert squash('Call <a href="javascript:x()">us</a> & ask.') in text
    assert squash("Yours, <i>") in text
    assert "/URI" not in pdf_objects(data)


def test_every_format_renders_hostile_text_without_error(police_referrer, manager, facilitator):
    letter = letter_for(police_referrer, manager, facilitator, last_name="Smith & Sons <b>")
    case = letter.case
    for fmt in LetterFormat.values:
        content, _ = services.render_content(
            case, LetterKind.RJ_INFORMATION, party_recipient(case.parties.get(role=Party.Role.HARMED)), fmt
        )
        reader = PdfReader(io.BytesIO(LetterRenderer(fmt).render(content)))
        assert "Smith & Sons <b>" in reader.pages[0].extract_text()


def test_the_accessible_html_version_escapes_the_same_text(client, police_referrer, manager, facilitator):
    letter = letter_for(
        police_referrer, manager, facilitator, last_name="Smith & Sons <b>", address='<img src="x" onerror="alert(1)">'
    )
    client.force_login(facilitator)
    html = client.get(f"/letters/case/{letter.case.reference}/{letter.pk}/accessible/").content.decode()
    assert "Smith &amp; Sons &lt;b&gt;" in html
    assert "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;" in html
    assert '<img src="x"' not in html
