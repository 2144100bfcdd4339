"""The bulk writer and ``take_transition`` write the same thing for every move: both apply the one
``move_effects`` of rjcases.services.transitions, and these tests hold them to it move by move, without a
whole seeding run."""

import inspect
from collections import defaultdict
from datetime import UTC, datetime

import pytest

from conferences.models import Activity, AgreementAction
from demo import bulk
from demo.bulk import BulkWriter, Row, _pk, _Story
from demo.clock import SimulatedClock, simulated_time
from demo.plan import Step
from rjcases import services
from rjcases.models import Case, CaseTransition
from rjcases.services import transitions
from tests.rjcases.test_transitions import ALLOWED, INPUTS, TARGETS, allowed_personas, case_in
from tests.rjcases.test_transitions import people as people  # noqa: PLC0414 - the fixture, used by name

pytestmark = pytest.mark.django_db
AT = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)


def _values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def _row(obj) -> Row:
    row = Row(type(obj), _values(obj), {})
    row.pk = obj.pk
    return row


def _story_of(case: Case) -> _Story:
    """The bulk writer's story of a case, as the database has it now."""
    story = _Story(plan=None)
    story.case = _row(case)
    activity = case.current_activity
    story.activity = _row(activity) if activity else None
    agreement = case.current_agreement
    story.agreement = _row(agreement) if agreement else None
    story.actions = [_row(a) for a in agreement.actions.order_by("id")] if agreement else []
    return story


def _history(obj) -> tuple:
    latest = obj.history.order_by("-history_id").first()
    tracked = [f.attname for f in type(latest).tracked_fields]
    return (
        latest.history_type,
        latest.history_date,
        latest.history_user_id,
        latest.history_change_reason,
        {f: getattr(latest, f) for f in tracked},
    )


def _snapshot(row: Row) -> tuple:
    kind, at, user_id, reason, values, _m2m = row.history[-1]
    tracked = [f.attname for f in row.model.history.model.tracked_fields]
    return kind, at, user_id, reason, {f: values[f] for f in tracked}


def both_ways(case: Case, user, name: str, inputs: dict) -> dict:
    """Take move ``name`` through the service and, from the same starting rows, through the bulk writer;
    return what each wrote (case, current activity, transition row, latest history rows)."""
    story = _story_of(case)
    activity_history = story.activity and Activity.history.filter(id=story.activity.pk).count()
    with simulated_time(SimulatedClock(AT)):
        services.take_transition(case, user, name, letters=False, **inputs)
    rows = defaultdict(list)
    BulkWriter(actors=None)._transition(
        rows, story, Step("transition", 0, 0, {"name": name, "inputs": inputs}, at=AT), user
    )
    case = Case.objects.get(pk=case.pk)
    row = case.transitions.order_by("-id").first()
    written = {f: getattr(row, f) for f in ("name", "source", "target", "reason", "data", "by_id", "at")}
    [bulk_row] = rows[CaseTransition]
    bulk_written = {f: bulk_row.values[f] for f in written}
    bulk_written["data"] = {k: _pk(v) for k, v in bulk_written["data"].items()}
    service = {"case": _values(case), "transition": written, "case history": _history(case)}
    writer = {"case": story.case.values, "transition": bulk_written, "case history": _snapshot(story.case)}
    if story.activity is not None:
        activity = Activity.objects.get(pk=story.activity.pk)
        changed = activity.history.count() > activity_history
        service.update(activity=_values(activity), activity_history=_history(activity) if changed else "unchanged")
        writer.update(
            activity=story.activity.values,
            activity_history=_snapshot(story.activity) if story.activity.history else "unchanged",
        )
    return {"service": service, "bulk": writer}


@pytest.mark.parametrize(("name", "source"), ALLOWED)
def test_the_bulk_writer_writes_what_take_transition_writes(people, name, source):
    case = case_in(source, people, ready_for=name)
    user = people[sorted(allowed_personas(name, source))[0]]
    written = both_ways(case, user, name, INPUTS.get(name, {}))
    assert written["bulk"] == written["service"]
    assert written["service"]["case"]["state"] == Case.State(written["service"]["transition"]["target"])


@pytest.mark.parametrize(
    ("statuses", "outcome"),
    [(["done", "missed"], "agreement_partly_fulfilled"), (["missed", "missed"], "agreement_breached")],
)
def test_both_derive_the_same_completion_outcome(people, statuses, outcome):
    case = case_in("agreement", people)
    for action, status in zip(case.current_agreement.actions.order_by("id"), statuses, strict=True):
        action.status = AgreementAction.Status(status)
        action.save()
    written = both_ways(case, people["facilitator"], "complete", {"summary": "Checked"})
    assert written["bulk"] == written["service"]
    assert written["service"]["case"]["outcome"] == outcome


def test_a_change_to_one_moves_writes_reaches_the_service_and_the_bulk_writer(people, monkeypatch):
    declined = transitions.MOVES["decline"].writes

    def decline_with_summary(case, inputs, now, facts):
        writes = declined(case, inputs, now, facts)
        return transitions.Writes(
            {**writes.case, "closure_summary": "Declined at referral"},
            writes.activity,
            {**writes.data, "declined": True},
        )

    monkeypatch.setitem(transitions.MOVES, "decline", transitions.Move(decline_with_summary))
    written = both_ways(case_in("referral", people), people["manager"], "decline", INPUTS["decline"])
    assert written["bulk"] == written["service"]
    assert written["service"]["case"]["closure_summary"] == "Declined at referral"
    assert written["service"]["transition"]["data"]["declined"] is True


def test_the_bulk_writer_has_no_transition_rules_of_its_own():
    source = inspect.getsource(bulk)
    for rule in ("Outcome", "closed_at", "outcome_reason", "CANCELLED", "_TARGETS"):
        assert rule not in source, rule


def test_every_move_has_its_writes_and_leads_where_the_state_machine_says():
    assert set(transitions.MOVES) == set(services.TRANSITIONS)
    for name, source in ALLOWED:
        assert transitions.target_of(name, source) == TARGETS[name]
    with pytest.raises(ValueError, match="cannot be taken"):
        transitions.target_of("complete", Case.State.REFERRAL)
