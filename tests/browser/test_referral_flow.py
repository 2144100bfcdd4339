"""A referral through its first stages in a real browser, each page checked with axe.

A police officer refers a case; a manager allocates and accepts it; the facilitator assesses both people,
records their consent and finds the case suitable; the officer then sees the new status and none of the
parties' contact details.
"""

import os
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from rjcases.models import Case, Consent, Party

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("RJ_SCREENSHOTS")  # a folder to keep a picture of each page in, when set

HARMED = {
    "first_name": "Amira",
    "last_name": "Haddad",
    "phone": "07700 900123",
    "email": "amira@example.org",
    "address": "12 Example Road, Stretford",
}
RESPONSIBLE = {
    "first_name": "Liam",
    "last_name": "Broadfoot",
    "phone": "07700 900456",
    "email": "liam@example.org",
    "address": "3 Sample Close, Sale",
}


@pytest.fixture
def reference_data(transactional_db):
    call_command("loaddata", "reference", verbosity=0)


def sign_out(page):
    follow(page, "button", "Sign out")


def check(page, assert_accessible, label):
    assert_accessible(page, label)
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{label}.png"), full_page=True)


def submit(page, name):
    follow(page, "button", name)


def follow(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def fill_person(page, prefix, person):
    page.locator(f"#id_{prefix}-first_name").fill(person["first_name"])
    page.locator(f"#id_{prefix}-last_name").fill(person["last_name"])
    page.locator(f"#id_{prefix}-address").fill(person["address"])
    page.locator(f"#id_{prefix}-phone").fill(person["phone"])
    page.locator(f"#id_{prefix}-email").fill(person["email"])


def test_police_referral_to_suitable_without_leaking_contact_details(
    browser_page, reference_data, login_as, assert_accessible, browser_errors, police_referrer, manager, facilitator
):
    page = browser_page
    day = timezone.localdate() - timedelta(days=3)

    # 1. The officer refers the case, page by page (their one route: no route page).
    login_as(page, police_referrer)
    follow(page, "link", "New referral")
    expect(page.get_by_role("heading", level=1)).to_have_text("The incident")
    check(page, assert_accessible, "01-refer-incident")
    # Sending the empty page shows the error summary, and saves nothing.
    submit(page, "Continue")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the incident")
    check(page, assert_accessible, "02-refer-errors")
    assert Case.objects.count() == 0

    page.locator("#id_occurred_on-day").fill(str(day.day))
    page.locator("#id_occurred_on-month").fill(str(day.month))
    page.locator("#id_occurred_on-year").fill(str(day.year))
    page.get_by_label("Time of the incident").fill("21:30")
    page.get_by_label("Ward where it happened").select_option(label="Stretford & Humphrey Park")
    page.get_by_label("Place (optional)").fill("Bus stop outside the library")
    page.get_by_label("Public order offences").check()
    page.get_by_label("Police crime reference (optional)").fill("06/123456/26")
    page.get_by_label("Race or ethnicity").check()
    page.get_by_role("group", name="Who perceived the hostility?").get_by_label("The person harmed", exact=True).check()
    page.get_by_label("What happened").fill("Racist abuse shouted at a woman waiting for a bus.")
    submit(page, "Continue")
    page.locator("#id_enhanced_rights_1").check()  # No
    check(page, assert_accessible, "03-refer-victims-code")
    submit(page, "Continue")
    fill_person(page, "person", HARMED)
    submit(page, "Continue")
    fill_person(page, "person", RESPONSIBLE)
    submit(page, "Continue")
    submit(page, "Continue")  # who is referring: the officer's own name and email, filled in
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending the referral")
    check(page, assert_accessible, "03-refer-check")
    assert Case.objects.count() == 0
    submit(page, "Send the referral")
    expect(page.locator(".govuk-panel")).to_contain_text("Referral sent")
    case = Case.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(case.reference)
    check(page, assert_accessible, "04-referral-sent")
    follow(page, "link", "case page")
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    check(page, assert_accessible, "04-case-as-police-referral")
    sign_out(page)

    # 2. The manager allocates and accepts it.
    login_as(page, manager)
    expect(page.get_by_test_id("manager-dashboard")).to_contain_text(case.reference)
    check(page, assert_accessible, "05-manager-dashboard")
    follow(page, "link", case.reference)
    expect(page.locator("[data-transition-blocked=accept]")).to_contain_text("Allocate a facilitator")
    check(page, assert_accessible, "06-case-as-manager")
    follow(page, "link", "Allocate a facilitator")
    # Each facilitator is offered with their open cases: "Fay Facilitator: 0 open cases".
    page.get_by_label("Facilitator", exact=True).select_option(label="Fay Facilitator: 0 open cases")
    check(page, assert_accessible, "07-allocate")
    submit(page, "Allocate")
    expect(page.get_by_test_id("facilitator")).to_contain_text("Fay Facilitator")
    follow(page, "button", "Accept the referral")
    check(page, assert_accessible, "08-accept")
    submit(page, "Accept the referral")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now in assessment")
    sign_out(page)

    # 3. The facilitator assesses both people and records their consent.
    login_as(page, facilitator)
    follow(page, "link", "Cases")
    check(page, assert_accessible, "09-case-list")
    follow(page, "link", case.reference)
    for person, role in ((HARMED, "harmed"), (RESPONSIBLE, "responsible")):
        name = f"{person['first_name']} {person['last_name']}"
        follow(page, "link", f"Assess {name}")
        page.get_by_label("Low").check()
        if role == "responsible":
            page.locator("#id_acknowledges_facts_0").check()
            page.locator("#id_accepts_responsibility_0").check()
        page.locator("#id_willing_0").check()
        check(page, assert_accessible, f"10-assess-{role}")
        submit(page, "Save the assessment")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Assessment of {name} recorded")
        follow(page, "link", "Restorative work")  # the case page's section with each person's consents
        follow(page, "link", f"Record consent of {name}")
        page.get_by_label("Signed form").check()
        check(page, assert_accessible, f"11-consent-{role}")
        submit(page, "Record consent")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Consent recorded for {name}")
    assert Consent.objects.filter(party__case=case, withdrawn_on__isnull=True).count() == 2
    check(page, assert_accessible, "12-case-as-facilitator")
    follow(page, "button", "Find suitable and move to preparation")
    submit(page, "Find suitable and move to preparation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now in preparation")
    follow(page, "link", "Timeline")
    expect(page.get_by_test_id("timeline")).to_contain_text("Found suitable")
    check(page, assert_accessible, "13-timeline-as-facilitator")
    sign_out(page)

    # 4. The officer sees the new status, and none of the parties' details.
    login_as(page, police_referrer)
    expect(page.get_by_test_id("referrer-dashboard")).to_contain_text("Preparation")
    follow(page, "link", case.reference)
    expect(page.get_by_test_id("case-summary")).to_contain_text("Preparation")
    check(page, assert_accessible, "14-case-as-police-later")
    html = page.content()
    follow(page, "link", "Timeline")
    expect(page.get_by_test_id("timeline")).to_contain_text("Found suitable")
    html += page.content()
    for person in (HARMED, RESPONSIBLE):
        for value in person.values():
            assert value not in html
    assert not re.search(r"Racist abuse", html)
    assert Party.objects.filter(case=case).count() == 2
    assert browser_errors == []
