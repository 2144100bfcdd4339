"""The case workflow: every change of a case's state goes through ``take_transition`` (or the per-move
function that calls it): one transaction that checks permission on the server, locks the row, applies the
transition, saves, records the transition row and the history reason, and writes the letters the move
calls for. Views, the admin, commands and the API all call these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from letters.services import letters_for_transition
from letters.tasks import enqueue_letter_files
from notifications.services import notifications_for_transition
from notifications.tasks import enqueue_messages
from rjcases import limits
from rjcases.exceptions import CHANGED_BY_SOMEONE_ELSE, TransitionRefused
from rjcases.guards import Guard
from rjcases.models import Case, CaseTransition
from rjcases.permissions import withdrawn_by_allowed


@dataclass(frozen=True)
class TransitionSpec:
    """What a page or the API needs to offer a transition: its label and the fields it collects."""

    name: str
    label: str
    done: str  # what the page says once the move is made: "Referral accepted"
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
        TransitionSpec(
            "accept", "Accept the referral", "Referral accepted", ("note",), help="Moves the case to assessment."
        ),
        TransitionSpec("decline", "Decline the referral", "Referral declined", ("reason",), ("reason",)),
        TransitionSpec("find_suitable", "Find suitable and move to preparation", "Found suitable", ("note",)),
        TransitionSpec(
            "find_unsuitable", "Find not suitable and close", "Found not suitable", ("reason",), ("reason",)
        ),
        TransitionSpec("schedule_activity", "Confirm the planned activity", "Activity confirmed", ("note",)),
        TransitionSpec("cancel_activity", "Cancel the activity", "Activity cancelled", ("reason",), ("reason",)),
        TransitionSpec(
            "record_agreement", "Record the agreement and start monitoring", "Agreement recorded", ("note",)
        ),
        TransitionSpec(
            "conclude",
            "Close without an agreement",
            "Closed without an agreement",
            ("outcome", "summary"),
            ("outcome",),
            choices={"outcome": CONCLUDE_OUTCOMES},
        ),
        TransitionSpec(
            "complete",
            "Complete the case",
            "Case completed",
            ("summary",),
            help="The outcome follows from the actions.",
        ),
        TransitionSpec(
            "withdraw",
            "Record a withdrawal",
            "Withdrawal recorded",
            ("withdrawn_by", "reason"),
            ("withdrawn_by", "reason"),
        ),
        TransitionSpec("reopen", "Reopen the case", "Case reopened", ("reason",), ("reason",)),
    ]
}

FIELD_LABELS = {
    "reason": "Reason",
    "note": "Note (optional)",
    "outcome": "Outcome",
    "summary": "Closure summary",
    "withdrawn_by": "Who withdrew",
}
# The longest each typed field of a move may be (web and API alike); a reason is also the case's outcome reason.
FIELD_LIMITS = {"reason": limits.SUMMARY, "note": limits.SUMMARY, "summary": limits.SUMMARY}


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
    for name in spec.fields:
        limit = FIELD_LIMITS.get(name)
        if limit and len(str(inputs.get(name) or "")) > limit:
            label = FIELD_LABELS.get(name, name).replace(" (optional)", "")
            missing[name] = f"{label} must be {limit:,} characters or fewer"
    if missing:
        raise TransitionRefused("input", missing.values(), fields=missing)


def outcome_of_actions(statuses) -> str:
    """The outcome ``complete`` records, from the statuses of the agreement's actions."""
    from conferences.models import AgreementAction

    statuses = list(statuses)
    if all(s == AgreementAction.Status.DONE for s in statuses):
        return Case.Outcome.AGREEMENT_FULFILLED
    if any(s == AgreementAction.Status.DONE for s in statuses):
        return Case.Outcome.AGREEMENT_PARTLY_FULFILLED
    return Case.Outcome.AGREEMENT_BREACHED


def completion_outcome(case: Case) -> str:
    """The outcome ``complete`` records: it follows from the agreement's actions."""
    return outcome_of_actions(a.status for a in case.current_agreement.actions.all())


# --- what each move writes, as data ---------------------------------------------------------------
# Each move's writes are a pure function of the case's current field values (by attname), the cleaned
# inputs, the time of the move and the few facts it needs about related rows. ``take_transition`` applies
# the result to the locked case; the demo's bulk writer (demo/bulk.py) applies the same result to the plain
# rows it writes. A move's fields are therefore decided here only.


@dataclass(frozen=True)
class Facts:
    """What a move may need to know besides the case's own fields (each move says which it needs)."""

    activity: object = None  # the current activity's key (the bulk writer passes its not-yet-inserted row)
    activity_kind: str = ""
    agreement: object = None  # the current agreement's key
    action_statuses: tuple[str, ...] = ()  # the statuses of the current agreement's actions


@dataclass(frozen=True)
class Writes:
    """A move's own writes: case fields, fields of the current activity, data for the transition row."""

    case: dict = field(default_factory=dict)
    activity: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Move:
    """One move's writes (a pure function of the case, inputs, time and facts) and the facts it needs."""

    writes: Callable[[Mapping, dict, datetime, Facts], Writes]
    needs: str = ""  # "activity" or "agreement": which related rows the caller must describe in Facts


@dataclass(frozen=True)
class MoveEffects:
    """Everything a move writes, as data: what ``take_transition`` and the bulk writer both apply."""

    name: str
    source: str
    target: str
    case: dict  # the case fields the move sets, besides the state (which the django-fsm transition sets)
    activity: dict  # the fields set on the current activity; empty when the move leaves it alone
    reason: str
    change_reason: str  # simple-history's reason on the case's history row
    data: dict  # the transition row's data

    @property
    def transition_row(self) -> dict:
        """The CaseTransition row's fields, other than the case, who and when."""
        return {
            "name": self.name,
            "source": self.source,
            "target": self.target,
            "reason": self.reason,
            "data": self.data,
        }


def _closing(outcome: str, now: datetime, reason: str = "", summary: str = "") -> dict:
    return {"outcome": outcome, "outcome_reason": reason, "closure_summary": summary, "closed_at": now}


def _accept(case, inputs, now, facts):
    return Writes(data={"facilitator": case["facilitator_id"]})


def _decline(case, inputs, now, facts):
    return Writes(_closing(Case.Outcome.REFERRAL_DECLINED, now, inputs["reason"]))


def _find_unsuitable(case, inputs, now, facts):
    return Writes(_closing(Case.Outcome.NOT_SUITABLE, now, inputs["reason"]))


def _schedule(case, inputs, now, facts):
    return Writes(data={"activity": facts.activity, "kind": facts.activity_kind})


def _cancel(case, inputs, now, facts):
    from conferences.models import Activity

    cancelled = {"status": Activity.Status.CANCELLED, "cancellation_reason": inputs["reason"]}
    return Writes(activity=cancelled if facts.activity is not None else {}, data={"activity": facts.activity})


def _record_agreement(case, inputs, now, facts):
    return Writes(data={"agreement": facts.agreement, "actions": len(facts.action_statuses)})


def _conclude(case, inputs, now, facts):
    outcome = inputs["outcome"]
    return Writes(_closing(outcome, now, summary=inputs.get("summary", "")), data={"outcome": outcome})


def _complete(case, inputs, now, facts):
    outcome = outcome_of_actions(facts.action_statuses)
    return Writes(_closing(outcome, now, summary=inputs.get("summary", "")), data={"outcome": outcome})


def _withdraw(case, inputs, now, facts):
    closing = _closing(Case.Outcome.WITHDRAWN, now, inputs["reason"])
    return Writes(closing, data={"withdrawn_by": inputs["withdrawn_by"]})


def _reopen(case, inputs, now, facts):
    return Writes({"outcome": "", "outcome_reason": "", "closed_at": None}, data={"previous_outcome": case["outcome"]})


MOVES: dict[str, Move] = {
    "accept": Move(_accept),
    "decline": Move(_decline),
    "find_suitable": Move(lambda case, inputs, now, facts: Writes()),
    "find_unsuitable": Move(_find_unsuitable),
    "schedule_activity": Move(_schedule, needs="activity"),
    "cancel_activity": Move(_cancel, needs="activity"),
    "record_agreement": Move(_record_agreement, needs="agreement"),
    "conclude": Move(_conclude),
    "complete": Move(_complete, needs="agreement"),
    "withdraw": Move(_withdraw),
    "reopen": Move(_reopen),
}


def clean_inputs(inputs: dict) -> dict:
    """A move's inputs as it uses them: text stripped, missing values left out."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in inputs.items() if v is not None}


def target_of(name: str, source: str) -> str:
    """The state move ``name`` leads to from ``source``, as the django-fsm declaration on ``Case`` says."""
    transition = getattr(Case, name)._django_fsm.get_transition(source)
    if transition is None:
        raise ValueError(f"{name!r} cannot be taken from {source!r}.")
    return transition.target


def move_effects(name: str, case: Mapping, inputs: dict, now: datetime, facts: Facts) -> MoveEffects:
    """What move ``name`` writes, given the case's field values before it (by attname) and cleaned inputs."""
    spec, writes = TRANSITIONS[name], MOVES[name].writes(case, inputs, now, facts)
    reason = inputs.get("reason") or inputs.get("note") or inputs.get("summary") or ""
    kept = {**writes.data, **{f: inputs.get(f) for f in spec.fields}}
    return MoveEffects(
        name=name,
        source=case["state"],
        target=target_of(name, case["state"]),
        case={"state_changed_at": now, **writes.case},
        activity=writes.activity,
        reason=reason,
        change_reason=f"{name}: {reason}"[:100] if reason else name,
        data={k: v for k, v in kept.items() if v not in (None, "")},
    )


def _facts(case: Case, needs: str):
    """The facts a move needs about the locked case's related rows, and the current activity itself."""
    if needs == "activity":
        activity = case.current_activity
        if activity is None:
            return Facts(), None
        return Facts(activity=activity.pk, activity_kind=activity.kind), activity
    if needs == "agreement":
        agreement = case.current_agreement
        return Facts(agreement=agreement.pk, action_statuses=tuple(a.status for a in agreement.actions.all())), None
    return Facts(), None


def take_transition(case: Case, user, name: str, *, letters: bool = True, notify: bool = True, **inputs) -> Case:
    """Take transition ``name`` on ``case`` for ``user``; returns the case as saved.

    Every effect of a move is here, in this order: what the move writes (``move_effects``: the fields it
    collects, a cancelled activity, the history reason, the transition row's data) applied to the locked
    case and its activity, the transition row, the letters the move calls for, and the emails telling the
    referrer and the caseworkers of the new status (``letters=False`` and ``notify=False`` only for seeding
    demo data, which makes no letters and tells nobody).

    Raises ``TransitionRefused`` with the reasons when it cannot; nothing is then changed.
    The state the caller saw (``case.state``) must still be the state in the database.
    """
    if name not in TRANSITIONS:
        raise TransitionRefused("state", [f"There is no transition called {name!r}."])
    spec = TRANSITIONS[name]
    inputs = clean_inputs(inputs)
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
            allowed = withdrawn_by_allowed(locked, user) if name == "withdraw" else None
            if allowed is not None and inputs.get("withdrawn_by") not in allowed:
                raise TransitionRefused("permission", ["A caseworker records a withdrawal by their own client only."])
            facts, activity = _facts(locked, MOVES[name].needs)
            values = {f.attname: getattr(locked, f.attname) for f in Case._meta.concrete_fields}
            effects = move_effects(name, values, inputs, timezone.now(), facts)
            method()
            if effects.activity:
                for attname, value in effects.activity.items():
                    setattr(activity, attname, value)
                activity._history_user = user
                activity.save(update_fields=list(effects.activity))
            for attname, value in effects.case.items():
                setattr(locked, attname, value)
            locked._history_user = user
            locked._change_reason = effects.change_reason
            locked.save(update_fields=["state", "updated_at", *effects.case])
            row = CaseTransition.objects.create(case=locked, by=user, **effects.transition_row)
            if letters:
                # The letters' rows now; their PDFs are written by a task once this transaction has committed.
                made = letters_for_transition(locked, user, row)
                transaction.on_commit(partial(enqueue_letter_files, [letter.pk for letter in made]), robust=True)
            if notify:
                # The referrer's and caseworkers' messages: rows now; a task sends each once this has committed.
                told = notifications_for_transition(locked, user, row)
                transaction.on_commit(partial(enqueue_messages, [message.pk for message in told]), robust=True)
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
