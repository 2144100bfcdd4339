"""Eight letter-making moves at the same moment on a fresh database: every one succeeds and every letter is made
once. The shipped wording exists before the first move (written after migrate), and a template missing at that
moment is created by exactly one of the moves that need it, without failing the others."""

import threading

import pytest
from django.db import connection

from letters.models import Letter, LetterTemplate
from letters.wording import template_keys
from rjcases import services
from rjcases.models import Case
from tests.walk import refer

pytestmark = pytest.mark.postgres

MOVES = 8


def accept_at_once(cases, manager) -> list[str]:
    barrier = threading.Barrier(len(cases), timeout=30)
    results: list[str] = []

    def accept(pk):
        from django.db import connection as thread_connection

        try:
            mine = Case.objects.get(pk=pk)  # each thread loads its case on its own connection
            barrier.wait()
            services.case_accept(mine, manager)
            results.append("ok")
        except Exception as failed:  # noqa: BLE001 - the test reports whatever went wrong
            results.append(f"{type(failed).__name__}: {failed}")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept, args=(case.pk,)) for case in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def allocated_cases(manager, facilitator, referrer) -> list[Case]:
    return [services.allocate(refer(referrer), manager, facilitator=facilitator) for _ in range(MOVES)]


def assert_each_letter_once(cases) -> None:
    for case in cases:
        letters = list(Letter.objects.filter(case=case).values_list("kind", "recipient_key", "version"))
        assert sorted(kind for kind, _, _ in letters) == ["invitation", "referral_acknowledgement", "rj_information"]
        assert {version for _, _, version in letters} == {1}
        assert len({(kind, key) for kind, key, _ in letters}) == 3
    wording = list(LetterTemplate.objects.values_list("kind", "variant", "format", "language"))
    assert len(wording) == len(set(wording))  # no key stored twice


@pytest.mark.django_db(transaction=True)
def test_eight_moves_at_once_on_a_fresh_database_all_succeed_with_each_letter_once(
    manager, facilitator, police_referrer
):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL")
    # A freshly migrated database already holds the shipped wording: no move has to create it.
    assert set(LetterTemplate.objects.values_list("kind", "variant", "format", "language")) == set(template_keys())
    cases = allocated_cases(manager, facilitator, police_referrer)
    assert accept_at_once(cases, manager) == ["ok"] * MOVES
    assert_each_letter_once(cases)
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("state", flat=True)) == {"assessment"}


@pytest.mark.django_db(transaction=True)
def test_wording_missing_at_the_first_moves_is_created_once_and_no_move_fails(manager, facilitator, police_referrer):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL")
    LetterTemplate.history.model.objects.all().delete()
    LetterTemplate.objects.all().delete()  # as if the wording had never been written
    cases = allocated_cases(manager, facilitator, police_referrer)
    assert accept_at_once(cases, manager) == ["ok"] * MOVES
    assert_each_letter_once(cases)
    made = {"referral_acknowledgement", "rj_information", "invitation"}
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == made
