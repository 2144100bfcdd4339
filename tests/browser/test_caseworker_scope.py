"""A victim's caseworker opens their client's closed case, sees the outcome and the agreement's actions, records
their client's feedback, and finds no other person's contact details on any page they can reach."""

import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from conferences import services as work
from conferences.models import AgreementAction, Feedback, FollowUp
from rjcases import services
from rjcases.models import Case, Party
from tests.walk import refer, to_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# tests.walk.refer's person responsible: contact details (letters to the client name them in full, as sent).
OTHER_PERSON = ["2 Responsible Road", "07700 900002", "responsible@example.org"]


@pytest.fixture
def closed_case(police_referrer, manager, facilitator, caseworker):
    case = refer(police_referrer)
    services.update_party(case.parties.get(role=Party.Role.HARMED), manager, caseworker=caseworker)
    case = to_agreement(case, manager, facilitator, actions=2)
    services.add_note(case, facilitator, body="Not shared: Kieran has moved to his sister's flat.")
    today = timezone.localdate()
    for action in AgreementAction.objects.filter(agreement__case=case):
        work.mark_action_done(
            action,
            facilitator,
            resolved_on=today,
            evidence_note="Apology letter received",
            told_method=FollowUp.Method.PHONE,
        )
    return services.case_complete(Case.objects.get(pk=case.pk), facilitator, summary="Both actions done.")


def test_caseworker_sees_the_outcome_records_feedback_and_no_other_persons_details(
    browser_page, browser_errors, login_as, assert_accessible, closed_case, caseworker, live_server
):
    page = browser_page
    case = closed_case
    login_as(page, caseworker)
    page.goto(f"/cases/{case.reference}/")
    assert page.get_by_test_id("outcome").inner_text() == "Agreement fulfilled"
    assert_accessible(page, "the caseworker's case page")
    page.goto(f"/cases/{case.reference}/people/")  # the case page's people section
    assert "Kieran" in page.get_by_test_id("party-card-brief").inner_text()
    assert_accessible(page, "the caseworker's view of the people on the case")

    page.goto(f"/cases/{case.reference}/agreement/")
    actions = page.get_by_test_id("agreement-actions").inner_text()
    assert "Action 1" in actions
    assert "Action 2" in actions
    assert "Done" in actions
    assert "Testresponsible" not in page.content()
    assert_accessible(page, "the agreement, as the caseworker sees it")

    page.goto(f"/cases/{case.reference}/feedback/")
    assert "Kieran" not in page.get_by_test_id("feedback-table").inner_text()
    page.get_by_role("link", name=re.compile(r"Record feedback\W+from Amina")).click()
    page.get_by_label("Yes, they gave feedback").check()
    page.get_by_role("group", name="Were they satisfied with the process?").get_by_label("Yes").check()
    page.get_by_label("What they said, in their words").fill("It helped me feel safe on my street again.")
    assert_accessible(page, "the feedback form")
    page.get_by_role("button", name="Save the feedback").click()
    assert "Feedback from Amina Testharmed recorded" in page.locator(".govuk-notification-banner").inner_text()
    feedback = Feedback.objects.get(case=case)
    assert feedback.party.first_name == "Amina"
    assert feedback.satisfied is True
    assert feedback.recorded_by == caseworker

    # Every page reachable by following links from the case page holds no other person's contact details.
    start = f"/cases/{case.reference}/"
    host = urlparse(live_server.url).netloc
    seen, queue, leaks = set(), [start], []
    while queue and len(seen) < 40:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = page.goto(path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        html = page.content()
        leaks += [f"{path}: {value}" for value in OTHER_PERSON if value in html]
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
            url = urlparse(href)
            # Letter PDFs are files, not pages (who may fetch one is tested in tests/rjcases/test_caseworker_scope.py).
            if (
                url.netloc == host
                and case.reference in url.path
                and url.path not in seen
                and not url.path.endswith("/pdf/")
            ):
                queue.append(url.path)
    assert len(seen) > 3
    assert not leaks, "\n".join(leaks)
    assert not browser_errors
