"""Every app asks for a date the same way: the GOV.UK date input (day, month and year boxes). One form per app,
typed in a real browser, and what it saved or filtered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conferences.models import PreparationContact
from letters.models import Letter
from rjcases.models import ContactAttempt
from tests.govuk.dates import fill_date_boxes
from tests.walk import refer, to_assessment, to_preparation

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def test_each_app_takes_a_date_as_day_month_and_year(
    browser_page, login_as, assert_accessible, browser_errors, police_referrer, manager, facilitator
):
    page = browser_page
    today = timezone.localdate()
    assessed = to_assessment(refer(police_referrer), manager, facilitator)
    preparing = to_preparation(refer(police_referrer), manager, facilitator)
    login_as(page, facilitator)

    # rjcases: a contact attempt, three days ago.
    page.goto(f"/cases/{assessed.reference}/contacts/add/")
    assert page.locator('input[type="date"]').count() == 0
    fill_date_boxes(page, "on", today - timedelta(days=3))
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("No answer").check()
    page.get_by_role("button", name="Log the contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact attempt logged")
    contact = ContactAttempt.objects.get(case=assessed)
    assert timezone.localtime(contact.at).date() == today - timedelta(days=3)

    # conferences: a preparation contact; a wrong date first, shown in the summary and at the boxes.
    page.goto(f"/cases/{preparing.reference}/preparation/add/")
    page.get_by_label("Who was the contact with").select_option(index=1)
    fill_date_boxes(page, "held_on", today)
    page.locator("#id_held_on-day").fill("32")
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date must be a real date")
    assert_accessible(page, "preparation contact with a wrong date")
    page.locator(".govuk-error-summary a").first.click()
    expect(page.locator("#id_held_on-day")).to_be_focused()
    fill_date_boxes(page, "held_on", today - timedelta(days=1))
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Preparation contact with")
    assert PreparationContact.objects.get(case=preparing).held_on == today - timedelta(days=1)

    # letters: the print run of a day typed in the boxes lists that day's letters.
    day = today - timedelta(days=2)
    moved = Letter.objects.filter(case=assessed).update(generated_at=timezone.now() - timedelta(days=2))
    assert moved
    page.goto("/letters/print-run/")
    fill_date_boxes(page, "date", day)
    page.get_by_role("button", name="Show letters").click()
    expect(page.locator("main")).to_contain_text(f"created on {long_date(day)}")
    expect(page.locator("main")).to_contain_text(assessed.reference)
    assert_accessible(page, "print run of a typed day")

    # insights: the period of the performance page.
    page.context.clear_cookies()
    login_as(page, manager)
    start, end = today - timedelta(days=60), today - timedelta(days=30)
    page.goto("/insights/performance/")
    fill_date_boxes(page, "date_from", start)
    fill_date_boxes(page, "date_to", end)
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("filter-summary")).to_contain_text(f"{long_date(start)} to {long_date(end)}")
    assert browser_errors == []
