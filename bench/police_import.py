"""Time the police import (`manage.py import_recorded_incidents FILE.csv`) of N synthetic rows, end to end.

    .venv/bin/python bench/police_import.py --database-url postgres://postgres@127.0.0.1:5432/rj_import --rows 100000

The database is created anew (dropped and created, migrated, the reference data loaded) unless --keep is given.
The script writes a CSV laid out as docs/import.md says (every column; references 98/NNNNNNN/YY, a prefix the demo
and bench/recorded.py never use), then runs the command three times in a subprocess, each timed on its own (wall
clock, and the command process's CPU; the database server's CPU is not counted):

1. **new**: every row a new record (checking, insert with history, strands, repeat flags, the summary kept exact);
2. **again, unchanged**: the same file (idempotent: every row matched by crime reference and left alone);
3. **again, a tenth changed**: the same file with one row in ten given another crime type (updated with history).

It then checks the summary (``recorded.counts``) against one GROUP BY over the raw rows. The issue's target: 100,000
rows in under a minute.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.seed import fresh_database, manage  # noqa: E402

WARDS = [f"TRF{n:02d}" for n in range(1, 22)]
CRIMES = [("public-order", 50), ("violence", 40), ("criminal-damage", 5), ("other-offences", 3), ("nchi", 10)]
STRANDS = [("race", 70), ("religion", 6), ("sexual-orientation", 16), ("disability", 9), ("transgender", 3)]


def write_csv(path: Path, count: int, seed: int, changed_every: int = 0) -> None:
    rng = random.Random(seed)
    today = date.today()
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "crime_reference",
                "reported_at",
                "occurred_on",
                "ward",
                "postcode",
                "place",
                "crime_type",
                "crime_or_non_crime",
                "strands",
                "repeat_victim",
                "victim_key",
            ]
        )
        for i in range(count):
            occurred = today - timedelta(days=rng.randrange(1, 700))
            reported = min(today, occurred + timedelta(days=rng.choice((0, 0, 1, 2, 7))))
            crime = rng.choices([c for c, _ in CRIMES], [w for _, w in CRIMES])[0]
            if changed_every and i % changed_every == 0:
                crime = "violence" if crime == "public-order" else "public-order"
            strands = {rng.choices([s for s, _ in STRANDS], [w for _, w in STRANDS])[0]}
            if rng.random() < 0.08:
                strands.add(rng.choice(STRANDS)[0])
            postcode = f"M{rng.randrange(14, 42)} {rng.randrange(10)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}"
            out.writerow(
                [
                    f"98/{i + 1:07d}/{occurred:%y}",
                    f"{reported:%Y-%m-%d} {rng.randrange(24):02d}:{rng.randrange(60):02d}",
                    occurred.isoformat(),
                    rng.choice(WARDS),
                    postcode if rng.random() < 0.5 else "",
                    "",
                    crime,
                    "non-crime" if crime == "nchi" else "crime",
                    ";".join(sorted(strands)),
                    "yes" if rng.random() < 0.04 else "no",
                    f"{rng.randrange(count // 4):032x}" if rng.random() < 0.33 else "",
                ]
            )


def timed_import(url: str, path: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    out = manage(url, "import_recorded_incidents", str(path), capture=True)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, out.strip()


CHECK = """
from django.db import connection
from recorded.models import RecordedCount
with connection.cursor() as c:
    c.execute("SELECT COUNT(*) FROM recorded_recordedincident WHERE crime_reference LIKE %s", ["98/%"])
    raw = c.fetchone()[0]
summary = sum(RecordedCount.objects.filter(basis="occurred", grain="month", strand_id=0,
              source="police").values_list("incidents", flat=True))
print(f"police records {raw}; the summary counts {summary} (by incident date, every month): "
      + ("exact" if raw == summary else "DIFFERENT"))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Use the existing database (already migrated).")
    args = parser.parse_args()
    url = args.database_url
    if not args.keep:
        fresh_database(url)
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "reference", "-v0")
    with tempfile.TemporaryDirectory() as folder:
        first, changed = Path(folder) / "police.csv", Path(folder) / "police-changed.csv"
        write_csv(first, args.rows, args.seed)
        write_csv(changed, args.rows, args.seed, changed_every=10)
        print(f"{time.strftime('%Y-%m-%d %H:%M')} {args.rows} rows; load average {os.getloadavg()}", flush=True)
        for label, path in (("new", first), ("again, unchanged", first), ("again, a tenth changed", changed)):
            elapsed, cpu, said = timed_import(url, path)
            print(
                f"{label:24} {elapsed:7.1f} s wall clock {cpu:7.1f} s CPU {args.rows / elapsed:9,.0f} rows/s   {said}",
                flush=True,
            )
    print(manage(url, "shell", "-v0", "-c", CHECK, capture=True), end="")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
