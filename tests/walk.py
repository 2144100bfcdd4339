"""Reach a stage of the workflow by walking the real services, never by writing the state field."""

from datetime import timedelta

from django.utils import timezone

from rjcases import services
from rjcases.models import Case, Consent, HateStrand, Party, ReferralRoute
from tests.factories import incident_data, reference


def refer(referrer, *, route_code="police", strands=("race",), parties=None, **case_fields) -> Case:
    parties = parties if parties is not None else [
        services.PartyData(Party.Role.HARMED, "Amina", "Testharmed",
                           {"address": "1 Harmed Street, Stretford", "phone": "07700 900001",
                            "email": "harmed@example.org"}),
        services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Testresponsible",
                           {"address": "2 Responsible Road, Sale", "phone": "07700 900002",
                            "email": "responsible@example.org"}),
    ]
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
            party, facilitator, assessed_on=today, risk_level=risk, willing=True,
            acknowledges_facts=True if party.role == Party.Role.RESPONSIBLE else None,
            accepts_responsibility=True if party.role == Party.Role.RESPONSIBLE else None,
        )
        services.record_consent(party, facilitator, purpose=Consent.Purpose.PARTICIPATE, given_on=today,
                                method=Consent.Method.SIGNED_FORM)


def to_preparation(case, manager, facilitator) -> Case:
    case = to_assessment(case, manager, facilitator)
    assess_and_consent(case, facilitator)
    return services.case_find_suitable(case, facilitator)


def plan_activity(case, facilitator, kind="direct_conference"):
    from conferences.models import Activity

    activity = Activity.objects.create(
        case=case, kind=kind, scheduled_for=timezone.now() + timedelta(days=7),
        venue="Community room, Stretford library" if kind in ("direct_conference", "community_conference") else "",
        method="" if kind in ("direct_conference", "community_conference") else "Shuttle by phone",
        lead_facilitator=facilitator,
    )
    return activity


def to_conferencing(case, manager, facilitator, kind="direct_conference") -> Case:
    case = to_preparation(case, manager, facilitator)
    plan_activity(case, facilitator, kind)
    return services.case_schedule_activity(case, facilitator)


def hold_activity(case, facilitator, *, agreement_actions=0):
    from conferences.models import Activity, Agreement, AgreementAction

    activity = case.current_activity
    activity.status = Activity.Status.TOOK_PLACE
    activity.took_place_on = timezone.localdate()
    activity.summary = "Both parties spoke and listened."
    activity.agreement_reached = bool(agreement_actions)
    activity.save()
    if agreement_actions:
        agreement = Agreement.objects.create(case=case, activity=activity, signed_on=timezone.localdate())
        for i in range(agreement_actions):
            AgreementAction.objects.create(
                agreement=agreement, kind=AgreementAction.Kind.APOLOGY, what=f"Action {i + 1}",
                due_on=timezone.localdate() + timedelta(days=14), how_checked="Facilitator checks",
            )
    return activity


def to_agreement(case, manager, facilitator, actions=2) -> Case:
    case = to_conferencing(case, manager, facilitator)
    hold_activity(case, facilitator, agreement_actions=actions)
    return services.case_record_agreement(case, facilitator)
