"""Two people take the same transition on one case at the same moment: exactly one succeeds."""

import threading

import pytest
from django.db import connection

from rjcases import services
from rjcases.models import Case
from tests.walk import refer, to_assessment

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_the_same_transition_from_two_connections_succeeds_once(manager, facilitator, police_referrer):
    if connection.vendor != "postgresql":
        pytest.skip("Row locking is real only on PostgreSQL (select_for_update does nothing on SQLite)")
    case = to_assessment(refer(police_referrer), manager, facilitator)
    barrier = threading.Barrier(2, timeout=20)
    results: list[str] = []

    def withdraw(user, who):
        from django.db import connection as thread_connection

        try:
            mine = Case.objects.get(pk=case.pk)  # each thread loads the case on its own connection
            barrier.wait()
            services.case_withdraw(mine, user, withdrawn_by=who, reason=f"Withdrawn by {who}")
            results.append("ok")
        except services.TransitionRefused as refused:
            results.append(refused.code)
        finally:
            thread_connection.close()

    threads = [
        threading.Thread(target=withdraw, args=(manager, "manager")),
        threading.Thread(target=withdraw, args=(facilitator, "facilitator")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["concurrent", "ok"]
    case.refresh_from_db()
    assert case.state == "closed"
    assert case.transitions.filter(name="withdraw").count() == 1
    assert case.history.filter(history_change_reason__startswith="withdraw").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_referrals_at_once_get_different_references(police_referrer):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL")
    barrier = threading.Barrier(2, timeout=20)
    references: list[str] = []

    def make():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            references.append(refer(police_referrer).reference)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(set(references)) == 2
