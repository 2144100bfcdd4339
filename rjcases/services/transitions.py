"""The case workflow: every change of a case's state goes through ``take_transition`` (or the per-move
function that calls it): one transaction that checks permission on the server, locks the row, applies the
transition, saves, records the transition row and the history reason, and writes the letters the move
calls for. Views, the admin, commands and the API all call these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from letters.services import letters_for_transition
from rjcases.exceptions import CHANGED_BY_SOMEONE_ELSE, TransitionRefused
from rjcases.guards import Guard
from rjcases.models import Case, CaseTransition


@dataclass(frozen=True)
class TransitionSpec:
    """What a page or the API needs to offer a transition: its label and the fields it collects."""

    name: str
    label: str
    fields: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    help: str = ""
    choices: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)


CONCLUDE_OUTCOMES = (
    (Case.Outcome.NO_AGREEMENT_NEEDED.value, Case.Outcome.NO_AGREEMENT_NEEDED.label),
    (Case.Outcome.NO_AGREEMENT_REACHED.value, Case.Outcome.NO_AGREEMENT_REACHED.label),
)

TRANSITIONS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in [
        TransitionSpec("accept", "Accept the referral", ("note",), help="Moves the case to assessment."),
        TransitionSpec("decline", "Decline the referral", ("reason",), ("reason",)),
        TransitionSpec("find_suitable", "Find suitable and move to preparation", ("note",)),
        TransitionSpec("find_unsuitable", "Find not suitable and close", ("reason",), ("reason",)),
        TransitionSpec("schedule_activity", "Confirm the planned activity", ("note",)),
        TransitionSpec("cancel_activity", "Cancel the activity", ("reason",), ("reason",)),
        TransitionSpec("record_agreement", "Record the agreement and start monitoring", ("note",)),
        TransitionSpec(
            "conclude", "Close without an agreement", ("outcome", "summary"), ("outcome",),
            choices={"outcome": CONCLUDE_OUTCOMES},
        ),
        TransitionSpec("complete", "Complete the case", ("summary",), help="The outcome follows from the actions."),
        TransitionSpec("withdraw", "Record a withdrawal", ("withdrawn_by", "reason"), ("withdrawn_by", "reason")),
        TransitionSpec("reopen", "Reopen the case", ("reason",), ("reason",)),
    ]
}

FIELD_LABELS = {
    "reason": "Reason",
    "note": "Note (optional)",
    "outcome": "Outcome",
    "summary": "Closure summary",
    "withdrawn_by": "Who withdrew",
}


def _transition_method(case: Case, name: str):
    return getattr(case, name)


def may_take(case: Case, user, name: str) -> bool:
    """Whether the transition's ``permission`` lets this user take it from the case's state.

    django-fsm's ``has_transition_perm`` also runs the guards; here permission and guards are answered
    separately, so a refusal can say which it was.
    """
    meta = _transition_method(case, name)._django_fsm
    return meta.has_transition(case.state) and meta.has_transition_perm(case, case.state, user)


def guard_problems(case: Case, name: str) -> list[str]:
    """The unmet guards of transition ``name`` from the case's current state, as messages."""
    transition = _transition_method(case, name)._django_fsm.get_transition(case.state)
    if transition is None:
        return []
    problems: list[str] = []
    for condition in transition.conditions or []:
        if isinstance(condition, Guard):
            problems.extend(condition.problems(case))
        elif not condition(case):
            problems.append(f"The case is not ready: {condition.__name__.replace('_', ' ')}.")
    return problems


def available_transitions(case: Case, user) -> list[dict]:
    """The transitions this user may take from the case's state now, each with its unmet guards."""
    offered = []
    for name, spec in TRANSITIONS.items():
        method = _transition_method(case, name)
        if not method._django_fsm.has_transition(case.state):
            continue
        if not may_take(case, user, name):
            continue
        offered.append({"spec": spec, "name": name, "label": spec.label, "problems": guard_problems(case, name)})
    return offered


def _require(inputs: dict, spec: TransitionSpec) -> None:
    missing = {
        f: f"Enter the {FIELD_LABELS.get(f, f).lower()}" for f in spec.required if not str(inputs.get(f) or "").strip()
    }
    for name, options in spec.choices.items():
        value = inputs.get(name)
        if value and value not in {v for v, _ in options}:
            missing[name] = f"Choose a valid {FIELD_LABELS.get(name, name).lower()}"
    if missing:
        raise TransitionRefused("input", missing.values(), fields=missing)


def completion_outcome(case: Case) -> str:
    """The outcome ``complete`` records: it follows from the agreement's actions."""
    from conferences.models import AgreementAction

    statuses = [a.status for a in case.current_agreement.actions.all()]
    if all(s == AgreementAction.Status.DONE for s in statuses):
        return Case.Outcome.AGREEMENT_FULFILLED
    if any(s == AgreementAction.Status.DONE for s in statuses):
        return Case.Outcome.AGREEMENT_PARTLY_FULFILLED
    return Case.Outcome.AGREEMENT_BREACHED


def _closing_fields(case: Case, outcome: str, reason: str = "", summary: str = "") -> list[str]:
    case.outcome = outcome
    case.outcome_reason = reason
    case.closure_summary = summary
    case.closed_at = timezone.now()
    return ["outcome", "outcome_reason", "closure_summary", "closed_at"]


# Each applier sets the fields its move collects, on the locked case, and returns the fields it set
# and the data worth keeping on the transition row. It runs after the state has changed.
Applier = Callable[[Case, object, dict], tuple[list[str], dict]]


def _apply_accept(case, user, inputs):
    return [], {"facilitator": case.facilitator_id}


def _apply_decline(case, user, inputs):
    return _closing_fields(case, Case.Outcome.REFERRAL_DECLINED, inputs["reason"]), {}


def _apply_find_unsuitable(case, user, inputs):
    return _closing_fields(case, Case.Outcome.NOT_SUITABLE, inputs["reason"]), {}


def _apply_schedule(case, user, inputs):
    activity = case.current_activity
    return [], {"activity": activity.pk, "kind": activity.kind}


def _apply_cancel(case, user, inputs):
    from conferences.models import Activity

    activity = case.current_activity
    if activity is not None:
        activity.status = Activity.Status.CANCELLED
        activity.cancellation_reason = inputs["reason"]
        activity._history_user = user
        activity.save(update_fields=["status", "cancellation_reason"])
    return [], {"activity": activity.pk if activity else None}


def _apply_record_agreement(case, user, inputs):
    agreement = case.current_agreement
    return [], {"agreement": agreement.pk, "actions": agreement.actions.count()}


def _apply_conclude(case, user, inputs):
    return _closing_fields(case, inputs["outcome"], summary=inputs.get("summary", "")), {"outcome": inputs["outcome"]}


def _apply_complete(case, user, inputs):
    outcome = completion_outcome(case)
    return _closing_fields(case, outcome, summary=inputs.get("summary", "")), {"outcome": outcome}


def _apply_withdraw(case, user, inputs):
    fields = _closing_fields(case, Case.Outcome.WITHDRAWN, inputs["reason"])
    return fields, {"withdrawn_by": inputs["withdrawn_by"]}


def _apply_reopen(case, user, inputs):
    case.outcome = ""
    case.outcome_reason = ""
    case.closed_at = None
    return ["outcome", "outcome_reason", "closed_at"], {"previous_outcome": inputs.get("_previous_outcome", "")}


APPLIERS: dict[str, Applier] = {
    "accept": _apply_accept,
    "decline": _apply_decline,
    "find_suitable": lambda c, u, i: ([], {}),
    "find_unsuitable": _apply_find_unsuitable,
    "schedule_activity": _apply_schedule,
    "cancel_activity": _apply_cancel,
    "record_agreement": _apply_record_agreement,
    "conclude": _apply_conclude,
    "complete": _apply_complete,
    "withdraw": _apply_withdraw,
    "reopen": _apply_reopen,
}

def take_transition(case: Case, user, name: str, *, letters: bool = True, **inputs) -> Case:
    """Take transition ``name`` on ``case`` for ``user``; returns the case as saved.

    Every effect of a move is here, in this order: the state and the fields the move collects (its
    applier), the history reason, the transition row, and the letters the move calls for
    (``letters=False`` only for seeding demo data, which makes no letters).

    Raises ``TransitionRefused`` with the reasons when it cannot; nothing is then changed.
    The state the caller saw (``case.state``) must still be the state in the database.
    """
    if name not in TRANSITIONS:
        raise TransitionRefused("state", [f"There is no transition called {name!r}."])
    spec = TRANSITIONS[name]
    inputs = {k: (v.strip() if isinstance(v, str) else v) for k, v in inputs.items() if v is not None}
    expected_state = case.state
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.state != expected_state:
                raise TransitionRefused("concurrent", [CHANGED_BY_SOMEONE_ELSE])
            method = _transition_method(locked, name)
            if not method._django_fsm.has_transition(locked.state):
                raise TransitionRefused(
                    "state", [f"A case in {locked.get_state_display().lower()} cannot be moved with '{spec.label}'."]
                )
            if not may_take(locked, user, name):
                raise TransitionRefused("permission", ["You do not have permission to do this on this case."])
            problems = guard_problems(locked, name)
            if problems:
                raise TransitionRefused("guard", problems)
            _require(inputs, spec)
            source = locked.state
            previous_outcome = locked.outcome
            method()
            locked.state_changed_at = timezone.now()
            changed, data = APPLIERS[name](locked, user, {**inputs, "_previous_outcome": previous_outcome})
            reason = inputs.get("reason") or inputs.get("note") or inputs.get("summary") or ""
            locked._history_user = user
            locked._change_reason = f"{name}: {reason}"[:100] if reason else name
            locked.save(update_fields=["state", "state_changed_at", "updated_at", *changed])
            kept = {**data, **{f: inputs.get(f) for f in spec.fields}}
            row = CaseTransition.objects.create(
                case=locked, name=name, source=source, target=locked.state, by=user, reason=reason,
                data={k: v for k, v in kept.items() if v not in (None, "")},
            )
            if letters:
                letters_for_transition(locked, user, row)
    except ConcurrentTransition as exc:
        raise TransitionRefused("concurrent", [CHANGED_BY_SOMEONE_ELSE]) from exc
    return locked


# Named per-move functions, so a reader (and the API) can call each move by its name.
def case_accept(case, user, *, note: str = "") -> Case:
    return take_transition(case, user, "accept", note=note)


def case_decline(case, user, *, reason: str) -> Case:
    return take_transition(case, user, "decline", reason=reason)


def case_find_suitable(case, user, *, note: str = "") -> Case:
    return take_transition(case, user, "find_suitable", note=note)


def case_find_unsuitable(case, user, *, reason: str) -> Case:
    return take_transition(case, user, "find_unsuitable", reason=reason)


def case_schedule_activity(case, user, *, note: str = "") -> Case:
    return take_transition(case, user, "schedule_activity", note=note)


def case_cancel_activity(case, user, *, reason: str) -> Case:
    return take_transition(case, user, "cancel_activity", reason=reason)


def case_record_agreement(case, user, *, note: str = "") -> Case:
    return take_transition(case, user, "record_agreement", note=note)


def case_conclude(case, user, *, outcome: str, summary: str = "") -> Case:
    return take_transition(case, user, "conclude", outcome=outcome, summary=summary)


def case_complete(case, user, *, summary: str = "") -> Case:
    return take_transition(case, user, "complete", summary=summary)


def case_withdraw(case, user, *, withdrawn_by: str, reason: str) -> Case:
    return take_transition(case, user, "withdraw", withdrawn_by=withdrawn_by, reason=reason)


def case_reopen(case, user, *, reason: str) -> Case:
    return take_transition(case, user, "reopen", reason=reason)

