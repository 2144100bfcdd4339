"""python manage.py run_scheduler [--once] [--interval SECONDS]

The scheduler process (make serve starts one; make scheduler runs one alone): every --interval seconds (30) it
queues, as tasks for the worker, the scheduled jobs whose time has come (jobs.schedule.JOBS; docs/jobs.md). Each
job's time is recorded in the database, so a restarted scheduler, or a second one on another server, never
queues the same time twice. --once checks once and exits (for cron: `* * * * * manage.py run_scheduler --once`).
Stops cleanly on SIGTERM or Ctrl-C.
"""

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from jobs.schedule import JOBS, enqueue_due_jobs


class Command(BaseCommand):
    help = "Queue the scheduled jobs at their times (once per time, however many schedulers run)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, queue what is due, and exit.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between checks (default 30).")

    def handle(self, *args, once, interval, **options):
        if interval <= 0:
            raise CommandError("--interval must be more than 0 seconds.")
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            names = ", ".join(job.name for job in JOBS)
            self.stdout.write(f"Scheduler started: {names}; checking every {interval:g} s.")
        if once:
            self.queue_due_jobs()
            return
        while not stop.is_set():
            close_old_connections()  # a long-lived process: drop a connection the database has closed
            self.queue_due_jobs()
            close_old_connections()
            stop.wait(interval)
        self.stdout.write("Scheduler stopped.")

    def queue_due_jobs(self):
        for run in enqueue_due_jobs():
            self.stdout.write(f"Queued {run.job} (due {run.scheduled_for.isoformat()}) as task {run.task_id}")
