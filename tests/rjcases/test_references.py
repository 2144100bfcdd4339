"""Case references: one allocator (rjcases.references) for the intake and the demo's bulk writer.

On PostgreSQL a sequence per year, so a referral in flight never waits for another's number; on SQLite the
year's counter row, as before."""

import threading

import pytest
from django.db import connection, transaction

from rjcases.models import Case, CaseReferenceSequence
from rjcases.references import next_reference, reserve_references, sequence_name
from tests.walk import refer


def _on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers and database sequences need PostgreSQL")


@pytest.mark.django_db
def test_references_count_up_per_year():
    assert [next_reference(2031), next_reference(2031), next_reference(2032)] == [
        "RJ-2031-00001",
        "RJ-2031-00002",
        "RJ-2032-00001",
    ]
    assert reserve_references(2031, 3) == ["RJ-2031-00003", "RJ-2031-00004", "RJ-2031-00005"]
    assert reserve_references(2031, 0) == []


@pytest.mark.django_db
def test_sqlite_keeps_the_counter_row():
    if connection.vendor != "sqlite":
        pytest.skip("The counter row is SQLite's allocator")
    CaseReferenceSequence.objects.create(year=2031, last_number=41)
    assert next_reference(2031) == "RJ-2031-00042"
    assert reserve_references(2031, 2) == ["RJ-2031-00043", "RJ-2031-00044"]
    assert CaseReferenceSequence.objects.get(year=2031).last_number == 44


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sequence_starts_after_the_highest_reference_already_issued(police_referrer):
    _on_postgres()
    # A database from before the sequences: the old counter says 41, and a case already holds number 57.
    CaseReferenceSequence.objects.create(year=2031, last_number=41)
    case = refer(police_referrer)
    Case.objects.filter(pk=case.pk).update(reference="RJ-2031-00057")
    assert next_reference(2031) == "RJ-2031-00058"
    # The counter row is no longer moved: the sequence is the allocator now.
    assert CaseReferenceSequence.objects.get(year=2031).last_number == 41
    CaseReferenceSequence.objects.create(year=2032, last_number=7)
    assert reserve_references(2032, 2) == ["RJ-2032-00008", "RJ-2032-00009"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_rolled_back_referral_leaves_a_gap():
    _on_postgres()
    assert next_reference(2031) == "RJ-2031-00001"
    taken: list[str] = []

    def failing_referral():
        with transaction.atomic():
            taken.append(next_reference(2031))
            raise RuntimeError("the referral failed after taking its number")

    with pytest.raises(RuntimeError):
        failing_referral()
    assert taken == ["RJ-2031-00002"]
    assert next_reference(2031) == "RJ-2031-00003"


def _in_thread(target, errors: list) -> threading.Thread:
    def run():
        from django.db import connection as thread_connection

        try:
            target()
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            thread_connection.close()

    return threading.Thread(target=run)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_referrals_get_unique_references(police_referrer):
    _on_postgres()
    refer(police_referrer)  # the year's sequence exists; the threads below race on nextval only
    barrier = threading.Barrier(4, timeout=20)
    references: list[str] = []
    errors: list[Exception] = []

    def make():
        barrier.wait()
        for _ in range(3):
            references.append(refer(police_referrer).reference)

    threads = [_in_thread(make, errors) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len(references) == 12
    assert len(set(references)) == 12
    assert Case.objects.count() == 13
    assert Case.objects.values("reference").distinct().count() == 13


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transaction_holding_a_fresh_reference_does_not_block_another_referral(police_referrer):
    _on_postgres()
    year = refer(police_referrer).received_on.year  # the year's sequence exists and is committed
    holding = threading.Event()
    release = threading.Event()
    held: list[str] = []
    second: list[str] = []
    errors: list[Exception] = []

    def first():
        with transaction.atomic():
            held.append(next_reference(year))
            holding.set()
            release.wait(60)  # stays open (uncommitted) until the second referral is done

    def other():
        holding.wait(20)
        with connection.cursor() as cursor:
            # Were the second referral to wait for the first's lock, it fails at once instead of hanging.
            cursor.execute("SET lock_timeout = '5s'")
        second.append(refer(police_referrer).reference)

    a, b = _in_thread(first, errors), _in_thread(other, errors)
    a.start()
    b.start()
    b.join(60)
    finished_while_first_open = not b.is_alive() and a.is_alive() and not release.is_set()
    release.set()
    a.join(60)
    assert errors == []
    assert finished_while_first_open
    assert len(held) == 1
    assert len(second) == 1
    assert int(second[0].rsplit("-", 1)[1]) > int(held[0].rsplit("-", 1)[1])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_referrals_of_a_year_make_one_sequence():
    """Neither of two transactions racing to make a year's sequence fails; both get numbers, different ones."""
    _on_postgres()
    barrier = threading.Barrier(2, timeout=20)
    numbers: list[str] = []
    errors: list[Exception] = []

    def take():
        barrier.wait()
        with transaction.atomic():
            numbers.append(next_reference(2033))

    threads = [_in_thread(take, errors) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(numbers) == ["RJ-2033-00001", "RJ-2033-00002"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [sequence_name(2033)])
        assert cursor.fetchone()[0]
