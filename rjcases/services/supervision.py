"""Case supervision: a manager records supervising a case (the RJ Council's practitioner code asks for it)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import roles
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, Supervision
from rjcases.services.casework import save_with_history

ONLY_MANAGERS = "Only a manager can record the supervision of a case."


def record_supervision(
    case: Case, user, *, held_on: date, discussion: str, decisions: str = "", next_review_on: date | None = None
) -> Supervision:
    """Record one supervision of ``case`` by the manager ``user``; historied, and on the case's timeline."""
    if not roles.is_manager(user):
        raise ActionRefused(ONLY_MANAGERS)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "The date of the supervision must be today or in the past"})
    if next_review_on is not None and next_review_on < held_on:
        raise ValidationError({"next_review_on": "The next review must be on or after the date of the supervision"})
    if not discussion.strip():
        raise ValidationError({"discussion": "Enter what was discussed"})
    supervision = Supervision(
        case=case,
        supervisor=user,
        held_on=held_on,
        discussion=discussion.strip(),
        decisions=decisions.strip(),
        next_review_on=next_review_on,
    )
    save_with_history(supervision, user, "supervision recorded")
    return supervision
