"""The audit chains: rows written by the services verify; a row changed, removed or forged by direct SQL is named
by ``verify_audit``; PostgreSQL refuses UPDATE and DELETE; concurrent inserts keep one order; published heads
catch a chain cut short; the backfill seals rows already there."""

import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from accounts.models import SecurityEvent
from accounts.services import record_security_event
from audit.chain import AppendOnly
from audit.migration_ops import backfill_chain, trigger_name
from audit.verify import chain_heads, verify_all
from rjcases import services
from rjcases.models import CaseTransition, ReadAccess
from tests.audit_tools import rewrite_audit_rows
from tests.walk import refer, to_assessment


@pytest.fixture
def audited(police_referrer, manager, facilitator, administrator):
    """A case walked to assessment (two transitions), read three times, and one security event."""
    case = to_assessment(refer(police_referrer), manager, facilitator)
    for user in (manager, facilitator, manager):
        services.log_read(user, case, ReadAccess.What.CASE, case.pk, f"/cases/{case.pk}/")
    record_security_event(administrator, SecurityEvent.Action.SECOND_FACTOR_RESET, manager, "Lost phone")
    return case


def run_verify(*args) -> tuple[str, str]:
    """verify_audit's output, and its error ("" when every chain is intact)."""
    out = StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), ""


def tamper(sql: str, params: list, table: str) -> None:
    """Direct SQL, as someone with the database's owner role would run it (PostgreSQL: past the trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL alters no table with checks pending
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger_name(table)}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger_name(table)}")


@pytest.mark.django_db
def test_rows_written_by_the_services_form_intact_chains(audited):
    reports = {r.chain: r for r in verify_all()}
    assert reports["transitions"].rows == CaseTransition.objects.count() >= 2
    assert reports["read_access"].rows == 3
    assert all(r.intact for r in reports.values()), [str(p) for r in reports.values() for p in r.problems]
    rows = list(CaseTransition.objects.order_by("chain_seq"))
    assert [r.chain_seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(later.chain_prev == earlier.chain_hash for earlier, later in zip(rows, rows[1:], strict=False))
    assert [r.id for r in rows] == sorted(r.id for r in rows)
    out, error = run_verify()
    assert error == ""
    assert "transitions: " in out
    assert "rows intact" in out


@pytest.mark.django_db
def test_verify_audit_names_a_changed_a_removed_and_a_forged_row(audited):
    changed = CaseTransition.objects.order_by("chain_seq")[1]
    tamper(
        "UPDATE rjcases_casetransition SET target = %s WHERE id = %s", ["closed", changed.pk], changed._meta.db_table
    )
    before, removed, after = ReadAccess.objects.order_by("chain_seq")[:3]
    tamper("DELETE FROM rjcases_readaccess WHERE id = %s", [removed.pk], removed._meta.db_table)
    head = SecurityEvent.objects.order_by("-chain_seq").first()
    forged_id = head.pk + 10
    tamper(
        "INSERT INTO accounts_securityevent (id, at, actor_name, action, subject_type, subject_id, subject_name, "
        "reason, details, chain_seq, chain_prev, chain_hash, personal_salt, personal_digest) "
        "VALUES (%s, %s, '', 'role_granted', '', '', 'manager', '', '{}', %s, %s, %s, '', '')",
        [forged_id, head.at, head.chain_seq + 1, head.chain_hash, "f" * 64],
        head._meta.db_table,
    )

    out, error = run_verify()

    assert error == "3 audit chain(s) broken: see above."
    rows = CaseTransition.objects.count()
    assert f"transitions: BROKEN ({rows} rows read). First: id {changed.pk} (place 2) was changed or forged" in out
    assert f"read_access: BROKEN (2 rows read). First: row(s) removed between id {before.pk} and id {after.pk}" in out
    assert "place 2 missing" in out
    place = head.chain_seq + 1
    assert f"security: BROKEN ({place} rows read). First: id {forged_id} (place {place}) was changed or forged" in out


@pytest.mark.django_db
def test_a_changed_free_text_is_caught_by_its_digest(audited):
    row = CaseTransition.objects.order_by("chain_seq").first()
    tamper("UPDATE rjcases_casetransition SET reason = %s WHERE id = %s", ["Made up", row.pk], row._meta.db_table)
    [problem] = next(r for r in verify_all() if r.chain == "transitions").problems
    assert (problem.kind, problem.row_id) == ("changed", row.pk)
    assert "was changed or forged: its reason, data no longer match what was recorded" in problem.message


@pytest.mark.django_db
def test_a_copied_row_inserted_at_the_end_is_out_of_order(audited):
    first, head = ReadAccess.objects.order_by("chain_seq").first(), ReadAccess.objects.order_by("-chain_seq").first()
    # A genuine row copied with its own (valid) hashes to the end of the chain: its link does not fit.
    tamper(
        "INSERT INTO rjcases_readaccess (id, user_id, case_id, what, object_id, path, at, chain_seq, chain_prev, "
        "chain_hash, personal_salt, personal_digest) SELECT %s, user_id, case_id, what, object_id, path, at, %s, "
        "chain_prev, chain_hash, personal_salt, personal_digest FROM rjcases_readaccess WHERE id = %s",
        [head.pk + 1, head.chain_seq + 1, first.pk],
        head._meta.db_table,
    )
    [problem] = next(r for r in verify_all() if r.chain == "read_access").problems
    assert problem.row_id == head.pk + 1
    assert problem.kind in ("changed", "out of order")


@pytest.mark.django_db
def test_a_published_head_catches_rows_cut_from_the_end(audited):
    chain, place, digest = next(h for h in chain_heads() if h[0] == "read_access")
    last = ReadAccess.objects.get(chain_seq=place)
    tamper("DELETE FROM rjcases_readaccess WHERE id = %s", [last.pk], last._meta.db_table)
    assert run_verify()[1] == ""  # the chain alone cannot tell its end was cut
    out, error = run_verify("--head", f"{chain}={place}:{digest}")
    assert error
    assert f"the published head at place {place} is gone: rows removed from the end" in out


@pytest.mark.django_db
def test_publish_audit_heads_logs_each_chain_head(audited, caplog):
    caplog.set_level("INFO", logger="rj.audit")
    call_command("publish_audit_heads", stdout=StringIO())
    head = CaseTransition.objects.order_by("-chain_seq").first()
    assert f"audit chain head transitions={head.chain_seq}:{head.chain_hash}" in caplog.text
    assert {r.name for r in caplog.records} == {"rj.audit"}
    assert "Amina" not in caplog.text
    assert "Testharmed" not in caplog.text


def test_a_malformed_head_is_refused_with_the_expected_shape():
    with pytest.raises(CommandError, match="--head takes chain=place:hash"):
        call_command("verify_audit", "--head", "transitions=12")


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_chained_rows(audited):
    row = CaseTransition.objects.first()
    row.reason = "Rewritten"
    for attempt in (
        row.save,
        row.delete,
        lambda: CaseTransition.objects.filter(pk=row.pk).update(reason="x"),
        lambda: ReadAccess.objects.all().delete(),
        lambda: ReadAccess.objects.bulk_update(list(ReadAccess.objects.all()), ["path"]),
    ):
        with pytest.raises(AppendOnly):
            attempt()
    assert all(r.intact for r in verify_all())


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("table", ["rjcases_casetransition", "rjcases_readaccess", "accounts_securityevent"])
@pytest.mark.parametrize("statement", ["UPDATE {} SET chain_hash = chain_prev", "DELETE FROM {}"])
def test_postgresql_refuses_update_and_delete_of_every_chained_table(audited, table, statement):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only triggers exist on PostgreSQL only")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table))
    assert all(r.intact for r in verify_all())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_keep_one_order(police_referrer, manager):
    if connection.vendor != "postgresql":
        pytest.skip("Real concurrency is tested on PostgreSQL")
    case = refer(police_referrer)
    start = threading.Barrier(4)
    errors = []

    def reader():
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    services.log_read(manager, case, ReadAccess.What.CASE, case.pk, f"/cases/{case.pk}/{i}")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = next(r for r in verify_all() if r.chain == "read_access")
    assert report.rows == 60
    assert report.intact, [str(p) for p in report.problems]


def run_backfill(label: str, table: str) -> None:
    """A chain's backfill migration step, run against the test database (PostgreSQL: lifting the trigger)."""
    from django.apps import apps

    def execute(sql, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql)

    if connection.vendor == "postgresql":
        execute("SET CONSTRAINTS ALL IMMEDIATE")
    backfill_chain(label, trigger_to_lift=trigger_name(table))(
        apps, SimpleNamespace(connection=connection, execute=execute)
    )


@pytest.mark.django_db
def test_the_backfill_seals_rows_already_there_in_id_order(audited):
    """What migrations rjcases 0009 and accounts 0006 do for the rows written before the chain existed."""
    rows = CaseTransition.objects.all()
    rewrite_audit_rows(rows, chain_prev="", chain_hash="", personal_salt="", personal_digest="")
    for row in rows:  # one by one: the places must stay unique
        rewrite_audit_rows(CaseTransition.objects.filter(pk=row.pk), chain_seq=-row.pk)
    assert not next(r for r in verify_all() if r.chain == "transitions").intact

    run_backfill("rjcases.CaseTransition", "rjcases_casetransition")

    report = next(r for r in verify_all() if r.chain == "transitions")
    assert report.intact
    assert report.rows == rows.count()
    assert list(rows.order_by("chain_seq").values_list("id", flat=True)) == sorted(rows.values_list("id", flat=True))
    if connection.vendor == "postgresql":  # the trigger is back
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM rjcases_casetransition")
