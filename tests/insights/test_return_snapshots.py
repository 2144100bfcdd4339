"""The quarterly returns from their snapshots (insights.snapshots): the same lines, CSV and PDF as counted from
the case records on the day the snapshot was counted, for a partnership's scope and for every partnership's; the
pages count from the case records when no current snapshot is there, and say which they did."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reportlab import rl_config

from accounts.models import Partnership
from insights import pdf, snapshots
from insights.compliance import compliance_table, render_pdf
from insights.models import ReturnSnapshot
from insights.selectors import quarter_period
from insights.tables import csv_response, return_table
from tests.insights.conftest import make_case
from tests.insights.test_compliance_return import quarter  # noqa: F401 (the compliance return's hand-built quarter)
from tests.insights.test_quarterly_return import feedback_and_surveys  # noqa: F401 (March's feedback and surveys)
from tests.insights.test_query_counts import HAS_LETTER_LANGUAGE, overhead

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 20)  # 2026 Q1 is the last complete quarter, Q2 the current one
JULY = date(2026, 7, 1)  # the compliance return's day: 2026 Q2 complete
KINDS = (snapshots.QUARTERLY, snapshots.COMPLIANCE)
URLS = {snapshots.QUARTERLY: "insights:quarterly_return", snapshots.COMPLIANCE: "insights:compliance_return"}


def downloads(kind, year, number, lines, today) -> tuple[bytes, bytes]:
    """The return's CSV and PDF as the views make them (the PDF without its timestamps: reportlab's invariant)."""
    label, period = f"{year} Q{number}", quarter_period(year, number)
    if kind == snapshots.QUARTERLY:
        csv = csv_response(return_table(lines, label), "r").content
        document = pdf.render_return(period, label, lines, service_name="RJ", produced_on=today)
    else:
        csv = csv_response(compliance_table(lines, label), "r").content
        document = render_pdf(period, label, lines, service_name="RJ", produced_on=today)
    return csv, document


@pytest.fixture
def invariant_pdfs(monkeypatch):
    monkeypatch.setattr(rl_config, "invariant", 1)


def assert_snapshot_is_live(today, quarters, partnership_scopes):
    for kind in KINDS:
        for year, number in quarters:
            for scope in partnership_scopes:
                snapshot = snapshots.current(kind, year, number, scope)
                assert snapshot is not None, (kind, year, number, scope)
                assert snapshot.as_of == today
                stored, live = snapshots.lines_of(snapshot), snapshots.COUNT[kind](year, number, scope, today)
                assert stored == live, (kind, year, number, scope)
                assert downloads(kind, year, number, stored, today) == downloads(kind, year, number, live, today)


def test_the_snapshots_are_the_returns_counted_live(
    feedback_and_surveys,  # noqa: F811
    march_cases,
    salford_manager,
    salford_ward,
    invariant_pdfs,
):
    theirs = make_case(salford_manager, ward=salford_ward.code, received_on=date(2026, 3, 10), strands=("religion",))
    trafford, salford = march_cases["a"].partnership_id, theirs.partnership_id
    made = snapshots.refresh(APRIL)
    assert made.snapshots == 2 * 2 * (Partnership.objects.count() + 1) == ReturnSnapshot.objects.count()
    assert_snapshot_is_live(APRIL, [(2026, 1), (2026, 2)], [(trafford,), (salford,), None])

    # Not all zeros: the hand-counted March figures (test_quarterly_return.py), each partnership its own.
    def a1(scope):
        lines = snapshots.lines_of(snapshots.current(snapshots.QUARTERLY, 2026, 1, scope))
        return next(line.value for line in lines if line.code == "A1")

    assert (a1((trafford,)), a1((salford,)), a1(None)) == (5, 1, 6)


def test_the_compliance_snapshot_of_its_hand_built_quarter(quarter, manager, invariant_pdfs):  # noqa: F811
    snapshots.refresh(JULY)
    trafford = manager.partnerships.get().pk
    assert_snapshot_is_live(JULY, [(2026, 2), (2026, 3)], [(trafford,), None])
    lines = snapshots.lines_of(snapshots.current(snapshots.COMPLIANCE, 2026, 2, (trafford,)))
    found = {line.key: (line.due, line.met, line.late, line.median_days_late) for line in lines}
    assert found["first_contact"] == (3, 2, 1, 46)  # as test_compliance_return.py counts them
    assert found["complaint_acknowledged"] == (2, 1, 1, 7)


def on_day(monkeypatch, today):
    """Pages count ``today`` as this day (the snapshot's day, for a live count to compare with)."""
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: today if value is None else real(value, tz))


@pytest.mark.usefixtures("march_cases", "quarter", "invariant_pdfs")
def test_the_downloads_are_the_same_from_the_snapshot(client, monkeypatch, manager, regional_lead):
    on_day(monkeypatch, JULY)
    asked = [
        (manager, snapshots.QUARTERLY, "2026-Q1"),
        (manager, snapshots.QUARTERLY, "2026-Q2"),
        (manager, snapshots.COMPLIANCE, "2026-Q2"),
        (regional_lead, snapshots.QUARTERLY, "2026-Q2"),
    ]

    def got(user, kind, chosen):
        client.force_login(user)
        answers = [client.get(reverse(URLS[kind]), {"quarter": chosen, "format": f}) for f in ("csv", "pdf")]
        assert all(answer.status_code == 200 for answer in answers)
        return [answer.content for answer in answers]

    live = [got(*each) for each in asked]
    assert ReturnSnapshot.objects.count() == 0
    snapshots.refresh()
    # 2026 Q1 is not one the job counts on 1 July: counted live, and the same.
    assert [got(*each) for each in asked] == live
    assert snapshots.current(snapshots.QUARTERLY, 2026, 1, None) is None
    ReturnSnapshot.objects.all().delete()
    snapshots.refresh(JULY - timedelta(days=1))  # the snapshot's day is what it says, not the day it is read
    assert got(manager, snapshots.QUARTERLY, "2026-Q2") != live[1]


def test_a_missing_old_or_other_snapshot_is_not_used(march_cases, manager):
    trafford = (manager.partnerships.get().pk,)
    assert snapshots.current(snapshots.QUARTERLY, 2026, 1, trafford) is None
    snapshots.refresh(APRIL)
    made = snapshots.current(snapshots.QUARTERLY, 2026, 1, trafford)
    assert snapshots.current(snapshots.QUARTERLY, 2026, 1, trafford, made.made_at + snapshots.MAX_AGE) == made
    later = made.made_at + snapshots.MAX_AGE + timedelta(seconds=1)
    assert snapshots.current(snapshots.QUARTERLY, 2026, 1, trafford, later) is None
    assert snapshots.current(snapshots.QUARTERLY, 2025, 4, trafford) is None  # a quarter the job does not count
    assert snapshots.current(snapshots.QUARTERLY, 2026, 1, (*trafford, trafford[0] + 1)) is None  # two partnerships


def test_counting_again_replaces_the_last_count(march_cases, police_referrer):
    snapshots.refresh(APRIL)
    first = dict(ReturnSnapshot.objects.values_list("pk", "made_at"))
    old = ReturnSnapshot.objects.create(
        kind=snapshots.QUARTERLY, year=2025, quarter=4, scope="all", lines=[], made_at=timezone.now(), as_of=APRIL
    )
    snapshots.refresh(APRIL)
    again = dict(ReturnSnapshot.objects.values_list("pk", "made_at"))
    assert again.keys() == first.keys()  # the same rows, counted again; the other quarter's dropped
    assert all(again[pk] > first[pk] for pk in first)
    assert not ReturnSnapshot.objects.filter(pk=old.pk).exists()

    def a1():
        lines = snapshots.lines_of(snapshots.current(snapshots.QUARTERLY, 2026, 1, None))
        return next(line.value for line in lines if line.code == "A1")

    before = a1()
    make_case(police_referrer, received_on=date(2026, 3, 20))
    assert a1() == before  # not counted until counted again
    snapshots.refresh(APRIL)
    assert a1() == before + 1


def test_the_command_counts_and_says_so(march_cases):
    out = io.StringIO()
    call_command("refresh_return_snapshots", stdout=out)
    expected = 2 * 2 * (Partnership.objects.count() + 1)
    assert f"Return snapshots counted: {expected} returns, as of {timezone.localdate():%d %B %Y}, in " in out.getvalue()
    assert set(ReturnSnapshot.objects.values_list("as_of", flat=True)) == {timezone.localdate()}


def as_of_text(response) -> str:
    found = re.search(r'data-testid="figures-as-of">(.*?)</div>', response.content.decode(), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def page_queries(client, kind) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(URLS[kind]))
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    ("kind", "live_reads"),
    # The reference data (5) and the return's 14 (one more once letters record a language); the compliance
    # return's 2. From the snapshot: only the one read that looks for it, which the live count also pays.
    [(snapshots.QUARTERLY, 5 + 14 + HAS_LETTER_LANGUAGE), (snapshots.COMPLIANCE, 2)],
)
def test_the_page_uses_the_snapshot_and_says_when_it_was_counted(client, manager, police_referrer, kind, live_reads):
    make_case(police_referrer, received_on=timezone.localdate() - timedelta(days=100))
    client.force_login(manager)
    base = overhead(client)

    live_queries, live = page_queries(client, kind)
    assert live.context["snapshot"] is None
    assert as_of_text(live) == "Counted from the case records now."

    snapshots.refresh()
    queries, page = page_queries(client, kind)
    made = page.context["snapshot"]
    assert made is not None
    assert page.context["lines"] == live.context["lines"]
    local = timezone.localtime(made.made_at)
    assert as_of_text(page) == (
        f"Counted at {local:%H:%M} on {local.day} {local:%B %Y} from the records of every case, and counted again "
        "every hour: a case received or changed since then is not in these figures yet."
    )
    assert (queries, live_queries) == (base + 1, base + 1 + live_reads)

    ReturnSnapshot.objects.update(made_at=timezone.now() - timedelta(days=2))  # an old count: counted live
    stale = client.get(reverse(URLS[kind]))
    assert stale.context["snapshot"] is None
    assert as_of_text(stale) == "Counted from the case records now."
