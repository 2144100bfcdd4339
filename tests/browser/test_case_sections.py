"""The case page in sections: the facilitator moves between the summary, the people, the restorative work, the
letters and the timeline by the case's sub-navigation with the keyboard only (Tab to the item, Enter), each section
marks its item current, and every section passes axe (no serious or critical violation) and reflows at 320 px and at
1,280 px (no horizontal page scroll, no table clipped)."""

import pytest
from playwright.sync_api import expect

from tests.browser.pagewalk import assert_reflows
from tests.walk import case_in_every_section

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = [("People", "people/"), ("Restorative work", "work/"), ("Letters", "letters/"), ("Timeline", "timeline/")]
SUB_NAVIGATION = "[data-testid=case-sections]"


@pytest.fixture
def case(police_referrer, manager, facilitator):
    return case_in_every_section(police_referrer, manager, facilitator)


def tab_to(page, label: str, limit: int = 80) -> None:
    """Press Tab until the sub-navigation's item ``label`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            f"""() => {{
                const el = document.activeElement;
                return el && el.closest('{SUB_NAVIGATION}') ? el.textContent.trim() : null;
            }}"""
        )
        if focused == label:
            return
    pytest.fail(f"{label!r} of the case's sub-navigation never had the focus after {limit} presses of Tab")


def current_item(page):
    return page.locator(f"{SUB_NAVIGATION} [aria-current=page]")


def test_the_facilitator_moves_between_the_sections_with_the_keyboard(
    browser_page, browser_errors, login_as, case, facilitator
):
    page = browser_page
    login_as(page, facilitator)
    summary = f"/cases/{case.reference}/"
    page.goto(summary)
    expect(current_item(page)).to_have_text("Summary")
    for label, path in [*SECTIONS, ("Summary", "")]:
        tab_to(page, label)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(summary + path), page.url
        expect(current_item(page)).to_have_count(1)
        expect(current_item(page)).to_have_text(label)
        expect(page.locator("main h1")).to_contain_text(case.reference)
    assert browser_errors == []


@pytest.mark.parametrize("width", [1280, 320])
def test_every_section_is_accessible_and_reflows(browser_page, login_as, assert_accessible, case, facilitator, width):
    page = browser_page
    login_as(page, facilitator)
    for _, path in [("Summary", ""), *SECTIONS]:
        url = f"/cases/{case.reference}/{path}"
        assert_reflows(page, url, width)
        assert_accessible(page, f"{url} at {width} px")
