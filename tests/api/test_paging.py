"""The case list's two ways of paging (api.pagination): page numbers with a count that stops at the cap, and a
cursor on (updated_at, id) for partner systems syncing with updated_since, which never counts."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api.pagination import encode_cursor
from rjcases import services
from rjcases.models import Case
from tests.api.conftest import client_for
from tests.walk import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_cases(police_referrer):
    """Five cases whose last changes are a minute apart, the oldest first, two of them at the same moment."""
    cases = [refer(police_referrer) for _ in range(5)]
    start = timezone.now() - timedelta(hours=1)
    moments = [start, start + timedelta(minutes=1), start + timedelta(minutes=1), start + timedelta(minutes=3), start]
    for case, moment in zip(cases, moments, strict=True):
        Case.objects.filter(pk=case.pk).update(updated_at=moment)  # test set-up only: the clock of each change
    return sorted(Case.objects.filter(pk__in=[c.pk for c in cases]), key=lambda c: (c.updated_at, c.pk))


def walk(client, url) -> list[str]:
    seen = []
    while url:
        body = client.get(url).json()
        assert body["count"] is None
        assert body["previous"] is None
        seen += [row["reference"] for row in body["results"]]
        url = body["next"]
    return seen


def test_pages_by_number_count_up_to_the_cap_and_say_when_there_are_more(monkeypatch, police_referrer, five_cases):
    client = client_for(police_referrer)
    body = client.get("/api/v1/cases/?page_size=2").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (5, False, 2)
    monkeypatch.setattr("govuk.pagination.CAP", 3)
    body = client.get("/api/v1/cases/?page_size=2").json()
    assert (body["count"], body["count_capped"]) == (3, True)
    assert client.get("/api/v1/cases/?page_size=2&page=2").json()["next"] is None  # 3 cases reachable, 2 pages


def test_the_cursor_walks_every_case_once_oldest_change_first(police_referrer, five_cases):
    seen = walk(client_for(police_referrer), "/api/v1/cases/?order=updated&page_size=2")
    assert seen == [case.reference for case in five_cases]


def test_the_cursor_keeps_updated_since_and_the_other_filters(police_referrer, five_cases):
    since = five_cases[2].updated_at.isoformat()
    client = client_for(police_referrer)
    seen = walk(client, f"/api/v1/cases/?order=updated&page_size=1&updated_since={since.replace('+', '%2B')}")
    assert seen == [case.reference for case in five_cases if case.updated_at >= five_cases[2].updated_at]
    assert walk(client, "/api/v1/cases/?order=updated&state=assessment") == []


def test_a_case_changed_during_the_walk_comes_again_at_the_end(police_referrer, manager, facilitator, five_cases):
    client = client_for(police_referrer)
    first = client.get("/api/v1/cases/?order=updated&page_size=2").json()
    services.allocate(five_cases[0], manager, facilitator=facilitator)  # already sent, now changed
    seen = [row["reference"] for row in first["results"]] + walk(client, first["next"])
    assert seen == [case.reference for case in five_cases] + [five_cases[0].reference]


def test_the_cursor_sees_only_what_the_user_may_see(police_referrer, other_police_referrer, five_cases):
    assert walk(client_for(other_police_referrer), "/api/v1/cases/?order=updated") == []


def test_a_cursor_page_counts_nothing(police_referrer, five_cases):
    client = client_for(police_referrer)
    cursor = encode_cursor(five_cases[1].updated_at, five_cases[1].pk)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(f"/api/v1/cases/?order=updated&cursor={cursor}").json()
    assert [row["reference"] for row in body["results"]] == [case.reference for case in five_cases[2:]]
    assert not [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()]


# A fixed moment, not now(): parameters are the tests' ids, and every xdist worker must collect the same ones.
A_MOMENT = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", encode_cursor(A_MOMENT, 1)[:-3], "MjAyNnwx", encode_cursor(A_MOMENT, 2**70)],
    ids=["not-base64", "cut-short", "no-time", "id-too-big"],
)
def test_a_cursor_the_api_did_not_give_is_refused(police_referrer, cursor):
    response = client_for(police_referrer).get(f"/api/v1/cases/?order=updated&cursor={cursor}")
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["cursor"]


def test_an_unknown_order_is_refused(police_referrer):
    response = client_for(police_referrer).get("/api/v1/cases/?order=newest")
    assert response.status_code == 422
    assert "order" in response.json()["error"]["fields"]
