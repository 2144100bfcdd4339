"""Repeat victims and repeat places, as flags on each recorded incident.

An incident is against a **repeat victim** when the police marked it so, or when the same person key has another
recorded incident in the 365 days up to its date (an earlier date, or the same date and recorded before it).
It is at a **repeat place** when the same place key (the postcode; without one, the place in words within the
ward) has such an earlier incident. Only the incident before it needs looking at: if that one is more than
365 days earlier, every other one is too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import F

from recorded.models import RecordedIncident

REPEAT_WINDOW_DAYS = 365


def place_key(ward_id: int | None, postcode: str, place: str) -> str:
    """The same place, the same key: the postcode, or else the place in words (case and spaces aside) in the
    ward; empty when neither is known."""
    if postcode:
        return "postcode:" + re.sub(r"\s+", "", postcode).upper()
    words = re.sub(r"[^a-z0-9]+", " ", (place or "").lower()).strip()
    return f"place:{ward_id}:{words}"[:220] if words else ""


def _flags(rows: list[tuple[int, object, bool]]) -> dict[int, bool]:
    """rows: (id, occurred_on, marker) of one key, in (date, id) order -> id: repeat."""
    flags, previous = {}, None
    for pk, occurred, marker in rows:
        flags[pk] = bool(marker) or (previous is not None and (occurred - previous).days <= REPEAT_WINDOW_DAYS)
        previous = occurred
    return flags


def _refresh(field: str, flag: str, keys: Iterable[str], use_marker: bool, flipped: dict | None = None) -> int:
    """Recompute one flag for every incident with one of these keys; the number of rows changed (and in
    ``flipped``, when given, id -> the names of the flags changed)."""
    from recorded.counts import chunks

    keys = sorted(k for k in set(keys) if k)
    if connection.vendor == "postgresql":
        return _refresh_in_sql(field, flag, keys, use_marker, flipped)
    changed = {True: [], False: []}
    for part in chunks(keys, 2000):
        rows = (
            RecordedIncident.objects.filter(**{f"{field}__in": part})
            .order_by(field, "occurred_on", "pk")
            .values_list(field, "pk", "occurred_on", "repeat_victim_marker", flag)
        )
        _collect(rows, use_marker, changed)
    if flipped is not None:
        for pk in changed[True] + changed[False]:
            flipped.setdefault(pk, set()).add(flag)
    return _write(flag, changed)


def _refresh_in_sql(field: str, flag: str, keys: list[str], use_marker: bool, flipped: dict | None) -> int:
    """``_refresh`` as one statement (PostgreSQL): each incident's previous one under its key by a window
    function (``lag``), the flags that differ set and returned."""
    if not keys:
        return 0
    table = connection.ops.quote_name(RecordedIncident._meta.db_table)
    marker = "repeat_victim_marker OR " if use_marker else ""
    sql = f"""
        WITH computed AS (
            SELECT id, {marker}COALESCE(
                occurred_on - lag(occurred_on) OVER (PARTITION BY {field} ORDER BY occurred_on, id) <= %s, false
            ) AS flag
            FROM {table} WHERE {field} = ANY(%s)
        )
        UPDATE {table} SET {flag} = computed.flag FROM computed
        WHERE {table}.id = computed.id AND {table}.{flag} <> computed.flag
        RETURNING {table}.id"""  # noqa: S608 (field and flag are this module's column names)
    with connection.cursor() as cursor:
        cursor.execute(sql, [REPEAT_WINDOW_DAYS, keys])
        ids = [pk for (pk,) in cursor.fetchall()]
    if flipped is not None:
        for pk in ids:
            flipped.setdefault(pk, set()).add(flag)
    return len(ids)


def _collect(rows, use_marker: bool, changed: dict) -> None:
    group, current, stored = [], None, {}
    for key, pk, occurred, marker, now in rows.iterator(chunk_size=10000):
        if key != current and group:
            _changes(_flags(group), stored, changed)
            group, stored = [], {}
        current = key
        group.append((pk, occurred, marker and use_marker))
        stored[pk] = now
    if group:
        _changes(_flags(group), stored, changed)


def _changes(flags: dict[int, bool], stored: dict[int, bool], changed: dict) -> None:
    for pk, value in flags.items():
        if stored[pk] != value:
            changed[value].append(pk)


def _write(flag: str, changed: dict) -> int:
    from recorded.counts import chunks

    # The flags are derived values, kept out of the field history (models.RecordedIncident.history).
    for value, ids in changed.items():
        for part in chunks(ids):
            RecordedIncident.objects.filter(pk__in=part).update(**{flag: value})
    return len(changed[True]) + len(changed[False])


def refresh_repeats(
    victim_keys: Iterable[str], place_keys: Iterable[str], flipped: dict[int, set[str]] | None = None
) -> int:
    """Recompute the flags of every incident with one of these person or place keys; the number changed. With
    ``flipped``: id -> the flags ("repeat_victim", "repeat_place") this changed, for the counts."""
    return _refresh("victim_key", "repeat_victim", victim_keys, True, flipped) + _refresh(
        "place_key", "repeat_place", place_keys, False, flipped
    )


def refresh_all_repeats() -> int:
    """Every flag from the raw rows (``manage.py rebuild_recorded_counts``)."""
    changed = {True: [], False: []}
    rows = (
        RecordedIncident.objects.exclude(victim_key="")
        .order_by("victim_key", "occurred_on", "pk")
        .values_list("victim_key", "pk", "occurred_on", "repeat_victim_marker", "repeat_victim")
    )
    _collect(rows, True, changed)
    total = _write("repeat_victim", changed)
    # Without a person key, the marker alone.
    no_key = RecordedIncident.objects.filter(victim_key="").exclude(repeat_victim=F("repeat_victim_marker"))
    total += no_key.update(repeat_victim=F("repeat_victim_marker"))
    changed = {True: [], False: []}
    rows = (
        RecordedIncident.objects.exclude(place_key="")
        .order_by("place_key", "occurred_on", "pk")
        .values_list("place_key", "pk", "occurred_on", "repeat_victim_marker", "repeat_place")
    )
    _collect(rows, False, changed)
    total += _write("repeat_place", changed)
    total += RecordedIncident.objects.filter(place_key="", repeat_place=True).update(repeat_place=False)
    return total
