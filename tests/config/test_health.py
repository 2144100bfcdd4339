"""/healthz and /readyz: open to a load balancer, each readiness check named and timed, 503 naming what failed."""

import json

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.files.storage import storages
from django.db import connection

from config import health
from rjcases.models import ReadAccess

pytestmark = pytest.mark.django_db


def body(response) -> dict:
    return json.loads(response.content)


def test_healthz_says_the_process_is_alive_and_nothing_more(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response) == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_each_check_with_its_time(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    answer = body(response)
    assert answer["status"] == "ok"
    assert set(answer["checks"]) == {"database", "cache", "storage"}  # no task queue in the database here
    for result in answer["checks"].values():
        assert result["ok"] is True
        assert isinstance(result["ms"], float)
        assert result["ms"] >= 0


def test_readyz_checks_the_task_queue_table_when_django_tasks_db_is_the_backend(client, settings):
    settings.TASKS = {"default": {"BACKEND": health.TASKS_DB_BACKEND}}
    assert "task_queue" in health.checks_to_run()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert "task_queue" not in health.checks_to_run()


@pytest.mark.skipif(not apps.is_installed("django_tasks_db"), reason="django-tasks-db is not the task backend yet")
def test_the_task_queue_check_reads_django_tasks_dbs_table(django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        health.check_task_queue()
    assert "dbtaskresult" in captured.captured_queries[0]["sql"]


def test_a_failing_check_is_a_503_naming_it_and_revealing_nothing_of_why(client, monkeypatch, caplog):
    def unreachable():
        raise ConnectionError("cache.internal.example:6379 refused the connection")

    monkeypatch.setitem(health.CHECKS, "cache", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    answer = body(response)
    assert answer["status"] == "failing"
    assert answer["failing"] == ["cache"]
    assert answer["checks"]["cache"]["ok"] is False
    assert answer["checks"]["database"]["ok"] is True
    assert "internal" not in response.content.decode()
    assert "readiness check cache failed: ConnectionError" in caplog.text


def test_the_cache_check_fails_when_the_cache_loses_what_it_was_given(monkeypatch):
    monkeypatch.setattr(caches["default"], "get", lambda key, default=None: None)
    ready, results = health.run_checks({"cache": health.check_cache})
    assert not ready
    assert results["cache"]["ok"] is False


def test_the_storage_check_asks_the_letter_store(monkeypatch):
    asked = []
    monkeypatch.setattr(storages["letters"], "listdir", lambda name: asked.append(name) or ([], []))
    assert health.run_checks({"storage": health.check_storage})[0] is True
    assert asked == ["letters"]

    def unreachable(name):
        raise ConnectionError("bucket.internal did not answer")

    monkeypatch.setattr(storages["letters"], "listdir", unreachable)
    ready, results = health.run_checks({"storage": health.check_storage})
    assert ready is False
    assert results["storage"]["ok"] is False


def test_the_database_check_fails_when_the_query_fails(monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise RuntimeError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    ready, results = health.run_checks({"database": health.check_database})
    assert not ready
    assert results == {"database": {"ok": False, "ms": results["database"]["ms"]}}


def test_health_needs_no_host_https_session_or_csrf_and_is_not_an_access(client, settings, manager):
    settings.ALLOWED_HOSTS = ["rj.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    client.force_login(manager)
    for path in ("/healthz", "/readyz", "/readyz/"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response
        assert "X-Request-ID" not in response  # not logged as a request either
    assert client.head("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
    assert not ReadAccess.objects.exists()
    # Anything else still gets the host check and the redirect.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7").status_code == 400


def test_only_get_and_head_are_answered(client):
    assert client.post("/readyz").status_code != 200
