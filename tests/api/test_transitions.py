"""Transitions through the API: the moves this user may make now, with the fields each needs; taking one is
200 with the new state, 403 not theirs, 409 another state or changed meanwhile, 422 a guard unmet or an
input missing, with the reasons. A refusal changes nothing."""

import threading

import pytest
from django.db import connection

from rjcases.models import Case, CaseTransition
from tests.api.conftest import client_for
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.django_db


def move(client, case, name, **body):
    return client.post(f"/api/v1/cases/{case.reference}/transitions/{name}/", body, format="json")


def unchanged(case, state):
    transitions = CaseTransition.objects.filter(case=case).count()
    history = case.history.count()

    def check():
        case.refresh_from_db()
        assert case.state == state
        assert CaseTransition.objects.filter(case=case).count() == transitions
        assert case.history.count() == history

    return check


def test_the_list_offers_what_this_user_may_do_with_fields_and_problems(api_client, manager, referred_case):
    offered = {
        t["name"]: t for t in api_client(manager).get(f"/api/v1/cases/{referred_case.reference}/transitions/").json()
    }
    assert set(offered) == {"accept", "decline", "withdraw"}
    assert offered["accept"]["ready"] is False
    assert offered["accept"]["problems"] == ["Allocate a facilitator before accepting the referral."]
    assert offered["decline"]["fields"] == [{"name": "reason", "label": "Reason", "required": True, "choices": []}]
    withdrawn_by = offered["withdraw"]["fields"][0]
    assert withdrawn_by["required"]
    assert "referrer" in [c["code"] for c in withdrawn_by["choices"]]


def test_the_police_are_offered_only_a_withdrawal(api_client, police_referrer, referred_case):
    offered = api_client(police_referrer).get(f"/api/v1/cases/{referred_case.reference}/transitions/").json()
    assert [t["name"] for t in offered] == ["withdraw"]


def test_a_move_is_200_with_the_new_state(api_client, manager, referred_case):
    response = move(api_client(manager), referred_case, "decline", reason="Out of area")
    assert response.status_code == 200
    assert response.json()["state"] == "closed"
    assert response.json()["outcome"] == "referral_declined"
    row = CaseTransition.objects.get(case=referred_case, name="decline")
    assert row.by == manager
    assert row.reason == "Out of area"


def test_a_move_that_is_not_theirs_is_403(api_client, police_referrer, referred_case):
    check = unchanged(referred_case, "referral")
    response = move(api_client(police_referrer), referred_case, "decline", reason="Not mine to do")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission"
    check()


def test_a_move_from_another_state_is_409(api_client, manager, referred_case):
    move(api_client(manager), referred_case, "decline", reason="Out of area")
    check = unchanged(referred_case, "closed")
    response = move(api_client(manager), referred_case, "decline", reason="Again")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "state"
    check()


def test_a_stale_expected_state_is_409_concurrent(api_client, manager, referred_case):
    check = unchanged(referred_case, "referral")
    response = move(api_client(manager), referred_case, "decline", reason="x", expected_state="assessment")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "concurrent"
    check()


def test_an_unmet_guard_is_422_with_the_reasons(api_client, manager, referred_case):
    check = unchanged(referred_case, "referral")
    response = move(api_client(manager), referred_case, "accept")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "guard"
    assert error["reasons"] == ["Allocate a facilitator before accepting the referral."]
    check()


def test_a_missing_input_is_422_naming_the_field(api_client, manager, referred_case):
    check = unchanged(referred_case, "referral")
    response = move(api_client(manager), referred_case, "decline")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "input"
    assert "reason" in error["fields"]
    check()


def test_an_unknown_move_is_404(api_client, manager, referred_case):
    response = move(api_client(manager), referred_case, "teleport")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_move_posted_twice_at_once_gives_one_200_and_one_409(manager, facilitator, police_referrer):
    if connection.vendor != "postgresql":
        pytest.skip("Row locking is real only on PostgreSQL (select_for_update does nothing on SQLite)")
    case = to_assessment(refer(police_referrer), manager, facilitator)
    clients = [client_for(manager), client_for(facilitator)]
    barrier = threading.Barrier(2, timeout=20)
    answers: list[tuple[int, str]] = []

    def withdraw(client):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            response = move(client, case, "withdraw", withdrawn_by="service", reason="Both at once")
            answers.append((response.status_code, response.json().get("state") or response.json()["error"]["code"]))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=withdraw, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(status for status, _ in answers) == [200, 409]
    assert {what for status, what in answers if status == 409} <= {"concurrent", "state"}
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.transitions.filter(name="withdraw").count() == 1
