"""Benchmark: how long a move takes when its letters are rendered by the worker, against the same move with its
letters rendered in the request.

The move is "accept" (``rjcases.services.case_accept``), which makes three letters (the referral
acknowledgement, the RJ information for the person harmed and the invitation for the person responsible). Each
run takes a freshly allocated case (untimed) and times the service call, which is what the request waits for:

- **worker**: tasks queued in the database (django-tasks-db, the default). The move commits and queues one task
  row; the PDFs are written later by ``db_worker``. The worker's time for that task is measured too (untimed
  for the move), by running the queued task in this process as the worker would.
- **in the request**: Django's immediate backend: the same on-commit callback renders and stores the three PDFs
  before the call returns.

The two alternate, run by run, so both see the same machine load.

Run:  .venv/bin/python bench/transition_letters.py [--runs 30]
It builds its own test database (in memory on SQLite; with DATABASE_URL set, ``test_<name>`` on that PostgreSQL
server, dropped afterwards) and a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DJANGO_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-transition-letters-")
os.environ["RJ_LETTER_FILES"] = "1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402


def people():
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import Organisation, Partnership, User
    from tests.factories import partnership

    roles.ensure_roles()
    partnership()  # the default partnership, whose wards the bench's referrals are in (a fresh test database has none)
    rj = Organisation.objects.create(name="Bench RJ Service", kind=Organisation.Kind.RJ_SERVICE)
    police = Organisation.objects.create(
        name="Bench Police", kind=Organisation.Kind.POLICE, address="Police Station\n1 Station Road\nStretford\nM32 0PP"
    )

    def user(username, role, organisation):
        person = User.objects.create_user(
            username=username,
            password="bench-password-123",
            first_name="Bench",
            last_name=role,
            organisation=organisation,
        )
        person.groups.add(Group.objects.get(name=role))
        person.partnerships.add(*Partnership.objects.all())  # the bench's cases are in whichever there are
        return person

    return (
        user("bench_manager", roles.MANAGER, rj),
        user("bench_facilitator", roles.FACILITATOR, rj),
        user("bench_police", roles.POLICE_REFERRER, police),
    )


def allocated_case(manager, facilitator, referrer):
    from rjcases import services
    from rjcases.models import Party
    from tests.walk import refer

    case = refer(
        referrer,
        parties=[
            services.PartyData(Party.Role.HARMED, "Amina", "Harmedperson", {"address": "1 Harmed Street\nStretford"}),
            services.PartyData(Party.Role.RESPONSIBLE, "Kieran", "Responsibleperson", {"address": "2 Road\nSale"}),
        ],
    )
    return services.allocate(case, manager, facilitator=facilitator)


def timed_accept(case, manager) -> float:
    from rjcases import services

    started = time.perf_counter()
    services.case_accept(case, manager)  # its own transaction: the on-commit callbacks run before it returns
    return time.perf_counter() - started


def run_queued_tasks() -> float:
    """Run what the move queued, as ``db_worker`` does (claim, run, record), and return how long it took."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    started = time.perf_counter()
    worker.run()
    return time.perf_counter() - started


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    from letters.models import Letter

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        manager, facilitator, referrer = people()
        immediate = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}
        database = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
        worker_times, request_times, worker_runs = [], [], []
        for run in range(options.runs + 1):  # the first pair warms up (imports, fonts, caches) and is not counted
            for mode in ("worker", "request") if run % 2 else ("request", "worker"):
                case = allocated_case(manager, facilitator, referrer)
                with override_settings(TASKS=database if mode == "worker" else immediate):
                    took = timed_accept(case, manager)
                    if mode == "worker":
                        assert not case.letters.filter(file_status=Letter.FileStatus.WRITTEN).exists()
                        worked = run_queued_tasks()
                assert set(case.letters.values_list("file_status", flat=True)) == {Letter.FileStatus.WRITTEN}
                if run:
                    (worker_times if mode == "worker" else request_times).append(took)
                    if mode == "worker":
                        worker_runs.append(worked)
        letters = Letter.objects.count() // (2 * (options.runs + 1))
        load = os.getloadavg()[0]
        print(
            f"{connection.vendor}, {options.runs} runs of each, {letters} letters per move, "
            f"{os.cpu_count()} CPUs, load average {load:.1f}"
        )
        print(f"accept, letters by the worker      {summary(worker_times)}")
        print(f"accept, letters in the request     {summary(request_times)}")
        print(f"the worker's task for those letters {summary(worker_runs)}  (after the move, not waited for)")
        ratio = statistics.median(request_times) / statistics.median(worker_times)
        print(f"ratio (in the request / by the worker, medians): {ratio:.1f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
