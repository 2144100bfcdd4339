"""What the migrations of a chained table call: seal the rows already there, and make the table append-only
in PostgreSQL. Kept here, not copied into each migration, so that every chained table (the anonymisation record
too, when it comes) is set up the same way; the functions take the migration's historical model.

Append-only in the database means a trigger, not grants: in the project's deployment the application and its
migrations run as one database role, the tables' owner, and an owner can always UPDATE what it was granted.
The trigger refuses UPDATE and DELETE to every role, the application's included; dropping or disabling it takes
an ``ALTER TABLE`` by the owner, which the application never issues (docs/data-protection.md says how a
deployment with a separate, non-owner application role removes even that).
"""

from __future__ import annotations

from audit.chain import BLANKING_SETTING, GENESIS, link
from audit.specs import BY_LABEL

BATCH = 5000


def trigger_name(table: str) -> str:
    return f"{table}_append_only"


def blanking_allowed_sql(personal: list[tuple[str, bool]]) -> str:
    """The condition under which the trigger lets an UPDATE through: under the blanking setting
    (``audit.chain.BLANKING_SETTING``, set by ``audit.chain.blank_personal`` for its own statement), with the
    personal text columns and the salt made blank, each personal JSON column reduced to some of its keys (a
    closing move keeps its outcome), and every other column exactly as it was."""
    # A text column becomes empty; a JSON column may keep some of its keys, never gain or change one.
    blank = " AND ".join(f"OLD.{col} @> NEW.{col}" if is_json else f"NEW.{col} = ''" for col, is_json in personal)
    names = ", ".join(f"'{col}'" for col, _ in [*personal, ("personal_salt", False)])
    return (
        f"TG_OP = 'UPDATE' AND current_setting('{BLANKING_SETTING}', true) = 'on' AND NEW.personal_salt = '' "
        f"AND {blank} AND (to_jsonb(NEW) - ARRAY[{names}]) = (to_jsonb(OLD) - ARRAY[{names}])"
    )


def append_only_sql(table: str, blankable: list[tuple[str, bool]] | None = None) -> list[str]:
    """The PostgreSQL function and trigger that refuse UPDATE and DELETE of ``table``'s rows. TRUNCATE is left
    alone: the test runner empties tables with it. ``blankable``: the personal columns (name, is JSON) that an
    anonymisation may blank, with the salt and nothing else (``blanking_allowed_sql``)."""
    name = trigger_name(table)
    allow = f"    IF {blanking_allowed_sql(blankable)} THEN\n        RETURN NEW;\n    END IF;\n" if blankable else ""
    return [
        f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
{allow}    RAISE EXCEPTION 'the audit table {table} is append-only'
        USING ERRCODE = 'insufficient_privilege', DETAIL = TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {name}()""",
    ]


def drop_append_only_sql(table: str) -> list[str]:
    name = trigger_name(table)
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]


def make_append_only(*labels: str):
    """A RunPython pair that adds (and on reverse drops) the append-only trigger of each model, on PostgreSQL."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for label in labels:
                for statement in append_only_sql(apps.get_model(label)._meta.db_table):
                    schema_editor.execute(statement, params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for label in labels:
                for statement in drop_append_only_sql(apps.get_model(label)._meta.db_table):
                    schema_editor.execute(statement, params=None)

    return forward, backward


def allow_blanking(label: str, *, json_fields: tuple[str, ...] = ()):
    """A RunPython pair that replaces ``label``'s append-only function (PostgreSQL) by one that also lets an
    anonymisation blank the rows' personal fields and salt (its spec's personal fields), and on reverse puts the
    plain refusal back. The trigger itself stays."""

    def personal(model) -> list[tuple[str, bool]]:
        spec = BY_LABEL[label.lower()]
        return [(model._meta.get_field(name).column, name in json_fields) for name in spec.personal]

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            model = apps.get_model(label)
            schema_editor.execute(append_only_sql(model._meta.db_table, personal(model))[0], params=None)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(append_only_sql(apps.get_model(label)._meta.db_table)[0], params=None)

    return forward, backward


def backfill_chain(*labels: str, trigger_to_lift: str = ""):
    """A RunPython forward that seals the rows already in each model's table, in id order, as one chain per
    table; ``trigger_to_lift`` names an append-only trigger already on the table (PostgreSQL), disabled for
    the migration's transaction and enabled again."""

    def forward(apps, schema_editor):
        connection = schema_editor.connection
        for label in labels:
            model = apps.get_model(label)
            spec = BY_LABEL[label.lower()]
            table = model._meta.db_table
            lift = trigger_to_lift and connection.vendor == "postgresql"
            if lift:
                schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger_to_lift}", params=None)
            _seal_existing(model, spec, connection)
            if lift:
                # Deferred foreign key checks run now: PostgreSQL alters no table with trigger events pending.
                schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", params=None)
                schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger_to_lift}", params=None)

    return forward


def _seal_existing(model, spec, connection) -> None:
    quote = connection.ops.quote_name
    table = model._meta.db_table
    columns = ["id", *spec.fields, *spec.personal]
    seq, prev, last_id = 0, GENESIS, 0
    update = (
        f"UPDATE {quote(table)} SET chain_seq = %s, chain_prev = %s, chain_hash = %s, "  # noqa: S608
        "personal_salt = %s, personal_digest = %s WHERE id = %s"
    )
    while True:
        rows = list(model.objects.filter(id__gt=last_id).order_by("id").values(*columns)[:BATCH])
        if not rows:
            return
        link(spec, rows, seq, prev)
        with connection.cursor() as cursor:
            cursor.executemany(
                update,
                [
                    [
                        r["chain_seq"],
                        r["chain_prev"],
                        r["chain_hash"],
                        r["personal_salt"],
                        r["personal_digest"],
                        r["id"],
                    ]
                    for r in rows
                ],
            )
        seq, prev, last_id = rows[-1]["chain_seq"], rows[-1]["chain_hash"], rows[-1]["id"]
