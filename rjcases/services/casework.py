"""Case work that does not move the state: allocation, parties, consent, assessments, notes, contacts,
duplicates, and the read access log."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from rjcases.exceptions import ActionRefused
from rjcases.models import Assessment, Case, Consent, ContactAttempt, Note, Party, ReadAccess, normalise_postcode

NOT_YOURS = "Only the case's facilitator, its co-facilitator or a manager can change this case."


def check_case_work(case: Case, user) -> None:
    """Refuse (``ActionRefused``) a change to a case's work by anyone but its facilitators and managers: the check of
    every case-work write, in rjcases and conferences alike."""
    from rjcases.permissions import can_edit_case_work

    if not can_edit_case_work(case, user):
        raise ActionRefused(NOT_YOURS)


def save_with_history(obj, user, reason: str = "", **kwargs) -> None:
    """Validate and save a historied row, its history row naming who made the change and why (``reason``)."""
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save(**kwargs)


def allocate(case: Case, user, *, facilitator, co_facilitator=None) -> Case:
    """Allocate (or reallocate) the case's facilitator and co-facilitator: a manager's job."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can allocate cases.")
    for person in filter(None, [facilitator, co_facilitator]):
        if not roles.is_facilitator(person):
            raise ValidationError({"facilitator": f"{person} is not a facilitator."})
    if co_facilitator is not None and facilitator is not None and co_facilitator.pk == facilitator.pk:
        raise ValidationError({"co_facilitator": "The co-facilitator must be someone other than the facilitator."})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.facilitator = facilitator
        locked.co_facilitator = co_facilitator
        locked._history_user = user
        locked._change_reason = "allocated"
        locked.save(update_fields=["facilitator", "co_facilitator", "updated_at"])
    return locked


def add_party(case: Case, user, *, role: str, first_name: str, last_name: str = "", _skip_permission=False,
              **fields) -> Party:
    if not _skip_permission:
        check_case_work(case, user)
    party = Party(case=case, role=role, first_name=first_name, last_name=last_name, **fields)
    if party.postcode:
        party.postcode = normalise_postcode(party.postcode)
    save_with_history(party, user, "party added")
    return party


def update_party(party: Party, user, **fields) -> Party:
    check_case_work(party.case, user)
    for name, value in fields.items():
        setattr(party, name, value)
    save_with_history(party, user, "party updated")
    return party


def record_consent(party: Party, user, *, purpose: str, given_on: date, method: str, wording_version: str = "2026-1",
                   wording_shown: str = "") -> Consent:
    from rjcases.permissions import is_party_caseworker

    # A caseworker records their own client's consent only; everyone else's is the case's facilitators'.
    if not is_party_caseworker(party, user):
        check_case_work(party.case, user)
    consent = Consent(party=party, purpose=purpose, given_on=given_on, method=method,
                      wording_version=wording_version, wording_shown=wording_shown, recorded_by=user)
    save_with_history(consent, user, "consent recorded")
    return consent


def withdraw_consent(consent: Consent, user, *, withdrawn_on: date, reason: str) -> Consent:
    """Record a withdrawal of consent. The consent stays on the record; the case is not closed by this
    alone: the facilitator records the case's withdrawal as its own transition."""
    from rjcases.permissions import is_party_caseworker

    if not is_party_caseworker(consent.party, user):
        check_case_work(consent.party.case, user)
    if consent.withdrawn_on:
        raise ValidationError({"withdrawn_on": "This consent was already withdrawn."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why consent was withdrawn."})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = reason.strip()
    save_with_history(consent, user, "consent withdrawn", update_fields=["withdrawn_on", "withdrawal_reason"])
    return consent


def record_assessment(party: Party, user, **fields) -> Assessment:
    check_case_work(party.case, user)
    assessment = Assessment(party=party, assessor=user, **fields)
    save_with_history(assessment, user, "assessment recorded")
    return assessment


def sign_off_assessment(assessment: Assessment, user, *, note: str = "") -> Assessment:
    """A manager signs off a high-risk assessment (recorded: who and when)."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can sign off a high-risk assessment.")
    if assessment.signed_off_at:
        raise ValidationError("This assessment is already signed off.")
    assessment.signed_off_by = user
    assessment.signed_off_at = timezone.now()
    assessment.sign_off_note = note
    save_with_history(assessment, user, "risk signed off",
                      update_fields=["signed_off_by", "signed_off_at", "sign_off_note"])
    return assessment


def add_note(case: Case, user, *, body: str, shared_with_caseworker: bool = False) -> Note:
    """A case note; ``shared_with_caseworker`` lets the people harmed's caseworkers read it (set by RJ staff)."""
    from rjcases.permissions import can_see_details

    if not can_see_details(case, user):
        raise ActionRefused("You cannot add notes to this case.")
    if not body.strip():
        raise ValidationError({"body": "Enter the note."})
    note = Note(case=case, author=user, body=body.strip(), shared_with_caseworker=shared_with_caseworker)
    save_with_history(note, user, "note added")
    return note


def record_contact(case: Case, user, *, party: Party | None, at: datetime, method: str, result: str,
                   rj_information_given: bool = False, notes: str = "", time_known: bool = True) -> ContactAttempt:
    """Log a contact attempt; the first that reaches someone starts the clocks' 'met' dates."""
    check_case_work(case, user)
    contact = ContactAttempt(case=case, party=party, at=at, time_known=time_known, method=method, result=result,
                             rj_information_given=rj_information_given, notes=notes, by=user)
    with transaction.atomic():
        save_with_history(contact, user, "contact logged")
        changed = []
        day = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
        if result == ContactAttempt.Result.REACHED and not case.initial_contact_on:
            case.initial_contact_on = day
            changed.append("initial_contact_on")
        told_harmed = party is None or party.role == Party.Role.HARMED
        if rj_information_given and not case.rj_information_given_on and told_harmed:
            case.rj_information_given_on = day
            changed.append("rj_information_given_on")
        if changed:
            case._history_user = user
            case._change_reason = "clock met"
            case.save(update_fields=[*changed, "updated_at"])
    return contact


def mark_duplicate_reviewed(case: Case, user, *, note: str = "") -> Case:
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can review possible duplicates.")
    case.duplicate_reviewed = True
    case._history_user = user
    case._change_reason = f"duplicate reviewed: {note}"[:100]
    case.save(update_fields=["duplicate_reviewed", "updated_at"])
    return case


def log_read(user, case: Case | None, what: str, object_id: str = "", path: str = "") -> None:
    """Write one row of the read access log. Always on: there is no setting to switch it off."""
    ReadAccess.objects.create(user=user, case=case, what=what, object_id=str(object_id or ""), path=path[:300])
