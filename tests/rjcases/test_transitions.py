"""Every transition, table-driven: allowed from each source for the right role; refused from every other
state and for every other role; each refusal leaves the case, its transition rows and its history as
they were."""

import pytest
from django.forms.models import model_to_dict

from conferences.models import AgreementAction
from rjcases import services
from rjcases.models import Case, Party
from rjcases.services import TransitionRefused
from tests.walk import hold_activity, refer, to_agreement, to_assessment, to_conferencing, to_preparation

STATES = [s.value for s in Case.State]
SOURCES = {
    "accept": ["referral"],
    "decline": ["referral"],
    "find_suitable": ["assessment"],
    "find_unsuitable": ["assessment"],
    "schedule_activity": ["preparation"],
    "cancel_activity": ["conferencing"],
    "record_agreement": ["conferencing"],
    "conclude": ["conferencing"],
    "complete": ["agreement"],
    "withdraw": ["referral", "assessment", "preparation", "conferencing", "agreement"],
    "reopen": ["closed"],
}
TARGETS = {
    "accept": "assessment",
    "decline": "closed",
    "find_suitable": "preparation",
    "find_unsuitable": "closed",
    "schedule_activity": "conferencing",
    "cancel_activity": "preparation",
    "record_agreement": "agreement",
    "conclude": "closed",
    "complete": "closed",
    "withdraw": "closed",
    "reopen": "assessment",
}
INPUTS = {
    "decline": {"reason": "Out of scope: no hate element"},
    "find_unsuitable": {"reason": "Risk cannot be managed"},
    "cancel_activity": {"reason": "Venue unavailable"},
    "conclude": {"outcome": "no_agreement_needed", "summary": "Apology given in person"},
    "complete": {"summary": "All actions checked"},
    "withdraw": {"withdrawn_by": "person harmed", "reason": "Moved away"},
    "reopen": {"reason": "New information from the police"},
}
PERSONAS = [
    "manager",
    "facilitator",
    "other_facilitator",
    "police_referrer",
    "other_police_referrer",
    "caseworker",
    "centre_staff",
    "administrator",
]


def allowed_personas(name: str, state: str) -> set[str]:
    if name in ("accept", "decline", "reopen"):
        return {"manager"}
    if name == "withdraw":
        return {"manager", "facilitator", "caseworker"} | ({"police_referrer"} if state == "referral" else set())
    return {"facilitator"}


@pytest.fixture
def people(
    request,
    manager,
    facilitator,
    other_facilitator,
    police_referrer,
    other_police_referrer,
    caseworker,
    centre_staff,
    administrator,
):
    return {name: locals()[name] for name in PERSONAS}


def new_case(people) -> Case:
    return refer(
        people["police_referrer"],
        parties=[
            services.PartyData(
                Party.Role.HARMED,
                "Amina",
                "Testharmed",
                {"caseworker": people["caseworker"], "address": "1 Harmed Street"},
            ),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible", {"address": "2 Responsible Road"}),
        ],
    )


def case_in(state: str, people, *, ready_for: str | None = None) -> Case:
    """A case in ``state``, walked through the services; ``ready_for`` meets that transition's guards."""
    manager, facilitator = people["manager"], people["facilitator"]
    case = new_case(people)
    if state == "referral":
        if ready_for in ("accept", "withdraw"):
            case = services.allocate(case, manager, facilitator=facilitator)
        return case
    if state == "closed":
        case = services.allocate(case, manager, facilitator=facilitator)
        return services.case_decline(case, manager, reason="Declined for the test")
    if state == "assessment":
        case = to_assessment(case, manager, facilitator)
        if ready_for == "find_suitable":
            from tests.walk import assess_and_consent

            assess_and_consent(case, facilitator)
        return case
    if state == "preparation":
        case = to_preparation(case, manager, facilitator)
        if ready_for == "schedule_activity":
            from tests.walk import plan_activity

            plan_activity(case, facilitator)
        return case
    if state == "conferencing":
        case = to_conferencing(case, manager, facilitator)
        if ready_for == "record_agreement":
            hold_activity(case, facilitator, agreement_actions=1)
        elif ready_for == "conclude":
            hold_activity(case, facilitator)
        return case
    if state == "agreement":
        case = to_agreement(case, manager, facilitator, actions=2)
        if ready_for == "complete":
            for action in case.current_agreement.actions.all():
                action.status = AgreementAction.Status.DONE
                action.save()
        return case
    raise AssertionError(state)


def snapshot(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return (
        model_to_dict(fresh, exclude=["possible_duplicate_of"]),
        fresh.state,
        list(fresh.transitions.values_list("id", "name")),
        fresh.history.count(),
        list(fresh.activities.values_list("id", "status")),
    )


def assert_refused(case, user, name, code) -> TransitionRefused:
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        services.take_transition(case, user, name, **INPUTS.get(name, {}))
    assert refused.value.code == code, (name, case.state, refused.value.reasons)
    assert refused.value.reasons
    assert all(r.strip() for r in refused.value.reasons)
    assert snapshot(case) == before, f"{name} refused from {case.state} changed something"
    return refused.value


ALLOWED = [(name, source) for name, sources in SOURCES.items() for source in sources]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_it_takes_each_transition_from_each_source_for_the_right_role(people, name, source):
    case = case_in(source, people, ready_for=name)
    history_before = case.history.count()
    user = people[sorted(allowed_personas(name, source))[0]]  # the others are checked on fresh cases below
    moved = services.take_transition(case, user, name, **INPUTS.get(name, {}))
    assert moved.state == TARGETS[name]
    assert Case.objects.get(pk=case.pk).state == TARGETS[name]
    row = moved.transitions.order_by("-id").first()
    assert (row.name, row.source, row.target, row.by) == (name, source, TARGETS[name], user)
    assert moved.history.count() == history_before + 1
    assert moved.history.first().history_change_reason.startswith(name)
    assert moved.history.first().history_user == user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source", "persona"),
    [
        (name, source, persona)
        for name, source in ALLOWED
        for persona in sorted(allowed_personas(name, source))
        if persona != sorted(allowed_personas(name, source))[0]
    ],
)
def test_every_allowed_role_can_take_it(people, name, source, persona):
    case = case_in(source, people, ready_for=name)
    moved = services.take_transition(case, people[persona], name, **INPUTS.get(name, {}))
    assert moved.state == TARGETS[name]


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_it_refuses_every_transition_not_allowed_from_the_state(people, state):
    case = case_in(state, people)
    for name, sources in SOURCES.items():
        if state in sources:
            continue
        for persona in ("manager", "facilitator"):
            assert_refused(case, people[persona], name, "state")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_it_refuses_every_other_role(people, name, source):
    case = case_in(source, people, ready_for=name)
    for persona in PERSONAS:
        if persona in allowed_personas(name, source):
            continue
        assert_refused(case, people[persona], name, "permission")


@pytest.mark.django_db
def test_a_facilitator_not_allocated_to_the_case_cannot_move_it(people):
    case = case_in("assessment", people, ready_for="find_suitable")
    assert_refused(case, people["other_facilitator"], "find_suitable", "permission")


@pytest.mark.django_db
def test_the_referrer_cannot_withdraw_once_the_case_is_accepted(people):
    case = case_in("assessment", people)
    assert_refused(case, people["police_referrer"], "withdraw", "permission")


# --- guards ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accept_needs_a_facilitator(people):
    case = case_in("referral", people)
    refusal = assert_refused(case, people["manager"], "accept", "guard")
    assert refusal.reasons == ["Allocate a facilitator before accepting the referral."]


@pytest.mark.django_db
def test_find_suitable_lists_every_missing_assessment_and_consent(people):
    case = case_in("assessment", people)
    refusal = assert_refused(case, people["facilitator"], "find_suitable", "guard")
    text = " ".join(refusal.reasons)
    assert "Assess Amina Testharmed" in text
    assert "Assess Kieran Testresponsible" in text
    assert "Record Amina Testharmed's written consent" in text


@pytest.mark.django_db
def test_find_suitable_needs_the_person_responsible_to_acknowledge_the_facts(people):
    from django.utils import timezone

    case = case_in("assessment", people)
    today = timezone.localdate()
    for party in case.parties.all():
        services.record_assessment(
            party,
            people["facilitator"],
            assessed_on=today,
            risk_level="low",
            willing=True,
            acknowledges_facts=False,
            accepts_responsibility=False,
        )
        services.record_consent(
            party, people["facilitator"], purpose="participate", given_on=today, method="signed_form"
        )
    refusal = assert_refused(case, people["facilitator"], "find_suitable", "guard")
    assert refusal.reasons == ["Kieran Testresponsible must acknowledge the basic facts and accept responsibility."]


@pytest.mark.django_db
def test_high_risk_needs_a_managers_sign_off_before_preparation(people):
    from django.utils import timezone

    from tests.walk import assess_and_consent

    case = case_in("assessment", people)
    assess_and_consent(case, people["facilitator"])
    harmer = case.parties.get(role=Party.Role.RESPONSIBLE)
    high = services.record_assessment(
        harmer,
        people["facilitator"],
        assessed_on=timezone.localdate(),
        risk_level="high",
        willing=True,
        acknowledges_facts=True,
        accepts_responsibility=True,
        mitigations="Separate waiting rooms",
    )
    refusal = assert_refused(case, people["facilitator"], "find_suitable", "guard")
    assert refusal.reasons == ["A manager must sign off the high risk assessed for Kieran Testresponsible."]
    with pytest.raises(services.ActionRefused):
        services.sign_off_assessment(high, people["facilitator"])
    services.sign_off_assessment(high, people["manager"], note="Mitigations adequate")
    assert services.case_find_suitable(case, people["facilitator"]).state == "preparation"


@pytest.mark.django_db
def test_withdrawn_consent_no_longer_counts(people):
    from django.utils import timezone

    case = case_in("assessment", people, ready_for="find_suitable")
    consent = case.parties.get(role=Party.Role.HARMED).consents.get()
    services.withdraw_consent(consent, people["facilitator"], withdrawn_on=timezone.localdate(), reason="Changed mind")
    refusal = assert_refused(case, people["facilitator"], "find_suitable", "guard")
    day = timezone.localdate()
    assert refusal.reasons == [
        f"Amina Testharmed withdrew consent to take part on {day.day} {day:%B %Y}. Record that "
        "they no longer take part, or withdraw the case."
    ]
    consent.refresh_from_db()
    assert consent.withdrawal_reason == "Changed mind"  # recorded, not deleted


@pytest.mark.django_db
def test_schedule_activity_needs_a_planned_activity(people):
    case = case_in("preparation", people)
    refusal = assert_refused(case, people["facilitator"], "schedule_activity", "guard")
    assert "Plan a restorative activity" in refusal.reasons[0]


@pytest.mark.django_db
def test_record_agreement_needs_the_activity_to_have_taken_place_and_an_action(people):
    case = case_in("conferencing", people)
    refusal = assert_refused(case, people["facilitator"], "record_agreement", "guard")
    assert "Record that the restorative activity took place first." in refusal.reasons
    hold_activity(case, people["facilitator"], agreement_actions=0)
    from conferences.models import Agreement

    Agreement.objects.create(case=case, activity=case.current_activity)
    refusal = assert_refused(case, people["facilitator"], "record_agreement", "guard")
    assert refusal.reasons == ["Add at least one action to the agreement."]


@pytest.mark.django_db
def test_complete_is_refused_while_an_action_is_open(people):
    case = case_in("agreement", people)
    first = case.current_agreement.actions.first()
    first.status = AgreementAction.Status.DONE
    first.save()
    refusal = assert_refused(case, people["facilitator"], "complete", "guard")
    assert refusal.reasons[0].startswith("Mark every action done or missed first (1 still open")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [
        (["done", "done"], "agreement_fulfilled"),
        (["done", "missed"], "agreement_partly_fulfilled"),
        (["missed", "missed"], "agreement_breached"),
    ],
)
def test_complete_derives_the_outcome_from_the_actions(people, statuses, outcome):
    case = case_in("agreement", people)
    for action, status in zip(case.current_agreement.actions.order_by("id"), statuses, strict=True):
        action.status = status
        action.save()
    closed = services.case_complete(case, people["facilitator"], summary="Checked")
    assert (closed.state, closed.outcome) == ("closed", outcome)
    assert closed.closed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "outcome"),
    [("decline", "referral_declined"), ("find_unsuitable", "not_suitable"), ("withdraw", "withdrawn")],
)
def test_closing_moves_record_their_outcome_and_reason(people, name, outcome):
    source = SOURCES[name][0]
    case = case_in(source, people, ready_for=name)
    user = people["manager"] if name == "decline" else people["facilitator"]
    closed = services.take_transition(case, user, name, **INPUTS[name])
    assert closed.outcome == outcome
    assert closed.outcome_reason == INPUTS[name]["reason"]
    assert closed.transitions.last().reason == INPUTS[name]["reason"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "missing"),
    [
        ("decline", {"reason": "  "}),
        ("find_unsuitable", {}),
        ("cancel_activity", {}),
        ("reopen", {"reason": ""}),
        ("withdraw", {"reason": "Moved away"}),
        ("conclude", {}),
        ("conclude", {"outcome": "agreement_fulfilled"}),
    ],
)
def test_it_refuses_a_move_without_the_fields_it_collects(people, name, missing):
    source = SOURCES[name][0]
    case = case_in(source, people, ready_for=name)
    user = people["manager"] if name in ("decline", "reopen") else people["facilitator"]
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        services.take_transition(case, user, name, **missing)
    assert refused.value.code == "input"
    assert refused.value.fields
    assert snapshot(case) == before


@pytest.mark.django_db
def test_cancel_activity_keeps_the_cancelled_plan_on_the_record(people):
    case = case_in("conferencing", people)
    activity = case.current_activity
    back = services.case_cancel_activity(case, people["facilitator"], reason="Venue flooded")
    assert back.state == "preparation"
    activity.refresh_from_db()
    assert (activity.status, activity.cancellation_reason) == ("cancelled", "Venue flooded")
    assert back.current_activity is None


@pytest.mark.django_db
def test_reopen_clears_the_outcome_but_keeps_the_record(people):
    case = case_in("closed", people)
    reopened = services.case_reopen(case, people["manager"], reason="New information")
    assert (reopened.state, reopened.outcome) == ("assessment", "")
    assert list(reopened.transitions.values_list("name", flat=True)) == ["refer", "decline", "reopen"]
    assert reopened.transitions.last().data["previous_outcome"] == "referral_declined"


@pytest.mark.django_db
def test_a_stale_copy_of_the_case_is_told_someone_else_changed_it(people):
    case = case_in("assessment", people, ready_for="find_suitable")
    stale = Case.objects.get(pk=case.pk)
    services.case_withdraw(case, people["manager"], withdrawn_by="Person harmed", reason="No longer wishes")
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        services.case_find_suitable(stale, people["facilitator"])
    assert refused.value.code == "concurrent"
    assert "changed by someone else" in refused.value.reasons[0]
    assert snapshot(case) == before


@pytest.mark.django_db
def test_available_transitions_lists_only_what_this_user_may_do_now(people):
    case = case_in("referral", people)
    names = lambda user: [t["name"] for t in services.available_transitions(case, user)]  # noqa: E731
    assert names(people["manager"]) == ["accept", "decline", "withdraw"]
    assert names(people["police_referrer"]) == ["withdraw"]
    assert names(people["other_police_referrer"]) == []
    assert names(people["facilitator"]) == []
    accept = services.available_transitions(case, people["manager"])[0]
    assert accept["problems"] == ["Allocate a facilitator before accepting the referral."]


@pytest.mark.django_db
def test_the_state_field_cannot_be_assigned(people):
    case = case_in("referral", people)
    with pytest.raises(AttributeError):
        case.state = "closed"
