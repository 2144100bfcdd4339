"""Letters in a real browser: the facilitator previews, creates and downloads a letter; the manager edits wording.
axe finds no serious or critical violation on any letters page, and the CSP refuses nothing."""

import io
import re

import pytest
from pypdf import PdfReader

from letters.models import Letter, LetterKind
from rjcases.models import Party
from tests.letters.conftest import add_supporter, party_data
from tests.walk import refer, to_assessment

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.letter_files]  # the live server commits: files are written


@pytest.fixture(autouse=True)
def letters_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def accepted_case(police_referrer, manager, facilitator):
    case = refer(police_referrer, parties=[party_data(Party.Role.HARMED), party_data(Party.Role.RESPONSIBLE)])
    add_supporter(case, manager, first_name="Łucja", last_name="Wąsowska")
    return to_assessment(case, manager, facilitator)


def test_the_facilitator_previews_creates_and_downloads_a_letter(
    browser_page, login_as, facilitator, accepted_case, assert_accessible, browser_errors
):
    page = login_as(browser_page, facilitator)
    supporter = accepted_case.parties.get(role=Party.Role.SUPPORTER)

    page.goto(f"/letters/case/{accepted_case.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters")
    expect(page.get_by_role("link", name=re.compile("Restorative justice information, version 1"))).to_be_visible()
    assert_accessible(page, "the case's letters")

    page.get_by_role("link", name="Create a letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a letter")
    assert_accessible(page, "create a letter")

    page.get_by_label("Kind of letter").select_option(LetterKind.RJ_INFORMATION)
    page.get_by_label("Who the letter is to").select_option(f"party-{supporter.pk}")
    page.get_by_role("button", name="Preview the letter").click()
    preview = page.get_by_test_id("letter-preview")
    expect(preview).to_contain_text("Dear Łucja Wąsowska,")
    expect(preview).to_contain_text("3 Supporter Lane")
    assert Letter.objects.filter(party=supporter).count() == 0
    assert_accessible(page, "the letter preview")

    page.get_by_role("button", name="Create the letter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restorative justice information to Łucja Wąsowska")
    expect(page.get_by_role("alert")).to_contain_text("waiting to be sent")
    letter = Letter.objects.get(party=supporter)  # its file was written once the request committed
    assert letter.file_status == Letter.FileStatus.WRITTEN
    assert_accessible(page, "the letter's page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the PDF")).click()
    download = download_info.value
    assert download.suggested_filename == f"{accepted_case.reference}-rj-information-v1.pdf"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    assert "Dear Łucja Wąsowska," in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert letter.sha256
    assert len(data) == letter.size

    page.get_by_role("link", name=re.compile("Read the accessible version")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Restorative justice: information for you")
    assert_accessible(page, "the accessible version")

    page.goto("/letters/print-run/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Letters to post")
    assert_accessible(page, "the print run")
    assert browser_errors == []


def test_the_manager_previews_and_saves_wording(browser_page, login_as, manager, assert_accessible, browser_errors):
    page = login_as(browser_page, manager)
    page.goto("/letters/wording/")
    assert_accessible(page, "the wording list")
    page.get_by_role("link", name="Closure", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Closure")

    page.get_by_label("Wording").fill("Dear {{ recipient_name }},\n\n{{ shoe_size }}")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Unknown placeholder {{ shoe_size }}")
    assert_accessible(page, "wording with an error")

    page.get_by_label("Wording").fill("Dear {{ recipient_name }},\n\nYour case has closed. {{ outcome }}")
    page.get_by_role("button", name="Preview with a demonstration case").click()
    expect(page.get_by_test_id("letter-preview")).to_contain_text("Dear Alex Example,")
    assert_accessible(page, "the wording preview")
    page.get_by_role("button", name="Save as version 2").click()
    expect(page.get_by_role("alert")).to_contain_text("version 2 saved")
    assert browser_errors == []
