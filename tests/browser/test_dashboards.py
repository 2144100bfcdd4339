"""The working day in the browser: a manager allocates a case seeing each facilitator's caseload; the facilitator's
dashboard then shows it, new to them, with its next step and deadline, and the step's link leads to the form that
does it; a caseworker's dashboard names their client with the case's outcome. Each page is checked with axe."""

import pytest
from playwright.sync_api import expect

from rjcases import services
from rjcases.models import Party
from tests.walk import refer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def follow(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def test_a_case_allocated_a_moment_ago_leads_the_facilitators_dashboard(
    browser_page, browser_errors, login_as, assert_accessible, police_referrer, manager, facilitator
):
    page = browser_page
    already = refer(police_referrer)
    services.allocate(already, manager, facilitator=facilitator, notify=False)
    case = refer(police_referrer)

    login_as(page, manager)
    page.goto(f"/cases/{case.reference}/allocate/")
    # The manager sees the facilitator's caseload in the choice itself.
    page.get_by_label("Facilitator", exact=True).select_option(label="Fay Facilitator: 1 open case")
    assert_accessible(page, "the allocation page")
    follow(page, "button", "Allocate")
    follow(page, "button", "Sign out")

    login_as(page, facilitator)
    page.goto("/")
    expect(page.get_by_test_id("new-to-me")).to_contain_text(case.reference)
    mine = page.get_by_test_id("my-open-cases")
    item = mine.locator(f"[data-case='{case.reference}']")
    expect(item).to_contain_text(f"{case.reference}: Tell the person harmed about restorative justice")
    due = case.rj_information_due_on
    expect(item.get_by_test_id("next-deadline")).to_contain_text(
        f"Next deadline: tell the person harmed about restorative justice, {due.day} {due:%B %Y}"
    )
    assert_accessible(page, "the facilitator's dashboard")
    # The next step is a link to the form that does it.
    follow(page, "link", f"{case.reference}: Tell the person harmed about restorative justice")
    assert page.url.endswith(f"/cases/{case.reference}/contacts/add/"), page.url
    assert browser_errors == []


def test_the_caseworkers_dashboard_names_their_client_and_the_outcome(
    browser_page, browser_errors, login_as, assert_accessible, police_referrer, manager, caseworker
):
    page = browser_page
    case = refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Zofia", "Clientowska", {"caseworker": caseworker}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible"),
        ],
    )
    services.case_decline(case, manager, reason="Out of scope")
    login_as(page, caseworker)
    page.goto("/")
    card = page.get_by_test_id("client-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Zofia Clientowska")
    expect(card).to_contain_text(case.reference)
    expect(card).to_contain_text("Referral declined")
    expect(card).not_to_contain_text("Testresponsible")
    assert_accessible(page, "the caseworker's dashboard")
    assert browser_errors == []
