"""The facilitator runs a face-to-face conference from plan to closure and feedback in a real browser."""

import re

import pytest
from django.utils import timezone

from conferences.models import AgreementAction, Feedback, FollowUp
from rjcases.models import Case
from tests.govuk.dates import fill_date_boxes
from tests.walk import refer, to_preparation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case_in_preparation(police_referrer, manager, facilitator):
    return to_preparation(refer(police_referrer), manager, facilitator)


def test_facilitator_plans_holds_agrees_monitors_completes_and_records_feedback(
    browser_page, browser_errors, login_as, assert_accessible, case_in_preparation, facilitator
):
    page = browser_page
    case = case_in_preparation
    today = timezone.localdate()
    base = f"/cases/{case.reference}"
    login_as(page, facilitator)

    # Plan a face-to-face conference; first try a party's home, which is refused.
    page.goto(f"{base}/activity/")
    assert_accessible(page, "activity page, nothing planned")
    page.get_by_role("link", name="Plan the activity").click()
    page.get_by_label("Face-to-face conference").check()
    fill_date_boxes(page, "scheduled_date", today)
    page.get_by_label("Start time").fill("18:00")
    page.get_by_label("Venue").fill("1 Harmed Street, Stretford")
    page.get_by_role("button", name="Save the plan").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "The venue is the home address of Amina Testharmed" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page, "plan form with errors")
    page.get_by_label("Venue").fill("Community room, Stretford library")
    page.get_by_label("An interpreter is booked").check()
    page.get_by_label("Interpreter's language").fill("Urdu")
    page.get_by_role("button", name="Save the plan").click()

    # Confirm it: the workflow moves the case to conferencing.
    page.get_by_role("button", name="Confirm the planned activity").click()
    assert "Activity confirmed" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page, "activity page, confirmed")

    # It took place, with an agreement.
    page.get_by_role("link", name="Record that it took place").click()
    page.get_by_label("What happened").fill("Amina described the effect of the abuse; Kieran apologised.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("heading", name="Outcome agreement").is_visible()

    # The agreement: who signed, then two actions, then record it.
    page.get_by_role("link", name="Record the agreement").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Apology").check()
    page.get_by_label("Who will do it").select_option(label="Kieran Testresponsible (person responsible)")
    page.get_by_label("What will be done").fill("Write a letter of apology")
    fill_date_boxes(page, "due_on", today)
    page.get_by_label("How it will be checked").fill("The facilitator reads it before it is passed on")
    page.get_by_role("button", name="Save and add another").click()
    assert_accessible(page, "add an action form")
    page.get_by_label("Education or awareness work").check()
    page.get_by_label("Who will do it").select_option(label="Kieran Testresponsible (person responsible)")
    page.get_by_label("What will be done").fill("Attend a hate crime awareness course")
    fill_date_boxes(page, "due_on", today)
    page.get_by_label("How it will be checked").fill("Certificate of attendance")
    page.get_by_role("button", name="Save the action").click()
    assert_accessible(page, "agreement page, drafting")
    page.get_by_role("button", name="Record the agreement and start monitoring").click()
    assert page.get_by_role("heading", name="Monitoring").is_visible()
    assert_accessible(page, "monitoring page")

    # One action done (the person harmed is told), one missed.
    page.get_by_role("link", name=re.compile(r"Mark done\W+Write a letter of apology")).click()
    page.get_by_label("Evidence that it was done").fill("Letter read and passed to Amina")
    page.get_by_label("Phone").check()
    page.get_by_role("button", name="Mark done").click()
    page.get_by_role("link", name=re.compile(r"Mark missed\W+Attend a hate crime")).click()
    page.get_by_label("What happened and how you know").fill("Did not attend; no reply to two letters")
    page.get_by_role("button", name="Mark missed").click()
    assert "Told the person harmed the action is done" in page.locator("[data-testid=follow-ups]").inner_text()

    # Complete: the workflow derives the outcome.
    page.get_by_role("link", name="Complete the case").click()
    assert "Agreement partly fulfilled" in page.get_by_test_id("derived-outcome").inner_text()
    assert_accessible(page, "closure page")
    page.get_by_label("Closure summary").fill("The apology was made; the course was not attended.")
    page.get_by_role("button", name="Complete the case").click()
    assert page.get_by_role("heading", name="Participants' feedback").is_visible()

    # Feedback from the person harmed; the person responsible declines.
    page.get_by_role("link", name=re.compile(r"Record feedback\W+from Amina")).click()
    page.get_by_label("Yes, they gave feedback").check()
    page.locator("#id_satisfied_0").check()
    page.locator("#id_would_recommend_0").check()
    page.get_by_label("Better").check()
    page.locator("#id_felt_safe_0").check()
    page.locator("#id_felt_heard_0").check()
    page.get_by_label("What they said, in their words").fill("I felt listened to.")
    assert_accessible(page, "feedback form")
    page.get_by_role("button", name="Save the feedback").click()
    page.get_by_role("link", name=re.compile(r"Record feedback\W+from Kieran")).click()
    page.get_by_label("No, they declined to give feedback").check()
    page.get_by_role("button", name="Save the feedback").click()
    assert_accessible(page, "feedback page")

    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.outcome == Case.Outcome.AGREEMENT_PARTLY_FULFILLED
    activity = case.current_activity
    assert (activity.kind, activity.venue, activity.interpreter_language) == (
        "direct_conference",
        "Community room, Stretford library",
        "Urdu",
    )
    assert sorted(AgreementAction.objects.filter(agreement__case=case).values_list("status", flat=True)) == [
        "done",
        "missed",
    ]
    assert FollowUp.objects.filter(case=case, kind=FollowUp.Kind.ACTION_DONE_NOTICE).count() == 1
    feedback = {f.party.role: f for f in Feedback.objects.filter(case=case)}
    assert feedback["harmed"].satisfied is True
    assert feedback["harmed"].felt == "better"
    assert feedback["responsible"].refused is True
    assert browser_errors == []
