"""Scheduled jobs and the health of the task queue: wiring, not domain.

``schedule`` names each job (a management command, safe to run twice) and when it runs; ``run_scheduler``
queues each one as a task at its time, once per time however many schedulers run (``models.JobRun``); ``tasks``
runs a job's command in the worker; ``stalled`` finds tasks whose worker died and queues them again. See
docs/jobs.md. No services, selectors, forms, views or urls: nothing here is a page or a user's action.
"""
