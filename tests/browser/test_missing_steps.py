"""From a case in assessment the facilitator follows each "Before you can find suitable" link in turn, fills in the
form it leads to (an assessment, a consent), comes back to the case page by the form's own redirect, never the
browser's back button, and moves the case to preparation once nothing is missing."""

import pytest
from playwright.sync_api import expect

from rjcases.models import Case
from tests.walk import to_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLOCKED = "[data-transition-blocked=find_suitable] a[data-missing-step]"


def follow(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.click()


def fill_in(page):
    """Fill in whichever form a missing step led to, and send it."""
    if "/assess/" in page.url:
        page.get_by_label("Low").check()
        for name in ("acknowledges_facts", "accepts_responsibility"):
            if page.locator(f"#id_{name}_0").count():
                page.locator(f"#id_{name}_0").check()
        page.locator("#id_willing_0").check()
        follow(page, "button", "Save the assessment")
    elif "/consent/" in page.url:
        expect(page.get_by_label("To take part in restorative justice")).to_be_checked()
        page.get_by_label("To be contacted for feedback").check()
        page.get_by_label("Signed form").check()
        follow(page, "button", "Record consent")
    else:
        pytest.fail(f"a missing step led to a form this test does not know: {page.url}")


def test_the_facilitator_follows_each_missing_step_to_preparation(
    browser_page, browser_errors, login_as, assert_accessible, referred_case, manager, facilitator
):
    page = browser_page
    case = to_assessment(referred_case, manager, facilitator)
    login_as(page, facilitator)
    page.goto(f"/cases/{case.reference}/")
    expect(page.locator(BLOCKED)).to_have_count(4)  # two assessments, two consents
    followed = []
    while page.locator(BLOCKED).count():
        link = page.locator(BLOCKED).first
        followed.append(link.inner_text())
        with page.expect_navigation():
            link.click()
        assert_accessible(page, followed[-1])
        fill_in(page)
        # The form leads back to the case page, where the step just done is no longer listed.
        assert page.url.endswith(f"/cases/{case.reference}/"), page.url
        assert followed[-1] not in " ".join(page.locator("[data-transition-blocked=find_suitable]").all_inner_texts())
        assert len(followed) <= 4, followed
    assert len(followed) == 4, followed
    follow(page, "button", "Find suitable and move to preparation")
    follow(page, "button", "Find suitable and move to preparation")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now in preparation")
    assert Case.objects.get(pk=case.pk).state == Case.State.PREPARATION
    assert browser_errors == []
