"""The scheduled jobs and when each is due; ``enqueue_due_jobs`` queues the ones due now, each time once.

Every job is a management command that is safe to run twice, so cron can run the same commands instead
(docs/jobs.md lists a crontab line per job). Times are the service's local time (``TIME_ZONE``), kept out of
01:00 to 02:00, where the clocks change.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs.models import JobRun

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
# Run records older than this are deleted as new ones are made.
KEEP_RUNS = timedelta(days=90)


@dataclass(frozen=True)
class Job:
    """A command run every ``every`` (a whole number of them in a day), ``at`` after the start of each period
    counted from local midnight: daily at 06:00 is ``every=DAY, at=6 * HOUR``. A run missed (no scheduler was
    running) is made up while less than ``catch_up`` has passed since its time (default: until the next one)."""

    name: str
    command: tuple[str, ...]
    every: timedelta
    at: timedelta
    what: str
    catch_up: timedelta | None = field(default=None)

    def due(self, now: datetime) -> datetime | None:
        """The time of the latest run due at ``now`` (aware), or None when that one is too late to make up."""
        wall = timezone.localtime(now).replace(tzinfo=None)
        midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
        slot = midnight + self.at + ((wall - midnight - self.at) // self.every) * self.every
        if wall - slot >= (self.catch_up or self.every):
            return None
        return timezone.make_aware(slot)


JOBS: tuple[Job, ...] = (
    Job(
        "requeue_stalled_tasks",
        ("requeue_stalled_tasks",),
        every=15 * MINUTE,
        at=5 * MINUTE,
        what="Queues again the tasks whose worker stopped while running them (killed, or its machine stopped).",
    ),
    Job(
        "send_survey_links",
        ("send_survey_links",),
        every=15 * MINUTE,
        at=0 * MINUTE,
        what="Emails the reporting-centre survey link to each person who reported at a centre and agreed to it.",
    ),
    Job(
        "retry_failed_messages",
        ("retry_failed_messages",),
        every=15 * MINUTE,
        at=10 * MINUTE,
        what="Sends again each email that failed, or was left queued or half-sent for 15 minutes.",
    ),
    Job(
        "send_daily_digest",
        ("send_daily_digest",),
        every=DAY,
        at=7 * HOUR,
        catch_up=4 * HOUR,
        what="Emails each facilitator and caseworker their deadlines due today or overdue and actions due in 7 days.",
    ),
    Job(
        "write_letter_files",
        ("write_letter_files", "--older-than-minutes", "10"),
        every=HOUR,
        at=10 * MINUTE,
        what="Writes the files of letters still pending after 10 minutes, or that could not be written.",
    ),
    Job(
        "refresh_performance_summary",
        ("refresh_performance_summary",),
        every=HOUR,
        at=20 * MINUTE,
        what="Counts every case into the performance page's summary tables, so the page reads whole months from them.",
    ),
    # Hourly, and at :40 (away from the performance summary's :20): why, in insights.snapshots.
    Job(
        "refresh_return_snapshots",
        ("refresh_return_snapshots",),
        every=HOUR,
        at=40 * MINUTE,
        what="Counts the two quarterly returns, this quarter's and the last, for each partnership and for all.",
    ),
    Job(
        "sweep_letter_files",
        ("sweep_letter_files", "--delete"),
        every=DAY,
        at=2 * HOUR + 30 * MINUTE,
        what="Deletes stored letter files that no letter points at, older than 24 hours.",
    ),
    Job(
        "purge_idempotency_keys",
        ("purge_idempotency_keys",),
        every=DAY,
        at=2 * HOUR + 45 * MINUTE,
        what="Deletes the API's remembered Idempotency-Key answers older than RJ_API_IDEMPOTENCY_HOURS.",
    ),
    Job(
        "queue_retention_reviews",
        ("queue_retention_reviews",),
        every=DAY,
        at=2 * HOUR + 10 * MINUTE,
        what="Queues for the managers' review each case whose retention date has come (each case once).",
    ),
    Job(
        "publish_audit_heads",
        ("publish_audit_heads",),
        every=DAY,
        at=2 * HOUR + 20 * MINUTE,
        what="Writes the head of each audit chain to the application log, so a later rewrite shows.",
    ),
    Job(
        "prune_db_task_results",
        ("prune_db_task_results", "--min-age-days", "14"),
        every=DAY,
        at=3 * HOUR,
        what="Deletes the records of tasks that finished more than 14 days ago.",
    ),
)


def job_named(name: str) -> Job:
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(f"No scheduled job is called {name!r}.")


def scheduler_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def enqueue_due_jobs(now: datetime | None = None, jobs: tuple[Job, ...] | None = None) -> list[JobRun]:
    """Queue each job whose time has come and is not recorded yet; returns the runs queued by this call.

    The run's record and its task row are written in one transaction (django-tasks-db queues in the same
    database), so a scheduler stopped half-way leaves neither. Two schedulers at the same moment: the unique
    (job, time) lets one insert and the other's insert fail, and that one queues nothing.
    """
    from jobs.tasks import run_job  # the task module imports this one for the job table

    now = now or timezone.now()
    queued = []
    for job in JOBS if jobs is None else jobs:
        slot = job.due(now)
        if slot is None or JobRun.objects.filter(job=job.name, scheduled_for=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=job.name, scheduled_for=slot, scheduler=scheduler_name())
                run.task_id = str(run_job.enqueue(job.name).id)
                run.save(update_fields=["task_id"])
                JobRun.objects.filter(job=job.name, scheduled_for__lt=slot - KEEP_RUNS).delete()
        except IntegrityError:  # another scheduler recorded this time first: it queued the job
            continue
        queued.append(run)
    return queued
