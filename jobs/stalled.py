"""Tasks lost with their worker.

django-tasks-db marks a task "running" when a worker claims it and "successful" or "failed" when it ends; a worker
killed in between (SIGKILL, out of memory, the machine stopped) leaves the task "running" for ever, and no worker
picks it up again (django-tasks issue #46, open). ``requeue_stalled_tasks`` marks such a task failed, saying so,
and queues a new task with the same arguments. Every task of this service is idempotent (a letter whose file is
written is skipped), so running one again after a worker that did the work but died before saying so is safe.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class WorkerLost(Exception):
    """Recorded as the error of a task that was still running when its worker stopped."""


@dataclass(frozen=True)
class Requeued:
    stalled_id: str
    task_path: str
    new_id: str | None  # None: the task no longer exists in the code, so it was only marked failed


def requeue_stalled_tasks(older_than: timedelta) -> list[Requeued]:
    """Every task still running ``older_than`` after it started: marked failed (``WorkerLost``) and queued again."""
    cutoff = timezone.now() - older_than
    done = []
    for stalled_id in DBTaskResult.objects.running().filter(started_at__lte=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            # Locked and checked again: another run of this command, or the worker finishing after all.
            stalled = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .running()
                .filter(pk=stalled_id, started_at__lte=cutoff)
                .first()
            )
            if stalled is None:
                continue
            workers = ", ".join(stalled.worker_ids) or "unknown"
            stalled.set_failed(
                WorkerLost(f"Still running {older_than} after it started; its worker ({workers}) stopped.")
            )
            try:
                task = stalled.task
            except ImportError:
                logger.warning(
                    "Stalled task %s (%s) no longer exists: marked failed only", stalled.pk, stalled.task_path
                )
                done.append(Requeued(str(stalled.pk), stalled.task_path, None))
                continue
            args = stalled.args_kwargs
            new = task.enqueue(*args["args"], **args["kwargs"])
            done.append(Requeued(str(stalled.pk), stalled.task_path, str(new.id)))
    return done
