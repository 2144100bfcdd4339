"""Planning, rescheduling, confirming, cancelling and holding the restorative activity."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conferences import services as conference_services
from conferences.models import Activity
from rjcases import services
from rjcases.models import Case, CaseTransition
from rjcases.services import ActionRefused, TransitionRefused
from tests.conferences.conftest import harmed, responsible
from tests.walk import plan_activity


def plan(case, user, **overrides):
    data = {
        "kind": Activity.Kind.DIRECT_CONFERENCE,
        "scheduled_for": timezone.now() + timedelta(days=5),
        "venue": "Community room, Stretford library",
        "lead_facilitator": case.facilitator,
        "invited": list(case.parties.all()),
    }
    data.update(overrides)
    return conference_services.plan_activity(case, user, **data)


def test_a_planned_activity_records_everything_asked_for(prep_case, facilitator, other_facilitator):
    activity = plan(
        prep_case,
        facilitator,
        duration_minutes=120,
        co_facilitator=other_facilitator,
        others_invited="Two members of the residents' association",
        interpreter_booked=True,
        interpreter_language="Polish",
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED
    assert activity.lead_facilitator == facilitator
    assert activity.co_facilitator == other_facilitator
    assert set(activity.invited.all()) == set(prep_case.parties.all())
    assert activity.interpreter_language == "Polish"
    assert activity.history.first().history_user == facilitator
    assert prep_case.current_activity == activity


@pytest.mark.parametrize(
    "venue",
    [
        "1 Harmed Street, Stretford",
        "1 harmed street",
        "The front room, 1 HARMED STREET, Stretford",
        "2 Responsible Road",
        "Flat above the shop, M32 0TH",
        "m320th",
    ],
)
def test_it_refuses_a_venue_that_is_a_partys_home(prep_case, facilitator, venue):
    services.update_party(harmed(prep_case), facilitator, postcode="M32 0TH")
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, venue=venue)
    assert "home address" in str(refused.value.message_dict["venue"])
    assert "Choose a neutral venue" in str(refused.value.message_dict["venue"])
    assert not prep_case.activities.exists()


def test_the_refusal_names_whose_home_it_is(prep_case, facilitator):
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, venue="2 Responsible Road, Sale")
    assert refused.value.message_dict["venue"] == [
        "The venue is the home address of Kieran Testresponsible (person responsible). "
        "Choose a neutral venue, such as a community room."
    ]


@pytest.mark.parametrize(
    "venue", ["Community room, Stretford library", "11 Harmed Street", "Harmed Street Church Hall"]
)
def test_a_neutral_venue_is_accepted(prep_case, facilitator, venue):
    assert plan(prep_case, facilitator, venue=venue).venue == venue


def test_a_reschedule_to_a_home_is_refused_too(prep_case, facilitator):
    activity = plan(prep_case, facilitator)
    with pytest.raises(ValidationError, match="home address"):
        conference_services.reschedule_activity(
            activity,
            facilitator,
            kind=activity.kind,
            scheduled_for=timezone.now() + timedelta(days=9),
            venue="1 Harmed Street, Stretford",
            reason="Room not available",
        )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_a_face_to_face_conference_needs_a_venue_and_indirect_work_a_method(prep_case, facilitator):
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, venue="", scheduled_for=None)
    assert set(refused.value.message_dict) == {"venue", "scheduled_for"}
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, kind=Activity.Kind.LETTER, venue="", method="")
    assert "method" in refused.value.message_dict


def test_it_refuses_a_co_facilitator_who_is_the_lead_or_not_a_facilitator(prep_case, facilitator, manager):
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, co_facilitator=facilitator)
    assert refused.value.message_dict["co_facilitator"] == ["The co-facilitator must be someone other than the lead."]
    with pytest.raises(ValidationError) as refused:
        plan(prep_case, facilitator, co_facilitator=manager)
    assert "is not a facilitator" in refused.value.message_dict["co_facilitator"][0]


def test_it_refuses_a_party_of_another_case(prep_case, facilitator, police_referrer):
    from tests.walk import refer

    stranger = refer(police_referrer).parties.first()
    with pytest.raises(ValidationError, match="part of this case"):
        plan(prep_case, facilitator, invited=[stranger])


def test_a_second_plan_is_refused_while_one_is_planned(prep_case, facilitator):
    plan(prep_case, facilitator)
    with pytest.raises(ValidationError, match="reschedule it instead"):
        plan(prep_case, facilitator)
    assert prep_case.activities.count() == 1


def test_planning_is_refused_outside_preparation(conferencing_case, facilitator):
    with pytest.raises(ValidationError, match="only when the case is in preparation; this case is in conferencing"):
        plan(conferencing_case, facilitator)


def test_only_the_cases_facilitators_and_managers_may_plan(prep_case, other_facilitator, police_referrer, manager):
    for outsider in (other_facilitator, police_referrer):
        with pytest.raises(ActionRefused):
            plan(prep_case, outsider)
    assert not prep_case.activities.exists()
    assert plan(prep_case, manager).status == Activity.Status.PLANNED


def test_schedule_with_no_plan_is_refused_with_a_reason(prep_case, facilitator):
    with pytest.raises(TransitionRefused) as refused:
        services.case_schedule_activity(prep_case, facilitator)
    assert refused.value.code == "guard"
    assert refused.value.reasons == ["Plan a restorative activity (type, date, and place or method) first."]
    prep_case.refresh_from_db()
    assert prep_case.state == Case.State.PREPARATION
    assert not CaseTransition.objects.filter(case=prep_case, name="schedule_activity").exists()


def test_rescheduling_keeps_the_earlier_plan_on_the_record(conferencing_case, facilitator):
    first = conferencing_case.current_activity
    later = timezone.now() + timedelta(days=21)
    second = conference_services.reschedule_activity(
        first,
        facilitator,
        kind=Activity.Kind.SHUTTLE,
        scheduled_for=later,
        method="Shuttle by phone",
        invited=list(conferencing_case.parties.all()),
        reason="The person harmed asked for indirect contact",
    )
    first.refresh_from_db()
    assert first.status == Activity.Status.SUPERSEDED
    assert second.supersedes == first
    assert first.superseded_by == second
    assert conferencing_case.current_activity == second
    assert conferencing_case.activities.count() == 2
    assert first.history.first().history_change_reason.startswith("rescheduled: The person harmed")
    # Still conferencing: the new plan stands in for the confirmed one.
    conferencing_case.refresh_from_db()
    assert conferencing_case.state == Case.State.CONFERENCING


def test_a_reschedule_needs_a_reason_and_a_planned_activity(conferencing_case, facilitator):
    first = conferencing_case.current_activity
    with pytest.raises(ValidationError, match="why the activity is being rescheduled"):
        conference_services.reschedule_activity(
            first, facilitator, kind=first.kind, scheduled_for=first.scheduled_for, venue=first.venue, reason=" "
        )
    conference_services.reschedule_activity(
        first, facilitator, kind=first.kind, scheduled_for=first.scheduled_for, venue=first.venue, reason="Room change"
    )
    with pytest.raises(ValidationError, match="Only a planned activity"):
        conference_services.reschedule_activity(
            first, facilitator, kind=first.kind, scheduled_for=first.scheduled_for, venue=first.venue, reason="Again"
        )


def test_cancelling_through_the_workflow_marks_the_activity_cancelled(conferencing_case, facilitator):
    activity = conferencing_case.current_activity
    case = services.case_cancel_activity(conferencing_case, facilitator, reason="Person responsible unwell")
    activity.refresh_from_db()
    assert case.state == Case.State.PREPARATION
    assert activity.status == Activity.Status.CANCELLED
    assert case.current_activity is None
    # A new plan may follow, and the cancelled one stays on the record.
    new = plan_activity(case, facilitator)
    assert case.current_activity == new
    assert case.activities.count() == 2


def test_recording_that_it_took_place(conferencing_case, facilitator):
    activity = conferencing_case.current_activity
    conference_services.record_activity_took_place(
        activity,
        facilitator,
        took_place_on=timezone.localdate(),
        attended=[harmed(conferencing_case)],
        summary="The person harmed read a statement.",
        agreement_reached=True,
        others_attended="A neighbour",
    )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.TOOK_PLACE
    assert list(activity.attended.all()) == [harmed(conferencing_case)]
    assert activity.others_attended == "A neighbour"
    assert activity.agreement_reached is True
    assert activity.history.first().history_user == facilitator


def test_took_place_needs_its_facts_and_no_future_date(conferencing_case, facilitator):
    activity = conferencing_case.current_activity
    with pytest.raises(ValidationError) as refused:
        conference_services.record_activity_took_place(
            activity, facilitator, took_place_on=None, attended=[], summary=" ", agreement_reached=None
        )
    assert set(refused.value.message_dict) == {"took_place_on", "attended", "summary", "agreement_reached"}
    with pytest.raises(ValidationError, match="today or in the past"):
        conference_services.record_activity_took_place(
            activity,
            facilitator,
            took_place_on=timezone.localdate() + timedelta(days=1),
            attended=[responsible(conferencing_case)],
            summary="x",
            agreement_reached=False,
        )
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED


def test_took_place_is_refused_before_the_activity_is_confirmed(prep_case, facilitator):
    activity = plan_activity(prep_case, facilitator)
    with pytest.raises(ValidationError, match="only when the case is in conferencing"):
        conference_services.record_activity_took_place(
            activity,
            facilitator,
            took_place_on=timezone.localdate(),
            attended=list(prep_case.parties.all()),
            summary="x",
            agreement_reached=False,
        )


def test_preparation_contacts_are_recorded_per_party(prep_case, facilitator, other_facilitator):
    contact = conference_services.add_preparation_contact(
        prep_case,
        facilitator,
        party=harmed(prep_case),
        held_on=timezone.localdate(),
        method="in_person",
        attendees="Amina, her sister, Fay",
        notes="Talked through the conference",
        interpreter_arranged=True,
        adjustments_arranged="Ground floor room",
    )
    assert contact.history.first().history_user == facilitator
    assert prep_case.preparation_contacts.get().adjustments_arranged == "Ground floor room"
    with pytest.raises(ActionRefused):
        conference_services.add_preparation_contact(
            prep_case, other_facilitator, party=harmed(prep_case), held_on=timezone.localdate(), method="phone"
        )
    with pytest.raises(ValidationError, match="today or in the past"):
        conference_services.add_preparation_contact(
            prep_case,
            facilitator,
            party=harmed(prep_case),
            held_on=timezone.localdate() + timedelta(days=2),
            method="phone",
        )
    assert prep_case.preparation_contacts.count() == 1
