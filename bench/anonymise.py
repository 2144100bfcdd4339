"""Anonymisation's cost: the time per case of ``privacy.services.anonymise.anonymise_case`` over a seeded database,
then ``verify_audit``'s rows per second over the same database (the blanked transition rows included).

    .venv/bin/python bench/seed.py --database-url postgres://postgres@127.0.0.1:5432/rj_privacy_bench10k \
        --cases 10000 -- --walk-limit 0
    .venv/bin/python bench/anonymise.py \
        --database-url postgres://postgres@127.0.0.1:5432/rj_privacy_bench10k --cases 10000

The database is migrated first (a seed made by an older checkout gets the anonymisation record). Each case to
anonymise gets a retention review decided "anonymise" by the manager (written in bulk, not timed: the decision is
the basis the service insists on); then each case is anonymised through the service, one transaction per case, as
the daily job and the managers' queue do, and timed one by one. Cases already anonymised are skipped, so a second
run measures nothing new: seed again for a new run. Prints the median, mean, 90th percentile and total, the rows
rewritten, the load average, and the command.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], check=True)
    import django

    django.setup()


def decide_all(limit: int) -> list[int]:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from privacy.models import Anonymisation, RetentionReview, RetentionRule
    from rjcases.models import Case

    manager = User.objects.filter(groups__name="manager").order_by("pk").first()
    rule = RetentionRule.objects.get(kind=RetentionRule.Kind.CASE_AGREEMENT)
    done = set(Anonymisation.objects.values_list("case_id", flat=True))
    decided = set(RetentionReview.objects.filter(decision="anonymise").values_list("case_id", flat=True))
    cases = [pk for pk in Case.objects.order_by("pk").values_list("pk", flat=True) if pk not in done][:limit]
    today, now = timezone.localdate(), timezone.now()
    with transaction.atomic():
        RetentionReview.objects.filter(case_id__in=cases, decision="").delete()
        RetentionReview.objects.bulk_create(
            [
                RetentionReview(
                    case_id=pk,
                    rule=rule,
                    due_on=today,
                    queued_on=today,
                    decision="anonymise",
                    decided_by=manager,
                    decided_at=now,
                    reason="Benchmark",
                )
                for pk in cases
                if pk not in decided
            ],
            batch_size=2000,
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    setup(args.database_url)

    from collections import Counter

    from audit.verify import verify_all
    from privacy.models import RetentionReview
    from privacy.services.anonymise import anonymise_case

    cases = decide_all(args.cases)
    reviews = dict(RetentionReview.objects.filter(case_id__in=cases, decision="anonymise").values_list("case_id", "pk"))
    times, rows = [], Counter()
    started = time.perf_counter()
    for n, case_id in enumerate(cases, 1):
        review = RetentionReview(pk=reviews[case_id])
        t = time.perf_counter()
        record = anonymise_case(review)
        times.append(time.perf_counter() - t)
        rows.update(record.rows)
        if n % max(1, len(cases) // 10) == 0:
            print(f"  {n}/{len(cases)} cases, {time.perf_counter() - started:.0f} s", flush=True)
    total = time.perf_counter() - started
    load = os.getloadavg()
    print(f"command: {' '.join(sys.argv)}")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} ({os.cpu_count()} CPUs)")
    if times:
        ordered = sorted(times)
        print(
            f"anonymised {len(times)} cases in {total:.1f} s: median {statistics.median(times) * 1000:.1f} ms, "
            f"mean {statistics.mean(times) * 1000:.1f} ms, 90th percentile "
            f"{ordered[int(0.9 * (len(ordered) - 1))] * 1000:.1f} ms per case"
        )
        print("rows rewritten: " + ", ".join(f"{table} {n}" for table, n in rows.most_common()))

    t = time.perf_counter()
    reports = verify_all()
    seconds = time.perf_counter() - t
    checked = sum(r.rows for r in reports)
    problems = sum(len(r.problems) for r in reports)
    print(
        f"verify_audit: {checked} chained rows in {seconds:.1f} s, {checked / seconds:,.0f} rows/s; "
        f"{problems} problems ({', '.join(f'{r.chain} {r.rows}' for r in reports)})"
    )


if __name__ == "__main__":
    main()
