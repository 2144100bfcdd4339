"""The facilitator sees the BSL flag on the case, books and confirms an interpreter, and confirms the conference,
in a real browser; axe finds no serious or critical violation on any page of the way.

The journey is a list of steps (``JOURNEY``), each a function of the page and the case: a later step (previewing
the person's letters, say) is appended to the list and runs in the same browser, after the ones before it."""

import re

import pytest

from conferences.models import InterpreterBooking
from rjcases import services
from rjcases.models import Case, Party
from tests.walk import plan_activity, refer, to_preparation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bsl_case(police_referrer, manager, facilitator):
    case = to_preparation(refer(police_referrer), manager, facilitator)
    services.update_party(case.parties.get(role=Party.Role.HARMED), manager, bsl=True)
    plan_activity(case, facilitator)
    return case


def see_the_bsl_flag(page, case, check):
    page.goto(f"/cases/{case.reference}/")
    flag = page.locator('[data-testid="case-needs"] [data-need="bsl"]')
    assert flag.is_visible()
    assert flag.inner_text() == "BSL"
    check(page, "case page with the BSL flag")


def book_an_interpreter(page, case, check):
    page.goto(f"/cases/{case.reference}/activity/")
    assert "Book an interpreter (British Sign Language (BSL)) for Amina Testharmed" in page.content()
    check(page, "activity page, interpreter needed")
    page.get_by_role("link", name="Book an interpreter").click()
    page.get_by_label("Amina Testharmed (person harmed)").check()
    page.get_by_label("Agency or interpreter booked").fill("Signs North Agency")
    page.get_by_label("Registration number").fill("NRCPD 12")
    page.get_by_role("button", name="Save the booking").click()
    assert "NRCPD registration number" in page.locator(".govuk-error-summary").inner_text()
    check(page, "booking form with errors")
    page.get_by_label("Registration number").fill("NRCPD 1234567")
    page.get_by_label("Cost in pounds (optional)").fill("85.50")
    page.get_by_role("button", name="Save the booking").click()
    assert "Interpreter (British Sign Language (BSL)) booked" in page.locator(".govuk-notification-banner").inner_text()
    assert InterpreterBooking.objects.get().cost_pence == 8550


def confirm_the_booking(page, case, check):
    page.get_by_role("link", name=re.compile(r"^Confirm the British Sign Language \(BSL\) interpreter")).click()
    check(page, "confirm the booking")
    page.get_by_role("button", name="Confirm the booking").click()
    assert "confirmed" in page.locator(".govuk-notification-banner").inner_text()
    assert InterpreterBooking.objects.get().confirmed


def confirm_the_conference(page, case, check):
    page.get_by_role("button", name="Confirm the planned activity").click()
    assert "Activity confirmed" in page.locator(".govuk-notification-banner").inner_text()
    check(page, "activity page, confirmed with its interpreter")
    assert Case.objects.get(pk=case.pk).state == Case.State.CONFERENCING


JOURNEY = [see_the_bsl_flag, book_an_interpreter, confirm_the_booking, confirm_the_conference]


def test_the_facilitator_books_an_interpreter_and_confirms_the_conference(
    browser_page, browser_errors, login_as, assert_accessible, bsl_case, facilitator
):
    login_as(browser_page, facilitator)
    for step in JOURNEY:
        step(browser_page, bsl_case, assert_accessible)
    assert browser_errors == []
