"""Victims' Code writes after intake: the report to the police (when, by whom) and enhanced rights.

Both recompute the RJ-information due date (``rjcases.victims_code.clocks``), in the same transaction, and
leave field history naming who made the change and why, which the case timeline shows. Only the case's
facilitators and managers may make them (``ActionRefused`` otherwise); bad input is a ``ValidationError``
and changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from recorded.services import record_case_incident
from rjcases import clocks
from rjcases.choices import REPORTED_BY_CHOICES
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Incident
from rjcases.permissions import can_edit_case_work

NOT_YOURS = "Only the case's facilitator, its co-facilitator or a manager can change its Victims' Code record."
REASON_LIMIT = 300


def check_report(reported_on: date | None, reported_by: str, *, received_on: date, occurred_on: date | None) -> None:
    """The report date is on or before the referral (and today), and not before the incident; who is a choice."""
    errors = {}
    if reported_on is not None:
        if reported_on > timezone.localdate():
            errors["reported_on"] = "The date it was reported must be today or in the past."
        elif reported_on > received_on:
            errors["reported_on"] = "The date it was reported must be on or before the date the referral was received."
        elif occurred_on is not None and reported_on < occurred_on:
            errors["reported_on"] = "The date it was reported cannot be before the incident."
    if reported_by and reported_by not in dict(REPORTED_BY_CHOICES):
        errors["reported_by"] = "Choose who reported the incident from the list."
    if errors:
        raise ValidationError(errors)


def rj_information_due(received_on: date, reported_on: date | None, enhanced: bool) -> date:
    """The RJ-information due date: from the report where recorded, from the referral where not."""
    return clocks.rj_information_due(reported_on or received_on, enhanced)


def _history_by(obj, user, reason: str) -> None:
    """Who made the change and why, for the history row ``save`` writes (simple-history reads these attributes)."""
    obj._history_user, obj._change_reason = user, reason


def _locked(case: Case, user) -> Case:
    if not can_edit_case_work(case, user):
        raise ActionRefused(NOT_YOURS)
    return Case.objects.select_for_update().get(pk=case.pk)


def record_report(case: Case, user, *, reported_on: date | None, reported_by: str = "") -> Incident:
    """Record or correct when the incident was reported and who reported it; the due date follows."""
    if not can_edit_case_work(case, user):
        raise ActionRefused(NOT_YOURS)
    incident = Incident.objects.get(case=case)
    check_report(
        reported_on,
        reported_by or "",
        received_on=case.received_on,
        occurred_on=timezone.localtime(incident.occurred_from).date(),
    )
    with transaction.atomic():
        case = _locked(case, user)
        incident = Incident.objects.select_for_update().get(pk=incident.pk)
        if (incident.reported_on, incident.reported_by) == (reported_on, reported_by or ""):
            return incident
        incident.reported_on, incident.reported_by = reported_on, reported_by or ""
        _history_by(incident, user, "report recorded")
        incident.save(update_fields=["reported_on", "reported_by"])
        due = rj_information_due(case.received_on, reported_on, case.enhanced_rights)
        if due != case.rj_information_due_on:
            case.rj_information_due_on = due
            _history_by(case, user, "report date recorded")
            case.save(update_fields=["rj_information_due_on", "updated_at"])
        # The recorded incident counts by report date too: its record follows in the same transaction.
        record_case_incident(case, user)
    return incident


def change_enhanced_rights(case: Case, user, *, enhanced: bool, reason: str) -> Case:
    """Switch enhanced rights on or off after intake, with the reason; the RJ-information due date is recomputed.

    On: the reason is why the person harmed is entitled (kept as ``enhanced_rights_reason``). Off: the reason is
    why they are not (the field is cleared; the reason stays in the history and on the timeline).
    """
    if not can_edit_case_work(case, user):
        raise ActionRefused(NOT_YOURS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why enhanced rights are being changed."})
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {REASON_LIMIT} characters or fewer."})
    if bool(enhanced) == case.enhanced_rights:
        state = "already entitled" if enhanced else "already not entitled"
        raise ValidationError({"enhanced": f"The person harmed is {state} to enhanced rights: nothing to change."})
    with transaction.atomic():
        case = _locked(case, user)
        reported_on = Incident.objects.filter(case=case).values_list("reported_on", flat=True).first()
        case.enhanced_rights = bool(enhanced)
        case.enhanced_rights_reason = reason if enhanced else ""
        case.rj_information_due_on = rj_information_due(case.received_on, reported_on, case.enhanced_rights)
        switched = "switched on" if enhanced else "switched off"
        _history_by(case, user, f"enhanced rights: {switched}, {reason}")
        case.save(update_fields=["enhanced_rights", "enhanced_rights_reason", "rj_information_due_on", "updated_at"])
    return case
