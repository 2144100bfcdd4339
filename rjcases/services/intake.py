"""Referral intake: one new case from any route, with its incident and parties."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts import roles
from rjcases import clocks
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, CaseReferenceSequence, CaseTransition, Incident, normalise_postcode
from rjcases.services.casework import add_party


def next_reference(year: int) -> str:
    """The next case reference for ``year``, e.g. RJ-2026-00042: a counter, so it says nothing of the case."""
    sequence, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"RJ-{year}-{sequence.last_number:05d}"


def find_possible_duplicates(case: Case) -> list[Case]:
    """Other cases with the same crime reference, or a party of the same name and the same incident date."""
    incident = case.incident
    query = Q(pk__in=[])
    if incident.crime_reference:
        query |= Q(incident__crime_reference__iexact=incident.crime_reference)
    names = [(p.first_name, p.last_name) for p in case.parties.all() if p.last_name]
    if names:
        name_q = Q(pk__in=[])
        for first, last in names:
            name_q |= Q(parties__first_name__iexact=first, parties__last_name__iexact=last)
        query |= name_q & Q(incident__occurred_from__date=timezone.localtime(incident.occurred_from).date())
    return list(Case.objects.filter(query).exclude(pk=case.pk).distinct().order_by("id"))


@dataclass
class PartyData:
    role: str
    first_name: str
    last_name: str = ""
    extra: dict = field(default_factory=dict)


def create_referral(
    user,
    *,
    route,
    incident: dict,
    strands: Iterable,
    parties: Iterable[PartyData] = (),
    received_on: date | None = None,
    **case_fields,
) -> Case:
    """Record a new referral (any route) with its incident and parties; flag possible duplicates."""
    if not (roles.is_referrer(user) or roles.is_manager(user) or roles.is_facilitator(user)
            or roles.is_caseworker(user)):
        raise ActionRefused("You cannot make referrals.")
    strands = list(strands)
    if not strands:
        raise ValidationError({"strands": "Choose at least one hate crime strand."})
    received_on = received_on or timezone.localdate()
    with transaction.atomic():
        if roles.is_referrer(user) and "referring_organisation" not in case_fields:
            case_fields["referring_organisation"] = user.organisation
        case = Case(
            reference=next_reference(received_on.year),
            route=route,
            received_on=received_on,
            referred_by=user,
            rj_information_due_on=clocks.rj_information_due(received_on, case_fields.get("enhanced_rights", False)),
            initial_contact_due_on=clocks.initial_contact_due(received_on),
            **case_fields,
        )
        case.full_clean(exclude=["reference", "state"])
        case._history_user = user
        case._change_reason = "referral received"
        case.save()
        if incident.get("postcode"):
            incident = {**incident, "postcode": normalise_postcode(incident["postcode"])}
        incident_obj = Incident(case=case, **incident)
        incident_obj.full_clean(exclude=["case"])
        incident_obj._history_user = user
        incident_obj.save()
        incident_obj.strands.set(strands)
        for party in parties:
            add_party(case, user, role=party.role, first_name=party.first_name, last_name=party.last_name,
                      _skip_permission=True, **party.extra)
        duplicates = find_possible_duplicates(case)
        if duplicates:
            case.possible_duplicate_of.set(duplicates)
        CaseTransition.objects.create(case=case, name="refer", source="", target=case.state, by=user,
                                      reason="Referral received", data={"route": route.code})
    return case

