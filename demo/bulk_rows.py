"""The bulk writer's plain rows and how they go into the database (``executemany`` or ``COPY``).

``demo.bulk.BulkWriter`` builds ``Row`` objects (column values, the seeded rows they point at, their history)
and inserts them with ``insert_values`` after reserving their keys; nothing here knows the case process.
"""

from __future__ import annotations

import operator
from datetime import UTC

from django.db import connections, models, router

from conferences.models import (
    Activity,
    Agreement,
    AgreementAction,
    Feedback,
    FollowUp,
    InterpreterBooking,
    PreparationContact,
    WellbeingMeasure,
)
from demo.plan import CasePlan
from rjcases.models import Assessment, Case, CaseTransition, Consent, ContactAttempt, Incident, Note, Party

# Insert order: parents before children. Through tables follow the model that owns the field.
MODELS = [
    Case,
    Incident,
    Party,
    Consent,
    Assessment,
    Note,
    ContactAttempt,
    PreparationContact,
    Activity,
    InterpreterBooking,
    Agreement,
    AgreementAction,
    FollowUp,
    Feedback,
    WellbeingMeasure,
    CaseTransition,
]
SEEDED = set(MODELS)
_M2M = {
    Incident: ["strands"],
    Case: ["possible_duplicate_of"],
    Activity: ["invited", "attended"],
    Agreement: ["signatories"],
}


class Row:
    """One row to be inserted: its column values, the seeded rows it points to, and its history."""

    __slots__ = ("model", "values", "refs", "m2m", "history", "pk")

    def __init__(self, model, values: dict, refs: dict):
        self.model, self.values, self.refs = model, values, refs
        self.m2m: dict[str, list] = {}
        self.history: list[tuple] = []
        self.pk = None


class _Meta:
    """What the writer needs to know of a model, worked out once."""

    def __init__(self, model):
        self.model = model
        concrete = model._meta.concrete_fields
        self.static_defaults = {}
        self.callable_defaults = []
        for f in concrete:
            if f.primary_key:
                continue
            if f.has_default() and callable(f.default):
                self.callable_defaults.append((f.attname, f.default))
            else:
                self.static_defaults[f.attname] = f.get_default()  # as Model.__init__ fills it
        self.seeded_fks = {f.name: f.attname for f in concrete if f.is_relation and f.related_model in SEEDED}
        history = getattr(model, "history", None)
        self.history_model = history.model if history is not None else None
        self.tracked = [f.attname for f in self.history_model.tracked_fields] if self.history_model else []
        self.history_m2m = [f.name for f in getattr(self.history_model, "_history_m2m_fields", [])]

    def values(self, given: dict) -> dict:
        values = dict(self.static_defaults)
        for attname, default in self.callable_defaults:
            if attname not in given:
                values[attname] = default()
        values.update(given)
        return values


class _Story:
    """The rows one plan has made so far, by the plan's keys."""

    def __init__(self, plan: CasePlan):
        self.plan = plan
        self.case: Row | None = None
        self.incident: Row | None = None
        self.parties: dict[str, Row] = {}
        self.assessments: dict[str, Row] = {}
        self.consents: list[Row] = []
        self.activity: Row | None = None
        self.agreement: Row | None = None
        self.actions: list[Row] = []


# --- raw inserts ------------------------------------------------------------------------------------
# bulk_create spends most of its time building model instances and preparing each value through the
# field; these rows are already plain values, so they go in with executemany, and their keys are
# reserved first (which also lets a row point at another row of the same batch).


def _converter(field, connection):
    """How a value of this field goes to the database, when the driver cannot take it as it is.

    The same as the field's ``get_db_prep_save`` for the values the seeder writes, without the per-value
    lookups: SQLite stores datetimes as UTC text and dates as ISO text; psycopg adapts both itself.
    """
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":
            return lambda v: None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))
        return None
    if isinstance(field, models.DateField):
        return (lambda v: None if v is None else v.isoformat()) if connection.vendor == "sqlite" else None
    if isinstance(field, models.JSONField | models.DecimalField | models.UUIDField):
        return lambda v: field.get_db_prep_save(v, connection)
    return None


def _reserve_ids(model, count: int) -> list[int]:
    """``count`` new primary keys for ``model``'s table, taken as the database would give them."""
    if not count:
        return []
    connection = connections[router.db_for_write(model)]
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [pk for (pk,) in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # Inside the transaction the table is locked for writing (IMMEDIATE), so no one else takes these.
            quote = connection.ops.quote_name  # names from the model's meta, not from input
            cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
            start = cursor.fetchone()[0]
            return list(range(start + 1, start + 1 + count))
    raise NotImplementedError(f"seed_demo's bulk writer supports SQLite and PostgreSQL, not {connection.vendor}.")


def _insert_values(model, rows: list[dict]) -> None:
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = model._meta.concrete_fields
    columns = operator.itemgetter(*[f.attname for f in fields])
    converters = [(i, convert) for i, f in enumerate(fields) if (convert := _converter(f, connection))]
    params = []
    for row in rows:
        values = list(columns(row))
        for i, convert in converters:
            values[i] = convert(values[i])
        params.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_rows(cursor.cursor, model._meta.db_table, [f.column for f in fields], params)
            return
        quote = connection.ops.quote_name  # names from the model's meta, not from input
        sql = (
            f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def _copy_rows(psycopg_cursor, table: str, columns: list[str], params: list[list]) -> None:
    """PostgreSQL's COPY FROM STDIN: one statement per table and batch, the values adapted by psycopg.

    At 10,000 cases it halves the seeding time against executemany (bench/README.md).
    """
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with psycopg_cursor.copy(statement) as copy:
        for values in params:
            copy.write_row(values)


def _attnames(model, fields: dict) -> dict:
    """Field values by name (related objects as objects) as column values by attname (related keys)."""
    return {model._meta.get_field(name).attname: getattr(value, "pk", value) for name, value in fields.items()}


def _pk(item) -> int:
    return item.pk if isinstance(item, Row) else item
