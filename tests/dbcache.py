"""Test databases made from a migrated copy instead of by migrating each time.

Migrating a fresh test database costs about 40 s of CPU (Django renders the migration state of every migration
again), and every pytest-xdist worker of every run paid it. Here the first test database made from a given set
of migrations is kept, and the next ones are copies of it:

- SQLite (in memory): the migrated database is written to a file named by its key (SQLite's backup API), and
  later test databases are filled from that file.
- PostgreSQL: the migrated database becomes a template database ``<test name>_tpl_<key>``, and later test
  databases are ``CREATE DATABASE ... TEMPLATE`` of it (a file copy inside the server).

The key is a digest of every installed app's migration files, the modules that write data after ``migrate``
(roles, the working-day calendar, the shipped letter wording) and the database's vendor: change any of
them and the next run migrates afresh. After a copy, ``post_migrate`` is sent again, as a real ``migrate`` would,
so whatever those receivers write is current whatever the copy holds (they are idempotent).

The PostgreSQL templates can be turned off alone with ``RJ_TEST_DB_TEMPLATES=0``; everything is off with
``RJ_TEST_DB_CACHE=0`` (then every test database is migrated, as Django does).
SQLite copies live in ``RJ_TEST_DB_CACHE_DIR`` (default: the system's temporary folder).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation
from django.db.backends.sqlite3.creation import DatabaseCreation as SqliteCreation
from django.db.utils import DatabaseError

ROOT = Path(__file__).resolve().parent.parent
# Modules whose post_migrate receivers write rows: part of the key, so a changed receiver is not hidden by a copy.
DATA_MODULES = ["accounts/roles.py", "rjcases/calendar.py", "letters/wording.py", "letters/services.py"]


def enabled() -> bool:
    return os.environ.get("RJ_TEST_DB_CACHE", "1") != "0"


def key(connection) -> str:
    digest = hashlib.sha256()
    files = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            files += sorted(folder.glob("*.py"))
    files += [ROOT / name for name in DATA_MODULES]
    for path in files:
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    digest.update(connection.vendor.encode())
    return digest.hexdigest()[:16]


def _resend_post_migrate(connection) -> None:
    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)


def _use(creation, name: str) -> None:
    """What Django's ``create_test_db`` does once the database exists: point the connection at it."""
    creation.connection.close()
    settings.DATABASES[creation.connection.alias]["NAME"] = name
    creation.connection.settings_dict["NAME"] = name
    creation.connection.ensure_connection()


# ---------------------------------------------------------------------------------------------------
# SQLite


_sqlite_create = SqliteCreation.create_test_db


def sqlite_create_test_db(self, verbosity=1, autoclobber=False, serialize=None, keepdb=False):
    name = self._get_test_db_name()
    if not enabled() or keepdb or serialize is not None or not self.is_in_memory_db(name):
        return _sqlite_create(self, verbosity, autoclobber, serialize, keepdb)
    folder = Path(os.environ.get("RJ_TEST_DB_CACHE_DIR", tempfile.gettempdir())) / "rjcases-test-databases"
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / f"{key(self.connection)}.sqlite3"
    with open(folder / f"{copy.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers starting together: one migrates, the others wait for it
        if not copy.exists():
            made = _sqlite_create(self, verbosity, autoclobber, serialize, keepdb)
            partial = copy.with_suffix(f".{os.getpid()}.partial")
            target = sqlite3.connect(partial)
            try:
                self.connection.connection.backup(target)
            finally:
                target.close()
            os.replace(partial, copy)
            return made
    _use(self, name)
    source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        source.backup(self.connection.connection)
    finally:
        source.close()
    _resend_post_migrate(self.connection)
    return name


# ---------------------------------------------------------------------------------------------------
# PostgreSQL


_postgres_create = PostgresCreation.create_test_db


def _template_exists(creation, template: str) -> bool:
    with creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        return cursor.fetchone() is not None


def _copy_database(creation, source: str, target: str, *, drop_target: bool) -> None:
    quote = creation.connection.ops.quote_name
    for attempt in range(60):  # a template being copied by another worker at this moment refuses a second copy
        try:
            with creation._nodb_cursor() as cursor:
                if drop_target:
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")
            return
        except DatabaseError as error:
            if "already exists" in str(error) and not drop_target:
                return  # another worker made the same template from the same migrations
            if "being accessed by other users" not in str(error) or attempt == 59:
                raise
            time.sleep(0.5)


def _drop_stale_templates(creation, current: str) -> None:
    """Templates of earlier migrations (same test database name, another key) are of no further use."""
    prefix = current.rsplit("_tpl_", 1)[0] + "_tpl_"
    quote = creation.connection.ops.quote_name
    with creation._nodb_cursor() as cursor:
        cursor.execute(
            "SELECT datname FROM pg_database WHERE starts_with(datname, %s) AND datname <> %s", [prefix, current]
        )
        stale = [row[0] for row in cursor.fetchall()]
        for name in stale:
            try:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            except DatabaseError:
                pass  # in use by another run at this moment: the next run drops it


def _template_name(creation) -> str:
    """One template for every xdist worker (their test databases are ``test_<name>_gw0``, ``_gw1``, ...)."""
    return f"test_{creation.connection.settings_dict['NAME'][:30]}_tpl_{key(creation.connection)}"


@contextmanager
def _template_lock(template: str):
    """Held while a template is looked for and, if missing, made: xdist workers starting together (and
    ``prepare_postgres_template``) wait for the one that migrates, then copy its template."""
    folder = Path(os.environ.get("RJ_TEST_DB_CACHE_DIR", tempfile.gettempdir())) / "rjcases-test-databases"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{template}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def postgres_create_test_db(self, verbosity=1, autoclobber=False, serialize=None, keepdb=False):
    if not enabled() or keepdb or serialize is not None:
        return _postgres_create(self, verbosity, autoclobber, serialize, keepdb)
    name = self._get_test_db_name()
    template = _template_name(self)
    with _template_lock(template):
        if not _template_exists(self, template):
            made = _postgres_create(self, verbosity, autoclobber, serialize, keepdb)
            self.connection.close()  # a template must have no connections while it is copied
            _copy_database(self, made, template, drop_target=False)
            _drop_stale_templates(self, template)
            self.connection.ensure_connection()
            return made
    _copy_database(self, template, name, drop_target=True)
    _use(self, name)
    _resend_post_migrate(self.connection)
    return name


def install() -> None:
    SqliteCreation.create_test_db = sqlite_create_test_db
    if os.environ.get("RJ_TEST_DB_TEMPLATES", "1") != "0":  # PostgreSQL templates: RJ_TEST_DB_TEMPLATES=0 turns off
        PostgresCreation.create_test_db = postgres_create_test_db


def prepare_postgres_template() -> str:
    """Migrate the PostgreSQL template now, if it is missing, so that the PostgreSQL pass only copies it.

    ``make test-parts`` runs this (``python -m tests.dbcache``) beside the SQLite pass: one of that pass's two
    workers waits idle while the other migrates the SQLite copy, and this uses that core. The database migrated
    is ``test_<name>_template_source``, dropped once copied, so no test database of a run is touched."""
    from django.db import connection

    install()
    if connection.vendor != "postgresql":
        return "not PostgreSQL: nothing to prepare"
    creation = connection.creation
    template = _template_name(creation)
    started = time.monotonic()
    with _template_lock(template):
        if _template_exists(creation, template):
            return f"the PostgreSQL test template {template} is ready"
    original = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"test_{original[:30]}_template_source"
    made = creation.create_test_db(verbosity=0, autoclobber=True)
    creation.destroy_test_db(original, verbosity=0)
    return f"migrated the PostgreSQL test template {template} in {time.monotonic() - started:.0f} s (from {made})"


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    print(prepare_postgres_template(), flush=True)
