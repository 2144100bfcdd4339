"""Letters in the person's language, in a real browser: the facilitator previews the Welsh letter of a Welsh
speaker and the English letter of an English speaker, and creates the Welsh one; the accessible version of an
Arabic letter is laid out right to left. Each preview and letter carries the right ``lang`` and ``dir``; axe
finds no serious or critical violation."""

import pytest

from letters.models import LetterKind
from rjcases.models import Party
from tests.letters.conftest import party_data
from tests.walk import refer, to_assessment

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.letter_files]


@pytest.fixture(autouse=True)
def letters_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def welsh_case(police_referrer, manager, facilitator):
    case = refer(
        police_referrer, parties=[party_data(Party.Role.HARMED, language="Cymraeg"), party_data(Party.Role.RESPONSIBLE)]
    )
    return to_assessment(case, manager, facilitator)


def preview(page, kind: str, recipient: str):
    page.get_by_label("Kind of letter").select_option(kind)
    page.get_by_label("Who the letter is to").select_option(recipient)
    page.get_by_role("button", name="Preview the letter").click()
    return page.get_by_test_id("letter-preview").locator("article")


def test_the_facilitator_previews_the_welsh_and_the_english_letter(
    browser_page, login_as, facilitator, welsh_case, assert_accessible, browser_errors
):
    harmed = welsh_case.parties.get(role=Party.Role.HARMED)
    responsible = welsh_case.parties.get(role=Party.Role.RESPONSIBLE)
    page = login_as(browser_page, facilitator)
    page.goto(f"/letters/case/{welsh_case.reference}/new/")

    welsh = preview(page, LetterKind.RJ_INFORMATION, f"party-{harmed.pk}")
    expect(welsh).to_have_attribute("lang", "cy-GB")
    expect(welsh).to_have_attribute("dir", "ltr")
    expect(welsh).to_contain_text("Annwyl Amina Harmedperson,")
    expect(welsh).to_contain_text("Preifat a chyfrinachol")
    assert_accessible(page, "the Welsh preview")

    english = preview(page, LetterKind.INVITATION, f"party-{responsible.pk}")
    expect(english).to_have_attribute("lang", "en-GB")
    expect(english).to_have_attribute("dir", "ltr")
    expect(english).to_contain_text("Dear Kieran Responsibleperson,")
    assert_accessible(page, "the English preview")

    # The Welsh letter, created, is stored in Welsh and its accessible version says so.
    before = set(welsh_case.letters.values_list("pk", flat=True))
    page.get_by_label("Kind of letter").select_option(LetterKind.RJ_INFORMATION)
    page.get_by_label("Who the letter is to").select_option(f"party-{harmed.pk}")
    page.get_by_role("button", name="Create the letter").click()
    expect(page.get_by_role("link", name="Read the accessible version").first).to_be_visible()
    (created,) = welsh_case.letters.exclude(pk__in=before)
    assert (created.party_id, created.language, created.translation_needed) == (harmed.pk, "cy", "")
    page.get_by_role("link", name="Read the accessible version").first.click()
    article = page.locator("article.rj-letter")
    expect(article).to_have_attribute("lang", "cy-GB")
    expect(article).to_contain_text("Annwyl Amina Harmedperson,")
    assert_accessible(page, "the accessible Welsh letter")
    assert browser_errors == []


def test_the_accessible_arabic_letter_is_right_to_left(
    browser_page, login_as, facilitator, police_referrer, manager, assert_accessible, browser_errors
):
    case = refer(
        police_referrer,
        parties=[
            party_data(Party.Role.HARMED, first_name="أمينة", last_name="حسن", language="Arabic"),
            party_data(Party.Role.RESPONSIBLE),
        ],
    )
    case = to_assessment(case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    page = login_as(browser_page, facilitator)
    page.goto(f"/letters/case/{case.reference}/{letter.pk}/accessible/")
    article = page.locator("article.rj-letter")
    expect(article).to_have_attribute("lang", "ar")
    expect(article).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("العدالة التصالحية: معلومات لكم")
    expect(article).to_contain_text("إلى أمينة حسن،")
    # Laid out right to left by the browser, not only labelled so: the computed direction, and the text
    # starts at the right-hand edge of the letter.
    assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
    assert article.evaluate(
        "el => { const p = el.querySelector('p'); return getComputedStyle(p).direction === 'rtl'"
        " && ['right', 'start'].includes(getComputedStyle(p).textAlign); }"
    )
    assert_accessible(page, "the accessible Arabic letter")
    assert browser_errors == []
