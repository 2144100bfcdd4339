"""Writes for the restorative work: preparation, the activity, the outcome agreement and monitoring.

Each checks permission on the server and records history; the workflow's moves stay in ``rjcases.services``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from conferences.models import Activity, Agreement, AgreementAction, FollowUp, PreparationContact
from rjcases.models import Case, Party
from rjcases.services.casework import check_case_work, check_safe_contact, save_with_history

# ---------------------------------------------------------------------------------------------------
# Shared checks


def _lock(case: Case) -> Case:
    """Lock the case row for the rest of the transaction, so two writes about one case queue up."""
    return Case.objects.select_for_update().get(pk=case.pk)


STATE_WORDS = {
    Case.State.REFERRAL: "at referral",
    Case.State.ASSESSMENT: "in assessment",
    Case.State.PREPARATION: "in preparation",
    Case.State.CONFERENCING: "in conferencing",
    Case.State.AGREEMENT: "in agreement (monitoring)",
    Case.State.CLOSED: "closed",
}


def _require_state(case: Case, states: Iterable[str], doing: str) -> None:
    states = list(states)
    if case.state not in states:
        allowed = " or ".join(STATE_WORDS[Case.State(s)] for s in states)
        raise ValidationError(
            f"You can {doing} only when the case is {allowed}; this case is {STATE_WORDS[Case.State(case.state)]}."
        )


def _case_parties(case: Case, parties: Iterable[Party], field: str) -> list[Party]:
    parties = list(parties)
    if any(p.case_id != case.pk for p in parties):
        raise ValidationError({field: "Choose only people who are part of this case."})
    return parties


def _not_in_future(value: date | None, field: str, what: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past."})


# ---------------------------------------------------------------------------------------------------
# Preparation


CALL_OR_VISIT = (PreparationContact.Method.IN_PERSON, PreparationContact.Method.PHONE, PreparationContact.Method.VIDEO)


def add_preparation_contact(
    case: Case,
    user,
    *,
    party: Party,
    held_on: date,
    method: str,
    attendees: str = "",
    notes: str = "",
    interpreter_arranged: bool = False,
    adjustments_arranged: str = "",
    outside_safe_times_reason: str = "",
) -> PreparationContact:
    """Record a preparation meeting or contact with one party (and their supporters). A meeting or call on a day
    outside the person's safe times needs ``outside_safe_times_reason`` (only the day is recorded)."""
    check_case_work(case, user)
    _case_parties(case, [party], "party")
    _not_in_future(held_on, "held_on", "date of the contact")
    outside_safe_times_reason = check_safe_contact(
        party,
        at=held_on,
        is_call_or_visit=method in CALL_OR_VISIT,
        leaves_message=False,
        reason=outside_safe_times_reason,
    )
    with transaction.atomic():
        locked = _lock(case)
        _require_state(locked, [Case.State.PREPARATION, Case.State.CONFERENCING], "record preparation contacts")
        contact = PreparationContact(
            case=locked,
            party=party,
            held_on=held_on,
            method=method,
            attendees=attendees.strip(),
            notes=notes.strip(),
            interpreter_arranged=interpreter_arranged,
            adjustments_arranged=adjustments_arranged.strip(),
            outside_safe_times_reason=outside_safe_times_reason,
            by=user,
        )
        save_with_history(contact, user, "preparation contact recorded")
    return contact


# ---------------------------------------------------------------------------------------------------
# The activity: plan, reschedule, record that it took place

_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> str:
    """Lower case words and numbers only, single-spaced: '1, Harmed St.' and '1 harmed st' compare equal."""
    return " ".join(_WORD.findall((text or "").lower()))


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", (text or "").lower())


def _home_markers(party: Party) -> list[str]:
    """Pieces of a party's address specific enough that finding one in a venue means 'their home'."""
    markers = []
    whole = _words(party.address)
    if whole:
        markers.append(whole)
    # The house number and street: the first piece of the address with a number in it (with the next
    # piece when it is as short as 'Flat 2').
    pieces = [_words(p) for p in re.split(r"[,\n]", party.address or "") if _words(p)]
    for i, piece in enumerate(pieces):
        if re.search(r"\d", piece):
            if len(piece.split()) < 3 and i + 1 < len(pieces):
                piece = f"{piece} {pieces[i + 1]}"
            markers.append(piece)
            break
    return markers


def venue_home_problems(case: Case, venue: str) -> list[str]:
    """The parties whose home address the venue names, as messages (empty when the venue is not a home).

    Compares the normalised venue with each party's address (whole, and its number and street) and
    postcode. A home is never a venue: it exposes one party's address to the other and is not neutral.
    """
    if not venue.strip():
        return []
    venue_words = f" {_words(venue)} "
    venue_compact = _compact(venue)
    problems = []
    for party in case.parties.all():
        hit = any(f" {marker} " in venue_words for marker in _home_markers(party))
        postcode = _compact(party.postcode)
        if postcode and postcode in venue_compact:
            hit = True
        if hit:
            problems.append(
                f"The venue is the home address of {party.display_name} ({party.get_role_display().lower()}). "
                "Choose a neutral venue, such as a community room."
            )
    return problems


def _check_plan(
    case: Case,
    user,
    *,
    kind: str,
    scheduled_for: datetime | None,
    venue: str,
    method: str,
    lead_facilitator,
    co_facilitator,
    invited: list[Party],
    interpreter_booked: bool,
    interpreter_language: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in Activity.Kind.values:
        errors.setdefault("kind", []).append("Choose the type of activity.")
    if scheduled_for is None:
        errors.setdefault("scheduled_for", []).append("Enter the date and time of the activity.")
    face_to_face = kind in (Activity.Kind.DIRECT_CONFERENCE, Activity.Kind.COMMUNITY_CONFERENCE)
    if face_to_face and not venue.strip():
        errors.setdefault("venue", []).append("Enter the venue of a face-to-face or community conference.")
    if not face_to_face and not (venue.strip() or method.strip()):
        errors.setdefault("method", []).append("Enter how the indirect activity will be done.")
    problems = venue_home_problems(case, venue)
    if problems:
        errors.setdefault("venue", []).extend(problems)
    for name, person in (("lead_facilitator", lead_facilitator), ("co_facilitator", co_facilitator)):
        if person is not None and not roles.is_facilitator(person):
            errors.setdefault(name, []).append(f"{person.get_full_name() or person.username} is not a facilitator.")
    if lead_facilitator is None:
        errors.setdefault("lead_facilitator", []).append("Choose the lead facilitator.")
    if lead_facilitator is not None and co_facilitator is not None and lead_facilitator.pk == co_facilitator.pk:
        errors.setdefault("co_facilitator", []).append("The co-facilitator must be someone other than the lead.")
    if any(p.case_id != case.pk for p in invited):
        errors.setdefault("invited", []).append("Choose only people who are part of this case.")
    if interpreter_booked and not interpreter_language.strip():
        errors.setdefault("interpreter_language", []).append("Enter the language the interpreter was booked for.")
    if errors:
        raise ValidationError(errors)


def _new_activity(case, user, reason: str, supersedes: Activity | None = None, **plan) -> Activity:
    invited = plan.pop("invited")
    activity = Activity(case=case, supersedes=supersedes, status=Activity.Status.PLANNED, **plan)
    save_with_history(activity, user, reason)
    activity.invited.set(invited)
    return activity


def plan_activity(
    case: Case,
    user,
    *,
    kind: str,
    scheduled_for: datetime | None,
    duration_minutes: int | None = None,
    venue: str = "",
    method: str = "",
    lead_facilitator=None,
    co_facilitator=None,
    invited: Iterable[Party] = (),
    others_invited: str = "",
    interpreter_booked: bool = False,
    interpreter_language: str = "",
) -> Activity:
    """Plan the restorative activity while the case is in preparation. The facilitator then confirms it
    with the workflow's ``schedule_activity`` move."""
    check_case_work(case, user)
    invited = list(invited)
    lead_facilitator = lead_facilitator or case.facilitator
    _check_plan(
        case,
        user,
        kind=kind,
        scheduled_for=scheduled_for,
        venue=venue,
        method=method,
        lead_facilitator=lead_facilitator,
        co_facilitator=co_facilitator,
        invited=invited,
        interpreter_booked=interpreter_booked,
        interpreter_language=interpreter_language,
    )
    with transaction.atomic():
        locked = _lock(case)
        _require_state(locked, [Case.State.PREPARATION], "plan an activity")
        current = locked.current_activity
        if current is not None and current.status == Activity.Status.PLANNED:
            raise ValidationError("An activity is already planned for this case: reschedule it instead.")
        return _new_activity(
            locked,
            user,
            "activity planned",
            kind=kind,
            scheduled_for=scheduled_for,
            duration_minutes=duration_minutes,
            venue=venue.strip(),
            method=method.strip(),
            lead_facilitator=lead_facilitator,
            co_facilitator=co_facilitator,
            invited=invited,
            others_invited=others_invited.strip(),
            interpreter_booked=interpreter_booked,
            interpreter_language=interpreter_language.strip(),
        )


def reschedule_activity(
    activity: Activity,
    user,
    *,
    kind: str,
    scheduled_for: datetime | None,
    duration_minutes: int | None = None,
    venue: str = "",
    method: str = "",
    lead_facilitator=None,
    co_facilitator=None,
    invited: Iterable[Party] = (),
    others_invited: str = "",
    interpreter_booked: bool = False,
    interpreter_language: str = "",
    reason: str = "",
) -> Activity:
    """Replace a planned activity with a new plan. The earlier plan stays on the record, marked
    superseded, and the new one points back at it."""
    case = activity.case
    check_case_work(case, user)
    invited = list(invited)
    lead_facilitator = lead_facilitator or activity.lead_facilitator or case.facilitator
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the activity is being rescheduled."})
    _check_plan(
        case,
        user,
        kind=kind,
        scheduled_for=scheduled_for,
        venue=venue,
        method=method,
        lead_facilitator=lead_facilitator,
        co_facilitator=co_facilitator,
        invited=invited,
        interpreter_booked=interpreter_booked,
        interpreter_language=interpreter_language,
    )
    with transaction.atomic():
        locked = _lock(case)
        _require_state(locked, [Case.State.PREPARATION, Case.State.CONFERENCING], "reschedule an activity")
        old = Activity.objects.select_for_update().get(pk=activity.pk)
        if old.status != Activity.Status.PLANNED:
            raise ValidationError(
                f"Only a planned activity can be rescheduled; this one is {old.get_status_display().lower()}."
            )
        old.status = Activity.Status.SUPERSEDED
        old._history_user = user
        old._change_reason = f"rescheduled: {reason.strip()}"[:100]
        old.save(update_fields=["status"])
        return _new_activity(
            locked,
            user,
            f"rescheduled: {reason.strip()}"[:100],
            supersedes=old,
            kind=kind,
            scheduled_for=scheduled_for,
            duration_minutes=duration_minutes,
            venue=venue.strip(),
            method=method.strip(),
            lead_facilitator=lead_facilitator,
            co_facilitator=co_facilitator,
            invited=invited,
            others_invited=others_invited.strip(),
            interpreter_booked=interpreter_booked,
            interpreter_language=interpreter_language.strip(),
        )


def record_activity_took_place(
    activity: Activity,
    user,
    *,
    took_place_on: date | None,
    attended: Iterable[Party],
    summary: str,
    agreement_reached: bool | None,
    others_attended: str = "",
) -> Activity:
    """Record that the confirmed activity took place: when, who took part, what happened, and whether an
    agreement was reached."""
    case = activity.case
    check_case_work(case, user)
    attended = _case_parties(case, attended, "attended")
    errors = {}
    if took_place_on is None:
        errors["took_place_on"] = "Enter the date the activity took place."
    elif took_place_on > timezone.localdate():
        errors["took_place_on"] = "The date the activity took place must be today or in the past."
    if not attended:
        errors["attended"] = "Choose who took part."
    if not summary.strip():
        errors["summary"] = "Enter a summary of what happened."
    if agreement_reached is None:
        errors["agreement_reached"] = "Say whether an agreement was reached."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(case)
        _require_state(locked, [Case.State.CONFERENCING], "record that the activity took place")
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if activity.status != Activity.Status.PLANNED or activity.pk != getattr(locked.current_activity, "pk", None):
            raise ValidationError("Only the activity now planned for this case can be recorded as taking place.")
        activity.status = Activity.Status.TOOK_PLACE
        activity.took_place_on = took_place_on
        activity.summary = summary.strip()
        activity.agreement_reached = agreement_reached
        activity.others_attended = others_attended.strip()
        save_with_history(
            activity,
            user,
            "activity took place",
            update_fields=["status", "took_place_on", "summary", "agreement_reached", "others_attended"],
        )
        activity.attended.set(attended)
    return activity


# ---------------------------------------------------------------------------------------------------
# The outcome agreement (drafted while conferencing; the workflow's record_agreement move fixes it)


def _draft_agreement_case(case: Case, doing: str) -> Activity:
    """The took-place activity an agreement is drafted for, after checking the case can take a draft."""
    _require_state(case, [Case.State.CONFERENCING], doing)
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
    signatories = _case_parties(case, signatories, "signatories")
    errors = {}
    if signed_on is None:
        errors["signed_on"] = "Enter the date the agreement was signed."
    else:
        _not_in_future(signed_on, "signed_on", "date the agreement was signed")
    if not signatories:
        errors["signatories"] = "Choose who signed the agreement."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(case)
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
        locked = _lock(case)
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
        locked = _lock(case)
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
        locked = _lock(case)
        _require_state(locked, [Case.State.AGREEMENT], "record follow-up contacts")
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
    locked = _lock(case)
    _require_state(locked, [Case.State.AGREEMENT], "mark actions done or missed")
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
