"""Moving a case to another partnership: the one way a case's partnership changes after its referral.

A referral goes to its incident ward's partnership (``rjcases.services.intake.partnership_for``). When it turns out
to be another partnership's (the incident was over the border, or the service there is better placed), a manager of
both moves it, naming a ward of the new partnership and saying why. Everything the move changes is written in one
transaction, in plain sight:

- the case's partnership and its incident's ward (each with a history row naming the manager and the reason);
- the facilitators who do not work for the new partnership are taken off it (it joins the new one's queue);
- a row in the case's workflow log (``CaseTransition`` ``move_partnership``, the state unchanged, chained and
  append-only like every move), which the timeline shows;
- the case's recorded incident follows the new ward (``recorded.services.record_case_incident``).

A closed case is not moved (reopen it first): the returns count closures from the workflow log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import roles
from recorded.services import record_case_incident
from rjcases import limits
from rjcases.exceptions import ActionRefused
from rjcases.models import Case, CaseTransition, Incident, Ward

MOVE = "move_partnership"


def _history_says(row: Any, user, reason: str) -> None:
    """The history row of the next save names the manager and the move (simple-history's instance attributes)."""
    row._history_user = user
    row._change_reason = reason[:100]


def may_move(case: Case, user, partnership=None) -> bool:
    """A manager of the case's partnership and of ``partnership`` (where not given: of at least one other)."""
    if not roles.is_manager(user) or not roles.in_partnership(user, case.partnership_id):
        return False
    if partnership is None:
        return len(roles.partnership_ids(user)) > 1
    return roles.in_partnership(user, partnership.pk)


def move_to_partnership(case: Case, user, *, ward: Ward, reason: str) -> Case:
    """Move the case to ``ward``'s partnership, its incident to ``ward``; refused unless the user manages both."""
    partnership = ward.partnership
    if not (roles.is_manager(user) and roles.in_partnership(user, case.partnership_id)):
        raise ActionRefused("Only a manager of the case's partnership can move it to another.")
    if not may_move(case, user, partnership):
        raise ActionRefused(f"Only a manager of {partnership.name} can move a case into it.")
    reason = (reason or "").strip()
    errors = {}
    if partnership.pk == case.partnership_id:
        errors["ward"] = f"The case is already {partnership.name}'s: choose a ward of another partnership."
    if not reason:
        errors["reason"] = "Say why the case moves to another partnership."
    elif len(reason) > limits.NOTE:
        errors["reason"] = f"The reason must be {limits.NOTE} characters or fewer."
    if case.is_closed:
        errors["ward"] = "A closed case is not moved: reopen it first."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("partnership").get(pk=case.pk)
        before = locked.partnership
        locked.partnership = partnership
        changed = ["partnership", "updated_at"]
        for name in ("facilitator", "co_facilitator"):
            person = getattr(locked, name)
            if person is not None and not roles.in_partnership(person, partnership.pk):
                setattr(locked, name, None)
                changed.append(name)
        _history_says(locked, user, f"moved to {partnership.name}")
        locked.save(update_fields=changed)
        incident = Incident.objects.select_for_update().get(case=locked)
        old_ward = incident.ward
        incident.ward = ward
        _history_says(incident, user, f"moved to {partnership.name}")
        incident.save(update_fields=["ward"])
        CaseTransition.objects.create(
            case=locked,
            name=MOVE,
            source=locked.state,
            target=locked.state,
            by=user,
            reason=reason,
            data={
                "from_partnership": before.code,
                "to_partnership": partnership.code,
                "moved": f"Moved from {before.name} to {partnership.name}.",
                "from_ward": old_ward.code,
                "to_ward": ward.code,
            },
        )
        record_case_incident(locked, user)
    return locked
