"""The scheduler: each job's time, queued once however often it checks and however many schedulers run, the
run's record and its task written together, and the job's command run by the worker's task."""

import io
import threading
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command, get_commands
from django.db import connection
from django_tasks_db.models import DBTaskResult

from jobs import schedule
from jobs.models import JobRun
from jobs.schedule import DAY, HOUR, JOBS, MINUTE, Job, enqueue_due_jobs
from jobs.tasks import run_job

LONDON = ZoneInfo("Europe/London")
DAILY_AT_SIX = Job("daily", ("purge_idempotency_keys",), every=DAY, at=6 * HOUR, what="a daily job")


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


def runs() -> list[tuple[str, datetime]]:
    return sorted(JobRun.objects.values_list("job", "scheduled_for"))


# ---------------------------------------------------------------------------------------------------
# When a job is due


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (at(2026, 12, 2, 6, 0), at(2026, 12, 2, 6, 0)),
        (at(2026, 12, 2, 23, 59), at(2026, 12, 2, 6, 0)),
        (at(2026, 12, 2, 5, 59), at(2026, 12, 1, 6, 0)),  # before today's time: yesterday's is the latest
        (at(2026, 3, 29, 6, 0), at(2026, 3, 29, 6, 0)),  # the day the clocks go forward (23 hours long)
        (at(2026, 10, 25, 6, 30), at(2026, 10, 25, 6, 0)),  # the day they go back (25 hours long)
    ],
)
def test_a_daily_job_is_due_at_its_local_time(now, due):
    assert DAILY_AT_SIX.due(now) == due


def test_an_hourly_job_and_a_quarter_hourly_one():
    hourly = Job("hourly", ("x",), every=HOUR, at=10 * MINUTE, what="")
    quarterly = Job("quarterly", ("x",), every=15 * MINUTE, at=5 * MINUTE, what="")
    assert hourly.due(at(2026, 12, 2, 14, 9)) == at(2026, 12, 2, 13, 10)
    assert hourly.due(at(2026, 12, 2, 14, 10)) == at(2026, 12, 2, 14, 10)
    assert quarterly.due(at(2026, 12, 2, 14, 4)) == at(2026, 12, 2, 13, 50)
    assert quarterly.due(at(2026, 12, 2, 14, 21)) == at(2026, 12, 2, 14, 20)


def test_a_run_too_late_to_make_up_is_not_due():
    morning = Job("morning", ("x",), every=DAY, at=7 * HOUR, what="", catch_up=4 * HOUR)
    assert morning.due(at(2026, 12, 2, 10, 59)) == at(2026, 12, 2, 7, 0)
    assert morning.due(at(2026, 12, 2, 11, 0)) is None
    assert morning.due(at(2026, 12, 3, 6, 0)) is None


@pytest.mark.no_db
def test_every_job_names_a_command_that_exists_and_a_time_clear_of_the_clock_change():
    commands = get_commands()
    assert len({job.name for job in JOBS}) == len(JOBS)
    for job in JOBS:
        assert job.command[0] in commands, job.name
        assert DAY % job.every == timedelta(0), job.name
        if job.every == DAY:
            assert not HOUR <= job.at < 2 * HOUR, job.name


# ---------------------------------------------------------------------------------------------------
# Once per time


def test_checking_twice_on_the_same_day_queues_each_job_once(db, database_queue):
    first = enqueue_due_jobs(at(2026, 12, 2, 9, 0))
    second = enqueue_due_jobs(at(2026, 12, 2, 9, 0, 30))
    assert sorted(run.job for run in first) == sorted(job.name for job in JOBS)
    assert second == []
    assert JobRun.objects.count() == DBTaskResult.objects.count() == len(JOBS)
    assert sorted(DBTaskResult.objects.values_list("args_kwargs__args", flat=True)) == sorted(
        [job.name] for job in JOBS
    )
    assert {str(run.task_id) for run in JobRun.objects.all()} == {
        str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)
    }


def test_a_restarted_scheduler_queues_only_what_came_due_since(db, database_queue):
    enqueue_due_jobs(at(2026, 12, 2, 9, 0))
    later = enqueue_due_jobs(at(2026, 12, 2, 10, 20))  # the hourly and quarter-hourly ones, not the daily ones
    assert sorted(run.job for run in later) == [
        "refresh_performance_summary",
        "refresh_return_snapshots",
        "requeue_stalled_tasks",
        "retry_failed_messages",
        "send_survey_links",
        "write_letter_files",
    ]
    next_day = enqueue_due_jobs(at(2026, 12, 3, 3, 1))  # yesterday's 07:00 digest is too late to make up
    assert sorted(run.job for run in next_day) == sorted(job.name for job in JOBS if job.name != "send_daily_digest")
    assert [due for job, due in runs() if job == "purge_idempotency_keys"] == [
        at(2026, 12, 2, 2, 45),
        at(2026, 12, 3, 2, 45),
    ]


def test_a_time_another_scheduler_recorded_is_not_queued_again(db, database_queue):
    JobRun.objects.create(job="daily", scheduled_for=at(2026, 12, 2, 6, 0), scheduler="other-host:1")
    assert enqueue_due_jobs(at(2026, 12, 2, 9, 0), jobs=(DAILY_AT_SIX,)) == []
    assert not DBTaskResult.objects.exists()


def test_a_failure_to_queue_records_no_run_so_the_next_check_queues_it(db, database_queue, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(type(run_job), "enqueue", refuse)
    with pytest.raises(RuntimeError):
        enqueue_due_jobs(at(2026, 12, 2, 9, 0), jobs=(DAILY_AT_SIX,))
    assert not JobRun.objects.exists()
    monkeypatch.undo()
    assert [run.job for run in enqueue_due_jobs(at(2026, 12, 2, 9, 1), jobs=(DAILY_AT_SIX,))] == ["daily"]


def test_records_older_than_90_days_are_deleted_as_new_ones_are_made(db, database_queue):
    JobRun.objects.create(job="daily", scheduled_for=at(2026, 8, 1, 6, 0))
    JobRun.objects.create(job="daily", scheduled_for=at(2026, 11, 1, 6, 0))
    enqueue_due_jobs(at(2026, 12, 2, 9, 0), jobs=(DAILY_AT_SIX,))
    assert [due for _, due in runs()] == [at(2026, 11, 1, 6, 0), at(2026, 12, 2, 6, 0)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_the_same_moment_queue_each_job_once(database_queue):
    assert connection.vendor == "postgresql"
    now, barrier, queued, errors = at(2026, 12, 2, 9, 0), threading.Barrier(2), [], []

    def scheduler():
        try:
            barrier.wait()
            queued.extend(run.job for run in enqueue_due_jobs(now))
        except Exception as error:  # pragma: no cover - shown by the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(queued) == sorted(job.name for job in JOBS)
    assert JobRun.objects.count() == DBTaskResult.objects.count() == len(JOBS)


# ---------------------------------------------------------------------------------------------------
# The task and the command


def test_the_task_runs_the_jobs_command_and_keeps_its_summary(db):
    result = run_job.enqueue("purge_idempotency_keys")  # the immediate backend: run at once
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {
        "job": "purge_idempotency_keys",
        "summary": "Deleted 0 idempotency key(s) older than 24 hours.",
    }


def test_a_job_that_fails_fails_its_task(db, monkeypatch):
    broken = Job("broken", ("write_letter_files", "--older-than-minutes", "-1"), every=DAY, at=6 * HOUR, what="")
    monkeypatch.setattr(schedule, "JOBS", (*JOBS, broken))
    result = run_job.enqueue("broken")
    assert result.status == "FAILED"
    assert "cannot be negative" in result.errors[0].traceback


def test_run_scheduler_once_queues_what_is_due_and_says_so(db, database_queue, monkeypatch):
    monkeypatch.setattr(schedule.timezone, "now", lambda: at(2026, 12, 2, 9, 0))  # every job due, the digest too
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(JOBS) == JobRun.objects.count()
    assert all(line.startswith("Queued ") and " as task " in line for line in lines)
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert out.getvalue() == ""


@pytest.mark.no_db
def test_docs_jobs_lists_every_job_with_its_command_and_crontab_line():
    text = (Path(django_settings.BASE_DIR) / "docs" / "jobs.md").read_text()
    for job in JOBS:
        assert f"| `{job.name}` |" in text, job.name
        assert f"manage.py {' '.join(job.command)}\n" in text, job.name
