"""Referrals per minute through the one intake (rjcases.services.intake.create_referral), from several processes at
once, on PostgreSQL: does the case reference counter (one row per year, locked from the moment a referral takes its
number until the referral commits) hold the country's referrals back?

    .venv/bin/python bench/referrals.py --database-url postgres://postgres@127.0.0.1:5432/rj_webserver_bench

For each number of processes (--processes, default 1, 2, 4 and 8), each process makes referrals as fast as it can
for --seconds (a police referral with two people, as the web form and the API make them: case, incident, parties,
history, the duplicate check, the transition row; no letter file). Prints referrals per minute, the median and 95th
percentile time of one referral, and how long each waited for its number (the time of the statement that takes it:
the counter's ``SELECT ... FOR UPDATE`` before rjcases.references used a sequence per year, ``nextval`` since).
Writes real cases into the database it is given: use a bench database.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["RJ_LETTER_FILES"] = "0"
    os.environ["RJ_ACCESS_LOG"] = "0"
    import django

    django.setup()


def worker(database_url: str, seconds: float, start_at: float, results) -> None:
    setup(database_url)
    from django.db import connection
    from django.db.backends.utils import CursorWrapper

    from accounts.models import User
    from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward
    from rjcases.services.intake import PartyData, create_referral

    user = User.objects.get(username="police")
    route = ReferralRoute.objects.get(code="police")
    ward, crime = Ward.objects.order_by("pk").first(), CrimeType.objects.order_by("pk").first()
    strands = [HateStrand.objects.order_by("pk").first()]
    lock_waits: list[float] = []
    original = CursorWrapper.execute

    def timed(self, sql, params=None):
        # The number's statement: the counter's row lock (SQLite, and PostgreSQL before the sequences) or nextval.
        if ("rjcases_casereferencesequence" in sql and "FOR UPDATE" in sql) or "nextval" in sql:
            started = time.perf_counter()
            try:
                return original(self, sql, params)
            finally:
                lock_waits.append((time.perf_counter() - started) * 1000)
        return original(self, sql, params)

    CursorWrapper.execute = timed
    from django.utils import timezone

    times = []
    while time.time() < start_at:
        time.sleep(0.01)
    stop_at = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        started = time.perf_counter()
        create_referral(
            user,
            route=route,
            incident={
                "occurred_from": timezone.now() - timedelta(days=2),
                "ward": ward,
                "place": "Bus stop outside the library",
                "crime_type": crime,
                "summary": "Abuse shouted at a person waiting for a bus.",
            },
            strands=strands,
            parties=[
                PartyData("harmed", "Bench", f"Harmed{os.getpid()}x{n}"),
                PartyData("responsible", "Bench", f"Responsible{os.getpid()}x{n}"),
            ],
            referrer_name="PC Bench",
            referrer_contact="bench@example.org",
        )
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    results.put((times, lock_waits))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/rj_webserver_bench")
    parser.add_argument("--processes", default="1,2,4,8")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    print(f"$ .venv/bin/python bench/referrals.py {' '.join(sys.argv[1:])}")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')} {os.cpu_count()} CPUs; load average before "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
    )
    print(f"{'processes':>9} {'referrals':>9} {'per minute':>10} {'p50 ms':>8} {'p95 ms':>8}  lock wait p50/p95/max ms")
    for count in [int(n) for n in args.processes.split(",")]:
        results = context.Queue()
        start_at = time.time() + 15  # every process set up before the clock starts
        processes = [
            context.Process(target=worker, args=(args.database_url, args.seconds, start_at, results))
            for _ in range(count)
        ]
        for process in processes:
            process.start()
        times, waits = [], []
        for _ in processes:
            mine, lock = results.get()
            times += mine
            waits += lock
        for process in processes:
            process.join()
        print(
            f"{count:>9} {len(times):>9} {len(times) * 60 / args.seconds:>10.0f} {statistics.median(times):>8.1f} "
            f"{percentile(times, 0.95):>8.1f} {statistics.median(waits):>10.1f} / {percentile(waits, 0.95):.1f} / "
            f"{max(waits):.1f}",
            flush=True,
        )
    print(f"load average after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
