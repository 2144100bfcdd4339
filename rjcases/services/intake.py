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
from notifications.services import record_survey_consent
from recorded.services import record_case_incident
from rjcases import clocks
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, CaseTransition, Incident, Party, ReferralRoute, normalise_postcode
from rjcases.references import next_reference
from rjcases.services.casework import add_party
from rjcases.services.victims_code import check_report, rj_information_due


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


# ---------------------------------------------------------------------------------------------------
# Who may refer by which route

# The route each partner role refers by; RJ service staff (managers, facilitators) may use any route.
PARTNER_ROUTES = {
    "police": roles.is_police_referrer,
    "reporting-centre": roles.is_centre_staff,
    "victim-service": roles.is_caseworker,
}
CENTRE_ROUTE = "reporting-centre"
SELF_REFERRAL_ROUTE = "self-referral"


def _is_rj_staff(user) -> bool:
    return roles.is_manager(user) or roles.is_facilitator(user)


def routes_for(user) -> list[ReferralRoute]:
    """The referral routes this user may use: their own organisation's, or any for RJ service staff."""
    routes = list(ReferralRoute.objects.all())
    if _is_rj_staff(user):
        return routes
    return [route for route in routes if route.code in PARTNER_ROUTES and PARTNER_ROUTES[route.code](user)]


def may_refer_by(user, route: ReferralRoute) -> bool:
    if _is_rj_staff(user):
        return True
    allowed = PARTNER_ROUTES.get(route.code)
    return bool(allowed and allowed(user))


# ---------------------------------------------------------------------------------------------------
# Which partnership a referral goes to


def referable_partnerships(user):
    """The partnerships this user may refer into: those they belong to (a police force's referrers and a victim
    service's caseworkers belong to every partnership their organisation works with)."""
    from accounts.models import Partnership

    return Partnership.objects.filter(pk__in=sorted(roles.partnership_ids(user)), is_active=True).order_by("name")


def partnership_for(user, ward, chosen=None):
    """The partnership a referral of an incident in ``ward`` belongs to: the ward's. ``chosen`` (a partnership, or
    its code, from a referrer who works across several) must agree with it. A ``ValidationError`` names the
    problem: no ward, a ward of another partnership than the one chosen, or one the user may not refer into."""
    from accounts.models import Partnership

    if isinstance(chosen, str):
        code = chosen.strip()
        chosen = Partnership.objects.filter(code=code).first()
        if chosen is None:
            raise ValidationError({"partnership": f"There is no partnership with the code {code!r}."})
    if ward is None:
        raise ValidationError({"ward": "Choose the ward where the incident happened."})
    partnership = ward.partnership
    if chosen is not None and chosen.pk != partnership.pk:
        raise ValidationError({"ward": f"The ward {ward.name} is in {partnership.name}, not in {chosen.name}."})
    allowed = list(referable_partnerships(user))
    if partnership.pk not in {p.pk for p in allowed}:
        yours = ", ".join(p.name for p in allowed) or "none"
        raise ValidationError(
            {
                "ward": f"The ward {ward.name} is in {partnership.name}, a partnership you do not refer to "
                f"(yours: {yours})."
            }
        )
    return partnership


# ---------------------------------------------------------------------------------------------------
# The referral

# What would identify the person harmed of an anonymous report: it holds none of these.
IDENTIFYING_PARTY_FIELDS = ("last_name", "date_of_birth", "address", "postcode", "phone", "email")
ANONYMOUS_NAME = "Anonymous"


def _clean_parties(user, anonymous: bool, parties: Iterable[PartyData]) -> list[PartyData]:
    parties = [
        PartyData(p.role, (p.first_name or "").strip(), (p.last_name or "").strip(), dict(p.extra)) for p in parties
    ]
    errors = []
    if any(p.role not in (Party.Role.HARMED, Party.Role.RESPONSIBLE) for p in parties):
        errors.append(
            "A referral names the person harmed and the person responsible; add supporters to the case afterwards."
        )
    if anonymous:
        harmed = [p for p in parties if p.role == Party.Role.HARMED]
        if len(harmed) > 1:
            errors.append("An anonymous report has one person harmed.")
        for party in harmed:
            given = [
                name
                for name in IDENTIFYING_PARTY_FIELDS
                if (party.last_name if name == "last_name" else party.extra.get(name))
            ]
            if party.first_name not in ("", ANONYMOUS_NAME) or given:
                errors.append(
                    "An anonymous report holds no name or contact details of the person harmed: "
                    "leave out their name, date of birth, address, postcode, phone and email, or "
                    "record an assisted report."
                )
            party.first_name = ANONYMOUS_NAME
        if not harmed:
            parties.insert(0, PartyData(Party.Role.HARMED, ANONYMOUS_NAME))
    elif not parties:
        errors.append("Give the person harmed or the person responsible.")
    elif any(not p.first_name for p in parties):
        errors.append("Enter the first name of each person in the referral.")
    for party in parties:
        caseworker = party.extra.get("caseworker")
        if party.role == Party.Role.HARMED and roles.is_caseworker(user):
            party.extra["caseworker"] = caseworker = user
        if caseworker is not None and (party.role != Party.Role.HARMED or not roles.is_caseworker(caseworker)):
            errors.append("Only a person harmed has a victim service caseworker, and it must be a caseworker.")
    if errors:
        raise ValidationError({"parties": errors})
    return parties


def _referral_fields(user, route: ReferralRoute, fields: dict) -> dict:
    errors = {}
    fields = dict(fields)
    for name in ("referrer_name", "referrer_contact", "enhanced_rights_reason"):
        fields[name] = (fields.get(name) or "").strip()
    if fields.get("enhanced_rights"):
        if not fields["enhanced_rights_reason"]:
            errors["enhanced_rights_reason"] = "Enter why the person harmed is entitled to enhanced rights."
    else:
        fields["enhanced_rights_reason"] = ""
    if route.code == SELF_REFERRAL_ROUTE:
        if not fields["referrer_name"]:
            errors["referrer_name"] = "Enter the name of the person referring themselves."
    else:
        fields["referrer_name"] = fields["referrer_name"] or user.get_full_name() or user.username
        fields["referrer_contact"] = fields["referrer_contact"] or user.email
    if _is_rj_staff(user):
        fields.setdefault("referring_organisation", None)
    else:
        named = fields.get("referring_organisation")
        if named is not None and named != user.organisation:
            errors["referring_organisation"] = "You refer on behalf of your own organisation only."
        fields["referring_organisation"] = user.organisation
    if route.code == CENTRE_ROUTE:
        if fields.get("report_kind") not in ("assisted", "anonymous"):
            errors["report_kind"] = "Say whether the report is assisted or anonymous."
        if roles.is_centre_staff(user):
            named = fields.get("reporting_centre")
            if named is not None and named != user.organisation:
                errors["reporting_centre"] = "You record reports for your own reporting centre only."
            fields["reporting_centre"] = user.organisation
    else:
        for name in ("report_kind", "consents_to_police", "reporting_centre"):
            if fields.get(name) not in (None, ""):
                errors[name] = "Only reports made at a third-party reporting centre have this."
    if errors:
        raise ValidationError(errors)
    return fields


def _survey_reporter(route: ReferralRoute, anonymous: bool, parties: list[PartyData]) -> PartyData:
    """The person who reported, when they agreed to be emailed the centre's survey: an assisted centre report's
    person harmed, with an email address. Anything else is refused, with what to do instead."""
    if route.code != CENTRE_ROUTE:
        raise ValidationError({"survey_by_email": "Only reports made at a reporting centre have the centre's survey."})
    if anonymous:
        raise ValidationError(
            {"survey_by_email": "An anonymous report holds no email address: give the person the survey link instead."}
        )
    harmed = next((p for p in parties if p.role == Party.Role.HARMED), None)
    if harmed is None or not harmed.extra.get("email"):
        raise ValidationError(
            {"survey_by_email": "Enter the person's email address to email them the survey, or answer no."}
        )
    return harmed


def create_referral(
    user,
    *,
    route: ReferralRoute,
    incident: dict,
    strands: Iterable,
    parties: Iterable[PartyData] = (),
    received_on: date | None = None,
    **case_fields,
) -> Case:
    """Record a new referral (any route) with its incident and parties; flag possible duplicates.

    The one set of intake rules, for the web form, the API, the demo and everyone else:

    - Routes: RJ service staff (managers, facilitators) may refer by any route; a police referrer by
      ``police``, reporting-centre staff by ``reporting-centre``, a victim service caseworker by
      ``victim-service`` (``routes_for``/``may_refer_by``). Anyone else is refused (``ActionRefused``);
      a route that is not theirs is a ``ValidationError`` on ``route``.
    - Referrer: ``referred_by`` is always the user. The referrer's name and contact default to the user's
      (full name or username, email), except on a self-referral: the referrer is the person themselves, so
      their name must be given and nothing is taken from the user (the contact may stay empty).
    - Referring organisation: a partner (police, centre, victim service) refers on behalf of their own
      organisation, always, and cannot name another; RJ staff may name one or none.
    - Reporting centre: only the ``reporting-centre`` route has ``report_kind`` (required: assisted or
      anonymous), ``consents_to_police`` and ``reporting_centre``; centre staff's reports are their own
      centre's. (Whether consent to police involvement is known stays optional here: the web form and
      the API both ask for it, but a report recorded without an answer is still a report.)
    - Anonymous centre report: the person harmed is recorded as "Anonymous", with no surname, date of
      birth, address, postcode, phone or email (refused, not dropped); their age band and communication
      needs may be kept. If no person harmed is given, one is added. A named person responsible is allowed.
    - Other referrals name at least one person (harmed or responsible), each with a first name; supporters
      are added to the case afterwards.
    - Caseworker: a caseworker who refers becomes the caseworker of each person harmed in it (so they see
      what they referred); a caseworker named otherwise must be a caseworker, for a person harmed.
    - Enhanced rights need a reason; text is stripped; the referral date is today or earlier.
    - ``survey_by_email``: the person who reported at a centre agreed to be emailed the centre's satisfaction
      survey; recorded (``notifications.services.record_survey_consent``) for an assisted report whose person
      harmed has an email address, refused otherwise.
    - Partnership: the incident's ward's (``partnership_for``); a ``partnership`` (or its code) the referrer
      names must agree with it, and it must be one the referrer belongs to, else a ``ValidationError`` on
      ``ward`` (or ``partnership``) that names the problem.
    - The report to the police or the reporting centre (``incident["reported_on"]``, ``["reported_by"]``) is
      optional: on or before the referral date and not before the incident. The RJ-information clock runs from
      it where given, from the referral date where not (``rjcases.victims_code.clocks``).
    """
    if not routes_for(user):
        raise ActionRefused("You cannot make referrals.")
    if not may_refer_by(user, route):
        mine = ", ".join(r.code for r in routes_for(user))
        raise ValidationError({"route": f"You cannot refer by this route. Yours: {mine}."})
    strands = list(strands)
    if not strands:
        raise ValidationError({"strands": "Choose at least one hate crime strand."})
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The referral date must be today or in the past."})
    survey_by_email = bool(case_fields.pop("survey_by_email", False))
    partnership = partnership_for(user, incident.get("ward"), case_fields.pop("partnership", None))
    case_fields = _referral_fields(user, route, case_fields)
    anonymous = route.code == CENTRE_ROUTE and case_fields.get("report_kind") == "anonymous"
    parties = _clean_parties(user, anonymous, parties)
    reporter = _survey_reporter(route, anonymous, parties) if survey_by_email else None
    incident = {**incident, "summary": (incident.get("summary") or "").strip()}
    if incident.get("postcode"):
        incident["postcode"] = normalise_postcode(incident["postcode"])
    incident["reported_by"] = incident.get("reported_by") or ""
    occurred = incident.get("occurred_from")
    occurred_on = (
        (timezone.localtime(occurred) if timezone.is_aware(occurred) else occurred).date() if occurred else None
    )
    check_report(incident.get("reported_on"), incident["reported_by"], received_on=received_on, occurred_on=occurred_on)
    with transaction.atomic():
        case = Case(
            reference=next_reference(received_on.year),
            partnership=partnership,
            route=route,
            received_on=received_on,
            referred_by=user,
            rj_information_due_on=rj_information_due(
                received_on, incident.get("reported_on"), case_fields.get("enhanced_rights", False)
            ),
            initial_contact_due_on=clocks.initial_contact_due(received_on),
            **case_fields,
        )
        case.full_clean(exclude=["reference", "state"])
        case._history_user = user
        case._change_reason = "referral received"
        case.save()
        incident_obj = Incident(case=case, **incident)
        incident_obj.full_clean(exclude=["case"])
        incident_obj._history_user = user
        incident_obj.save()
        incident_obj.strands.set(strands)
        for party in parties:
            add_party(
                case,
                user,
                role=party.role,
                first_name=party.first_name,
                last_name=party.last_name,
                _skip_permission=True,
                **party.extra,
            )
        if reporter is not None:
            # Their consent to be emailed the centre's survey link (sent by `manage.py send_survey_links`).
            record_survey_consent(case, case.parties.filter(role=Party.Role.HARMED).earliest("id"), user)
        duplicates = find_possible_duplicates(case)
        if duplicates:
            case.possible_duplicate_of.set(duplicates)
        CaseTransition.objects.create(
            case=case,
            name="refer",
            source="",
            target=case.state,
            by=user,
            reason="Referral received",
            data={"route": route.code},
        )
        # Every RJ referral and centre report is also a recorded incident (the hotspots count those).
        record_case_incident(case, user)
    return case
