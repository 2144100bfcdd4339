"""Writes for the outcome agreement (drafted while conferencing) and its monitoring: actions, follow-ups, and
actions done or missed. Each checks permission on the server and records history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conferences.models import Activity, Agreement, AgreementAction, FollowUp
from conferences.services.checks import case_parties, lock_case, not_in_future, require_state
from rjcases.models import Case, Party
from rjcases.services.casework import check_case_work, check_safe_contact, save_with_history

# ---------------------------------------------------------------------------------------------------
# The outcome agreement (drafted while conferencing; the workflow's record_agreement move fixes it)


def _draft_agreement_case(case: Case, doing: str) -> Activity:
    """The took-place activity an agreement is drafted for, after checking the case can take a draft."""
    require_state(case, [Case.State.CONFERENCING], doing)
    activity = case.current_activity
    if activity is None or activity.status != Activity.Status.TOOK_PLACE:
        raise ValidationError("Record that the restorative activity took place first.")
    if activity.agreement_reached is False:
        raise ValidationError(
            "The activity is recorded with no agreement reached: close the case without an agreement instead."
        )
    return activity


def save_agreement(
    case: Case, user, *, signed_on: date | None, signatories: Iterable[Party], notes: str = ""
) -> Agreement:
    """Start the outcome agreement for the activity that took place, or change who signed it and when."""
    check_case_work(case, user)
    signatories = case_parties(case, signatories, "signatories")
    errors = {}
    if signed_on is None:
        errors["signed_on"] = "Enter the date the agreement was signed."
    else:
        not_in_future(signed_on, "signed_on", "date the agreement was signed")
    if not signatories:
        errors["signatories"] = "Choose who signed the agreement."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_case(case)
        activity = _draft_agreement_case(locked, "record the agreement")
        if activity.took_place_on and signed_on < activity.took_place_on:
            raise ValidationError({"signed_on": "The agreement cannot be signed before the activity took place."})
        agreement = locked.current_agreement
        if agreement is None or agreement.activity_id != activity.pk:
            if agreement is not None:
                # An agreement from an earlier activity (a reopened case) gives way to this one, on the record.
                agreement.superseded = True
                agreement._history_user = user
                agreement._change_reason = "superseded by a new agreement"
                agreement.save(update_fields=["superseded"])
            agreement = Agreement(case=locked, activity=activity)
            reason = "agreement recorded"
        else:
            reason = "agreement changed"
        agreement.signed_on = signed_on
        agreement.notes = notes.strip()
        save_with_history(agreement, user, reason)
        agreement.signatories.set(signatories)
    return agreement


def _draft_agreement(case: Case, doing: str) -> Agreement:
    activity = _draft_agreement_case(case, doing)
    agreement = case.current_agreement
    if agreement is None or agreement.activity_id != activity.pk:
        raise ValidationError("Record who signed the agreement and when first.")
    return agreement


def add_action(
    case: Case,
    user,
    *,
    kind: str,
    what: str,
    due_on: date | None,
    how_checked: str,
    responsible_party: Party | None = None,
    who: str = "",
) -> AgreementAction:
    """Add one itemised action to the draft agreement: who does what, by when, and how it is checked."""
    check_case_work(case, user)
    errors = {}
    if responsible_party is not None and responsible_party.case_id != case.pk:
        errors["responsible_party"] = "Choose someone who is part of this case."
    if responsible_party is None and not who.strip():
        errors["responsible_party"] = "Choose who will do it, or name them."
    if not what.strip():
        errors["what"] = "Enter what will be done."
    if due_on is None:
        errors["due_on"] = "Enter the date it will be done by."
    if not how_checked.strip():
        errors["how_checked"] = "Enter how it will be checked."
    if kind not in AgreementAction.Kind.values:
        errors["kind"] = "Choose the kind of action."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_case(case)
        agreement = _draft_agreement(locked, "add actions to the agreement")
        if agreement.signed_on and due_on < agreement.signed_on:
            raise ValidationError({"due_on": "The date it will be done by must be after the agreement was signed."})
        action = AgreementAction(
            agreement=agreement,
            kind=kind,
            responsible_party=responsible_party,
            who=who.strip(),
            what=what.strip(),
            due_on=due_on,
            how_checked=how_checked.strip(),
        )
        save_with_history(action, user, "action added")
    return action


def remove_action(action: AgreementAction, user) -> None:
    """Take an action off the draft agreement (before the agreement is recorded in the workflow)."""
    case = action.agreement.case
    check_case_work(case, user)
    with transaction.atomic():
        locked = lock_case(case)
        agreement = _draft_agreement(locked, "remove actions from the agreement")
        if action.agreement_id != agreement.pk:
            raise ValidationError("This action is not part of the agreement being drafted.")
        action._history_user = user
        action._change_reason = "action removed from the draft"
        action.delete()


# ---------------------------------------------------------------------------------------------------
# Monitoring


# A follow-up that reaches the person later, as a message: refused for a "do not leave messages" person (unless
# it is how they asked to be contacted).
FOLLOW_UP_MESSAGES = (FollowUp.Method.TEXT, FollowUp.Method.EMAIL)


def record_follow_up(
    case: Case,
    user,
    *,
    party: Party | None,
    at: datetime,
    method: str,
    notes: str,
    action: AgreementAction | None = None,
    outside_safe_times_reason: str = "",
    time_known: bool = True,
) -> FollowUp:
    """Record a monitoring contact while the agreement is being carried out. Safe contact as ``record_contact``:
    no text or email to a "do not leave messages" person, a reason for a call or visit outside their safe times."""
    check_case_work(case, user)
    errors = {}
    if party is not None and party.case_id != case.pk:
        errors["party"] = "Choose someone who is part of this case."
    if action is not None and action.agreement.case_id != case.pk:
        errors["action"] = "Choose an action of this case's agreement."
    if method not in FollowUp.Method.values:
        errors["method"] = "Choose how the contact was made."
    if not notes.strip():
        errors["notes"] = "Enter what was said or found."
    if at and at > timezone.now():
        errors["at"] = "The date of the contact must be today or in the past."
    if errors:
        raise ValidationError(errors)
    messages = method in FOLLOW_UP_MESSAGES and (party is None or method != party.preferred_contact_method)
    outside_safe_times_reason = check_safe_contact(
        party,
        at=at,
        is_call_or_visit=method in (FollowUp.Method.PHONE, FollowUp.Method.IN_PERSON, FollowUp.Method.VIDEO),
        leaves_message=messages,
        reason=outside_safe_times_reason,
        message_field="method",
        time_known=time_known,
    )
    with transaction.atomic():
        locked = lock_case(case)
        require_state(locked, [Case.State.AGREEMENT], "record follow-up contacts")
        follow_up = FollowUp(
            case=locked,
            party=party,
            action=action,
            at=at,
            time_known=time_known,
            method=method,
            notes=notes.strip(),
            by=user,
            kind=FollowUp.Kind.MONITORING,
            outside_safe_times_reason=outside_safe_times_reason,
        )
        save_with_history(follow_up, user, "follow-up recorded")
    return follow_up


def _resolve_action(
    action: AgreementAction, user, status: str, resolved_on: date | None, note: str, note_message: str
) -> tuple[Case, AgreementAction]:
    case = action.agreement.case
    check_case_work(case, user)
    errors = {}
    if resolved_on is None:
        errors["resolved_on"] = "Enter the date."
    elif resolved_on > timezone.localdate():
        errors["resolved_on"] = "The date must be today or in the past."
    if not note.strip():
        errors["evidence_note"] = note_message
    if errors:
        raise ValidationError(errors)
    locked = lock_case(case)
    require_state(locked, [Case.State.AGREEMENT], "mark actions done or missed")
    action = AgreementAction.objects.select_for_update().select_related("agreement").get(pk=action.pk)
    if action.agreement.superseded or action.agreement_id != getattr(locked.current_agreement, "pk", None):
        raise ValidationError("This action belongs to an earlier agreement.")
    if action.status != AgreementAction.Status.OPEN:
        raise ValidationError(f"This action is already marked {action.get_status_display().lower()}.")
    action.status = status
    action.resolved_on = resolved_on
    action.evidence_note = note.strip()
    save_with_history(action, user, f"action {status}", update_fields=["status", "resolved_on", "evidence_note"])
    return locked, action


def mark_action_done(
    action: AgreementAction,
    user,
    *,
    resolved_on: date | None,
    evidence_note: str,
    told_method: str,
    told_at: datetime | None = None,
) -> AgreementAction:
    """Mark an action done, with the evidence, and record that each person harmed was told."""
    check_case_work(action.agreement.case, user)
    if told_method not in FollowUp.Method.values:
        raise ValidationError({"told_method": "Choose how the person harmed was told."})
    with transaction.atomic():
        case, action = _resolve_action(
            action,
            user,
            AgreementAction.Status.DONE,
            resolved_on,
            evidence_note,
            "Enter the evidence that it was done.",
        )
        for party in case.parties.filter(role=Party.Role.HARMED, participating=True):
            notice = FollowUp(
                case=case,
                party=party,
                action=action,
                at=told_at or timezone.now(),
                method=told_method,
                kind=FollowUp.Kind.ACTION_DONE_NOTICE,
                by=user,
                notes=f"Told the person harmed the action is done: {action.what}",
            )
            save_with_history(notice, user, "person harmed told an action is done")
    return action


def mark_action_missed(
    action: AgreementAction, user, *, resolved_on: date | None, evidence_note: str
) -> AgreementAction:
    """Mark an action missed, with what is known about why."""
    with transaction.atomic():
        _case, action = _resolve_action(
            action,
            user,
            AgreementAction.Status.MISSED,
            resolved_on,
            evidence_note,
            "Enter what happened and how you know.",
        )
    return action
