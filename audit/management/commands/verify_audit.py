"""Walk every audit chain and name the first row changed, removed or inserted out of order in each."""

import time

from django.core.management.base import BaseCommand, CommandError

from audit.specs import BY_NAME
from audit.verify import verify_all


def parse_head(value: str) -> tuple[str, int, str]:
    """``chain=place:hash``, as ``publish_audit_heads`` logs it."""
    try:
        chain, rest = value.split("=", 1)
        place, digest = rest.split(":", 1)
        if chain not in BY_NAME or len(digest) != 64:
            raise ValueError
        return chain, int(place), digest.lower()
    except ValueError:
        names = ", ".join(BY_NAME)
        raise CommandError(f"--head takes chain=place:hash (chains: {names}), not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Check the audit chains (transitions, read access, security log): every row's content against its hash, "
        "its link to the row before, and the published heads given with --head. Exits 1 naming each break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--head",
            action="append",
            default=[],
            metavar="CHAIN=PLACE:HASH",
            help="A head published earlier (publish_audit_heads): it must still be in the chain. Repeatable.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        heads: dict[str, dict[int, str]] = {}
        for value in options["head"]:
            chain, place, digest = parse_head(value)
            heads.setdefault(chain, {})[place] = digest
        started = time.perf_counter()
        reports = verify_all(options["database"], heads)
        seconds = time.perf_counter() - started
        broken = 0
        for report in reports:
            if report.intact:
                self.stdout.write(
                    f"{report.chain}: {report.rows} rows intact; head place {report.head_place} {report.head_hash}"
                )
                continue
            broken += 1
            first, *more = report.problems
            self.stdout.write(f"{report.chain}: BROKEN ({report.rows} rows read). First: {first.message}")
            for other in more:
                self.stdout.write(f"  then: {other.message}")
        rows = sum(r.rows for r in reports)
        self.stdout.write(f"{rows} rows in {seconds:.1f} s ({rows / seconds if seconds else 0:.0f} rows/s)")
        if broken:
            raise CommandError(f"{broken} audit chain(s) broken: see above.")
