"""Benchmark: a move with its letters queued, against a bare UPDATE of the case row, in the same run.

The move is "accept" (``rjcases.services.case_accept``): it locks the case, checks the rules, changes the state,
writes the transition row (hash-chained), the case's history row and its three letters' rows (the referral
acknowledgement, the RJ information for the person harmed and the invitation for the person responsible), and
queues one task to write their files after commit (django-tasks-db: one row). The floor is the least a move
could cost: one ``UPDATE rjcases_case SET state = ..., updated_at = ... WHERE id = ...`` in its own transaction
(committed, like the move), through the same connection. The two alternate, run by run, so both see the same load.
Goal (issue 20): the move within 3x the bare UPDATE.

Run:  .venv/bin/python bench/moves.py [--runs 40]
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/rj_bench_moves .venv/bin/python bench/moves.py
It builds its own test database (in memory on SQLite; with DATABASE_URL set, ``test_<name>`` on that PostgreSQL
server, dropped afterwards). Letter files are not written: that is the worker's work, after the move
(bench/transition_letters.py times it).
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["RJ_LETTER_FILES"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from transition_letters import allocated_case, people, summary  # noqa: E402


def timed_move(case, manager) -> float:
    from rjcases import services

    started = time.perf_counter()
    services.case_accept(case, manager)
    return time.perf_counter() - started


def timed_update(case) -> float:
    table = case._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, updated_at = %s WHERE id = %s", ["preparation", timezone.now(), case.pk]
        )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()

    from letters.models import Letter

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        manager, facilitator, referrer = people()
        queued = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
        move_times, update_times = [], []
        with override_settings(TASKS=queued):
            for run in range(options.runs + 1):  # the first pair warms up and is not counted
                moved = allocated_case(manager, facilitator, referrer)
                floor = allocated_case(manager, facilitator, referrer)
                for mode in ("move", "update") if run % 2 else ("update", "move"):
                    took = timed_move(moved, manager) if mode == "move" else timed_update(floor)
                    if run:
                        (move_times if mode == "move" else update_times).append(took)
                assert moved.letters.count() == 3
                assert set(moved.letters.values_list("file_status", flat=True)) == {Letter.FileStatus.PENDING}
        load = os.getloadavg()[0]
        command = shlex.join([".venv/bin/python", "bench/moves.py", *sys.argv[1:]])
        print(f"$ {('DATABASE_URL=... ' if os.environ.get('DATABASE_URL') else '')}{command}")
        print(f"{connection.vendor}, {options.runs} runs of each, {os.cpu_count()} CPUs, load average {load:.1f}")
        print(f"accept, 3 letters queued   {summary(move_times)}")
        print(f"bare UPDATE of the case    {summary(update_times)}")
        ratio = statistics.median(move_times) / statistics.median(update_times)
        print(f"ratio (move / bare UPDATE, medians): {ratio:.1f}x  (goal: at most 3x)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
