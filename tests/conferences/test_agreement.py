"""The outcome agreement: drafting it, its guards in the workflow, and who can see it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import AgreementAction
from rjcases import services
from rjcases.models import Case, CaseTransition
from rjcases.services import ActionRefused, TransitionRefused
from tests.conferences.conftest import harmed, responsible


def sign(case, user, **overrides):
    data = {"signed_on": timezone.localdate(), "signatories": list(case.parties.all()), "notes": ""}
    data.update(overrides)
    return conference_services.save_agreement(case, user, **data)


def add(case, user, **overrides):
    data = {
        "kind": AgreementAction.Kind.REPARATION,
        "what": "Repaint the fence",
        "how_checked": "Photo",
        "due_on": timezone.localdate() + timedelta(days=10),
        "responsible_party": responsible(case),
    }
    data.update(overrides)
    return conference_services.add_action(case, user, **data)


def test_an_agreement_records_its_signatories_and_itemised_actions(held_case, facilitator):
    agreement = sign(held_case, facilitator, notes="Signed at the end of the conference")
    action = add(held_case, facilitator)
    named = add(
        held_case,
        facilitator,
        kind=AgreementAction.Kind.COMMUNITY_WORK,
        responsible_party=None,
        who="Stretford Youth Club",
        what="Host an awareness session",
    )
    assert set(agreement.signatories.all()) == set(held_case.parties.all())
    assert list(agreement.actions.order_by("id")) == [action, named]
    assert named.who == "Stretford Youth Club"
    assert action.history.first().history_user == facilitator
    assert held_case.current_agreement == agreement


def test_record_agreement_with_no_actions_is_refused_with_a_reason(held_case, facilitator):
    sign(held_case, facilitator)
    with pytest.raises(TransitionRefused) as refused:
        services.case_record_agreement(held_case, facilitator)
    assert refused.value.code == "guard"
    assert refused.value.reasons == ["Add at least one action to the agreement."]
    held_case.refresh_from_db()
    assert held_case.state == Case.State.CONFERENCING
    assert not CaseTransition.objects.filter(case=held_case, name="record_agreement").exists()


def test_record_agreement_before_the_activity_took_place_is_refused(conferencing_case, facilitator):
    with pytest.raises(TransitionRefused) as refused:
        services.case_record_agreement(conferencing_case, facilitator)
    assert "Record that the restorative activity took place first." in refused.value.reasons


def test_an_action_needs_who_what_when_and_how_checked(held_case, facilitator):
    sign(held_case, facilitator)
    with pytest.raises(ValidationError) as refused:
        add(held_case, facilitator, responsible_party=None, who="", what=" ", due_on=None, how_checked="")
    assert set(refused.value.message_dict) == {"responsible_party", "what", "due_on", "how_checked"}
    with pytest.raises(ValidationError, match="after the agreement was signed"):
        add(held_case, facilitator, due_on=timezone.localdate() - timedelta(days=1))
    assert not AgreementAction.objects.exists()


def test_actions_need_a_signed_agreement_first(held_case, facilitator):
    with pytest.raises(ValidationError, match="who signed the agreement"):
        add(held_case, facilitator)


def test_no_agreement_can_be_drafted_when_the_activity_reached_none(conferencing_case, facilitator):
    from tests.walk import hold_activity

    hold_activity(conferencing_case, facilitator, agreement_reached=False)
    with pytest.raises(ValidationError, match="close the case without an agreement"):
        sign(conferencing_case, facilitator)


def test_a_draft_action_can_be_removed_but_not_after_the_agreement_is_recorded(held_case, facilitator):
    sign(held_case, facilitator)
    first, second = add(held_case, facilitator), add(held_case, facilitator, what="Write a letter")
    conference_services.remove_action(first, facilitator)
    assert list(held_case.current_agreement.actions.all()) == [second]
    case = services.case_record_agreement(held_case, facilitator)
    with pytest.raises(ValidationError, match="only when the case is in conferencing"):
        conference_services.remove_action(second, facilitator)
    with pytest.raises(ValidationError, match="only when the case is in conferencing"):
        add(case, facilitator)
    assert case.current_agreement.actions.count() == 1


def test_only_the_cases_facilitators_and_managers_may_draft(held_case, other_facilitator, caseworker):
    services.update_party(harmed(held_case), held_case.facilitator, caseworker=caseworker)
    for outsider in (other_facilitator, caseworker):
        with pytest.raises(ActionRefused):
            sign(held_case, outsider)
    assert not held_case.agreements.exists()


def test_complete_with_an_action_still_open_is_refused_with_a_reason(agreement_case, facilitator):
    first = agreement_case.current_agreement.actions.order_by("id").first()
    conference_services.mark_action_done(
        first, facilitator, resolved_on=timezone.localdate(), evidence_note="Seen", told_method="phone"
    )
    with pytest.raises(TransitionRefused) as refused:
        services.case_complete(agreement_case, facilitator, summary="Done")
    assert refused.value.code == "guard"
    assert refused.value.reasons == ["Mark every action done or missed first (1 still open: Action 2)."]
    agreement_case.refresh_from_db()
    assert agreement_case.state == Case.State.AGREEMENT
    assert agreement_case.outcome == ""


def test_after_a_reopen_a_new_agreement_supersedes_the_old_one(agreement_case, facilitator, manager):
    from tests.walk import hold_activity, plan_activity

    old = agreement_case.current_agreement
    for action in old.actions.all():
        conference_services.mark_action_missed(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="Not done"
        )
    case = services.case_complete(agreement_case, facilitator)
    case = services.case_reopen(case, manager, reason="The person responsible asked to try again")
    case = services.case_find_suitable(case, facilitator)
    plan_activity(case, facilitator, "letter")
    case = services.case_schedule_activity(case, facilitator)
    hold_activity(case, facilitator, agreement_actions=1)
    old.refresh_from_db()
    assert old.superseded is True
    assert case.current_agreement != old
    assert case.current_agreement.activity == case.current_activity
    case = services.case_record_agreement(case, facilitator)
    assert case.transitions.last().data["actions"] == 1
