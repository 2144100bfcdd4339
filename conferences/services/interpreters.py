"""Interpreters booked for the restorative activity: book one for a person invited who needs it, and confirm the
booking. The workflow's ``schedule_activity`` reads these (``rjcases.guards.interpreters_confirmed``): it is
refused while someone invited who needs an interpreter has no confirmed booking in their language.

Registration numbers. A British Sign Language interpreter must be on the NRCPD register (the National Registers of
Communication Professionals working with Deaf and Deafblind People), so a BSL booking needs its NRCPD number before
it can be confirmed. We accept the number as digits only, 4 to 8 of them, written with or without "NRCPD" in front
and with or without spaces ("NRCPD 1234567", "12345"); it is stored as the digits. Spoken-language interpreters may
be on the NRPSI register, which is voluntary: a number is optional and, when given, is 3 to 20 letters, digits,
spaces or hyphens."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from conferences.models import Activity, InterpreterBooking
from conferences.services.checks import lock_case, require_state
from rjcases.models import Case, Party
from rjcases.needs import BSL, interpreter_language_for, is_bsl, needs_interpreter, same_language
from rjcases.services.casework import check_case_work, save_with_history

NRCPD = re.compile(r"^(?:nrcpd)?\s*[:#-]?\s*(\d(?:\s?\d){3,7})$", re.IGNORECASE)
OTHER_REGISTER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{2,19}$")
OPEN_STATES = (Case.State.PREPARATION, Case.State.CONFERENCING)
MAX_COST_PENCE = 10_000_000  # £100,000: anything more is a typing slip


def normalise_registration(language: str, number: str) -> tuple[str, list[str]]:
    """The registration number as stored, and what is wrong with it (empty when it may be saved)."""
    number = " ".join((number or "").split())
    if not number:
        return "", []
    if is_bsl(language):
        found = NRCPD.match(number)
        if not found:
            return number, [
                "Enter the interpreter's NRCPD registration number: 4 to 8 digits, for example 1234567 "
                "(with or without NRCPD in front)."
            ]
        return re.sub(r"\s", "", found.group(1)), []
    if not OTHER_REGISTER.match(number):
        return number, ["Enter the registration number as 3 to 20 letters, digits, spaces or hyphens."]
    return number, []


def interpreter_participants(activity: Activity) -> list[Party]:
    """Who an interpreter may be booked for at this activity: the people invited (or, when none are named, every
    participating person), of whom those who need one come first."""
    people = list(activity.invited.all()) or [p for p in activity.case.parties.all() if p.participating]
    return sorted(people, key=lambda p: not needs_interpreter(p))


def _check_activity(activity: Activity, locked: Case) -> Activity:
    require_state(locked, OPEN_STATES, "book an interpreter")
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if activity.status != Activity.Status.PLANNED or activity.pk != getattr(locked.current_activity, "pk", None):
        raise ValidationError("Interpreters are booked for the activity now planned for this case only.")
    return activity


def book_interpreter(
    activity: Activity,
    user,
    *,
    party: Party | None,
    provider: str,
    language: str = "",
    registration_number: str = "",
    cost_pence: int | None = None,
    confirmed: bool = False,
    confirmed_on: date | None = None,
) -> InterpreterBooking:
    """Book an interpreter for one person invited to the planned activity. The language is the person's
    interpreter language unless another is given; a booking may be confirmed at once (``confirmed``, with the
    date it was confirmed, today when not given)."""
    case = activity.case
    check_case_work(case, user)
    errors: dict[str, list[str]] = {}
    if party is None or party.case_id != case.pk:
        errors["party"] = ["Choose the person the interpreter is for."]
    elif party not in interpreter_participants(activity):
        errors["party"] = [f"{party.display_name} is not invited to this activity."]
    language = " ".join((language or "").split()) or (interpreter_language_for(party) if party else "")
    if not language or language == "language not recorded":
        errors["language"] = ["Enter the language the interpreter works in, for example Polish or BSL."]
    elif len(language) > 60:
        errors["language"] = ["Language must be 60 characters or fewer."]
    provider = " ".join((provider or "").split())
    if not provider:
        errors["provider"] = ["Enter the agency or the interpreter booked."]
    elif len(provider) > 200:
        errors["provider"] = ["Agency or interpreter must be 200 characters or fewer."]
    registration_number, problems = normalise_registration(language, registration_number)
    if problems:
        errors["registration_number"] = problems
    elif confirmed and is_bsl(language) and not registration_number:
        errors["registration_number"] = ["Enter the BSL interpreter's NRCPD registration number to confirm it."]
    errors.update(_cost_problems(cost_pence))
    if confirmed:
        confirmed_on = confirmed_on or timezone.localdate()
        if confirmed_on > timezone.localdate():
            errors["confirmed_on"] = ["The date confirmed must be today or in the past."]
    else:
        confirmed_on = None
    if errors:
        raise ValidationError(errors)
    if is_bsl(language):
        language = BSL  # one spelling, so the return counts BSL once
    with transaction.atomic():
        locked = lock_case(case)
        activity = _check_activity(activity, locked)
        booking = InterpreterBooking(
            activity=activity,
            party=party,
            language=language,
            provider=provider,
            registration_number=registration_number,
            cost_pence=cost_pence,
            confirmed=confirmed,
            confirmed_on=confirmed_on,
            booked_by=user,
        )
        save_with_history(booking, user, "interpreter booked and confirmed" if confirmed else "interpreter booked")
    return booking


def _cost_problems(cost_pence) -> dict[str, list[str]]:
    if cost_pence is None:
        return {}
    if isinstance(cost_pence, bool) or not isinstance(cost_pence, int):
        return {"cost_pence": ["Enter the cost as a whole number of pence, for example 8550 for £85.50."]}
    if cost_pence < 0:
        return {"cost_pence": ["The cost cannot be negative."]}
    if cost_pence > MAX_COST_PENCE:
        return {"cost_pence": ["The cost must be £100,000 or less."]}
    return {}


def confirm_interpreter_booking(
    booking: InterpreterBooking,
    user,
    *,
    confirmed_on: date | None = None,
    registration_number: str = "",
    cost_pence: int | None = None,
) -> InterpreterBooking:
    """Record that the booking is confirmed, on ``confirmed_on`` (today when not given), with its registration
    number and cost where they are known only now. A BSL booking needs its NRCPD number."""
    case = booking.activity.case
    check_case_work(case, user)
    confirmed_on = confirmed_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if confirmed_on > timezone.localdate():
        errors["confirmed_on"] = ["The date confirmed must be today or in the past."]
    number, problems = normalise_registration(booking.language, registration_number or booking.registration_number)
    if problems:
        errors["registration_number"] = problems
    elif is_bsl(booking.language) and not number:
        errors["registration_number"] = ["Enter the BSL interpreter's NRCPD registration number to confirm it."]
    errors.update(_cost_problems(cost_pence))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = lock_case(case)
        _check_activity(booking.activity, locked)
        booking = InterpreterBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.confirmed:
            raise ValidationError(f"This booking was already confirmed on {booking.confirmed_on:%-d %B %Y}.")
        booking.confirmed = True
        booking.confirmed_on = confirmed_on
        booking.registration_number = number
        fields = ["confirmed", "confirmed_on", "registration_number"]
        if cost_pence is not None:
            booking.cost_pence = cost_pence
            fields.append("cost_pence")
        save_with_history(booking, user, "interpreter booking confirmed", update_fields=fields)
    return booking


def bookings_language_matches(booking: InterpreterBooking) -> bool:
    """Whether the booking is in the language its person needs (a booking in another language does not count)."""
    return same_language(booking.language, interpreter_language_for(booking.party))
