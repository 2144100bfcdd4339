"""Complaints (Victims' Code Right 12): record one, acknowledge it, respond to it with an outcome.

Who may do what (checked here, on the server):

- record and acknowledge: the case's facilitators and managers (whoever receives the complaint logs it at once);
- respond (the response and its outcome): managers only, so that a complaint about a facilitator's work is
  answered by someone other than the facilitator.

The deadlines are set when the complaint is recorded, in working days from the day it was received, from the
partnership's settings (``RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS``, ``RJ_COMPLAINT_RESPONSE_WORKING_DAYS``).
Every write is historied (the case timeline shows it); bad input is a ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from rjcases import clocks
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Complaint
from rjcases.permissions import can_edit_case_work, is_case_manager


def acknowledge_working_days() -> int:
    return int(getattr(settings, "RJ_COMPLAINT_ACKNOWLEDGE_WORKING_DAYS", 5))


def response_working_days() -> int:
    return int(getattr(settings, "RJ_COMPLAINT_RESPONSE_WORKING_DAYS", 20))


def may_record_complaint(case: Case, user) -> bool:
    return can_edit_case_work(case, user)


def may_respond_to_complaint(case: Case, user) -> bool:
    return is_case_manager(case, user)


def _check_day(day: date | None, name: str, *, not_before: date | None = None, what: str = "") -> None:
    if day is None:
        raise ValidationError({name: "Enter the date."})
    if day > timezone.localdate():
        raise ValidationError({name: "The date must be today or in the past."})
    if not_before is not None and day < not_before:
        raise ValidationError({name: f"The date cannot be before {what}."})


def _save(complaint, user, reason: str, **kwargs) -> None:
    complaint._history_user, complaint._change_reason = user, reason  # simple-history's who and why
    complaint.full_clean()
    complaint.save(**kwargs)


def record_complaint(
    case: Case, user, *, complainant: str, about: str, received_on: date, complainant_name: str = ""
) -> Complaint:
    """Record a complaint received about the service on this case; its deadlines are set from the settings."""
    if not may_record_complaint(case, user):
        raise ActionRefused("Only the case's facilitators or a manager can record a complaint.")
    about, complainant_name = (about or "").strip(), (complainant_name or "").strip()
    if complainant not in Complaint.From.values:
        raise ValidationError({"complainant": "Choose who the complaint is from."})
    if not about:
        raise ValidationError({"about": "Enter what the complaint is about."})
    _check_day(received_on, "received_on")
    complaint = Complaint(
        case=case,
        complainant=complainant,
        complainant_name=complainant_name,
        about=about,
        received_on=received_on,
        acknowledge_due_on=clocks.add_working_days(received_on, acknowledge_working_days()),
        respond_due_on=clocks.add_working_days(received_on, response_working_days()),
        recorded_by=user,
    )
    with transaction.atomic():
        _save(complaint, user, "complaint recorded")
    return complaint


def acknowledge_complaint(complaint: Complaint, user, *, acknowledged_on: date) -> Complaint:
    if not may_record_complaint(complaint.case, user):
        raise ActionRefused("Only the case's facilitators or a manager can acknowledge a complaint.")
    if complaint.acknowledged_on:
        raise ValidationError({"acknowledged_on": "This complaint has already been acknowledged."})
    _check_day(acknowledged_on, "acknowledged_on", not_before=complaint.received_on, what="the complaint was received")
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.acknowledged_on:
            raise ValidationError({"acknowledged_on": "This complaint has already been acknowledged."})
        complaint.acknowledged_on = acknowledged_on
        _save(complaint, user, "complaint acknowledged", update_fields=["acknowledged_on"])
    return complaint


def respond_to_complaint(complaint: Complaint, user, *, responded_on: date, response: str, outcome: str) -> Complaint:
    """The manager's response and its outcome. A response not preceded by an acknowledgement acknowledges it too
    (on the same day: the response is the first the complainant heard)."""
    if not may_respond_to_complaint(complaint.case, user):
        raise ActionRefused("Only a manager can respond to a complaint.")
    response = (response or "").strip()
    if complaint.responded_on:
        raise ValidationError({"responded_on": "This complaint has already been responded to."})
    _check_day(responded_on, "responded_on", not_before=complaint.received_on, what="the complaint was received")
    if complaint.acknowledged_on and responded_on < complaint.acknowledged_on:
        raise ValidationError({"responded_on": "The response cannot be before the acknowledgement."})
    if not response:
        raise ValidationError({"response": "Enter the response, in summary."})
    if outcome not in Complaint.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome of the complaint."})
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if complaint.responded_on:
            raise ValidationError({"responded_on": "This complaint has already been responded to."})
        complaint.acknowledged_on = complaint.acknowledged_on or responded_on
        complaint.responded_on, complaint.response, complaint.outcome = responded_on, response, outcome
        _save(
            complaint,
            user,
            "complaint responded to",
            update_fields=["acknowledged_on", "responded_on", "response", "outcome"],
        )
    return complaint
