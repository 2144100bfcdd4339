"""The task that runs a scheduled job's command in the worker.

It returns the command's last line (its summary: counts, never a person's details), which django-tasks-db keeps
as the task's return value; a command that fails fails the task, with its traceback on the task's record.
"""

from __future__ import annotations

import io

from django.core.management import call_command
from django.tasks import task

from jobs.schedule import job_named


@task
def run_job(name: str) -> dict[str, str]:
    """Run the scheduled job called ``name`` (see ``jobs.schedule.JOBS``)."""
    job = job_named(name)
    output = io.StringIO()
    call_command(*job.command, stdout=output, stderr=output)
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    return {"job": name, "summary": lines[-1] if lines else ""}
