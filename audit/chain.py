"""Hash-chained, append-only rows: how a row is sealed into its chain when it is inserted.

Each chained row carries its place in the chain (``chain_seq``, 1, 2, 3 ... per table), the hash of the row
before it (``chain_prev``; 64 zeros for the first) and its own hash (``chain_hash``): SHA-256 of a canonical
JSON of the spec's plain fields, its id, its place, ``chain_prev`` and ``personal_digest``. The personal fields
are covered by ``personal_digest``, SHA-256 of a random per-row salt (``personal_salt``) and their canonical
JSON, so that blanking them together with the salt (anonymisation, a later piece) leaves the chain whole and the
digest irreversible.

Concurrent inserts get one order: the row's id, place and predecessor are read and the row inserted under a
lock held until the transaction commits (PostgreSQL: a transaction-level advisory lock per chain; SQLite: the
database's write lock, which every transaction takes at BEGIN because the project runs SQLite with
``transaction_mode = IMMEDIATE``). The id is reserved under the same lock, so ids rise along the chain.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from django.db import connections, models, router, transaction
from django.utils import timezone

from audit.specs import Spec, spec_for

GENESIS = "0" * 64
VERSION = "rj-audit-chain-1"
LOCK_CLASS = 0x524A  # "RJ": the first half of the advisory lock key, the chain's own key the second
CHAIN_COLUMNS = ("chain_seq", "chain_prev", "chain_hash", "personal_salt", "personal_digest")


class AppendOnly(Exception):
    """Raised on any attempt to change or delete a row of an audit chain."""


_PLAIN = frozenset({str, int, bool, float})


def canonical(value: Any) -> Any:
    """A value as JSON will hold it the same way on every database and after every round trip."""
    if value is None or type(value) in _PLAIN:  # most values: nothing to do (and the commonest test first)
        return value
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_default_timezone())
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return value


def _dumps(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def personal_digest(spec: Spec, values: dict, salt: str) -> str:
    if not spec.personal:
        return ""
    content = {name: canonical(values[name]) for name in spec.personal}
    return hashlib.sha256(salt.encode() + b"\n" + _dumps(content)).hexdigest()


def row_hash(spec: Spec, values: dict) -> str:
    """The hash of one row's chained content (which includes the hash of the row before it)."""
    content = {name: canonical(values[name]) for name in spec.fields}
    content.update(
        id=values["id"],
        chain_seq=values["chain_seq"],
        chain_prev=values["chain_prev"],
        personal_digest=values["personal_digest"],
    )
    return hashlib.sha256(VERSION.encode() + b"\n" + _dumps(content)).hexdigest()


def link(spec: Spec, rows: list[dict], seq: int, prev: str) -> None:
    """Fill the chain columns of ``rows`` (column values by attname, each with its id), in order, after the
    row at place ``seq`` whose hash is ``prev``."""
    for values in rows:
        seq += 1
        salt = secrets.token_hex(16) if spec.personal else ""
        values.update(chain_seq=seq, chain_prev=prev, personal_salt=salt)
        values["personal_digest"] = personal_digest(spec, values, salt)
        values["chain_hash"] = prev = row_hash(spec, values)


def lock_head(model, using: str, new_ids: int = 0) -> tuple[int, str, list[int]]:
    """Lock ``model``'s chain until the transaction ends; return its head (place, hash) and ``new_ids`` ids.

    Must run inside a transaction (``transaction.atomic``)."""
    spec = spec_for(model)
    connection = connections[using]
    quote = connection.ops.quote_name  # names from the model's meta, never from input
    table = model._meta.db_table
    head_sql = f"SELECT chain_seq, chain_hash FROM {quote(table)} ORDER BY chain_seq DESC LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, spec.lock_key])
            # A new statement, so a new snapshot: it sees every row committed before the lock was ours.
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence(%s, 'id')), h.chain_seq, h.chain_hash "  # noqa: S608
                f"FROM generate_series(1, %s) LEFT JOIN ({head_sql}) h ON true",
                [table, max(new_ids, 1)],
            )
            found = cursor.fetchall()
            ids = [row[0] for row in found][:new_ids]
            seq, prev = found[0][1], found[0][2]
        elif connection.vendor == "sqlite":
            # The write lock is already ours (BEGIN IMMEDIATE). sqlite_sequence remembers ids of deleted rows.
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {quote(table)}), 0), "  # noqa: S608
                f"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)), h.chain_seq, h.chain_hash "
                f"FROM (SELECT 1) LEFT JOIN ({head_sql}) h ON 1",
                [table],
            )
            last_id, seq, prev = cursor.fetchone()
            ids = list(range(last_id + 1, last_id + 1 + new_ids))
        else:
            raise NotImplementedError(f"Audit chains support SQLite and PostgreSQL, not {connection.vendor}.")
    return seq or 0, prev or GENESIS, ids


def seal(model, objs: list, using: str) -> None:
    """Give unsaved instances of a chained model their ids and chain columns (inside a transaction)."""
    spec = spec_for(model)
    seq, prev, ids = lock_head(model, using, sum(1 for obj in objs if obj.pk is None))
    fresh = iter(ids)
    rows = []
    for obj in objs:
        if obj.pk is None:
            obj.pk = next(fresh)
        rows.append({f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields})
    link(spec, rows, seq, prev)
    for obj, values in zip(objs, rows, strict=True):
        for column in CHAIN_COLUMNS:
            setattr(obj, column, values[column])


def seal_values(model, rows: list[dict], using: str | None = None) -> list[dict]:
    """The chain columns for rows given as plain values with their ids (the demo's bulk writer), in order.

    A model that is not chained passes through unchanged."""
    if not issubclass(model, ChainedRow):
        return rows
    using = using or router.db_for_write(model)
    seq, prev, _ = lock_head(model, using)
    link(spec_for(model), rows, seq, prev)
    return rows


class ChainedQuerySet(models.QuerySet):
    """Rows are added, never changed or removed; ``bulk_create`` seals each row first."""

    refusal: ClassVar[type[Exception]] = AppendOnly

    def update(self, **kwargs):
        raise self.refusal(f"The {self.model._meta.verbose_name} log cannot be changed.")

    def delete(self):
        raise self.refusal(f"The {self.model._meta.verbose_name} log cannot be deleted from.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise self.refusal(f"The {self.model._meta.verbose_name} log cannot be changed.")

    def _raw_delete(self, using):
        raise self.refusal(f"The {self.model._meta.verbose_name} log cannot be deleted from.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            seal(self.model, objs, self.db)
            return super().bulk_create(objs, *args, **kwargs)


class ChainedRow(models.Model):
    """An append-only row sealed into its table's hash chain when it is inserted (see the module's docstring)."""

    chain_seq = models.BigIntegerField("place in the audit chain", unique=True, editable=False)
    chain_prev = models.CharField("hash of the row before", max_length=64, editable=False)
    chain_hash = models.CharField("hash of this row", max_length=64, editable=False)
    personal_salt = models.CharField(max_length=32, blank=True, editable=False)
    personal_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = ChainedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.refuse(f"A {self._meta.verbose_name} row cannot be changed.")
        kwargs["force_insert"] = True  # never an UPDATE, even with a primary key set by hand
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            seal(type(self), [self], using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.refuse(f"A {self._meta.verbose_name} row cannot be deleted.")

    def refuse(self, message: str) -> Exception:
        return AppendOnly(message)


# The PostgreSQL setting under which the append-only trigger lets one kind of UPDATE through: the blanking of a
# row's personal fields and salt, every other column as it was (audit.migration_ops.append_only_sql).
BLANKING_SETTING = "rj.audit_blanking"


def blank_personal(model, *, case_id: int, keep: tuple[str, ...] = (), using: str | None = None) -> int:
    """Blank the personal fields and the salt of a case's rows of a chained model (an anonymisation, which records
    itself in the anonymisation chain; ``verify_audit`` accepts these rows only then). A JSON field keeps only the
    keys in ``keep`` (ids and choices the figures read, such as a closing move's outcome); a text field becomes
    empty. The chain stays whole: its hashes cover ``personal_digest``, which is kept. Returns how many rows were
    blanked. Inside a transaction."""
    spec = spec_for(model)
    using = using or router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name  # names from the model's meta and the spec, never from input
    fields = [model._meta.get_field(name) for name in spec.personal]
    table = quote(model._meta.db_table)
    select = f"SELECT id, {', '.join(quote(f.column) for f in fields)} FROM {table} "  # noqa: S608
    update = (
        f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)}, "  # noqa: S608
        "personal_salt = '' WHERE id = %s"
    )
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.execute(select + "WHERE case_id = %s AND personal_salt <> '' ORDER BY id", [case_id])
        rows = cursor.fetchall()
        params = []
        for row_id, *values in rows:
            blanks = []
            for field, value in zip(fields, values, strict=True):
                if isinstance(field, models.JSONField):
                    old = field.from_db_value(value, None, connection) if isinstance(value, str) else value
                    kept = {k: v for k, v in (old or {}).items() if k in keep}
                    blanks.append(field.get_db_prep_value(kept, connection))
                else:
                    blanks.append("")
            params.append([*blanks, row_id])
        if params:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [BLANKING_SETTING])
            cursor.executemany(update, params)
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, '', true)", [BLANKING_SETTING])
    return len(params)
