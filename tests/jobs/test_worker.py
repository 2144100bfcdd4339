"""The real worker (``manage.py db_worker``, django-tasks-db) in its own process, against the test's database:
PostgreSQL in the PostgreSQL pass, and in the SQLite pass a file copy of the test database (the embedded
default's queue).

A worker killed with SIGKILL in the middle of rendering leaves its letters pending (no file stored, no row
saying written) and its task "running"; no worker runs that task again by itself (django-tasks issue #46), so
``requeue_stalled_tasks`` queues it again, and the next worker renders each letter exactly once.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.walk import refer, to_assessment

pytestmark = [pytest.mark.letter_files, pytest.mark.django_db(transaction=True)]
ROOT = Path(django_settings.BASE_DIR)
WORKER = ["--no-reload", "--no-startup-delay", "--interval", "0.1", "--queue-name=*", "-v", "0"]


class Database:
    """The test's database as another process sees it: its URL, and plain SQL read from it."""

    def __init__(self, tmp_path: Path):
        self.sqlite_file = None
        if connection.vendor == "sqlite":  # in memory: the worker gets a file copy, and is read back from it
            self.sqlite_file = tmp_path / "queue.sqlite3"
            connection.ensure_connection()
            copy = sqlite3.connect(self.sqlite_file)
            connection.connection.backup(copy)
            copy.close()
            self.url = f"sqlite:///{self.sqlite_file}"
        else:
            parts = urlsplit(os.environ["DATABASE_URL"])
            self.url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))

    def rows(self, sql: str) -> list[tuple]:
        if self.sqlite_file:
            with sqlite3.connect(self.sqlite_file) as reader:
                return reader.execute(sql).fetchall()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def letters(self) -> list[tuple]:
        return self.rows("SELECT file_status, file FROM letters_letter ORDER BY id")

    def tasks(self) -> list[tuple]:
        """The letters' tasks (the move queues its emails' tasks too, which the worker also runs)."""
        return self.rows(
            f"SELECT status, exception_class_path FROM {DBTaskResult._meta.db_table} "
            "WHERE task_path = 'letters.tasks.write_letter_files' ORDER BY enqueued_at, status"
        )

    def written_at(self) -> int:
        """How many letters say when their file was written (set by the update that marks it written)."""
        return self.rows("SELECT COUNT(*) FROM letters_letter WHERE file_written_at IS NOT NULL")[0][0]


def environment(database: Database, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database.url,
        "DJANGO_MEDIA_ROOT": str(media),
        "RJ_TASKS_BACKEND": "database",
        "RJ_LETTER_FILES": "1",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in (media / "letters").rglob("*") if path.is_file()) if media.exists() else []


def renders(gate: Path) -> list[str]:
    log = gate / "renders.log"
    return log.read_text().split()[::2] if log.exists() else []


def run(env, *args, timeout=240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, timeout=timeout, capture_output=True, text=True)


def test_a_worker_killed_mid_render_leaves_the_letters_pending_and_the_next_renders_each_once(
    settings, tmp_path, police_referrer, manager, facilitator
):
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["database"]}}
    case = to_assessment(refer(police_referrer), manager, facilitator)  # its letters' task queued on commit
    count = case.letters.count()
    assert count >= 2
    database, media, gate = Database(tmp_path), tmp_path / "worker-media", tmp_path / "gate"
    gate.mkdir()
    env = environment(database, media)
    assert database.tasks() == [("READY", "")]

    worker = subprocess.Popen([sys.executable, "-m", "tests.jobs.gated_worker", str(gate), *WORKER], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 240
        while not (gate / "rendering").exists():
            assert worker.poll() is None, "the worker stopped before rendering"
            assert time.monotonic() < deadline, "the worker never started rendering"
            time.sleep(0.05)
        assert database.tasks() == [("RUNNING", "")]
        worker.send_signal(signal.SIGKILL)  # in the middle of rendering the first letter
    finally:
        worker.kill()
        worker.wait(timeout=60)

    assert renders(gate) == ["start"]
    assert database.letters() == [("pending", "")] * count  # no row says written
    assert stored_files(media) == []  # and no file, whole or half
    assert database.written_at() == 0
    assert database.tasks() == [("RUNNING", "")]  # lost with its worker

    (gate / "release").touch()
    batch = run(env, "-m", "tests.jobs.gated_worker", str(gate), *WORKER, "--batch")
    assert batch.returncode == 0, batch.stderr
    assert renders(gate) == ["start"]  # the next worker does not run a task left "running"
    assert database.letters() == [("pending", "")] * count

    requeue = run(env, "manage.py", "requeue_stalled_tasks", "--older-than-minutes", "0")
    assert requeue.returncode == 0, requeue.stderr
    assert "Stalled tasks: 1" in requeue.stdout
    batch = run(env, "-m", "tests.jobs.gated_worker", str(gate), *WORKER, "--batch")
    assert batch.returncode == 0, batch.stderr

    assert renders(gate) == ["start"] + ["start", "done"] * count  # each letter rendered once
    letters = database.letters()
    assert [status for status, _ in letters] == ["written"] * count
    assert stored_files(media) == sorted(media / name for _, name in letters)  # one file each, nothing else
    assert database.written_at() == count
    assert database.tasks() == [("FAILED", "jobs.stalled.WorkerLost"), ("SUCCESSFUL", "")]
