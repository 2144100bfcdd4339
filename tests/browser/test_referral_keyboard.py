"""A police referral with two people harmed and two responsible, made with the keyboard alone: Tab to each box,
type, Space for radios and checkboxes, Enter on buttons and links; through check your answers (using a change link
and coming back) to the confirmation, which prints without the menus. Each page is checked with axe."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from rjcases.models import Case, Party

pytestmark = pytest.mark.browser

MAX_TABS = 400


@pytest.fixture
def reference_data(transactional_db):
    call_command("loaddata", "reference", verbosity=0)


def tab_to(page, selector: str) -> None:
    """Press Tab (only) until the element matching ``selector`` has the focus; fail if it is never reached."""
    target = page.locator(selector).first
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} cannot be reached with the Tab key")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page, name: str, value: str) -> None:
    """A radio: Tab into its group, then the arrow keys to the one wanted (arrows choose as they move)."""
    tab_to(page, f"input[name='{name}']:checked, input[name='{name}']")
    wanted = page.locator(f"input[name='{name}'][value='{value}']")
    for _ in range(20):
        if wanted.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(wanted).to_be_checked()


def tick(page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Space")
    expect(page.locator(selector)).to_be_checked()


def press(page, selector: str) -> None:
    """Enter on a button or link, waiting for the page it leads to."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def person(page, first: str, last: str, phone: str = "") -> None:
    type_into(page, "#id_person-first_name", first)
    type_into(page, "#id_person-last_name", last)
    if phone:
        type_into(page, "#id_person-phone", phone)


def test_a_multi_person_police_referral_by_keyboard_alone(
    browser_page, reference_data, login_as, assert_accessible, browser_errors, police_referrer
):
    page = browser_page
    day = timezone.localdate() - timedelta(days=2)
    login_as(page, police_referrer)

    press(page, "a:has-text('New referral')")
    expect(page.get_by_role("heading", level=1)).to_have_text("The incident")
    type_into(page, "#id_occurred_on-day", str(day.day))
    type_into(page, "#id_occurred_on-month", str(day.month))
    type_into(page, "#id_occurred_on-year", str(day.year))
    type_into(page, "#id_occurred_at", "21:30")
    tab_to(page, "#id_ward")
    page.keyboard.type("Stretford")
    expect(page.locator("#id_ward option:checked")).to_have_text("Stretford & Humphrey Park")
    choose(page, "crime_type", page.get_by_label("Public order offences").get_attribute("value"))
    tick(page, f"input[name='strands'][value='{page.get_by_label('Race or ethnicity').get_attribute('value')}']")
    choose(page, "perceived_by", "victim")
    type_into(page, "#id_summary", "Abuse shouted at two neighbours.")
    assert_accessible(page, "incident")
    press(page, "button:has-text('Continue')")

    expect(page.get_by_role("heading", level=1)).to_have_text("Victims' Code")
    reason = page.locator("#id_enhanced_rights_reason")
    expect(reason).to_be_hidden()  # the conditional question shows only with a yes
    choose(page, "enhanced_rights", "yes")
    expect(reason).to_be_visible()
    expect(page.get_by_label("Why they are entitled to enhanced rights", exact=True)).to_be_visible()
    type_into(page, "#id_enhanced_rights_reason", "Persistently targeted")
    assert_accessible(page, "victims-code")
    press(page, "button:has-text('Continue')")

    expect(page.get_by_role("heading", level=1)).to_have_text("Person harmed 1")
    person(page, "Amina", "Harmed", "07700 900001")
    assert_accessible(page, "person harmed")
    press(page, "button:has-text('Save and add another person harmed')")
    expect(page.get_by_role("heading", level=1)).to_have_text("Person harmed 2")
    person(page, "Bilal", "Second")
    press(page, "button:has-text('Continue')")

    expect(page.get_by_role("heading", level=1)).to_have_text("Person responsible 1")
    person(page, "Kieran", "Responsible")
    press(page, "button:has-text('Save and add another person responsible')")
    person(page, "Ryan", "Other")
    press(page, "button:has-text('Continue')")

    expect(page.get_by_role("heading", level=1)).to_have_text("Who is referring")
    expect(page.locator("#id_referrer_name")).to_have_value("Pat Police")
    press(page, "button:has-text('Continue')")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the referral")
    for name in ("Amina Harmed", "Bilal Second"):
        expect(page.get_by_test_id("answers-harmed")).to_contain_text(name)
    for name in ("Kieran Responsible", "Ryan Other"):
        expect(page.get_by_test_id("answers-responsible")).to_contain_text(name)
    expect(page.get_by_test_id("answers-victims-code")).to_contain_text("Persistently targeted")
    assert_accessible(page, "check your answers")
    assert Case.objects.count() == 0

    # A change link leads back to its question, and saving returns to the answers.
    press(page, "a[href*='#id_summary']")
    expect(page.get_by_role("heading", level=1)).to_have_text("The incident")
    type_into(page, "#id_summary", "Abuse shouted at two neighbours, twice.")
    press(page, "button:has-text('Save and go back to your answers')")
    expect(page.get_by_test_id("answers-incident")).to_contain_text("Abuse shouted at two neighbours, twice.")

    press(page, "button:has-text('Send the referral')")
    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    case = Case.objects.get()
    assert case.parties.filter(role=Party.Role.HARMED).count() == 2
    assert case.parties.filter(role=Party.Role.RESPONSIBLE).count() == 2
    assert case.enhanced_rights_reason == "Persistently targeted"
    expect(page.get_by_test_id("reference")).to_have_text(case.reference)
    expect(page.get_by_test_id("sent-people")).to_contain_text("Person harmed: Bilal Second")
    expect(page.get_by_role("button", name="Print this summary")).to_be_visible()
    assert "07700 900001" not in page.content()
    assert_accessible(page, "referral sent")
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this summary")).to_be_hidden()
    expect(page.get_by_test_id("sent-summary")).to_be_visible()
    page.emulate_media(media="screen")
    assert browser_errors == []
