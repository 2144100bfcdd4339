"""Withdrawn consent stops that person's part: every forward move refuses, naming the person and the date, and
changes nothing, until the facilitator records that they no longer take part (where the process can go on
without them) or withdraws the case. Consent to share with the police and to be asked for feedback, likewise."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from conferences import selectors as work_selectors
from conferences import services as work
from conferences.models import Activity, AgreementAction
from rjcases import selectors, services
from rjcases.guards import withdrawals_in_force
from rjcases.models import Case, CaseTransition, Consent, Party
from rjcases.services import TransitionRefused
from tests.api.conftest import client_for
from tests.walk import assess_and_consent, hold_activity, plan_activity, refer, to_assessment

pytestmark = pytest.mark.django_db

WITHDRAWN_ON = timezone.localdate() - timedelta(days=2)


def long_date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def two_harmed_case(police_referrer):
    """Amina and Bea harmed, Kieran responsible."""
    return refer(
        police_referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Amina", "Testharmed", {"address": "1 Harmed Street, Stretford"}),
            services.PartyData(Party.Role.HARMED, "Bea", "Secondharmed", {"address": "3 Other Street, Urmston"}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible", {"address": "2 Responsible Road"}),
        ],
    )


def person(case, first_name) -> Party:
    return case.parties.get(first_name=first_name)


def withdraw(party, user, purpose=Consent.Purpose.PARTICIPATE):
    consent = party.consents.get(purpose=purpose, withdrawn_on__isnull=True)
    return services.withdraw_consent(consent, user, withdrawn_on=WITHDRAWN_ON, reason="Does not want to go on.")


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (model_to_dict(case), case.state, CaseTransition.objects.filter(case=case).count(), case.history.count())


def assessment_case(people):
    case = to_assessment(two_harmed_case(people["police"]), people["manager"], people["facilitator"])
    assess_and_consent(case, people["facilitator"])
    return case


def preparation_case(people):
    case = services.case_find_suitable(assessment_case(people), people["facilitator"])
    return case


def conferencing_case(people, invite_all=True):
    case = preparation_case(people)
    invited = case.parties.all() if invite_all else case.parties.exclude(first_name="Bea")
    plan_activity(case, people["facilitator"], invited=list(invited))
    return services.case_schedule_activity(case, people["facilitator"])


def agreement_case(people):
    case = conferencing_case(people)
    hold_activity(case, people["facilitator"], agreement_actions=1)
    return services.case_record_agreement(case, people["facilitator"])


@pytest.fixture
def people(manager, facilitator, police_referrer):
    return {"manager": manager, "facilitator": facilitator, "police": police_referrer}


def _find_suitable(people):
    return assessment_case(people), "Bea", {}


def _schedule_activity(people):
    case = preparation_case(people)
    plan_activity(case, people["facilitator"], invited=list(case.parties.exclude(first_name="Bea")))
    return case, "Bea", {}


def _record_agreement(people):
    case = conferencing_case(people)
    hold_activity(case, people["facilitator"], agreement_actions=1)
    return case, "Kieran", {}


def _conclude(people):
    case = conferencing_case(people)
    hold_activity(case, people["facilitator"], agreement_reached=False)
    return case, "Amina", {"outcome": Case.Outcome.NO_AGREEMENT_REACHED.value}


def _complete(people):
    case = agreement_case(people)
    for action in AgreementAction.objects.filter(agreement__case=case):
        work.mark_action_done(
            action,
            people["facilitator"],
            resolved_on=timezone.localdate(),
            evidence_note="Letter of apology seen",
            told_method="phone",
        )
    return case, "Kieran", {"summary": "All done"}


FORWARD_MOVES = {
    "find_suitable": _find_suitable,
    "schedule_activity": _schedule_activity,
    "record_agreement": _record_agreement,
    "conclude": _conclude,
    "complete": _complete,
}


@pytest.mark.parametrize("name", FORWARD_MOVES)
def test_it_refuses_each_forward_move_naming_who_withdrew_then_allows_it_once_they_no_longer_take_part(people, name):
    case, who, inputs = FORWARD_MOVES[name](people)
    party = person(case, who)
    withdraw(party, people["facilitator"])
    before = snapshot(case)
    case = Case.objects.get(pk=case.pk)

    with pytest.raises(TransitionRefused) as refused:
        services.take_transition(case, people["facilitator"], name, **inputs)

    expected = f"{party.display_name} withdrew consent to take part on {long_date(WITHDRAWN_ON)}."
    assert any(expected in reason for reason in refused.value.reasons), refused.value.reasons
    assert snapshot(case) == before
    assert any(expected in problem for problem in services.guard_problems(case, name))

    services.record_no_longer_taking_part(party, people["facilitator"], "Withdrew consent after a hard week.")
    case = services.take_transition(Case.objects.get(pk=case.pk), people["facilitator"], name, **inputs)
    assert case.state != before[1]


def test_the_only_person_responsible_cannot_be_dropped_before_the_activity(people):
    case = preparation_case(people)
    kieran = person(case, "Kieran")
    withdraw(kieran, people["facilitator"])

    with pytest.raises(ValidationError, match="only person responsible still taking part"):
        services.record_no_longer_taking_part(kieran, people["facilitator"], "Withdrew.")

    kieran.refresh_from_db()
    assert kieran.participating
    assert services.stop_taking_part_problem(kieran).endswith("Withdraw the case instead.")
    # Withdrawing the case is still open to the facilitator.
    case = services.case_withdraw(
        Case.objects.get(pk=case.pk),
        people["facilitator"],
        withdrawn_by="The person responsible",
        reason="Withdrew consent",
    )
    assert case.outcome == Case.Outcome.WITHDRAWN


def test_the_party_form_cannot_end_a_person_s_part_silently(people, police_referrer):
    """Not taking part is recorded with when and why (record_no_longer_taking_part): the person's form and the
    API's PATCH cannot untick it, even where the process could go on without them."""
    case = to_assessment(two_harmed_case(police_referrer), people["manager"], people["facilitator"])
    bea = person(case, "Bea")
    before = snapshot(case), bea.history.count()
    with pytest.raises(ValidationError, match="Record that Bea Secondharmed no longer takes part on its own page"):
        services.update_party(bea, people["facilitator"], participating=False)
    api = client_for(people["facilitator"]).patch(
        f"/api/v1/cases/{case.reference}/parties/{bea.pk}/", {"participating": False}, format="json"
    )
    assert api.status_code == 422
    assert "no longer takes part on its own page" in api.json()["error"]["fields"]["participating"][0]
    bea.refresh_from_db()
    assert bea.participating
    assert (snapshot(case), bea.history.count()) == before


def test_no_longer_taking_part_is_on_the_history_and_the_timeline(people):
    case = assessment_case(people)
    bea = person(case, "Bea")
    withdraw(bea, people["facilitator"])
    services.record_no_longer_taking_part(bea, people["facilitator"], "Moved away from the area.")

    bea.refresh_from_db()
    assert not bea.participating
    assert bea.stopped_taking_part_on == timezone.localdate()
    assert bea.stopped_taking_part_reason == "Moved away from the area."
    assert bea.history.first().history_change_reason.startswith("no longer taking part")
    titles = [entry.title for entry in selectors.timeline(case, people["facilitator"])]
    assert "No longer taking part: Bea Secondharmed" in titles
    assert any(t.startswith("Consent withdrawn: Bea Secondharmed, to take part") for t in titles)


def test_the_case_page_says_what_the_facilitator_can_do_now(client, people):
    case = assessment_case(people)
    bea = person(case, "Bea")
    withdraw(bea, people["facilitator"])
    client.force_login(people["facilitator"])

    page = client.get(reverse("rjcases:people", args=[case.reference])).content.decode()  # the case's people

    assert f"Bea Secondharmed withdrew consent to take part on {long_date(WITHDRAWN_ON)}" in page
    assert reverse("rjcases:no_longer_taking_part", args=[case.reference, bea.pk]) in page
    assert reverse("rjcases:transition", args=[case.reference, "withdraw"]) in page

    response = client.post(
        reverse("rjcases:no_longer_taking_part", args=[case.reference, bea.pk]), {"reason": "Does not want to go on."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("rjcases:people", args=[case.reference]) + "#people"
    bea.refresh_from_db()
    assert not bea.participating


def test_the_page_refuses_to_drop_the_only_person_responsible(client, people):
    case = preparation_case(people)
    kieran = person(case, "Kieran")
    withdraw(kieran, people["facilitator"])
    client.force_login(people["facilitator"])
    url = reverse("rjcases:no_longer_taking_part", args=[case.reference, kieran.pk])

    assert "Withdraw the case instead" in client.get(url).content.decode()
    response = client.post(url, {"reason": "Withdrew."})
    assert response.status_code == 200
    kieran.refresh_from_db()
    assert kieran.participating


def test_a_planned_activity_inviting_someone_who_withdrew_is_flagged_and_cannot_be_confirmed(client, people):
    case = preparation_case(people)
    activity = plan_activity(case, people["facilitator"])  # invites everyone, Bea included
    bea = person(case, "Bea")
    withdraw(bea, people["facilitator"])
    services.record_no_longer_taking_part(bea, people["facilitator"], "Withdrew consent.")
    client.force_login(people["facilitator"])

    page = client.get(reverse("conferences:activity", args=[case.reference])).content.decode()
    assert "This activity invites Bea Secondharmed, who no longer takes part" in page
    with pytest.raises(TransitionRefused, match="invites Bea Secondharmed"):
        services.case_schedule_activity(Case.objects.get(pk=case.pk), people["facilitator"])

    work.reschedule_activity(
        activity,
        people["facilitator"],
        kind=activity.kind,
        scheduled_for=activity.scheduled_for,
        venue=activity.venue,
        invited=list(case.parties.exclude(pk=bea.pk)),
        reason="Without Bea",
    )
    assert Activity.objects.filter(case=case, status=Activity.Status.PLANNED).get().invited.count() == 2
    assert (
        services.case_schedule_activity(Case.objects.get(pk=case.pk), people["facilitator"]).state
        == Case.State.CONFERENCING
    )


def test_guards_read_consents_in_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    case = assessment_case(people)
    for first_name in ("Amina", "Bea", "Kieran"):
        services.record_consent(
            person(case, first_name),
            people["facilitator"],
            purpose=Consent.Purpose.FEEDBACK,
            given_on=timezone.localdate(),
            method=Consent.Method.SIGNED_FORM,
        )
    withdraw(person(case, "Bea"), people["facilitator"])
    case = Case.objects.get(pk=case.pk)
    with django_assert_max_num_queries(2):  # the parties, then their consents: not one query per person
        assert [p.first_name for p, _day in withdrawals_in_force(case)] == ["Bea"]


# ---------------------------------------------------------------------------------------------------
# Consent to share with the police


def closed_case(people):
    case = conferencing_case(people)
    hold_activity(case, people["facilitator"], agreement_reached=False)
    return services.case_conclude(
        Case.objects.get(pk=case.pk), people["facilitator"], outcome=Case.Outcome.NO_AGREEMENT_REACHED
    )


def test_withdrawing_police_sharing_hides_the_outcome_from_the_police(client, people):
    case = closed_case(people)
    amina = person(case, "Amina")
    services.record_consent(
        amina,
        people["facilitator"],
        purpose=Consent.Purpose.SHARE_WITH_POLICE,
        given_on=timezone.localdate(),
        method=Consent.Method.SIGNED_FORM,
    )
    client.force_login(people["police"])
    detail = reverse("rjcases:detail", args=[case.reference])
    label = Case.Outcome.NO_AGREEMENT_REACHED.label
    assert label in client.get(detail).content.decode()

    withdraw(amina, people["facilitator"], purpose=Consent.Purpose.SHARE_WITH_POLICE)

    for url in (
        detail,
        reverse("rjcases:list"),
        reverse("dashboard"),
        reverse("rjcases:timeline", args=[case.reference]),
    ):
        page = client.get(url).content.decode()
        assert label not in page, url
    assert "Closed" in client.get(detail).content.decode()
    api = client_for(people["police"])
    body = api.get(reverse("api:case-detail", args=[case.reference])).json()
    assert (body["state"], body["outcome"], body["outcome_label"]) == ("closed", "", "")
    assert body["activity_took_place"] is False
    listed = api.get(reverse("api:case-list")).json()["results"]
    assert [c["outcome"] for c in listed if c["reference"] == case.reference] == [""]
    # The RJ service still sees it, and the withdrawal is on the timeline.
    client.force_login(people["facilitator"])
    assert label in client.get(detail).content.decode()
    titles = [e.title for e in selectors.timeline(case, people["facilitator"])]
    assert "Consent withdrawn: Amina Testharmed, to share information with the police" in titles


# ---------------------------------------------------------------------------------------------------
# Consent to be contacted for feedback


def test_withdrawing_feedback_consent_takes_the_person_off_feedback_requests(people):
    case = closed_case(people)
    bea = person(case, "Bea")
    services.record_consent(
        bea,
        people["facilitator"],
        purpose=Consent.Purpose.FEEDBACK,
        given_on=timezone.localdate(),
        method=Consent.Method.SIGNED_FORM,
    )
    asked, _given, _wellbeing = work_selectors.feedback_for_page(case, people["facilitator"])
    assert bea in asked

    withdraw(bea, people["facilitator"], purpose=Consent.Purpose.FEEDBACK)

    asked, _given, _wellbeing = work_selectors.feedback_for_page(case, people["facilitator"])
    assert bea not in asked
    assert person(case, "Amina") in asked
    with pytest.raises(ValidationError, match="withdrew consent to be contacted for feedback"):
        work.record_feedback(case, people["facilitator"], party=bea, satisfied=True)
