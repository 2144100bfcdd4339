"""Time the insights pages at scale: the 12-month hotspot page, the performance page (counted from the case
records, then from its summary tables after the hourly job has counted them, which is timed), the quarterly return
and the Victims' Code compliance return (counted from the records, then from the snapshots of the hourly job, which
is timed), each against a single GROUP BY over the raw rows it summarises, run in the same process (the ratio).

    .venv/bin/python bench/insights.py --database-url postgres://postgres@127.0.0.1:5432/rj_hotspots_bench --keep \
        --recorded 1000000

    .venv/bin/python bench/insights.py --database-url postgres://postgres@127.0.0.1:5432/rj_h6_bench --cases 100000
    .venv/bin/python bench/insights.py --database-url postgres://postgres@127.0.0.1:5432/rj_h6_bench --keep

Without --keep the database is made anew (dropped and created, migrated, reference data and demo users
loaded) and filled with `manage.py seed_demo --cases N --seed S` (timed). Then, in this process, a manager
requests each page through Django's test client, as a browser would (middleware, sign-in, the selector's
queries, the tables, the SVG charts and the template), several times; the first request is reported apart
(cold caches), then the fastest and the median of the rest, with the number of queries. ANALYZE runs first
on PostgreSQL, as autovacuum would after a bulk load.

--recorded N loads synthetic police records until the database holds N of them (bench/recorded.py: COPY, then
the summary rebuilt from the raw rows); with --record-cases, bulk-seeded cases get their recorded incidents
first. The raw GROUP BY of each page is timed the same way (best and median of the warm runs): the hotspot
page's is the recorded incidents of the 12 months by ward, crime type and source; the performance page's and
the return's the cases received in the period by route and state.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def manage(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], env={**os.environ, "DATABASE_URL": url}, check=True
    )


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit("The insights bench runs on PostgreSQL: give a postgres:// URL.")
    import psycopg

    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def seed(url: str, cases: int, seed_number: int, extra: list[str]) -> tuple[float, float]:
    fresh_database(url)
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "loaddata", "reference", "demo_users", "-v0")
    command = ["seed_demo", "--cases", str(cases), "--seed", str(seed_number), *extra]
    print(f"DATABASE_URL={url} manage.py {' '.join(command)}", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    manage(url, *command)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_requests(client, path: str, query: dict, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, queries, size = [], 0, 0
    for _ in range(repeat + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path, query)
            seconds.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        queries, size = len(captured), len(response.content)
    warm = seconds[1:]
    return {
        "first": seconds[0],
        "best": min(warm),
        "median": statistics.median(warm),
        "queries": queries,
        "bytes": size,
    }


def raw_group_by(sql: str, params: list):
    """A timer of one GROUP BY over the raw rows: the median of ``repeat`` runs after a first, untimed."""

    def run(repeat: int) -> float:
        from django.db import connection

        seconds = []
        for _ in range(repeat + 1):
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                seconds.append(time.perf_counter() - started)
        return statistics.median(seconds[1:])

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Use the database as it is (already seeded).")
    parser.add_argument("--repeat", type=int, default=3, help="Timed requests per page after the first.")
    parser.add_argument("--recorded", type=int, default=0, help="Police records to hold (loaded if fewer).")
    parser.add_argument(
        "--record-cases",
        action="store_true",
        help="First give bulk-seeded cases their recorded incidents (then the summary is rebuilt).",
    )
    parser.add_argument("extra", nargs="*", help="More seed_demo arguments (after --).")
    args = parser.parse_args()

    if not args.keep:
        elapsed, cpu = seed(args.database_url, args.cases, args.seed, args.extra)
        print(
            f"seed_demo: {elapsed:.0f} s wall clock, {cpu:.0f} s CPU (the seeding process; the database "
            f"server's own CPU is not counted); load average now {os.getloadavg()[0]:.1f}"
        )

    else:
        manage(args.database_url, "migrate", "--noinput", "-v0")  # a kept database seeded by older code
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from insights import selectors
    from recorded.models import RecordedIncident
    from rjcases.models import Case, CaseTransition

    if args.recorded:
        from bench import recorded as recorded_bench
        from recorded.bulk import record_missing_cases

        made = 0
        if args.record_cases:
            started = time.monotonic()
            made = record_missing_cases()
            print(f"recorded incidents made from cases: {made} in {time.monotonic() - started:.0f} s", flush=True)
        missing = args.recorded - RecordedIncident.objects.filter(source="police").count()
        if missing > 0:
            figures = recorded_bench.load(missing, args.seed)
            print(
                f"police records loaded: {missing} ({figures['links']} strand links) with COPY in "
                f"{figures['loaded_s']:.0f} s; summary rebuilt from the raw rows in {figures['rebuild_s']:.0f} s "
                f"({figures['cells']} cells)",
                flush=True,
            )
        elif made:
            from recorded import counts

            counts.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Case.objects.count()
    period = selectors.default_period()
    in_period = Case.objects.filter(received_on__gte=period.start, received_on__lte=period.end).count()
    year, quarter = selectors.last_complete_quarter()
    print(
        f"cases: {total}; received in the last 12 months ({period}): {in_period}; "
        f"transitions: {CaseTransition.objects.count()}; recorded incidents: {RecordedIncident.objects.count()}"
    )

    manager = User.objects.filter(groups__name=roles.MANAGER, is_active=True).order_by("pk").first()
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    quarter_days = selectors.quarter_period(year, quarter)
    raw_recorded = raw_group_by(
        "SELECT ward_id, crime_type_id, source, COUNT(*) FROM recorded_recordedincident "
        "WHERE occurred_on BETWEEN %s AND %s GROUP BY 1, 2, 3",
        [period.start, period.end],
    )
    raw_cases = raw_group_by(
        "SELECT route_id, state, COUNT(*) FROM rjcases_case WHERE received_on BETWEEN %s AND %s GROUP BY 1, 2",
        [period.start, period.end],
    )
    raw_quarter = raw_group_by(
        "SELECT route_id, state, COUNT(*) FROM rjcases_case WHERE received_on BETWEEN %s AND %s GROUP BY 1, 2",
        [quarter_days.start, quarter_days.end],
    )
    rows = [
        ("hotspots, last 12 months (page)", "/insights/hotspots/", {}, raw_recorded),
        (
            "hotspots, one table as CSV",
            "/insights/hotspots/",
            {"format": "csv", "table": "ward-crime-type-strand"},
            raw_recorded,
        ),
        ("hotspots, open data (CSV)", "/insights/hotspots/open-data/", {}, raw_recorded),
        ("performance, last 12 months, from the records", "/insights/performance/", {}, raw_cases),
        ("performance, 12 months, from the summary", "/insights/performance/", {}, raw_cases),
        (
            f"quarterly return {year} Q{quarter} (page)",
            "/insights/quarterly-return/",
            {"quarter": f"{year}-Q{quarter}"},
            raw_quarter,
        ),
        (
            f"quarterly return {year} Q{quarter} (CSV)",
            "/insights/quarterly-return/",
            {"quarter": f"{year}-Q{quarter}", "format": "csv"},
            raw_quarter,
        ),
        (
            f"quarterly return {year} Q{quarter} (PDF)",
            "/insights/quarterly-return/",
            {"quarter": f"{year}-Q{quarter}", "format": "pdf"},
            raw_quarter,
        ),
        (
            f"Victims' Code return {year} Q{quarter} (page)",
            "/insights/victims-code-return/",
            {"quarter": f"{year}-Q{quarter}"},
            raw_quarter,
        ),
        (
            f"Victims' Code return {year} Q{quarter} (CSV)",
            "/insights/victims-code-return/",
            {"quarter": f"{year}-Q{quarter}", "format": "csv"},
            raw_quarter,
        ),
    ]
    # The same return pages again, from the snapshots the hourly job counts (refreshed and timed first).
    rows += [
        (f"{label.replace(' (', ', from the snapshot (', 1)}", path, query, raw)
        for label, path, query, raw in rows
        if path in ("/insights/quarterly-return/", "/insights/victims-code-return/")
    ]
    from insights import snapshots, summary
    from insights.models import PerformanceSummary, ReturnSnapshot

    PerformanceSummary.objects.all().delete()  # the first performance row counts from the case records
    ReturnSnapshot.objects.all().delete()  # and the first return rows too
    version = connection.pg_version if connection.vendor == "postgresql" else ""
    print(
        f"\n{timezone.now():%Y-%m-%d %H:%M} {connection.vendor} {version} -- {total} cases, "
        f"{args.repeat} warm requests per page"
    )
    print(
        f"{'page':44} {'first s':>8} {'best s':>8} {'median s':>9} {'queries':>8} {'bytes':>9} "
        f"{'raw GROUP BY s':>15} {'ratio':>6}"
    )
    for label, path, query, raw in rows:
        if label.endswith("from the summary"):
            started = time.monotonic()
            made = summary.refresh()
            print(
                f"{'  refresh_performance_summary (the job)':44} {time.monotonic() - started:8.2f} s, "
                f"{made.cases} cases counted into the summary tables"
            )
        if "from the snapshot" in label and not ReturnSnapshot.objects.exists():
            started = time.monotonic()
            made = snapshots.refresh()
            print(
                f"{'  refresh_return_snapshots (the job)':44} {time.monotonic() - started:8.2f} s, "
                f"{made.snapshots} returns counted (2 quarters, every partnership and each one)"
            )
        r = timed_requests(client, path, query, args.repeat)
        base = raw(args.repeat)
        print(
            f"{label:44} {r['first']:8.2f} {r['best']:8.3f} {r['median']:9.3f} {r['queries']:8} {r['bytes']:9} "
            f"{base:15.3f} {r['median'] / base:6.2f}"
        )


if __name__ == "__main__":
    main()
