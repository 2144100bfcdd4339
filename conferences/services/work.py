"""Writes for the restorative work: preparation and the activity (plan, reschedule, record that it took place).

Each checks permission on the server and records history; the workflow's moves stay in ``rjcases.services``.
The outcome agreement and monitoring are ``conferences.services.agreement``; the shared checks
``conferences.services.checks``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import roles
from conferences.models import Activity, PreparationContact
from conferences.services.checks import case_parties, lock_case, not_in_future, require_state
from rjcases.models import Case, Party
from rjcases.services.casework import check_case_work, check_safe_contact, save_with_history

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
    case_parties(case, [party], "party")
    not_in_future(held_on, "held_on", "date of the contact")
    outside_safe_times_reason = check_safe_contact(
        party,
        at=held_on,
        is_call_or_visit=method in CALL_OR_VISIT,
        leaves_message=False,
        reason=outside_safe_times_reason,
    )
    with transaction.atomic():
        locked = lock_case(case)
        require_state(locked, [Case.State.PREPARATION, Case.State.CONFERENCING], "record preparation contacts")
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
        locked = lock_case(case)
        require_state(locked, [Case.State.PREPARATION], "plan an activity")
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
        locked = lock_case(case)
        require_state(locked, [Case.State.PREPARATION, Case.State.CONFERENCING], "reschedule an activity")
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
    attended = case_parties(case, attended, "attended")
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
        locked = lock_case(case)
        require_state(locked, [Case.State.CONFERENCING], "record that the activity took place")
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
