"""seed_demo: synthetic demo cases, the same for the same seed, in every state, made by the real services
(and, for large runs, the same rows written in bulk)."""

import inspect
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import Partnership
from conferences.models import Activity
from demo import bulk, people, plan, walk
from insights.models import ReportingCentre
from rjcases import services
from rjcases.models import Case, CaseTransition, Complaint, Incident, Party, Ward
from tests.demo.seed_digest import digest, first_difference, summary

AS_OF = "2026-11-20"
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(db):
    # pytest-django runs with debug off, so the demo commands need the flag that says this is not production.
    call_command("loaddata", "reference", "demo_users", "--i-know-this-is-not-production", verbosity=0)


def seed(*args, **options) -> str:
    out = StringIO()
    call_command("seed_demo", "--as-of", AS_OF, "--i-know-this-is-not-production", *args, stdout=out, **options)
    return out.getvalue()


def seeded_summary(**options) -> dict:
    """Seed into the test database as it is now, summarise, then put the database back as it was."""
    point = transaction.savepoint_create()
    try:
        seed(**options)
        return summary()
    finally:
        transaction.savepoint_rollback(point)


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(demo_users):
    first = seeded_summary(cases=30, seed=7, walk_limit=6)
    again = seeded_summary(cases=30, seed=7, walk_limit=6)
    other = seeded_summary(cases=30, seed=8, walk_limit=6)
    assert first_difference(first, again) == ""
    assert digest(first) == digest(again)
    assert digest(other) != digest(first)


def test_bulk_writes_the_rows_the_walk_through_the_services_makes(demo_users):
    walked = seeded_summary(cases=40, seed=11, walk_limit=40, letters=False)
    mixed = seeded_summary(cases=40, seed=11, walk_limit=6)
    assert first_difference(walked, mixed) == ""
    assert len(walked["Case"]) == 40
    assert len(walked["CaseTransition"]) > 40  # more than the referrals: cases moved


def test_the_default_demo_has_every_state_outcome_and_transition(demo_users):
    # The default plans, most written in bulk: the bulk writer writes the rows the walk would (the test above),
    # so the demo's content is the same and the test takes seconds, not a minute.
    output = seed(seed=1, letters=False, walk_limit=12)
    assert "Created 120 demo cases" in output
    cases = Case.objects.all()
    assert cases.count() == 120
    assert set(cases.values_list("state", flat=True)) == set(Case.State.values)
    assert set(cases.exclude(outcome="").values_list("outcome", flat=True)) == set(Case.Outcome.values)
    assert set(CaseTransition.objects.values_list("name", flat=True)) == {"refer", *services.TRANSITIONS}
    assert Incident.objects.values("ward").distinct().count() == Ward.objects.count() == 41  # Trafford's and Salford's
    for partnership in Partnership.objects.filter(code__in=("trafford", "salford")):
        own = cases.filter(partnership=partnership)
        assert own.count() > 25, partnership  # each partnership has its own cases, staff, letters and centres
        assert not own.filter(facilitator__isnull=False).exclude(facilitator__partnerships=partnership).exists()
        assert not own.exclude(incident__ward__partnership=partnership).exists()
        assert ReportingCentre.objects.filter(ward__partnership=partnership).exists()
    strands = Counter(Incident.strands.through.objects.values_list("hatestrand__code", flat=True))
    assert strands.most_common(1)[0][0] == "race"
    routes = Counter(cases.values_list("route__code", flat=True))
    assert routes.most_common(1)[0][0] == "police"
    crimes = Counter(Incident.objects.values_list("crime_type__code", flat=True))
    assert crimes["public-order"] > crimes["violence"] > crimes["criminal-damage"]
    # Communication needs, caseworkers, high risk signed off, clocks met and missed.
    parties = Party.objects.all()
    assert parties.filter(interpreter_needed=True).exists()
    assert parties.filter(large_print=True).exists()
    assert parties.filter(easy_read=True).exists()
    assert parties.filter(role=Party.Role.HARMED, caseworker__username="caseworker").exists()
    assert parties.filter(assessments__risk_level="high", assessments__signed_off_at__isnull=False).exists()
    given = cases.exclude(rj_information_given_on=None)
    assert any(c.rj_information_given_on <= c.rj_information_due_on for c in given)
    assert any(c.rj_information_given_on > c.rj_information_due_on for c in given)
    # Names of many scripts, for the letter tests.
    names = " ".join(f"{p.first_name} {p.last_name}" for p in parties)
    for letters in ("ł", "ğ", "ễ"):
        assert letters in names.lower() or letters.upper() in names
    assert any("\u0400" <= ch <= "\u04ff" for ch in names)  # Cyrillic
    assert any("\u0370" <= ch <= "\u03ff" for ch in names)  # Greek
    assert any("\u0600" <= ch <= "\u06ff" for ch in names)  # Arabic script
    assert Activity.objects.filter(status=Activity.Status.TOOK_PLACE).exists()
    # Victims' Code: most incidents say when they were reported (the due date follows); complaints in every state.
    reported = Incident.objects.exclude(reported_on=None).select_related("case")
    assert 0.6 * 120 < reported.count() < 120
    assert all(i.reported_on <= i.case.received_on for i in reported)
    complaints = Complaint.objects.all()
    assert complaints.count() == 6
    assert complaints.filter(acknowledged_on=None).exists()
    assert complaints.exclude(responded_on=None).exists()


def test_if_empty_adds_nothing_when_cases_exist(demo_users):
    seed(cases=5, seed=2, walk_limit=0, if_empty=True)
    counts = (Case.objects.count(), CaseTransition.objects.count(), Case.history.count())
    output = seed(cases=5, seed=2, walk_limit=0, if_empty=True)
    assert "already has 5 cases" in output
    assert (Case.objects.count(), CaseTransition.objects.count(), Case.history.count()) == counts
    assert counts[0] == 5


def test_seeding_again_in_bulk_flags_each_earlier_twin_once(demo_users):
    """The same seed makes the same people: each new case is a possible duplicate of its twin, found by crime
    reference and by name and day. The twin is flagged once, however it was found (keys above 256 are distinct
    int objects in Python, so this needs more than 256 cases to fail when the keys are compared by identity)."""
    seed(cases=300, seed=4, walk_limit=0)
    first = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    output = seed(cases=300, seed=4, walk_limit=0)
    assert "already has 300 cases" in output
    second = list(Case.objects.order_by("pk").values_list("pk", flat=True))[300:]
    flagged = 0
    for twin, case in zip(first, second, strict=True):
        found = list(Case.objects.get(pk=case).possible_duplicate_of.values_list("pk", flat=True))
        assert len(found) == len(set(found))
        flagged += twin in found
    assert flagged == 300


def test_without_demo_users_it_says_so_and_writes_nothing(db):
    call_command("loaddata", "reference", verbosity=0)
    with pytest.raises(CommandError, match="demo users are missing.*loaddata"):
        seed(cases=3)
    assert Case.objects.count() == 0


def test_bad_numbers_are_refused_with_a_message(demo_users):
    with pytest.raises(CommandError, match="whole number"):
        call_command("seed_demo", "--cases", "many")
    with pytest.raises(CommandError, match="zero or more"):
        call_command("seed_demo", "--cases", "-3")
    assert Case.objects.count() == 0


def test_bulk_cases_are_coherent(demo_users):
    seed(cases=60, seed=4, walk_limit=10)
    transitions = {}
    for row in CaseTransition.objects.order_by("case_id", "at", "id"):
        transitions.setdefault(row.case_id, []).append(row)
    for case in Case.objects.prefetch_related("incident__strands"):
        assert case.incident.strands.exists(), case.reference
        moves = transitions[case.pk]
        assert (moves[0].name, moves[0].source) == ("refer", "")
        for before, after in zip(moves, moves[1:], strict=False):
            assert after.source == before.target, case.reference
            assert after.at >= before.at
        assert moves[-1].target == case.state, case.reference
        history = list(case.history.order_by("history_date", "history_id"))
        assert (history[0].history_type, history[-1].state) == ("+", case.state)
        assert [h.state for h in history if h.history_change_reason.split(":")[0] in services.TRANSITIONS] == [
            m.target for m in moves[1:]
        ]
    for model in bulk.MODELS:
        if hasattr(model, "history"):
            assert not model.history.filter(history_user__isnull=True).exists(), model.__name__
            assert model.history.count() >= model.objects.count()


def test_every_state_change_of_the_walk_goes_through_take_transition(demo_users, monkeypatch):
    taken = []
    real = services.take_transition

    def spy(case, user, name, **inputs):
        moved = real(case, user, name, **inputs)
        taken.append((moved.pk, name))
        return moved

    monkeypatch.setattr(services, "take_transition", spy)
    seed(cases=25, seed=9, letters=False)
    recorded = list(CaseTransition.objects.exclude(name="refer").order_by("id").values_list("case_id", "name"))
    assert taken
    assert taken == recorded
    # The walk itself never sets a state or updates rows in bulk: it only calls the services.
    source = inspect.getsource(walk)
    for forbidden in (".state =", ".update(", "bulk_create", "bulk_update"):
        assert forbidden not in source


def test_plans_use_only_invented_contact_details():
    planner = plan.Planner(200, 3, date(2026, 11, 20))
    for index in range(200):
        for party in planner.plan(index).parties:
            fields = party.fields
            assert not fields.get("phone") or fields["phone"].startswith("07700 900")  # Ofcom's drama range
            assert not fields.get("email") or fields["email"].rsplit("@", 1)[1] in (
                "example.org",
                "example.com",
                "example.net",
            )
            assert not fields.get("postcode") or fields["postcode"].split()[0] in people.DISTRICTS  # both boroughs


def test_every_planned_withdrawal_records_who_withdrew_as_the_service_accepts_it():
    """Who withdrew is one of the move's own choices (the codes the web form and the API send), and a caseworker
    records a withdrawal by their own client only: seeding 3,000 cases once stopped at the 300th on a caseworker's
    withdrawal recorded as "The person harmed", the label rather than the code."""
    from rjcases.choices import WITHDRAWN_BY_CHOICES
    from rjcases.permissions import CASEWORKER_WITHDRAWN_BY

    codes = {code for code, _ in WITHDRAWN_BY_CHOICES}
    planner = plan.Planner(3000, 1, date(2026, 11, 20))
    withdrawals = [
        step
        for index in range(3000)
        for step in planner.plan(index).steps
        if step.kind == "transition" and step.data["name"] == "withdraw"
    ]
    assert len(withdrawals) > 100
    assert {step.data["inputs"]["withdrawn_by"] for step in withdrawals} <= codes
    by_caseworkers = [step for step in withdrawals if step.data["by"] == "caseworker"]
    assert by_caseworkers
    assert {step.data["inputs"]["withdrawn_by"] for step in by_caseworkers} <= set(CASEWORKER_WITHDRAWN_BY)
