"""Reach a stage of the workflow by walking the real services, never by writing the state field."""

from datetime import timedelta

from django.utils import timezone

from rjcases import services
from rjcases.models import Case, Consent, ContactAttempt, HateStrand, Party, ReferralRoute
from tests.factories import incident_data, reference


def refer(referrer, *, route_code="police", strands=("race",), parties=None, **case_fields) -> Case:
    if route_code == "reporting-centre":
        case_fields.setdefault("report_kind", "assisted")
    if route_code == "self-referral":
        case_fields.setdefault("referrer_name", "The person harmed")
    anonymous = case_fields.get("report_kind") == "anonymous"
    parties = (
        parties
        if parties is not None
        else [
            services.PartyData(Party.Role.HARMED, "Anonymous")
            if anonymous
            else services.PartyData(
                Party.Role.HARMED,
                "Amina",
                "Testharmed",
                {"address": "1 Harmed Street, Stretford", "phone": "07700 900001", "email": "harmed@example.org"},
            ),
            services.PartyData(
                Party.Role.RESPONSIBLE,
                "Kieran",
                "Testresponsible",
                {"address": "2 Responsible Road, Sale", "phone": "07700 900002", "email": "responsible@example.org"},
            ),
        ]
    )
    incident = case_fields.pop("incident", None) or incident_data()
    return services.create_referral(
        referrer,
        route=reference(ReferralRoute, route_code),
        incident=incident,
        strands=[reference(HateStrand, code) for code in strands],
        parties=parties,
        **case_fields,
    )


def to_assessment(case, manager, facilitator) -> Case:
    case = services.allocate(case, manager, facilitator=facilitator)
    return services.case_accept(case, manager)


def assess_and_consent(case, facilitator, *, risk="low") -> None:
    today = timezone.localdate()
    for party in case.parties.exclude(role=Party.Role.SUPPORTER):
        services.record_assessment(
            party,
            facilitator,
            assessed_on=today,
            risk_level=risk,
            willing=True,
            acknowledges_facts=True if party.role == Party.Role.RESPONSIBLE else None,
            accepts_responsibility=True if party.role == Party.Role.RESPONSIBLE else None,
        )
        services.record_consent(
            party, facilitator, purpose=Consent.Purpose.PARTICIPATE, given_on=today, method=Consent.Method.SIGNED_FORM
        )


def to_preparation(case, manager, facilitator) -> Case:
    case = to_assessment(case, manager, facilitator)
    assess_and_consent(case, facilitator)
    return services.case_find_suitable(case, facilitator)


FACE_TO_FACE = ("direct_conference", "community_conference")


def plan_activity(case, facilitator, kind="direct_conference", **overrides):
    """Plan the activity through conferences.services (the case must be in preparation)."""
    from conferences import services as conference_services

    participants = list(case.parties.filter(participating=True))
    plan = {
        "kind": kind,
        "scheduled_for": timezone.now() + timedelta(days=7),
        "duration_minutes": 90,
        "venue": "Community room, Stretford library" if kind in FACE_TO_FACE else "",
        "method": "" if kind in FACE_TO_FACE else "Shuttle by phone",
        "lead_facilitator": facilitator,
        "invited": participants,
    }
    plan.update(overrides)
    return conference_services.plan_activity(case, facilitator, **plan)


def book_interpreters(case, facilitator, *, confirmed=True) -> list:
    """Book (and confirm) an interpreter for everyone invited to the planned activity who needs one, through
    conferences.services, so that ``schedule_activity`` may be taken."""
    from conferences import services as conference_services
    from rjcases.needs import interpreter_language_for, is_bsl, needs_interpreter

    activity = case.current_activity
    bookings = []
    for party in conference_services.interpreter_participants(activity):
        if needs_interpreter(party):
            bookings.append(
                conference_services.book_interpreter(
                    activity,
                    facilitator,
                    party=party,
                    provider="Example Interpreting Agency",
                    registration_number="1234567" if is_bsl(interpreter_language_for(party)) else "",
                    cost_pence=12000,
                    confirmed=confirmed,
                )
            )
    return bookings


def to_conferencing(case, manager, facilitator, kind="direct_conference") -> Case:
    case = to_preparation(case, manager, facilitator)
    plan_activity(case, facilitator, kind)
    book_interpreters(case, facilitator)
    return services.case_schedule_activity(case, facilitator)


def hold_activity(case, facilitator, *, agreement_actions=0, agreement_reached=None):
    """Record that the confirmed activity took place and, with ``agreement_actions``, draft a signed
    agreement with that many actions, all through conferences.services."""
    from conferences import services as conference_services
    from conferences.models import AgreementAction

    today = timezone.localdate()
    participants = list(case.parties.filter(participating=True))
    activity = conference_services.record_activity_took_place(
        case.current_activity,
        facilitator,
        took_place_on=today,
        attended=participants,
        summary="Both parties spoke and listened.",
        agreement_reached=bool(agreement_actions) if agreement_reached is None else agreement_reached,
    )
    if agreement_actions:
        conference_services.save_agreement(case, facilitator, signed_on=today, signatories=participants)
        harmer = next((p for p in participants if p.role == Party.Role.RESPONSIBLE), None)
        for i in range(agreement_actions):
            conference_services.add_action(
                case,
                facilitator,
                kind=AgreementAction.Kind.APOLOGY,
                what=f"Action {i + 1}",
                due_on=today + timedelta(days=14),
                how_checked="Facilitator checks",
                responsible_party=harmer,
            )
    return activity


def to_agreement(case, manager, facilitator, actions=2) -> Case:
    case = to_conferencing(case, manager, facilitator)
    hold_activity(case, facilitator, agreement_actions=actions)
    return services.case_record_agreement(case, facilitator)


CASE_NOTE = "Spoke to the person harmed's sister <b>about</b> the venue."
CONTACT_NOTE = "Left a voicemail & a text."


def case_in_every_section(referrer, manager, facilitator) -> Case:
    """A case with something in each section of the case page: an agreement (so letters, an activity and its
    actions), a note and a contact attempt with the person harmed (both with text that must be escaped)."""
    case = to_agreement(refer(referrer), manager, facilitator)
    services.add_note(case, facilitator, body=CASE_NOTE)
    services.record_contact(
        case,
        facilitator,
        party=case.parties.get(role=Party.Role.HARMED),
        at=timezone.now() - timedelta(hours=2),
        method=ContactAttempt.Method.PHONE,
        result=ContactAttempt.Result.NO_ANSWER,
        notes=CONTACT_NOTE,
    )
    return case
