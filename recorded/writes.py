"""Rows of the police import written in bulk, the records and their history rows alike, without a model
instance per row: ``COPY`` on PostgreSQL (an update goes through a temporary table, ``UPDATE ... FROM``), one
``executemany`` of plain ``INSERT`` or ``UPDATE`` statements on SQLite (the embedded default).

What was written is what ``bulk_create_with_history`` and ``bulk_update_with_history`` wrote: the same columns,
and one history row (``+`` created, ``~`` changed) for each record created or changed, with its user and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

from django.conf import settings
from django.db import connection
from django.db.models import Field, Model

from recorded.counts import chunks
from recorded.models import RecordedIncident

History = RecordedIncident.history.model
StrandLink = RecordedIncident.strands.through
RECORD_FIELDS = [f for f in RecordedIncident._meta.concrete_fields if not f.primary_key]
HISTORY_FIELDS = [f for f in History._meta.concrete_fields if not f.primary_key]
LINK_FIELDS = [StrandLink._meta.get_field("recordedincident"), StrandLink._meta.get_field("hatestrand")]


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _names(fields: Sequence[Field]) -> str:
    return ", ".join(connection.ops.quote_name(f.column) for f in fields)


def _prepared(fields: Sequence[Field], rows: list[Sequence]) -> list[list]:
    """The values as the database stores them (SQLite: dates and times as text), as Django would send them."""
    preps = [f.get_db_prep_save for f in fields]
    return [[prep(value, connection) for prep, value in zip(preps, row, strict=True)] for row in rows]


def _copy(cursor, table: str, fields: Sequence[Field], rows: list[Sequence]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({_names(fields)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert(model: type[Model], fields: Sequence[Field], rows: list[Sequence]) -> None:
    """Insert rows (values in the order of ``fields``); a column not named takes its database default."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if _postgresql():
            _copy(cursor, table, fields, rows)
            return
        sql = f"INSERT INTO {table} ({_names(fields)}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        for part in chunks(rows, 2000):
            cursor.executemany(sql, _prepared(fields, part))


def update(model: type[Model], fields: Sequence[Field], rows: list[Sequence]) -> None:
    """Set ``fields`` of the rows given as (pk, value, ...), each to its own values."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    pk = model._meta.pk
    with connection.cursor() as cursor:
        if _postgresql():
            names = _names([pk, *fields])
            cursor.execute(f"CREATE TEMPORARY TABLE recorded_changes AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
            _copy(cursor, "recorded_changes", [pk, *fields], rows)
            quoted = [connection.ops.quote_name(f.column) for f in fields]
            sets = ", ".join(f"{column} = c.{column}" for column in quoted)
            key = connection.ops.quote_name(pk.column)
            cursor.execute(f"UPDATE {table} SET {sets} FROM recorded_changes c WHERE {table}.{key} = c.{key}")  # noqa: S608
            cursor.execute("DROP TABLE recorded_changes")
            return
        sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
        sql = f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(pk.column)} = %s"  # noqa: S608
        for part in chunks(rows, 2000):
            cursor.executemany(sql, [[*values, key] for key, *values in _prepared([pk, *fields], part)])


def new_ids(count: int) -> list[int] | None:
    """Keys for records about to be inserted, taken from the table's sequence (PostgreSQL); None on a database
    that numbers them on insert (read them back after)."""
    if not _postgresql() or not count:
        return None
    table = RecordedIncident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [pk for (pk,) in cursor.fetchall()]


def insert_records(records: list[dict]) -> None:
    """New recorded incidents (each a dict of every column by attribute name); each dict gets its ``id``."""
    ids = new_ids(len(records))
    if ids is not None:
        for record, pk in zip(records, ids, strict=True):
            record["id"] = pk
        insert(RecordedIncident, [RecordedIncident._meta.pk, *RECORD_FIELDS], [_record_row(r, True) for r in records])
        return
    insert(RecordedIncident, RECORD_FIELDS, [_record_row(r, False) for r in records])
    found: dict[str, int] = {}
    for part in chunks([r["crime_reference"] for r in records]):
        found.update(RecordedIncident.objects.filter(crime_reference__in=part).values_list("crime_reference", "pk"))
    for record in records:
        record["id"] = found[record["crime_reference"]]


def update_records(records: list[dict]) -> None:
    """Every column but the key and ``created_at`` of these recorded incidents, from their dicts."""
    fields = [f for f in RECORD_FIELDS if f.attname != "created_at"]
    update(RecordedIncident, fields, [(r["id"], *(r[f.attname] for f in fields)) for r in records])


_record_values = itemgetter(*(f.attname for f in RECORD_FIELDS))


def _record_row(record: dict, with_id: bool) -> tuple:
    values = _record_values(record)
    return (record["id"], *values) if with_id else values


def insert_history(records: list[dict], history_type: str, *, user, reason: str, when) -> None:
    """One history row per record, as simple-history's bulk helpers write them (``history_type`` ``+`` or ``~``):
    the tracked values, the moment, the user (else the request's, as simple-history finds it) and the reason."""
    if not records or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    if user is None:
        user = History.get_default_history_user(RecordedIncident())
    extra = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": history_type,
        "history_user_id": getattr(user, "pk", None),
    }
    tracked = [f for f in HISTORY_FIELDS if f.attname not in extra]
    fields = [*tracked, *(f for f in HISTORY_FIELDS if f.attname in extra)]
    values = itemgetter(*(f.attname for f in tracked))
    constant = tuple(extra[f.attname] for f in fields[len(tracked) :])
    insert(History, fields, [(*values(r), *constant) for r in records])


def insert_strand_links(links: list[tuple[int, int]]) -> None:
    """(recorded incident id, strand id) rows of the strands' link table."""
    insert(StrandLink, LINK_FIELDS, links)
