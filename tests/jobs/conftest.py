import pytest


@pytest.fixture
def database_queue(settings):
    """Tasks queued in the database (django-tasks-db), as in production and the embedded default, and not run:
    a test sees the queue's rows."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
