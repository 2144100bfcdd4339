"""python manage.py requeue_stalled_tasks [--older-than-minutes N]

Tasks still "running" N minutes after they started (default RJ_TASKS_STALLED_MINUTES, 30) are taken to be lost
with their worker: each is marked failed and queued again with the same arguments. Safe to run again and from
cron: a task it has queued again is no longer running, and a task running for less than N minutes is left alone.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.stalled import requeue_stalled_tasks


class Command(BaseCommand):
    help = "Mark failed, and queue again, the tasks whose worker stopped while running them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=float,
            default=None,
            help="Running longer than this is stalled (default RJ_TASKS_STALLED_MINUTES).",
        )

    def handle(self, *args, older_than_minutes, **options):
        minutes = settings.RJ_TASKS_STALLED_MINUTES if older_than_minutes is None else older_than_minutes
        if minutes < 0:
            raise CommandError("--older-than-minutes cannot be negative.")
        done = requeue_stalled_tasks(timedelta(minutes=minutes))
        for item in done:
            again = f"queued again as {item.new_id}" if item.new_id else "not queued again: the task no longer exists"
            self.stdout.write(f"Task {item.stalled_id} ({item.task_path}): marked failed, {again}")
        self.stdout.write(
            self.style.SUCCESS(f"Stalled tasks: {len(done)} (running for more than {minutes:g} minutes).")
        )
