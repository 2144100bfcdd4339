"""Transition forms: the case page offers only what this user may do now; a POST goes through the service;
refusals (input, guard, state, role, someone else first) say why and change nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from rjcases import services
from rjcases.models import Case, CaseTransition
from tests.walk import assess_and_consent, to_assessment


def transition_url(case, name):
    return reverse("rjcases:transition", args=[case.reference, name])


def detail(client, case) -> str:
    return client.get(reverse("rjcases:detail", args=[case.reference])).content.decode()


def offered(html) -> set[str]:
    import re

    return set(re.findall(r'data-transition="([a-z_]+)"', html))


def blocked(html) -> set[str]:
    import re

    return set(re.findall(r'data-transition-blocked="([a-z_]+)"', html))


def unchanged(case, state, transitions):
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == state
    assert CaseTransition.objects.filter(case=case).count() == transitions


def test_the_case_page_offers_each_user_only_their_moves(
    client, referred_case, manager, facilitator, police_referrer, other_facilitator
):
    client.force_login(manager)
    html = detail(client, referred_case)
    assert offered(html) == {"decline", "withdraw"}
    assert blocked(html) == {"accept"}  # shown with what is missing
    assert "Allocate a facilitator before accepting the referral." in html
    client.force_login(police_referrer)
    assert offered(detail(client, referred_case)) == {"withdraw"}
    client.force_login(other_facilitator)  # the unallocated queue: can see, cannot move it
    assert offered(detail(client, referred_case)) == set()
    case = to_assessment(referred_case, manager, facilitator)
    client.force_login(facilitator)
    html = detail(client, case)
    assert offered(html) == {"find_unsuitable", "withdraw"}
    assert blocked(html) == {"find_suitable"}
    client.force_login(police_referrer)
    assert offered(detail(client, case)) == set()


def test_accepting_a_referral(client, referred_case, manager, facilitator):
    services.allocate(referred_case, manager, facilitator=facilitator)
    client.force_login(manager)
    page = client.get(transition_url(referred_case, "accept")).content.decode()
    assert 'name="seen_state" value="referral"' in page
    response = client.post(transition_url(referred_case, "accept"), {"seen_state": "referral", "note": "In scope"})
    assert response.status_code == 302
    case = Case.objects.get(pk=referred_case.pk)
    assert case.state == Case.State.ASSESSMENT
    row = case.transitions.get(name="accept")
    assert (row.by, row.reason, row.source, row.target) == (manager, "In scope", "referral", "assessment")
    assert "now in assessment" in client.get(response["Location"]).content.decode()


def test_a_missing_reason_is_asked_for_and_nothing_moves(client, referred_case, manager):
    client.force_login(manager)
    response = client.post(transition_url(referred_case, "decline"), {"seen_state": "referral", "reason": " "})
    assert response.status_code == 200
    assert "Enter the reason" in response.content.decode()
    unchanged(referred_case, "referral", 1)


def test_a_case_changed_by_someone_else_is_not_moved(client, referred_case, manager):
    client.force_login(manager)
    services.case_decline(Case.objects.get(pk=referred_case.pk), manager, reason="Out of area")
    # The manager's form still says "referral": the case has moved on since they opened it.
    response = client.post(
        transition_url(referred_case, "withdraw"),
        {"seen_state": "referral", "withdrawn_by": "referrer", "reason": "Second thoughts"},
        follow=True,
    )
    assert "This case was changed by someone else" in response.content.decode()
    case = Case.objects.get(pk=referred_case.pk)
    assert case.outcome == Case.Outcome.REFERRAL_DECLINED
    assert not case.transitions.filter(name="withdraw").exists()


def test_a_stale_form_for_a_move_no_longer_theirs_still_says_the_case_changed(
    client, referred_case, manager, facilitator, police_referrer
):
    to_assessment(referred_case, manager, facilitator)
    client.force_login(police_referrer)
    response = client.post(
        transition_url(referred_case, "withdraw"),
        {"seen_state": "referral", "withdrawn_by": "referrer", "reason": "Changed mind"},
        follow=True,
    )
    assert "This case was changed by someone else" in response.content.decode()
    unchanged(referred_case, "assessment", 2)


def test_an_unmet_guard_is_explained_and_nothing_moves(client, referred_case, manager, facilitator):
    case = to_assessment(referred_case, manager, facilitator)
    client.force_login(facilitator)
    page = client.get(transition_url(case, "find_suitable")).content.decode()
    assert 'data-testid="transition-problems"' in page
    assert "Assess Amina Testharmed (person harmed)." in page
    response = client.post(transition_url(case, "find_suitable"), {"seen_state": "assessment"}, follow=True)
    assert "Record Amina Testharmed&#x27;s written consent to take part." in response.content.decode()
    unchanged(case, "assessment", 2)


def test_once_the_guard_is_met_the_move_is_offered_and_taken(client, referred_case, manager, facilitator):
    case = to_assessment(referred_case, manager, facilitator)
    assess_and_consent(case, facilitator)
    client.force_login(facilitator)
    assert "find_suitable" in offered(detail(client, case))
    response = client.post(transition_url(case, "find_suitable"), {"seen_state": "assessment"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).state == Case.State.PREPARATION


def test_the_wrong_role_is_refused(client, referred_case, manager, facilitator):
    services.allocate(referred_case, manager, facilitator=facilitator)
    client.force_login(facilitator)
    assert client.get(transition_url(referred_case, "accept")).status_code == 403
    assert client.post(transition_url(referred_case, "accept"), {"seen_state": "referral"}).status_code == 403
    unchanged(referred_case, "referral", 1)


def test_a_move_not_possible_from_this_state_sends_the_user_back(client, referred_case, manager):
    client.force_login(manager)
    response = client.post(
        transition_url(referred_case, "reopen"), {"seen_state": "referral", "reason": "x"}, follow=True
    )
    assert "A case in referral cannot be moved with &#x27;Reopen the case&#x27;." in response.content.decode()
    unchanged(referred_case, "referral", 1)


def test_an_unknown_move_is_not_found(client, referred_case, manager):
    client.force_login(manager)
    assert client.get(transition_url(referred_case, "merge")).status_code == 404


def test_a_choice_outside_the_list_is_refused(client, referred_case, manager, facilitator):
    from tests.walk import hold_activity, to_conferencing

    case = to_conferencing(referred_case, manager, facilitator)
    hold_activity(case, facilitator)
    client.force_login(facilitator)
    response = client.post(
        transition_url(case, "conclude"), {"seen_state": "conferencing", "outcome": "agreement_fulfilled"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    unchanged(case, "conferencing", case.transitions.count())
    response = client.post(
        transition_url(case, "conclude"),
        {"seen_state": "conferencing", "outcome": "no_agreement_needed", "summary": "Done"},
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.outcome, case.closure_summary) == ("closed", "no_agreement_needed", "Done")


def test_a_caseworker_records_the_withdrawal_of_the_person_they_support(
    client, referred_case, manager, facilitator, caseworker
):
    case = to_assessment(referred_case, manager, facilitator)
    services.update_party(case.parties.get(role="harmed"), manager, caseworker=caseworker)
    client.force_login(caseworker)
    response = client.post(
        transition_url(case, "withdraw"),
        {"seen_state": "assessment", "withdrawn_by": "person harmed", "reason": "Wants to move on"},
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.outcome == Case.Outcome.WITHDRAWN
    row = case.transitions.get(name="withdraw")
    assert row.data["withdrawn_by"] == "person harmed"
    assert row.by == caseworker
    assert (timezone.now() - case.closed_at).total_seconds() < 60


@pytest.mark.parametrize("missing", ["withdrawn_by", "reason"])
def test_a_withdrawal_needs_who_and_why(client, referred_case, manager, missing):
    client.force_login(manager)
    data = {"seen_state": "referral", "withdrawn_by": "person harmed", "reason": "No"}
    data.pop(missing)
    response = client.post(transition_url(referred_case, "withdraw"), data)
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    unchanged(referred_case, "referral", 1)
