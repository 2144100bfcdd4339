"""Case work that does not move the state: allocation, parties, consent, assessments, contacts, duplicates, and
the read access log. Notes and who may read them are ``rjcases.services.notes``."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from letters.services import letters_for_late_party
from letters.tasks import enqueue_letter_files
from notifications.services import notifications_for_allocation
from notifications.tasks import enqueue_messages
from rjcases import safe_times
from rjcases.exceptions import ActionRefused, Conflict
from rjcases.guards import long_date, withdrawals_in_force, withdrawn_participation
from rjcases.models import Assessment, Case, Consent, ContactAttempt, Party, ReadAccess, normalise_postcode
from rjcases.permissions import is_case_manager

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


def allocate(case: Case, user, *, facilitator, co_facilitator=None, notify: bool = True) -> Case:
    """Allocate (or reallocate) the case's facilitator and co-facilitator: a manager's job. Whoever is newly
    allocated is emailed the reference and a link, after the allocation commits (``notify=False``: demo seeding)."""
    if not is_case_manager(case, user):
        raise ActionRefused("Only a manager of the case's partnership can allocate it.")
    for person in filter(None, [facilitator, co_facilitator]):
        if not roles.is_facilitator(person):
            raise ValidationError({"facilitator": f"{person} is not a facilitator."})
        if not roles.in_partnership(person, case.partnership_id):
            raise ValidationError({"facilitator": f"{person} is not a facilitator of this case's partnership."})
    if co_facilitator is not None and facilitator is not None and co_facilitator.pk == facilitator.pk:
        raise ValidationError({"co_facilitator": "The co-facilitator must be someone other than the facilitator."})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        before = (locked.facilitator_id, locked.co_facilitator_id)
        fields = ["facilitator", "co_facilitator", "updated_at"]
        if (facilitator.pk if facilitator else None) != before[0]:
            locked.allocated_at = timezone.now()  # the facilitator's dashboard lists it as new to them
            fields.append("allocated_at")
        locked.facilitator = facilitator
        locked.co_facilitator = co_facilitator
        locked._history_user = user
        locked._change_reason = "allocated"
        locked.save(update_fields=fields)
        if notify:
            told = notifications_for_allocation(locked, user, before=before)
            transaction.on_commit(partial(enqueue_messages, [message.pk for message in told]), robust=True)
    return locked


def add_party(
    case: Case, user, *, role: str, first_name: str, last_name: str = "", _skip_permission=False, **fields
) -> Party:
    if not _skip_permission:
        check_case_work(case, user)
    party = Party(case=case, role=role, first_name=first_name, last_name=last_name, **fields)
    if party.postcode:
        party.postcode = normalise_postcode(party.postcode)
    with transaction.atomic():
        save_with_history(party, user, "party added")
        # Added after the move that wrote the others' letters (accept): their RJ information or invitation now.
        made = letters_for_late_party(case, user, party)
        if made:
            transaction.on_commit(partial(enqueue_letter_files, [letter.pk for letter in made]), robust=True)
    return party


def update_party(party: Party, user, **fields) -> Party:
    check_case_work(party.case, user)
    if party.participating and fields.get("participating") is False:
        # Ending someone's part is recorded, with when and why, by its own service: never a silent field change.
        raise ValidationError(
            {
                "participating": f"Record that {party.display_name} no longer takes part on its own page, with the "
                "reason (where the process can go on without them)."
            }
        )
    for name, value in fields.items():
        setattr(party, name, value)
    save_with_history(party, user, "party updated")
    return party


def record_consent(
    party: Party,
    user,
    *,
    purpose: str,
    given_on: date,
    method: str,
    wording_version: str = "2026-1",
    wording_shown: str = "",
) -> Consent:
    from rjcases.permissions import is_party_caseworker

    # A caseworker records their own client's consent only; everyone else's is the case's facilitators'.
    if not is_party_caseworker(party, user):
        check_case_work(party.case, user)
    consent = Consent(
        party=party,
        purpose=purpose,
        given_on=given_on,
        method=method,
        wording_version=wording_version,
        wording_shown=wording_shown,
        recorded_by=user,
    )
    save_with_history(consent, user, "consent recorded")
    return consent


def record_consents(
    party: Party,
    user,
    *,
    purposes: list[str],
    given_on: date,
    method: str,
    wording_version: str = "2026-1",
    wording_shown: str = "",
) -> list[Consent]:
    """Record consent for several purposes given at once: one consent (and one history entry) per purpose, so each
    is withdrawn on its own later. All or none: a refusal leaves nothing recorded."""
    if not purposes:
        raise ValidationError({"purposes": "Select what they consent to"})
    with transaction.atomic():
        return [
            record_consent(
                party,
                user,
                purpose=purpose,
                given_on=given_on,
                method=method,
                wording_version=wording_version,
                wording_shown=wording_shown,
            )
            for purpose in dict.fromkeys(purposes)
        ]


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


# ---------------------------------------------------------------------------------------------------
# When a person stops taking part
#
# The rule (docs/workflow.md, "When someone stops taking part"): the process can go on without a person when
# - they are a supporter; or
# - the restorative activity has already taken place (what is left, the agreement's monitoring and closure, is
#   the facilitator's work and goes on without them: the work becomes indirect); or
# - another person of the same role (person harmed, person responsible) is still taking part and has not
#   withdrawn their consent to take part.
# Otherwise the facilitator withdraws the case.


def _activity_took_place(case: Case) -> bool:
    from conferences.models import Activity

    activity = case.current_activity
    return activity is not None and activity.status == Activity.Status.TOOK_PLACE


def stop_taking_part_problem(party: Party) -> str:
    """Why the process cannot go on without this person, or "" when it can (the rule above)."""
    case = party.case
    if case.is_closed:
        return "The case is closed."
    if not party.participating:
        return f"{party.display_name} is already recorded as no longer taking part."
    if party.role == Party.Role.SUPPORTER or _activity_took_place(case):
        return ""
    stopped = {p.pk for p, _day in withdrawals_in_force(case)}
    others = [
        p
        for p in case.parties.all()
        if p.pk != party.pk and p.role == party.role and p.participating and p.pk not in stopped
    ]
    if others:
        return ""
    role = party.get_role_display().lower()
    return (
        f"{party.display_name} is the only {role} still taking part, and the activity has not taken place: "
        "the process cannot go on without them. Withdraw the case instead."
    )


def check_may_stop_taking_part(party: Party) -> None:
    problem = stop_taking_part_problem(party)
    if problem:
        raise ValidationError(problem)


def record_no_longer_taking_part(party: Party, user, reason: str, *, on: date | None = None) -> Party:
    """Record that this person no longer takes part in the process (after withdrawing consent, usually), with
    the reason. The case goes on without them (only where the rule above allows it): the guards stop naming them,
    later letters of the activity and agreement leave them out. The person and their records stay on the case.

    Refused: not the case's facilitators' or a manager's (``ActionRefused``); a closed case or a person already
    recorded (``Conflict``); no reason, or the process cannot go on without them (``ValidationError``)."""
    check_case_work(party.case, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why they no longer take part."})
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason must be 500 characters or fewer."})
    if on is not None and on > timezone.localdate():
        raise ValidationError({"on": "The date they stopped taking part must be today or in the past."})
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=party.case_id)
        party = Party.objects.select_related("case").get(pk=party.pk)
        if party.case.is_closed or not party.participating:
            raise Conflict(stop_taking_part_problem(party))
        check_may_stop_taking_part(party)
        party.participating = False
        party.stopped_taking_part_on = on or timezone.localdate()
        party.stopped_taking_part_reason = reason
        save_with_history(
            party,
            user,
            f"no longer taking part: {reason}"[:100],
            update_fields=["participating", "stopped_taking_part_on", "stopped_taking_part_reason"],
        )
    return party


def consent_withdrawal_notice(party: Party) -> str:
    """What the case page says about a person whose withdrawal of consent stops the process, or ""."""
    day = withdrawn_participation(party) if party.participating else None
    if day is None:
        return ""
    return f"{party.display_name} withdrew consent to take part on {long_date(day)}."


def record_assessment(party: Party, user, **fields) -> Assessment:
    check_case_work(party.case, user)
    assessment = Assessment(party=party, assessor=user, **fields)
    save_with_history(assessment, user, "assessment recorded")
    return assessment


def sign_off_assessment(assessment: Assessment, user, *, note: str = "") -> Assessment:
    """A manager signs off a high-risk assessment (recorded: who and when)."""
    if not is_case_manager(assessment.party.case, user):
        raise ActionRefused("Only a manager of the case's partnership can sign off a high-risk assessment.")
    if assessment.signed_off_at:
        raise ValidationError("This assessment is already signed off.")
    assessment.signed_off_by = user
    assessment.signed_off_at = timezone.now()
    assessment.sign_off_note = note
    save_with_history(
        assessment, user, "risk signed off", update_fields=["signed_off_by", "signed_off_at", "sign_off_note"]
    )
    return assessment


# ---------------------------------------------------------------------------------------------------
# Safe contact: "do not leave messages" is a rule, and a call or visit outside the person's safe times
# (``Party.safe_times``: days and times of day, as data, see ``rjcases.safe_times``) needs a reason, which is kept.
# The free-text note beside them (``safe_contact_times``) is shown at the point of contact and never parsed.


def outside_safe_times(party: Party | None, at: datetime | date, *, time_known: bool = True) -> str:
    """Why a call or visit at ``at`` falls outside this person's safe times, or "" when it does not (or none are
    recorded). A date, or a time not recorded, is checked by its day."""
    safe = safe_times.of(party) if party is not None else safe_times.SafeTimes()
    if party is None or not safe.recorded:
        return ""
    if isinstance(at, datetime):
        moment = timezone.localtime(at) if timezone.is_aware(at) else at
        day, clock = moment.date(), (moment.time().replace(second=0, microsecond=0) if time_known else None)
    else:
        day, clock = at, None
    said = f"{party.display_name}'s safe times are {safe.in_words()}"
    outside = safe.outside(day, clock)
    if outside == "day":
        return f"{said}: {day:%A} {long_date(day)} is not one of them."
    if outside == "time" and clock is not None:
        return f"{said}: {clock:%H:%M} on {long_date(day)} is outside them."
    return ""


def check_safe_contact(
    party: Party | None,
    *,
    at: datetime | date,
    is_call_or_visit: bool,
    leaves_message: bool,
    reason: str,
    time_known: bool = True,
    message_field: str = "result",
) -> str:
    """Refuse a contact that leaves a message for a "do not leave messages" person; ask for the reason of a call
    or visit outside their safe times (``ValidationError`` on ``outside_safe_times_reason``). Returns the reason
    to keep on the contact: "" when the contact was within their safe times."""
    if party is None:
        return ""
    if leaves_message and party.no_messages:
        raise ValidationError(
            {
                message_field: f"{party.display_name} must not be left messages (a voicemail, text "
                "or email): record the contact without leaving one."
            }
        )
    if not is_call_or_visit:
        return ""
    outside = outside_safe_times(party, at, time_known=time_known)
    if not outside:
        return ""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"outside_safe_times_reason": f"{outside} To record this contact anyway, confirm why it was made then."}
        )
    if len(reason) > 500:
        raise ValidationError({"outside_safe_times_reason": "The reason must be 500 characters or fewer."})
    return reason


# A message the person (or whoever else sees their phone or inbox) finds later: voicemail, a text, an email.
MESSAGE_METHODS = (ContactAttempt.Method.TEXT, ContactAttempt.Method.EMAIL)
CALL_OR_VISIT = (ContactAttempt.Method.PHONE, ContactAttempt.Method.VISIT)


def contact_leaves_message(party: Party | None, method: str, result: str) -> bool:
    """A message left, or a text or email sent (unless that is how the person asked to be contacted)."""
    if result == ContactAttempt.Result.MESSAGE_LEFT:
        return True
    preferred = party.preferred_contact_method if party is not None else ""
    return method in MESSAGE_METHODS and result == ContactAttempt.Result.SENT and method != preferred


def record_contact(
    case: Case,
    user,
    *,
    party: Party | None,
    at: datetime,
    method: str,
    result: str,
    rj_information_given: bool = False,
    notes: str = "",
    outside_safe_times_reason: str = "",
    time_known: bool = True,
) -> ContactAttempt:
    """Log a contact attempt; the first that reaches someone starts the clocks' 'met' dates.

    Refused for a message left for a "do not leave messages" person; a call or visit outside their safe times
    needs ``outside_safe_times_reason``, which is kept on the contact."""
    check_case_work(case, user)
    if party is not None and party.case_id != case.pk:
        raise ValidationError({"party": "Choose someone who is part of this case."})
    contact = ContactAttempt(
        case=case,
        party=party,
        at=at,
        time_known=time_known,
        method=method,
        result=result,
        rj_information_given=rj_information_given,
        notes=notes,
        by=user,
    )
    contact.outside_safe_times_reason = check_safe_contact(
        party,
        at=at,
        is_call_or_visit=method in CALL_OR_VISIT,
        leaves_message=contact_leaves_message(party, method, result),
        reason=outside_safe_times_reason,
        time_known=time_known,
    )
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
    if not is_case_manager(case, user):
        raise ActionRefused("Only a manager of the case's partnership can review possible duplicates.")
    case.duplicate_reviewed = True
    case._history_user = user
    case._change_reason = f"duplicate reviewed: {note}"[:100]
    case.save(update_fields=["duplicate_reviewed", "updated_at"])
    return case


def log_read(user, case: Case | None, what: str, object_id: str = "", path: str = "") -> None:
    """Write one row of the read access log. Always on: there is no setting to switch it off."""
    ReadAccess.objects.create(user=user, case=case, what=what, object_id=str(object_id or ""), path=path[:300])
