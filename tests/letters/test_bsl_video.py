"""British Sign Language videos: a manager sets a link (https only, with history) per kind of letter; a letter to a
person who uses BSL prints the link and a QR code that decodes to it (read back out of the PDF with pypdf and
zbar), and its accessible version links to it; nobody else's letter does."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pyzbar.pyzbar import decode

from letters import services
from letters.bsl import bsl_video_url, set_bsl_video
from letters.content import party_recipient
from letters.models import BslVideo, LetterKind
from letters.renderer import LetterRenderer
from rjcases import services as case_services
from rjcases.exceptions import ActionRefused
from rjcases.models import Party
from tests.letters.conftest import pdf_text, squash

VIDEO = "https://videos.example.org/bsl/rj-information?lang=bsl&v=2"


def person(case, role=Party.Role.HARMED) -> Party:
    return case.parties.get(role=role)


def rendered(case, kind, party, fmt=None) -> bytes:
    recipient = party_recipient(party)
    content, _ = services.render_content(case, kind, recipient, fmt or recipient.default_format)
    return LetterRenderer(fmt or recipient.default_format).render(content)


def qr_codes(pdf: bytes) -> list[str]:
    """Every QR code in the PDF's images, decoded."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            found += [symbol.data.decode() for symbol in decode(image.image) if symbol.type == "QRCODE"]
    return found


@pytest.fixture
def bsl_person(letters_case, manager):
    harmed = person(letters_case)
    case_services.update_party(harmed, manager, bsl=True)
    set_bsl_video(manager, LetterKind.RJ_INFORMATION, VIDEO)
    return harmed


@pytest.mark.parametrize("fmt", ["standard", "large_print", "easy_read"])
def test_a_bsl_users_letter_has_the_link_and_a_qr_code_that_decodes_to_it(letters_case, bsl_person, fmt):
    pdf = rendered(letters_case, LetterKind.RJ_INFORMATION, bsl_person, fmt)
    text = squash(pdf_text(pdf))
    assert squash("Watch this letter explained in British Sign Language (BSL):") in text
    assert squash(VIDEO) in text
    assert qr_codes(pdf) == [VIDEO]


def test_someone_who_does_not_use_bsl_gets_neither(letters_case, bsl_person):
    pdf = rendered(letters_case, LetterKind.RJ_INFORMATION, person(letters_case, Party.Role.RESPONSIBLE))
    assert VIDEO not in pdf_text(pdf)
    assert qr_codes(pdf) == []


def test_a_kind_with_no_video_set_has_no_link(letters_case, bsl_person):
    pdf = rendered(letters_case, LetterKind.INVITATION, bsl_person)
    assert "British Sign Language (BSL):" not in pdf_text(pdf)
    assert qr_codes(pdf) == []


def test_the_language_bsl_counts_as_using_bsl(letters_case, manager):
    harmed = person(letters_case)
    case_services.update_party(harmed, manager, language="BSL")
    set_bsl_video(manager, LetterKind.RJ_INFORMATION, VIDEO)
    assert qr_codes(rendered(letters_case, LetterKind.RJ_INFORMATION, harmed)) == [VIDEO]


def test_the_accessible_version_links_to_the_video(client, letters_case, bsl_person, manager, facilitator):
    from tests.walk import to_assessment

    case = to_assessment(letters_case, manager, facilitator)
    letter = services.generate_letter(
        case, facilitator, kind=LetterKind.RJ_INFORMATION, recipient_key=f"party-{bsl_person.pk}"
    )
    assert letter.content["bsl_video_url"] == VIDEO
    client.force_login(facilitator)
    html = client.get(f"/letters/case/{case.reference}/{letter.pk}/accessible/").content.decode()
    assert f'<a class="govuk-link" href="{VIDEO.replace("&", "&amp;")}" rel="noreferrer noopener">' in html


@pytest.mark.parametrize(
    "url", ["http://videos.example.org/bsl", "javascript:alert(1)", "ftp://videos.example.org/x", "not a link"]
)
def test_only_an_https_link_is_accepted_and_nothing_is_changed(manager, url):
    set_bsl_video(manager, LetterKind.CLOSURE, "https://videos.example.org/closure")
    with pytest.raises(ValidationError):
        set_bsl_video(manager, LetterKind.CLOSURE, url)
    assert bsl_video_url(LetterKind.CLOSURE) == "https://videos.example.org/closure"


def test_only_a_manager_may_set_a_video(db, facilitator, administrator):
    for user in (facilitator, administrator):
        with pytest.raises(ActionRefused):
            set_bsl_video(user, LetterKind.CLOSURE, VIDEO)
    assert not BslVideo.objects.exists()


def test_every_change_is_kept_in_the_history(manager):
    set_bsl_video(manager, LetterKind.CLOSURE, "https://videos.example.org/one")
    set_bsl_video(manager, LetterKind.CLOSURE, "https://videos.example.org/two")
    set_bsl_video(manager, LetterKind.CLOSURE, "")
    history = BslVideo.history.order_by("history_id")
    assert [(h.history_type, h.url, h.history_user) for h in history] == [
        ("+", "https://videos.example.org/one", manager),
        ("~", "https://videos.example.org/two", manager),
        ("-", "https://videos.example.org/two", manager),
    ]
    assert bsl_video_url(LetterKind.CLOSURE) == ""


def test_the_managers_pages_set_a_video_and_refuse_everyone_else(client, manager, facilitator, administrator):
    edit = "/letters/bsl-videos/rj_information/"
    for user in (facilitator, administrator):
        client.force_login(user)
        assert client.get("/letters/bsl-videos/").status_code == 403
        assert client.post(edit, {"url": VIDEO}).status_code == 403
    client.force_login(manager)
    assert client.get("/letters/bsl-videos/nothing/").status_code == 404
    refused = client.post(edit, {"url": "http://videos.example.org/x"})
    assert refused.status_code == 200
    assert "Enter a link that starts with https://" in refused.content.decode()
    assert client.post(edit, {"url": VIDEO}).status_code == 302
    assert bsl_video_url(LetterKind.RJ_INFORMATION) == VIDEO
    page = client.get("/letters/bsl-videos/").content.decode()
    assert VIDEO.replace("&", "&amp;") in page
