"""Checks every write of the restorative work shares: the case row locked, the state it must be in, the people
named being the case's own, dates not in the future."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from rjcases.models import Case, Party


def lock_case(case: Case) -> Case:
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


def require_state(case: Case, states: Iterable[str], doing: str) -> None:
    states = list(states)
    if case.state not in states:
        allowed = " or ".join(STATE_WORDS[Case.State(s)] for s in states)
        raise ValidationError(
            f"You can {doing} only when the case is {allowed}; this case is {STATE_WORDS[Case.State(case.state)]}."
        )


def case_parties(case: Case, parties: Iterable[Party], field: str) -> list[Party]:
    parties = list(parties)
    if any(p.case_id != case.pk for p in parties):
        raise ValidationError({field: "Choose only people who are part of this case."})
    return parties


def not_in_future(value: date | None, field: str, what: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: f"The {what} must be today or in the past."})
