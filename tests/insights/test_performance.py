"""RJ performance: exact counts and rates, working days per state and to closure, Victims' Code deadlines,
the per-facilitator breakdown for managers only, and CSV."""

import csv
import io
import random
from datetime import date, timedelta

import pytest
from django.urls import reverse

from insights import selectors, stats
from insights.selectors import Filters, Period, Summary
from rjcases import clocks
from rjcases.models import CaseTransition
from tests.insights.conftest import aware, make_case

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def run(period=MARCH, with_facilitators=True, **filters):
    ref = selectors.load_reference()
    return selectors.performance(
        Filters(period=period, **filters), ref, with_facilitators=with_facilitators, today=date(2026, 11, 24)
    )


def test_counts_and_rates(march_cases):
    result = run()
    t = result.totals
    assert (t.referrals, t.accepted, t.declined, t.awaiting, t.activity, t.closed) == (5, 3, 1, 1, 1, 3)
    assert t.acceptance_rate == 75.0
    assert t.activity_rate == pytest.approx(100 / 3)
    assert (t.fulfilled, t.partly_fulfilled, t.breached, t.completion_rate) == (1, 0, 0, 100.0)
    assert dict(result.outcomes)["Agreement fulfilled"] == 1
    assert dict(result.outcomes)["Not suitable"] == 1
    assert dict(result.outcomes)["Referral declined"] == 1
    assert sum(n for _, n in result.outcomes) == 3
    assert result.actions == {"done": 1}
    kinds = {label: (n, rate) for label, n, rate in result.activity_kinds}
    assert kinds["Face-to-face conference"] == (1, pytest.approx(100 / 3))
    assert kinds["Indirect shuttle communication"] == (0, 0.0)


def test_by_route_strand_and_quarter(march_cases):
    result = run()
    routes = {label: m for label, m in result.by_route}
    assert set(routes) == {"Police", "Self-Referral"}
    assert (routes["Police"].referrals, routes["Police"].accepted, routes["Police"].declined) == (4, 3, 0)
    assert (routes["Self-Referral"].referrals, routes["Self-Referral"].declined) == (1, 1)
    strands = {s.code: m for s, m in result.by_strand}
    assert (strands["race"].referrals, strands["race"].accepted) == (4, 3)
    assert (strands["religion"].referrals, strands["religion"].accepted) == (1, 1)
    assert strands["disability"].referrals == 1
    assert [(label, m.referrals) for label, m in result.by_quarter] == [("2026 Q1", 5)]


def test_working_days_per_state_and_to_closure(march_cases):
    # The stays, worked out by hand: referral 1, 1, 2, 4; assessment 2, 5; preparation 2; conferencing 1;
    # agreement 9; referral to closure 1, 3, 19.
    durations = run().durations
    assert durations.per_state["referral"] == Summary(n=4, median=1.5, p90=4)
    assert durations.per_state["assessment"] == Summary(n=2, median=3.5, p90=5)
    assert durations.per_state["preparation"] == Summary(n=1, median=2, p90=2)
    assert durations.per_state["conferencing"] == Summary(n=1, median=1, p90=1)
    assert durations.per_state["agreement"] == Summary(n=1, median=9, p90=9)
    assert durations.to_closure == Summary(n=3, median=3, p90=19)
    summary = {label: (n, med, p90) for label, n, med, p90 in durations.summary()}
    assert summary["Referral"] == (4, 1.5, 4)
    assert summary["Assessment"] == (2, 3.5, 5)
    assert summary["Referral to closure"] == (3, 3, 19)


def test_durations_counted_by_the_database_agree_with_the_clocks(police_referrer, manager, facilitator):
    """Random move dates over bank holidays and weekends: the database's counts, medians and 90th percentiles
    equal what rjcases.clocks and insights.stats make of the same moves in Python."""
    rng = random.Random(11)
    path = [
        ("accept", "assessment"),
        ("find_suitable", "preparation"),
        ("schedule_activity", "conferencing"),
        ("record_agreement", "agreement"),
        ("complete", "closed"),
    ]
    expected_stays: dict[str, list[int]] = {
        "referral": [],
        "assessment": [],
        "preparation": [],
        "conferencing": [],
        "agreement": [],
    }
    expected_closure: list[int] = []
    for _i in range(40):
        received = date(2025, 12, 1) + timedelta(days=rng.randrange(60))
        case = make_case(police_referrer, received_on=received)
        day, steps = received, path[: rng.randrange(1, len(path) + 1)]
        state, began = "referral", received
        for hour, (name, target) in enumerate(steps, start=9):  # later moves later in the day, too
            day = day + timedelta(days=rng.randrange(0, 25))
            CaseTransition.objects.create(
                case=case, name=name, source=state, target=target, by=manager, at=aware(day, hour=hour)
            )
            expected_stays[state].append(clocks.working_days_between(began, day))
            state, began = target, day
        if state == "closed":
            expected_closure.append(clocks.working_days_between(received, day))
    durations = run(period=Period(date(2025, 12, 1), date(2026, 1, 31))).durations
    for state, values in expected_stays.items():
        assert durations.per_state[state] == Summary(
            n=len(values), median=stats.median(values), p90=stats.percentile(values, 90)
        ), state
    assert durations.to_closure == Summary(
        n=len(expected_closure), median=stats.median(expected_closure), p90=stats.percentile(expected_closure, 90)
    )
    assert len(expected_closure) > 3
    assert len(expected_stays["referral"]) > 20


def test_victims_code_deadlines(march_cases):
    t = run().totals
    assert (t.rj_met, t.rj_late, t.rj_overdue, t.rj_rate) == (2, 1, 2, 40.0)
    assert (t.contact_met, t.contact_late, t.contact_overdue) == (3, 0, 2)


def test_by_facilitator(march_cases, facilitator):
    rows = {name: (m.referrals, m.accepted, m.closed, median) for name, m, median in run().by_facilitator}
    assert rows == {"Fay Facilitator": (2, 2, 1, 19), "Otto Otherfac": (1, 1, 1, 3), "Not allocated": (2, 0, 1, 1)}
    only_fay = run(facilitator=facilitator.pk)
    assert only_fay.totals.referrals == 2
    assert run(with_facilitators=False).by_facilitator is None


def test_the_period_and_strand_filters(march_cases):
    from rjcases.models import HateStrand

    assert run(period=Period(date(2026, 4, 1), date(2026, 4, 30))).totals.referrals == 1
    religion = HateStrand.objects.get(code="religion")
    result = run(strand=religion.pk)
    assert result.totals.referrals == 1
    assert [s.code for s, _ in result.by_strand] == ["religion"]


def test_managers_see_the_facilitator_breakdown_and_facilitators_do_not(client, march_cases, manager, facilitator):
    query = {
        "date_from-day": "1",
        "date_from-month": "3",
        "date_from-year": "2026",
        "date_to-day": "31",
        "date_to-month": "3",
        "date_to-year": "2026",
    }
    client.force_login(manager)
    page = client.get(reverse("insights:performance"), query).content.decode()
    assert "By facilitator" in page
    assert "Otto Otherfac" in page
    download = client.get(reverse("insights:performance"), {**query, "format": "csv", "table": "by-facilitator"})
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Facilitator"
    assert {r[0] for r in rows[1:]} == {"Fay Facilitator", "Otto Otherfac", "Not allocated"}

    client.force_login(facilitator)
    page = client.get(reverse("insights:performance"), {**query, "facilitator": str(facilitator.pk)})
    html = page.content.decode()
    assert page.status_code == 200
    assert "By facilitator" not in html
    assert "Otto Otherfac" not in html
    assert page.context["result"].totals.referrals == 5  # the facilitator filter is not theirs to use
    assert (
        client.get(reverse("insights:performance"), {**query, "format": "csv", "table": "by-facilitator"}).status_code
        == 404
    )


def test_every_performance_table_downloads_as_csv(client, march_cases, manager):
    client.force_login(manager)
    query = {
        "date_from-day": "1",
        "date_from-month": "3",
        "date_from-year": "2026",
        "date_to-day": "31",
        "date_to-month": "3",
        "date_to-year": "2026",
    }
    tables = client.get(reverse("insights:performance"), query).context["tables"]
    assert len(tables) == 10
    for key, table in tables.items():
        download = client.get(reverse("insights:performance"), {**query, "format": "csv", "table": key})
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1
    durations = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("insights:performance"), {**query, "format": "csv", "table": "durations"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert ["Referral to closure", "3", "3", "19"] in durations
