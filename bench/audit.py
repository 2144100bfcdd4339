"""The audit chains' cost: verify_audit's rows per second over a seeded database, and what sealing adds to a move.

    .venv/bin/python bench/audit.py --database-url postgres://postgres@127.0.0.1:5432/rj_audit_bench \
        --read-access 1000000 --moves 200

Run on a database seeded by bench/seed.py (its transitions are chained as the demo's bulk writer inserts them).
``--read-access N`` first adds read access rows (sealed in batches, as ``bulk_create`` seals) until the read
access log has N rows, so the walk has a realistic share of the commonest audit row. Then:

1. ``verify_all()`` over every chain, timed: rows and rows per second.
2. ``--moves`` declines of fresh referrals by the manager through ``take_transition``, alternating: with the
   chain as it is (advisory lock, reserved id, head read, two SHA-256) and with sealing replaced by a stub that
   only fills the columns (no lock, no head read, no hash). Median per move of each, and the difference. The
   stub's rows are taken out of the chain afterwards (rolled back).
"""

import argparse
import os
import statistics
import sys
import time
from itertools import count
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def add_read_access(target: int) -> None:
    from django.db import transaction

    from accounts.models import User
    from rjcases.models import Case, ReadAccess

    have = ReadAccess.objects.count()
    users = list(User.objects.filter(is_active=True).values_list("pk", flat=True)[:5])
    cases = list(Case.objects.values_list("pk", flat=True)[:5000])
    started = time.perf_counter()
    made = 0
    while have + made < target:
        batch = min(20_000, target - have - made)
        rows = [
            ReadAccess(
                user_id=users[i % len(users)],
                case_id=cases[i % len(cases)],
                what="case",
                object_id=str(cases[i % len(cases)]),
                path=f"/cases/{cases[i % len(cases)]}/",
            )
            for i in range(made, made + batch)
        ]
        with transaction.atomic():
            ReadAccess.objects.bulk_create(rows, batch_size=5000)
        made += batch
    if made:
        print(f"added {made} read access rows in {time.perf_counter() - started:.1f} s (sealed in batches)")


def time_verify() -> None:
    from audit.verify import verify_all

    started = time.perf_counter()
    reports = verify_all()
    seconds = time.perf_counter() - started
    rows = sum(r.rows for r in reports)
    for r in reports:
        print(f"  {r.chain:12} {r.rows:>10} rows  {'intact' if r.intact else 'BROKEN: ' + str(r.problems[0])}")
    print(f"verify_audit: {rows} rows in {seconds:.1f} s = {rows / seconds:,.0f} rows/s")


def time_moves(moves: int) -> None:
    from django.db import connection, transaction

    import audit.chain
    from accounts.models import User
    from audit.chain import GENESIS
    from rjcases import services
    from rjcases.models import HateStrand, Party, ReferralRoute, Ward
    from rjcases.services import PartyData

    manager = User.objects.get(username="manager")
    police = User.objects.get(username="police")
    route, ward = ReferralRoute.objects.get(code="police"), Ward.objects.order_by("code").first()
    strand = HateStrand.objects.get(code="race")
    from rjcases.models import CrimeType

    crime = CrimeType.objects.order_by("order").first()
    real_seal = audit.chain.seal
    places = count(-1, -1)  # below every real place: the real head stays the real one

    def stub_seal(model, objs, using):
        for obj in objs:
            obj.chain_seq, obj.chain_prev, obj.chain_hash = next(places), GENESIS, GENESIS

    def refer():
        from django.utils import timezone

        return services.create_referral(
            police,
            route=route,
            incident={
                "occurred_from": timezone.now(),
                "ward": ward,
                "crime_type": crime,
                "summary": "Shouted abuse at a bus stop (synthetic).",
            },
            strands=[strand],
            parties=[PartyData(Party.Role.HARMED, "Bench"), PartyData(Party.Role.RESPONSIBLE, "Mark")],
        )

    timings = {"with the chain": [], "without (stub)": []}
    with transaction.atomic():  # everything rolled back at the end: the stub's rows must not stay
        for i in range(moves):
            case = refer()
            chained = i % 2 == 0
            audit.chain.seal = real_seal if chained else stub_seal
            started = time.perf_counter()
            services.case_decline(case, manager, reason="Out of scope (bench)")
            timings["with the chain" if chained else "without (stub)"].append(time.perf_counter() - started)
            audit.chain.seal = real_seal
        transaction.set_rollback(True)
    with_, without = (statistics.median(v) * 1000 for v in timings.values())
    print(
        f"decline through take_transition ({connection.vendor}, {moves // 2} each, median): with the chain "
        f"{with_:.2f} ms, without {without:.2f} ms; the chain adds {with_ - without:.2f} ms "
        f"({(with_ - without) / without:.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--read-access", type=int, default=0, help="Fill the read access log up to this many rows.")
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--no-verify", action="store_true", help="Time the moves only.")
    args = parser.parse_args()
    setup(args.database_url)
    if args.read_access:
        add_read_access(args.read_access)
    if not args.no_verify:
        time_verify()
    if args.moves:
        time_moves(args.moves)


if __name__ == "__main__":
    main()
