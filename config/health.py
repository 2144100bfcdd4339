"""Health checks for load balancers and orchestrators: ``/healthz`` (alive) and ``/readyz`` (ready for traffic).

- ``GET /healthz``: the process answers. 200 ``{"status": "ok"}``; touches nothing else, so a slow database
  never gets a healthy process restarted.
- ``GET /readyz``: each check below runs in turn and reports whether it passed and its time in ms. All pass:
  200. Any fails: 503 with ``"failing"`` naming the checks that failed, so the load balancer stops sending this
  server requests until it recovers. Why a check failed (the exception, which may name hosts) goes to the log
  (logger ``rj.health``), never into the answer.

Both are answered by ``HealthCheckMiddleware``, first in ``MIDDLEWARE``: before the host check, the HTTPS
redirect, sessions, authentication, CSRF, the access line and the read access log. A load balancer calls by
the server's address over plain HTTP, with no cookie, so these answer on any host and over HTTP; they reveal
nothing but the names of the checks (no versions, no host names, no counts) and are never cached.

The checks (``CHECKS``; each raises on failure, so a new one is a function added there):

- ``database``: ``SELECT 1`` on the default database.
- ``cache``: a short-lived key written to and read back from the default cache (Redis when ``RJ_CACHE_URL``
  is set).
- ``storage``: the letter store (``STORAGES["letters"]``) answers one cheap question
  (``letters.storage.storage_ready``): for a bucket, one request to it.
- ``task_queue``: when a ``TASKS`` backend is django-tasks-db's, its table can be read. Read from the settings at
  each call; with no queue in the database (the immediate backend), there is no such check.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpResponse

from letters.storage import storage_ready

logger = logging.getLogger("rj.health")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
TASKS_DB_BACKEND = "django_tasks_db.DatabaseBackend"


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache = caches["default"]
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was just written to it")
    cache.delete(key)


def check_storage() -> None:
    """The letter store answers (``letters.storage.storage_ready``: one listing of the letters folder)."""
    answer = storage_ready()
    if not answer.ok:
        raise OSError(f"the letter store did not answer ({answer.error})")


def task_queue_configured() -> bool:
    return any(backend.get("BACKEND") == TASKS_DB_BACKEND for backend in getattr(settings, "TASKS", {}).values())


def check_task_queue() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.only("pk").exists()


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "task_queue": check_task_queue,
}


def checks_to_run() -> dict[str, Callable[[], None]]:
    """The checks that apply to this configuration (the task queue only when it is in the database)."""
    return {name: check for name, check in CHECKS.items() if name != "task_queue" or task_queue_configured()}


def run_checks(checks: dict[str, Callable[[], None]] | None = None) -> tuple[bool, dict]:
    """Run each check; (all passed, {name: {"ok": bool, "ms": float}})."""
    results = {}
    for name, check in (checks if checks is not None else checks_to_run()).items():
        started = time.perf_counter()
        try:
            check()
            ok = True
        except Exception as error:  # any failure of a dependency is "not ready", never a 500
            ok = False
            logger.warning(
                "readiness check %s failed: %s: %s",
                name,
                type(error).__qualname__,
                error,
                extra={"fields": {"check": name}},
            )
        results[name] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
    return all(result["ok"] for result in results.values()), results


def readiness() -> tuple[int, dict]:
    """The ``/readyz`` status and body."""
    ready, results = run_checks()
    if ready:
        return 200, {"status": "ok", "checks": results}
    failing = [name for name, result in results.items() if not result["ok"]]
    return 503, {"status": "failing", "failing": failing, "checks": results}


def _answer(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers ``/healthz`` and ``/readyz`` (GET or HEAD) before anything else in the stack runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info.rstrip("/")
        if path in (HEALTH_PATH, READY_PATH) and request.method in ("GET", "HEAD"):
            if path == HEALTH_PATH:
                return _answer(200, {"status": "ok"})
            return _answer(*readiness())
        return self.get_response(request)
