"""Monitoring: follow-up contacts, actions done or missed, telling the person harmed, reminders."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferences import selectors
from conferences import services as conference_services
from conferences.models import AgreementAction, FollowUp
from rjcases import services
from rjcases.services import ActionRefused
from tests.conferences.conftest import harmed, responsible
from tests.walk import refer, to_agreement


def actions(case):
    return list(case.current_agreement.actions.order_by("id"))


def test_marking_an_action_done_records_the_evidence_and_tells_the_person_harmed(agreement_case, facilitator):
    action = actions(agreement_case)[0]
    day = timezone.localdate()
    conference_services.mark_action_done(
        action, facilitator, resolved_on=day, evidence_note="Apology letter seen", told_method="phone"
    )
    action.refresh_from_db()
    assert (action.status, action.resolved_on, action.evidence_note) == ("done", day, "Apology letter seen")
    notice = FollowUp.objects.get(case=agreement_case)
    assert notice.kind == FollowUp.Kind.ACTION_DONE_NOTICE
    assert notice.party == harmed(agreement_case)
    assert notice.action == action
    assert notice.method == "phone"
    assert notice.notes == "Told the person harmed the action is done: Action 1"
    assert notice.history.first().history_user == facilitator
    assert action.history.first().history_user == facilitator


def test_marking_an_action_missed_records_why_and_tells_no_one(agreement_case, facilitator):
    action = actions(agreement_case)[1]
    conference_services.mark_action_missed(
        action, facilitator, resolved_on=timezone.localdate(), evidence_note="Did not attend the course"
    )
    action.refresh_from_db()
    assert action.status == AgreementAction.Status.MISSED
    assert not FollowUp.objects.exists()


def test_an_action_is_resolved_once_with_evidence_and_a_real_date(agreement_case, facilitator):
    action = actions(agreement_case)[0]
    with pytest.raises(ValidationError) as refused:
        conference_services.mark_action_done(
            action, facilitator, resolved_on=None, evidence_note=" ", told_method="phone"
        )
    assert set(refused.value.message_dict) == {"resolved_on", "evidence_note"}
    with pytest.raises(ValidationError, match="today or in the past"):
        conference_services.mark_action_missed(
            action, facilitator, evidence_note="x", resolved_on=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="how the person harmed was told"):
        conference_services.mark_action_done(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="x", told_method="pigeon"
        )
    conference_services.mark_action_missed(action, facilitator, resolved_on=timezone.localdate(), evidence_note="x")
    with pytest.raises(ValidationError, match="already marked missed"):
        conference_services.mark_action_done(
            action, facilitator, resolved_on=timezone.localdate(), evidence_note="late after all", told_method="phone"
        )
    action.refresh_from_db()
    assert action.status == AgreementAction.Status.MISSED
    assert not FollowUp.objects.exists()


def test_only_the_cases_facilitators_and_managers_may_monitor(
    agreement_case, other_facilitator, police_referrer, manager
):
    action = actions(agreement_case)[0]
    for outsider in (other_facilitator, police_referrer):
        with pytest.raises(ActionRefused):
            conference_services.mark_action_done(
                action, outsider, resolved_on=timezone.localdate(), evidence_note="x", told_method="phone"
            )
        with pytest.raises(ActionRefused):
            conference_services.record_follow_up(
                agreement_case, outsider, party=None, at=timezone.now(), method="phone", notes="x"
            )
    conference_services.mark_action_done(
        action, manager, resolved_on=timezone.localdate(), evidence_note="x", told_method="letter"
    )
    assert FollowUp.objects.get().by == manager


def test_follow_up_contacts_are_recorded_while_monitoring(agreement_case, facilitator):
    follow_up = conference_services.record_follow_up(
        agreement_case,
        facilitator,
        party=responsible(agreement_case),
        at=timezone.now(),
        method="phone",
        notes="Says the letter is written",
        action=actions(agreement_case)[0],
    )
    assert follow_up.kind == FollowUp.Kind.MONITORING
    with pytest.raises(ValidationError) as refused:
        conference_services.record_follow_up(
            agreement_case, facilitator, party=None, at=timezone.now() + timedelta(days=2), method="fax", notes=""
        )
    assert set(refused.value.message_dict) == {"at", "method", "notes"}
    assert FollowUp.objects.count() == 1


def test_follow_ups_are_refused_before_monitoring(held_case, facilitator):
    refusal = r"only when the case is in agreement \(monitoring\); this case is in conferencing"
    with pytest.raises(ValidationError, match=refusal):
        conference_services.record_follow_up(
            held_case, facilitator, party=None, at=timezone.now(), method="phone", notes="x"
        )


def test_reminders_list_overdue_and_soon_due_open_actions_of_the_facilitators_cases(
    police_referrer, manager, facilitator, other_facilitator, django_assert_num_queries
):
    mine = to_agreement(refer(police_referrer), manager, facilitator, actions=4)
    theirs = to_agreement(refer(police_referrer), manager, other_facilitator, actions=1)
    today = timezone.localdate()
    first, second, third, fourth = actions(mine)
    # due_on is set in code: the walk's services refuse dates before the agreement was signed.
    for action, due in (
        (first, today - timedelta(days=3)),
        (second, today + timedelta(days=7)),
        (third, today + timedelta(days=8)),
        (fourth, today),
    ):
        AgreementAction.objects.filter(pk=action.pk).update(due_on=due)
    conference_services.mark_action_done(fourth, facilitator, resolved_on=today, evidence_note="x", told_method="phone")
    AgreementAction.objects.filter(pk=actions(theirs)[0].pk).update(due_on=today)

    with django_assert_num_queries(1):
        reminders = selectors.action_reminders(facilitator, today=today)
        assert [a.pk for a in reminders.overdue] == [first.pk]
        assert [a.pk for a in reminders.due_soon] == [second.pk]
        assert reminders.overdue[0].agreement.case.reference == mine.reference
    assert len(reminders) == 2
    theirs_due = selectors.action_reminders(other_facilitator, today=today).due_soon
    assert [a.pk for a in theirs_due] == [actions(theirs)[0].pk]
    assert not selectors.action_reminders(manager, today=today)


def test_reminders_include_cases_co_facilitated_and_leave_out_closed_ones(
    police_referrer, manager, facilitator, other_facilitator
):
    case = to_agreement(refer(police_referrer), manager, facilitator, actions=1)
    services.allocate(case, manager, facilitator=facilitator, co_facilitator=other_facilitator)
    today = timezone.localdate()
    action = actions(case)[0]
    AgreementAction.objects.filter(pk=action.pk).update(due_on=today + timedelta(days=1))
    assert [a.pk for a in selectors.action_reminders(other_facilitator, today=today).due_soon] == [action.pk]
    conference_services.mark_action_missed(action, facilitator, resolved_on=today, evidence_note="x")
    assert not selectors.action_reminders(facilitator, today=today)
