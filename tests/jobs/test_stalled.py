"""A task whose worker died while running it: django-tasks-db leaves it "running" and never runs it again, so
``requeue_stalled_tasks`` marks it failed (saying why) and queues it again, once."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from letters.tasks import write_letter_files


def claimed(started_minutes_ago: float, worker: str = "dead-worker") -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=write_letter_files.enqueue([41, 42]).id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - timedelta(minutes=started_minutes_ago))
    return row


def test_a_task_running_too_long_is_marked_failed_and_queued_again_once(db, database_queue):
    stalled, recent = claimed(45), claimed(5, worker="live-worker")
    out = io.StringIO()
    call_command("requeue_stalled_tasks", stdout=out)  # RJ_TASKS_STALLED_MINUTES: 30
    stalled.refresh_from_db()
    assert (stalled.status, stalled.exception_class_path) == ("FAILED", "jobs.stalled.WorkerLost")
    assert "its worker (dead-worker) stopped" in stalled.traceback
    [again] = DBTaskResult.objects.ready()
    assert (again.task_path, again.args_kwargs) == (
        "letters.tasks.write_letter_files",
        {"args": [[41, 42]], "kwargs": {}},
    )
    assert DBTaskResult.objects.get(pk=recent.pk).status == "RUNNING"  # its worker may well be alive
    assert out.getvalue().splitlines() == [
        f"Task {stalled.pk} (letters.tasks.write_letter_files): marked failed, queued again as {again.pk}",
        "Stalled tasks: 1 (running for more than 30 minutes).",
    ]
    call_command("requeue_stalled_tasks", stdout=io.StringIO())
    assert DBTaskResult.objects.ready().count() == 1


def test_a_task_that_no_longer_exists_is_only_marked_failed(db, database_queue):
    stalled = claimed(45)
    DBTaskResult.objects.filter(pk=stalled.pk).update(task_path="letters.tasks.gone")
    out = io.StringIO()
    call_command("requeue_stalled_tasks", "--older-than-minutes", "40", stdout=out)
    assert DBTaskResult.objects.get(pk=stalled.pk).status == "FAILED"
    assert not DBTaskResult.objects.ready().exists()
    assert "not queued again: the task no longer exists" in out.getvalue()


def test_a_finished_task_is_left_alone(db, database_queue):
    finished = claimed(45)
    finished.set_successful({"written": [41, 42]})
    call_command("requeue_stalled_tasks", "--older-than-minutes", "0", stdout=io.StringIO())
    assert DBTaskResult.objects.get(pk=finished.pk).status == "SUCCESSFUL"
    assert DBTaskResult.objects.count() == 1
