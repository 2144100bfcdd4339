"""Every activity type walked from preparation to closed through the real services, for every outcome."""

import pytest
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import Activity, AgreementAction, Feedback, FollowUp
from rjcases import services
from rjcases.models import Case, CaseTransition
from tests.walk import hold_activity, plan_activity, refer, to_preparation

KINDS = [k.value for k in Activity.Kind]
# For the three agreement outcomes: what becomes of the agreement's two actions.
AGREEMENT_OUTCOMES = {
    Case.Outcome.AGREEMENT_FULFILLED: ("done", "done"),
    Case.Outcome.AGREEMENT_PARTLY_FULFILLED: ("done", "missed"),
    Case.Outcome.AGREEMENT_BREACHED: ("missed", "missed"),
}
NO_AGREEMENT_OUTCOMES = [Case.Outcome.NO_AGREEMENT_NEEDED, Case.Outcome.NO_AGREEMENT_REACHED]


def walk_to_activity(police_referrer, manager, facilitator, kind):
    case = to_preparation(refer(police_referrer), manager, facilitator)
    plan_activity(case, facilitator, kind)
    case = services.case_schedule_activity(case, facilitator, note="Everyone agreed the date")
    assert case.state == Case.State.CONFERENCING
    return case


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("outcome", list(AGREEMENT_OUTCOMES))
def test_each_activity_type_walks_to_closed_through_an_agreement(kind, outcome, police_referrer, manager, facilitator):
    case = walk_to_activity(police_referrer, manager, facilitator, kind)
    hold_activity(case, facilitator, agreement_actions=2)
    case = services.case_record_agreement(case, facilitator)
    assert case.state == Case.State.AGREEMENT

    today = timezone.localdate()
    for action, fate in zip(case.current_agreement.actions.order_by("id"), AGREEMENT_OUTCOMES[outcome], strict=True):
        if fate == "done":
            conference_services.mark_action_done(
                action, facilitator, resolved_on=today, evidence_note="Letter seen", told_method="phone"
            )
        else:
            conference_services.mark_action_missed(
                action, facilitator, resolved_on=today, evidence_note="Not done by the date"
            )
    case = services.case_complete(case, facilitator, summary="Closed after monitoring.")

    assert case.state == Case.State.CLOSED
    assert case.outcome == outcome
    assert case.closure_summary == "Closed after monitoring."
    assert list(case.transitions.values_list("name", flat=True)) == [
        "refer",
        "accept",
        "find_suitable",
        "schedule_activity",
        "record_agreement",
        "complete",
    ]
    assert case.current_activity.kind == kind
    done = AGREEMENT_OUTCOMES[outcome].count("done")
    assert FollowUp.objects.filter(case=case, kind=FollowUp.Kind.ACTION_DONE_NOTICE).count() == done
    assert set(case.current_agreement.actions.values_list("status", flat=True)) == set(AGREEMENT_OUTCOMES[outcome])

    for party in case.parties.all():
        conference_services.record_feedback(case, facilitator, party=party, satisfied=True, felt="better")
    assert Feedback.objects.filter(case=case).count() == 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("outcome", NO_AGREEMENT_OUTCOMES)
def test_each_activity_type_walks_to_closed_without_an_agreement(kind, outcome, police_referrer, manager, facilitator):
    case = walk_to_activity(police_referrer, manager, facilitator, kind)
    hold_activity(
        case,
        facilitator,
        agreement_actions=0,
        agreement_reached=None if outcome == Case.Outcome.NO_AGREEMENT_REACHED else False,
    )
    case = services.case_conclude(case, facilitator, outcome=outcome, summary="Both parties were heard.")

    assert case.state == Case.State.CLOSED
    assert case.outcome == outcome
    assert case.closure_summary == "Both parties were heard."
    assert CaseTransition.objects.filter(case=case).last().name == "conclude"
    assert case.current_activity.kind == kind
    assert case.current_activity.status == Activity.Status.TOOK_PLACE
    assert not case.agreements.exists()
    assert not AgreementAction.objects.filter(agreement__case=case).exists()
