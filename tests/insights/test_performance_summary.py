"""The performance page from its summary tables (insights.summary): the same figures as counted from the case
records on the day the summary was counted, for whole months and any partnership scope; the page counts from the
case records when a filter, a part month or an old summary needs it, and says which it did."""

import io
import random
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insights import selectors, summary
from insights.models import PerformanceCell, PerformanceDays, PerformanceSummary, PerformanceTally
from insights.selectors import Filters, Period
from rjcases.models import Case, CaseTransition, HateStrand
from tests.insights.conftest import aware, make_case

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)
PERIODS = [
    Period(date(2026, 3, 1), date(2026, 3, 31)),  # one month
    Period(date(2026, 1, 1), date(2026, 3, 31)),  # a quarter
    Period(date(2026, 3, 1), date(2026, 4, 30)),  # two months across quarters
    Period(date(2025, 12, 1), TODAY),  # the default 12 months, up to the day counted
]


def both(period, *, with_facilitators=True, partnerships=None):
    ref = selectors.load_reference(partnerships)
    filters = Filters(period=period, partnerships=partnerships)
    live = selectors.performance(filters, ref, with_facilitators=with_facilitators, today=TODAY)
    return live, summary.performance(filters, ref, with_facilitators=with_facilitators)


def test_the_summary_gives_the_figures_counted_from_the_records(march_cases):
    summary.refresh(TODAY)
    for period in PERIODS:
        for with_facilitators in (True, False):
            live, summarised = both(period, with_facilitators=with_facilitators)
            assert summarised == live, period
    live, summarised = both(PERIODS[0])
    # Not all zeros: the hand-counted March figures (tests/insights/test_performance.py).
    assert (summarised.totals.referrals, summarised.totals.accepted, summarised.totals.rj_overdue) == (5, 3, 2)
    assert summarised.durations.to_closure.median == 3
    assert {name for name, _, _ in summarised.by_facilitator} == {"Fay Facilitator", "Otto Otherfac", "Not allocated"}


def test_each_partnership_reads_its_own_cells(march_cases, salford_manager, salford_ward):
    theirs = make_case(salford_manager, ward=salford_ward.code, received_on=date(2026, 3, 10), strands=("religion",))
    summary.refresh(TODAY)
    trafford, salford = march_cases["a"].partnership_id, theirs.partnership_id
    assert trafford != salford
    for scope in ((trafford,), (salford,), (trafford, salford), None):
        live, summarised = both(PERIODS[0], partnerships=scope)
        assert summarised == live, scope
    assert both(PERIODS[0], partnerships=(salford,))[1].totals.referrals == 1
    assert both(PERIODS[0], partnerships=(trafford,))[1].totals.referrals == 5


def test_after_random_moves_the_summary_still_agrees(police_referrer, manager, facilitator, other_facilitator):
    """Cases received over six months with random strands, facilitators and moves (dated over weekends and bank
    holidays): every whole-month period gives the same picture both ways, medians and 90th percentiles included."""
    rng = random.Random(7)
    path = [("accept", "assessment"), ("find_suitable", "preparation"), ("schedule_activity", "conferencing")]
    strand_sets = [("race",), ("religion",), ("race", "disability"), ("sexual-orientation",)]
    for _ in range(30):
        received = date(2025, 11, 1) + timedelta(days=rng.randrange(180))
        case = make_case(police_referrer, received_on=received, strands=rng.choice(strand_sets))
        Case.objects.filter(pk=case.pk).update(facilitator=rng.choice([facilitator, other_facilitator, None]))
        state, day = "referral", received
        for hour, (name, target) in enumerate(path[: rng.randrange(0, len(path) + 1)], start=9):
            day += timedelta(days=rng.randrange(0, 20))
            CaseTransition.objects.create(
                case=case, name=name, source=state, target=target, by=manager, at=aware(day, hour=hour)
            )
            state = target
        if rng.random() < 0.3:
            CaseTransition.objects.create(
                case=case, name="withdraw", source=state, target="closed", by=manager, at=aware(day + timedelta(3))
            )
            Case.objects.filter(pk=case.pk).update(state="closed", outcome="withdrawn")
    summary.refresh(TODAY)
    months = [date(2025, 11, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 4, 1)]
    ends = [date(2026, 1, 31), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]
    for start in months:
        for end in ends:
            if end > start:
                live, summarised = both(Period(start, end))
                assert summarised == live, (start, end)
    live, _ = both(Period(date(2025, 11, 1), date(2026, 5, 31)))
    assert live.totals.referrals == 30
    assert live.durations.per_state["referral"].n > 10


def test_what_the_summary_serves():
    counted = PerformanceSummary(as_of=date(2026, 11, 24))
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    assert summary.serves(Filters(period=march), counted)
    assert summary.serves(Filters(period=Period(date(2025, 12, 1), date(2026, 11, 24))), counted)
    assert summary.serves(Filters(period=Period(date(2025, 12, 1), date(2026, 11, 30))), counted)
    assert summary.serves(Filters(period=Period(date(2024, 2, 1), date(2024, 2, 29))), counted)  # leap year
    assert summary.serves(Filters(period=march, partnerships=(1, 2)), counted)
    # Part months: from the records.
    assert not summary.serves(Filters(period=Period(date(2026, 3, 2), date(2026, 3, 31))), counted)
    assert not summary.serves(Filters(period=Period(date(2026, 3, 1), date(2026, 3, 30))), counted)
    assert not summary.serves(Filters(period=Period(date(2026, 3, 1), date(2026, 11, 23))), counted)
    # Any filter: from the records, and no summary looked for.
    for chosen in ({"strand": 1}, {"crime_type": 1}, {"route": 1}, {"facilitator": 1}):
        assert not summary.may_serve(Filters(period=march, **chosen))
        assert not summary.serves(Filters(period=march, **chosen), counted)


def test_no_summary_or_an_old_one_is_not_used(march_cases):
    assert summary.current() is None
    made = summary.refresh(TODAY)
    assert summary.current(made.made_at + summary.MAX_AGE) == made
    assert summary.current(made.made_at + summary.MAX_AGE + timedelta(seconds=1)) is None


def test_counting_again_replaces_the_last_count(march_cases, police_referrer):
    first = summary.refresh(TODAY)
    rows = [m.objects.count() for m in (PerformanceCell, PerformanceDays, PerformanceTally)]
    assert all(rows)
    again = summary.refresh(TODAY)
    assert [m.objects.count() for m in (PerformanceCell, PerformanceDays, PerformanceTally)] == rows
    assert PerformanceSummary.objects.count() == 1
    assert again.pk == first.pk == 1
    assert again.cases == Case.objects.count() == 6
    before = both(PERIODS[3])[1].totals.referrals
    make_case(police_referrer, received_on=date(2026, 5, 5))
    assert both(PERIODS[3])[1].totals.referrals == before  # not counted until counted again
    summary.refresh(TODAY)
    assert both(PERIODS[3])[1].totals.referrals == before + 1


def test_the_command_counts_and_says_so(march_cases):
    out = io.StringIO()
    call_command("refresh_performance_summary", stdout=out)
    assert f"Performance summary counted: {Case.objects.count()} cases, as of " in out.getvalue()
    assert PerformanceSummary.objects.get().as_of == timezone.localdate()


def as_of_text(response) -> str:
    found = re.search(r'data-testid="figures-as-of">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def page_queries(client, query) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:performance"), query)
    assert response.status_code == 200
    return len(queries), response


def test_the_page_uses_the_summary_and_says_when_it_was_counted(client, manager, police_referrer, facilitator):
    today = timezone.localdate()
    for days in (3, 40, 100):
        make_case(police_referrer, received_on=today - timedelta(days=days))
    Case.objects.filter(received_on=today - timedelta(days=40)).update(facilitator=facilitator)
    client.force_login(manager)
    client.get(reverse("insights:index"))  # the session is saved once after signing in

    live_queries, live = page_queries(client, {})
    assert live.context["summary"] is None
    assert as_of_text(live) == "Counted from the case records now."

    made = summary.refresh()
    queries, page = page_queries(client, {})
    assert page.context["summary"] == made
    assert page.context["result"].totals.referrals == live.context["result"].totals.referrals == 3
    local = timezone.localtime(made.made_at)
    assert as_of_text(page).startswith(f"Counted at {local:%H:%M} on {local.day} {local:%B %Y} from the records")
    assert "counted again every hour" in as_of_text(page)
    # The summary's three reads and the facilitators' names, for the eight reads of the case records.
    assert (live_queries, queries) == (queries + 4, queries)

    race = str(HateStrand.objects.get(code="race").pk)
    filtered = client.get(reverse("insights:performance"), {"strand": race})
    assert filtered.context["summary"] is None
    assert "counted when you ask, which can take longer" in as_of_text(filtered)
    assert filtered.context["result"].totals.referrals == 3
