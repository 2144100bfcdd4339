"""Bulk-load synthetic police records for the insights bench: N recorded incidents with their strands, written
with PostgreSQL's COPY (no history rows: a bench database, like the demo's bulk cases), then the repeat flags and
the hotspot summary rebuilt from the raw rows (``recorded.counts.rebuild``). Run inside bench/insights.py.

The records spread over the 24 months before today (so the 12-month page has a previous year to compare with),
over every ward, crime type and strand with uneven weights, a third with a person key (some people several
times) and half with a postcode. References are 99/NNNNNNN/YY, a prefix the demo's cases never use.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta


def load(count: int, seed: int = 1) -> dict:
    from django.db import connection
    from django.utils import timezone

    from recorded import counts
    from recorded.models import RecordedIncident
    from recorded.repeats import place_key
    from rjcases.models import CrimeType, HateStrand, Ward

    rng = random.Random(seed)
    wards = list(Ward.objects.order_by("pk").values_list("pk", flat=True))
    crimes = list(CrimeType.objects.order_by("order").values_list("pk", "is_crime"))
    strands = list(HateStrand.objects.order_by("order").values_list("pk", flat=True))
    ward_weights = [1 + (i * 7) % 5 for i in range(len(wards))]
    crime_weights = [50, 40, 5, 3, 10][: len(crimes)] + [1] * max(0, len(crimes) - 5)
    strand_weights = [70, 6, 16, 9, 3, 1, 2][: len(strands)] + [1] * max(0, len(strands) - 7)
    today = timezone.localdate()
    now = timezone.now()
    first_id = (RecordedIncident.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    table = RecordedIncident._meta.db_table
    link_table = RecordedIncident.strands.through._meta.db_table
    columns = (
        "id, source, crime_reference, case_id, reported_on, reported_time, occurred_on, ward_id, postcode, place, "
        "crime_type_id, is_crime, repeat_victim_marker, victim_key, place_key, repeat_victim, repeat_place, "
        "created_at, updated_at"
    )
    started = time.monotonic()
    link_rows = []
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3: one COPY at a time on a connection
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for i in range(count):
                pk = first_id + i
                occurred = today - timedelta(days=rng.randrange(0, 730))
                reported = min(today, occurred + timedelta(days=rng.choice((0, 0, 0, 1, 2, 7, 30))))
                ward = rng.choices(wards, ward_weights)[0]
                crime, is_crime = rng.choices(crimes, crime_weights)[0]
                person = f"{rng.randrange(count // 4):032x}" if rng.random() < 0.33 else ""
                postcode = ""
                if rng.random() < 0.5:
                    postcode = (
                        f"M{rng.randrange(14, 42)} {rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
                    )
                marker = rng.random() < 0.04
                copy.write_row(
                    (
                        pk,
                        "police",
                        f"99/{pk:07d}/{occurred:%y}",
                        None,
                        reported,
                        None,
                        occurred,
                        ward,
                        postcode,
                        "",
                        crime,
                        is_crime,
                        marker,
                        person,
                        place_key(ward, postcode, ""),
                        False,
                        False,
                        now,
                        now,
                    )
                )
                chosen = {rng.choices(strands, strand_weights)[0]}
                if rng.random() < 0.08:
                    chosen.add(rng.choice(strands))
                link_rows.extend((pk, strand) for strand in chosen)
        with raw.copy(f"COPY {link_table} (recordedincident_id, hatestrand_id) FROM STDIN") as copy:
            for row in link_rows:
                copy.write_row(row)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first_id + count])
    links = len(link_rows)
    loaded = time.monotonic() - started
    started = time.monotonic()
    cells = counts.rebuild()
    return {"loaded_s": loaded, "links": links, "rebuild_s": time.monotonic() - started, "cells": cells}
