"""python manage.py seed_demo --cases N --seed S [--if-empty]

Synthetic demo cases (invented people only), the same for the same N, S and as-of date, in every state
and with every outcome. Up to --walk-limit cases (500) every case is walked through the real services on
a simulated clock, letters included; above it the first 500 are walked and the rest are written in bulk
with the same rows, transition rows and history (demo/bulk.py; tests/demo/test_seed_demo.py
checks the two agree). Timings: bench/README.md.
"""

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from accounts.demo_guard import add_not_production_flag, refuse_demo_in_production
from demo.actors import Actors
from demo.bulk import BulkWriter
from demo.centres import add_reporting_centres
from demo.clock import SimulatedClock, simulated_time
from demo.plan import Planner
from demo.victims_code import add_victims_code
from demo.walk import Walker
from recorded.bulk import record_missing_cases
from recorded.counts import rebuild as rebuild_counts
from rjcases.models import Case

DEFAULT_CASES = 120
DEFAULT_WALK_LIMIT = 500


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"Expected a whole number, got {value!r}.")
    if number < 0:
        raise CommandError(f"Expected zero or more, got {number}.")
    return number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Give the date as YYYY-MM-DD, got {value!r}.")


class Command(BaseCommand):
    help = "Create synthetic demo cases (invented people only) in every state, by walking the real services."

    def add_arguments(self, parser):
        add_not_production_flag(parser)
        parser.add_argument(
            "--cases",
            type=_positive,
            default=DEFAULT_CASES,
            help=f"How many cases to create (default {DEFAULT_CASES}).",
        )
        parser.add_argument("--seed", type=int, default=1, help="The random seed: the same seed gives the same data.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has cases (make run uses this).",
        )
        parser.add_argument(
            "--walk-limit",
            type=_positive,
            default=DEFAULT_WALK_LIMIT,
            help="Walk at most this many cases through the services; write the rest in bulk "
            f"(default {DEFAULT_WALK_LIMIT}).",
        )
        parser.add_argument("--batch", type=_positive, default=1000, help="Cases per bulk transaction.")
        parser.add_argument(
            "--letters",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="Make the letters each walked transition calls for (default: only when every "
            "case is walked; bulk-written cases never have letters).",
        )
        parser.add_argument(
            "--as-of",
            type=_day,
            default=None,
            help="The day the demo treats as today (default: today). Cases fall in the 15 months before it.",
        )

    def handle(self, *args, cases, seed, if_empty, walk_limit, batch, as_of, letters, verbosity, **options):
        refuse_demo_in_production(options, "seed_demo")
        self.verbosity, self._tenth = verbosity, 0
        existing = Case.objects.count()
        if if_empty and existing:
            self.stdout.write(f"The database already has {existing} cases: no demo data added.")
            return
        actors = Actors()
        if existing:
            self.stdout.write(
                self.style.WARNING(
                    f"The database already has {existing} cases; adding {cases} more. The same seed makes the same "
                    "people again, so many will be flagged as possible duplicates (use --if-empty to add none)."
                )
            )
        as_of = as_of or timezone.localdate()
        planner = Planner(cases, seed, as_of)
        walked = min(cases, walk_limit)
        if letters is None:
            letters = walked == cases
        started = time.monotonic()
        if verbosity >= 1:
            self.stdout.write(
                f"Seeding {cases} demo cases (seed {seed}): {walked} walked through the services, {cases - walked} in "
                "bulk. A line at each tenth:"
            )
            self.stdout.flush()
        clock = SimulatedClock()
        with simulated_time(clock):
            # A run partly written in bulk makes no letters, so its walked cases make none either.
            walker = Walker(actors, clock, letters=letters)
            for index in range(walked):
                walker.run(planner.plan(index))
                self._progress(index + 1, cases, started)
        if cases > walked:
            self._write_in_bulk(BulkWriter(actors), planner, walked, cases, max(1, batch), started)
        reported, complained = add_victims_code(actors, seed, as_of)
        centres, staff, answers = add_reporting_centres(actors, seed, as_of)
        if cases > walked:
            # The bulk-written cases never passed through create_referral: their recorded incidents, and the
            # hotspot counts from the raw rows.
            record_missing_cases()
            rebuild_counts()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {cases} demo cases (seed {seed}, as of {as_of}): {walked} through the services, "
                f"{cases - walked} in bulk{'' if letters else ', without letters'}, in {elapsed:.1f} s "
                f"(report dates on {reported}, {complained} complaints; {centres} reporting centres with {staff} "
                f"trained staff and {answers} survey answers)."
            )
        )

    def _write_in_bulk(self, writer: BulkWriter, planner: Planner, first: int, cases: int, batch: int, started) -> None:
        """Plan and build each batch, and store it. On PostgreSQL (outside a transaction) a second thread stores
        each batch on its own connection while the next is planned and built: the database's work on one batch
        and Python's on the next overlap (psycopg lets go of the GIL while it waits for the server)."""
        batches = [(start, min(cases, start + batch)) for start in range(first, cases, batch)]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            for start, last in batches:
                writer.write([planner.plan(i) for i in range(start, last)])
                self._progress(last, cases, started)
            return

        def store(rows: dict) -> None:
            try:
                writer.store(rows)
            finally:
                connections.close_all()  # this thread's connection

        with ThreadPoolExecutor(max_workers=1) as storing:
            pending = None
            for start, last in batches:
                rows = writer.build([planner.plan(i) for i in range(start, last)])
                if pending is not None:
                    pending.result()
                    writer.stored()
                    self._progress(start, cases, started)
                pending = storing.submit(store, rows)
            pending.result()
            writer.stored()
            self._progress(cases, cases, started)

    def _progress(self, done: int, total: int, started: float) -> None:
        """A line at each tenth of the run (every case with -v 2; none with -v 0), so that `make run`'s first seed,
        which takes a minute or two, shows it is moving."""
        tenth = done * 10 // total
        if self.verbosity >= 2 or (self.verbosity >= 1 and tenth > self._tenth):
            self._tenth = tenth
            self.stdout.write(f"  {done}/{total} cases, {time.monotonic() - started:.0f} s", ending="\n")
            self.stdout.flush()
