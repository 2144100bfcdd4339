from django.db import models
from django.utils import timezone


class JobRun(models.Model):
    """One scheduled time of one job, recorded by the scheduler that queued it.

    The pair (job, scheduled_for) is unique: a second scheduler, or one restarted on the same day, finds the
    time taken and queues nothing, so a daily job runs once a day. What the run did is on its task
    (``task_id``, a django-tasks-db result in the admin's "Task results").
    """

    job = models.CharField(max_length=64)
    scheduled_for = models.DateTimeField(help_text="The time the job was due (its slot), not when it was queued")
    enqueued_at = models.DateTimeField(default=timezone.now)
    task_id = models.CharField(max_length=64, blank=True)
    scheduler = models.CharField(max_length=100, blank=True, help_text="host:process of the scheduler that queued it")

    class Meta:
        ordering = ["-scheduled_for", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "scheduled_for"], name="one_run_per_job_and_time")]

    def __str__(self) -> str:
        return f"{self.job} due {timezone.localtime(self.scheduled_for):%Y-%m-%d %H:%M}"
