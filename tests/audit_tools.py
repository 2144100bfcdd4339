"""Test set-up that has to reach past the audit chains' append-only guard (audit.chain, the PostgreSQL trigger).

Only for arranging data: a rewritten row no longer matches its hash, so a test using this must not also
verify the chain it touched."""

from django.db import connection

from audit.migration_ops import trigger_name


def rewrite_audit_rows(queryset, **values) -> int:
    """``UPDATE`` rows of a chained table in the test's own transaction (the trigger is lifted for it only)."""
    table = queryset.model._meta.db_table
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Deferred foreign key checks run now: PostgreSQL alters no table with trigger events pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger_name(table)}")
        try:
            # The base manager is a plain one: the chained queryset would refuse the update.
            return queryset.model._base_manager.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(
                **values
            )
        finally:
            if postgres:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger_name(table)}")


def last_id(model) -> int:
    """The newest row's id (0 for none): a test reads "the rows written since" instead of deleting the log."""
    return model._base_manager.order_by("-id").values_list("id", flat=True).first() or 0
