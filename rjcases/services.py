"""Writes for the case workflow. Every change of a case's state goes through ``take_transition``
(or the per-move function it calls): one transaction that checks permission on the server, locks the
row, applies the transition, saves, records the transition row and the history reason, and registers
side effects to run on commit. Views, the admin, commands and the API all call these."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransition

from accounts import roles
from rjcases import clocks
from rjcases.guards import Guard
from rjcases.models import (
    Assessment,
    Case,
    CaseReferenceSequence,
    CaseTransition,
    Consent,
    ContactAttempt,
    Incident,
    Note,
    Party,
    ReadAccess,
    normalise_postcode,
)

# ---------------------------------------------------------------------------------------------------
# Refusals


class TransitionRefused(Exception):
    """A transition that did not happen, with the reasons in words a user understands.

    ``code`` says which kind: ``state`` (not possible from the case's state), ``permission`` (not this
    user's to take), ``guard`` (something the move needs is missing), ``input`` (a required field is
    missing or wrong), ``concurrent`` (someone else changed the case first).
    """

    def __init__(self, code: str, reasons: Iterable[str], fields: dict[str, str] | None = None):
        self.code = code
        self.reasons = list(reasons)
        self.fields = fields or {}
        super().__init__("; ".join(self.reasons))


class ActionRefused(Exception):
    """A non-transition write this user may not make (the view turns it into a 404 or 403)."""


CHANGED_BY_SOMEONE_ELSE = "This case was changed by someone else while you were working on it. Reload it and try again."


# ---------------------------------------------------------------------------------------------------
# The transitions


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


def _derived_completion_outcome(case: Case) -> str:
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
    outcome = _derived_completion_outcome(case)
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

# Side effects per transition (letters, notifications), registered by other apps. Each is called
# inside the transaction with (case, user, transition_row); anything leaving the database must
# itself use transaction.on_commit.
_AFTER_TRANSITION: list[Callable] = []
_HOOKS_SUSPENDED: ContextVar[bool] = ContextVar("rjcases_transition_hooks_suspended", default=False)


def register_after_transition(hook: Callable) -> Callable:
    """Call ``hook(case, user, transition_row)`` after every transition (once, however often registered)."""
    if hook not in _AFTER_TRANSITION:
        _AFTER_TRANSITION.append(hook)
    return hook


@contextmanager
def transition_hooks_suspended() -> Iterator[None]:
    """Inside this block, transitions taken by this thread (or task) run no registered hooks.

    For seeding demo data only (a run partly written in bulk has no letters, so its walked cases make none
    either). A context variable, so other threads of a running server are not affected.
    """
    token = _HOOKS_SUSPENDED.set(True)
    try:
        yield
    finally:
        _HOOKS_SUSPENDED.reset(token)


def take_transition(case: Case, user, name: str, **inputs) -> Case:
    """Take transition ``name`` on ``case`` for ``user``; returns the case as saved.

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
            for hook in () if _HOOKS_SUSPENDED.get() else _AFTER_TRANSITION:
                hook(locked, user, row)
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


# ---------------------------------------------------------------------------------------------------
# Referral intake


def next_reference(year: int) -> str:
    """The next case reference for ``year``, e.g. RJ-2026-00042: a counter, so it says nothing of the case."""
    sequence, _ = CaseReferenceSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"RJ-{year}-{sequence.last_number:05d}"


def find_possible_duplicates(case: Case) -> list[Case]:
    """Other cases with the same crime reference, or a party of the same name and the same incident date."""
    incident = case.incident
    query = Q(pk__in=[])
    if incident.crime_reference:
        query |= Q(incident__crime_reference__iexact=incident.crime_reference)
    names = [(p.first_name, p.last_name) for p in case.parties.all() if p.last_name]
    if names:
        name_q = Q(pk__in=[])
        for first, last in names:
            name_q |= Q(parties__first_name__iexact=first, parties__last_name__iexact=last)
        query |= name_q & Q(incident__occurred_from__date=timezone.localtime(incident.occurred_from).date())
    return list(Case.objects.filter(query).exclude(pk=case.pk).distinct().order_by("id"))


@dataclass
class PartyData:
    role: str
    first_name: str
    last_name: str = ""
    extra: dict = field(default_factory=dict)


def create_referral(
    user,
    *,
    route,
    incident: dict,
    strands: Iterable,
    parties: Iterable[PartyData] = (),
    received_on: date | None = None,
    **case_fields,
) -> Case:
    """Record a new referral (any route) with its incident and parties; flag possible duplicates."""
    if not (roles.is_referrer(user) or roles.is_manager(user) or roles.is_facilitator(user)
            or roles.is_caseworker(user)):
        raise ActionRefused("You cannot make referrals.")
    strands = list(strands)
    if not strands:
        raise ValidationError({"strands": "Choose at least one hate crime strand."})
    received_on = received_on or timezone.localdate()
    with transaction.atomic():
        if roles.is_referrer(user) and "referring_organisation" not in case_fields:
            case_fields["referring_organisation"] = user.organisation
        case = Case(
            reference=next_reference(received_on.year),
            route=route,
            received_on=received_on,
            referred_by=user,
            rj_information_due_on=clocks.rj_information_due(received_on, case_fields.get("enhanced_rights", False)),
            initial_contact_due_on=clocks.initial_contact_due(received_on),
            **case_fields,
        )
        case.full_clean(exclude=["reference", "state"])
        case._history_user = user
        case._change_reason = "referral received"
        case.save()
        if incident.get("postcode"):
            incident = {**incident, "postcode": normalise_postcode(incident["postcode"])}
        incident_obj = Incident(case=case, **incident)
        incident_obj.full_clean(exclude=["case"])
        incident_obj._history_user = user
        incident_obj.save()
        incident_obj.strands.set(strands)
        for party in parties:
            add_party(case, user, role=party.role, first_name=party.first_name, last_name=party.last_name,
                      _skip_permission=True, **party.extra)
        duplicates = find_possible_duplicates(case)
        if duplicates:
            case.possible_duplicate_of.set(duplicates)
        CaseTransition.objects.create(case=case, name="refer", source="", target=case.state, by=user,
                                      reason="Referral received", data={"route": route.code})
    return case


# ---------------------------------------------------------------------------------------------------
# Case work that does not move the state


def _check_case_work(case: Case, user) -> None:
    from rjcases.permissions import can_edit_case_work

    if not can_edit_case_work(case, user):
        raise ActionRefused("Only the case's facilitator or a manager can change this case.")


def _save(obj, user, reason: str = "", **kwargs) -> None:
    obj._history_user = user
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save(**kwargs)


def allocate(case: Case, user, *, facilitator, co_facilitator=None) -> Case:
    """Allocate (or reallocate) the case's facilitator and co-facilitator: a manager's job."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can allocate cases.")
    for person in filter(None, [facilitator, co_facilitator]):
        if not roles.is_facilitator(person):
            raise ValidationError({"facilitator": f"{person} is not a facilitator."})
    if co_facilitator is not None and facilitator is not None and co_facilitator.pk == facilitator.pk:
        raise ValidationError({"co_facilitator": "The co-facilitator must be someone other than the facilitator."})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        locked.facilitator = facilitator
        locked.co_facilitator = co_facilitator
        locked._history_user = user
        locked._change_reason = "allocated"
        locked.save(update_fields=["facilitator", "co_facilitator", "updated_at"])
    return locked


def add_party(case: Case, user, *, role: str, first_name: str, last_name: str = "", _skip_permission=False,
              **fields) -> Party:
    if not _skip_permission:
        _check_case_work(case, user)
    party = Party(case=case, role=role, first_name=first_name, last_name=last_name, **fields)
    if party.postcode:
        party.postcode = normalise_postcode(party.postcode)
    _save(party, user, "party added")
    return party


def update_party(party: Party, user, **fields) -> Party:
    _check_case_work(party.case, user)
    for name, value in fields.items():
        setattr(party, name, value)
    _save(party, user, "party updated")
    return party


def record_consent(party: Party, user, *, purpose: str, given_on: date, method: str, wording_version: str = "2026-1",
                   wording_shown: str = "") -> Consent:
    from rjcases.permissions import is_case_caseworker

    if not is_case_caseworker(party.case, user):
        _check_case_work(party.case, user)
    consent = Consent(party=party, purpose=purpose, given_on=given_on, method=method,
                      wording_version=wording_version, wording_shown=wording_shown, recorded_by=user)
    _save(consent, user, "consent recorded")
    return consent


def withdraw_consent(consent: Consent, user, *, withdrawn_on: date, reason: str) -> Consent:
    """Record a withdrawal of consent. The consent stays on the record; the case is not closed by this
    alone: the facilitator records the case's withdrawal as its own transition."""
    from rjcases.permissions import is_case_caseworker

    if not is_case_caseworker(consent.party.case, user):
        _check_case_work(consent.party.case, user)
    if consent.withdrawn_on:
        raise ValidationError({"withdrawn_on": "This consent was already withdrawn."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why consent was withdrawn."})
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_reason = reason.strip()
    _save(consent, user, "consent withdrawn", update_fields=["withdrawn_on", "withdrawal_reason"])
    return consent


def record_assessment(party: Party, user, **fields) -> Assessment:
    _check_case_work(party.case, user)
    assessment = Assessment(party=party, assessor=user, **fields)
    _save(assessment, user, "assessment recorded")
    return assessment


def sign_off_assessment(assessment: Assessment, user, *, note: str = "") -> Assessment:
    """A manager signs off a high-risk assessment (recorded: who and when)."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can sign off a high-risk assessment.")
    if assessment.signed_off_at:
        raise ValidationError("This assessment is already signed off.")
    assessment.signed_off_by = user
    assessment.signed_off_at = timezone.now()
    assessment.sign_off_note = note
    _save(assessment, user, "risk signed off", update_fields=["signed_off_by", "signed_off_at", "sign_off_note"])
    return assessment


def add_note(case: Case, user, *, body: str) -> Note:
    from rjcases.permissions import can_see_details

    if not can_see_details(case, user):
        raise ActionRefused("You cannot add notes to this case.")
    if not body.strip():
        raise ValidationError({"body": "Enter the note."})
    note = Note(case=case, author=user, body=body.strip())
    _save(note, user, "note added")
    return note


def record_contact(case: Case, user, *, party: Party | None, at: datetime, method: str, result: str,
                   rj_information_given: bool = False, notes: str = "") -> ContactAttempt:
    """Log a contact attempt; the first that reaches someone starts the clocks' 'met' dates."""
    _check_case_work(case, user)
    contact = ContactAttempt(case=case, party=party, at=at, method=method, result=result,
                             rj_information_given=rj_information_given, notes=notes, by=user)
    with transaction.atomic():
        _save(contact, user, "contact logged")
        changed = []
        day = timezone.localtime(at).date() if timezone.is_aware(at) else at.date()
        if result == ContactAttempt.Result.REACHED and not case.initial_contact_on:
            case.initial_contact_on = day
            changed.append("initial_contact_on")
        told_harmed = party is None or party.role == Party.Role.HARMED
        if rj_information_given and not case.rj_information_given_on and told_harmed:
            case.rj_information_given_on = day
            changed.append("rj_information_given_on")
        if changed:
            case._history_user = user
            case._change_reason = "clock met"
            case.save(update_fields=[*changed, "updated_at"])
    return contact


def mark_duplicate_reviewed(case: Case, user, *, note: str = "") -> Case:
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager can review possible duplicates.")
    case.duplicate_reviewed = True
    case._history_user = user
    case._change_reason = f"duplicate reviewed: {note}"[:100]
    case.save(update_fields=["duplicate_reviewed", "updated_at"])
    return case


def log_read(user, case: Case | None, what: str, object_id: str = "", path: str = "") -> None:
    """Write one row of the read access log. Always on: there is no setting to switch it off."""
    ReadAccess.objects.create(user=user, case=case, what=what, object_id=str(object_id or ""), path=path[:300])
