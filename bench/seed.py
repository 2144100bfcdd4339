"""Time `manage.py seed_demo` on a fresh database, SQLite or PostgreSQL.

    .venv/bin/python bench/seed.py --database-url sqlite:////tmp/seed100k.sqlite3 --cases 100000
    .venv/bin/python bench/seed.py --database-url postgres://postgres@127.0.0.1:5432/rj_h4_seed --cases 100000

The database is created anew (the SQLite file deleted, the PostgreSQL database dropped and created), then
migrated and loaded with the reference data and demo users, as `make demo` does. Only seed_demo is timed;
the script prints its wall-clock and CPU time and the row counts it made. Extra arguments after `--` go
to seed_demo (for example `-- --walk-limit 0`).
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def manage(url: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def fresh_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.path + suffix).unlink(missing_ok=True)
        return
    if parsed.scheme not in ("postgres", "postgresql"):
        raise SystemExit(f"Only sqlite:// and postgres:// URLs are supported, not {parsed.scheme}://")
    import psycopg

    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


COUNT_SCRIPT = """
from django.apps import apps
for label in ["rjcases.Case", "rjcases.HistoricalCase", "rjcases.CaseTransition", "rjcases.Party",
              "rjcases.Assessment", "rjcases.Consent", "rjcases.ContactAttempt", "conferences.Activity",
              "conferences.AgreementAction"]:
    print(f"{label:32} {apps.get_model(label).objects.count():>10}")
total = sum(m.objects.count() for app in ("rjcases", "conferences") for m in apps.get_app_config(app).get_models())
print(f"{'rows in rjcases and conferences':32} {total:>10}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Seed the existing database instead of a fresh one.")
    parser.add_argument("extra", nargs="*", help="More seed_demo arguments (after --).")
    args = parser.parse_args()
    url = args.database_url
    if not args.keep:
        fresh_database(url)
        manage(url, "migrate", "--noinput", "-v0")
        manage(url, "loaddata", "reference", "demo_users", "-v0")
    command = ["seed_demo", "--cases", str(args.cases), "--seed", str(args.seed), *args.extra]
    print(f"DATABASE_URL={url} manage.py {' '.join(command)}", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    manage(url, *command)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(
        f"seed_demo: {elapsed:.1f} s wall clock, {cpu:.1f} s CPU (Python process; the database server's "
        f"own CPU is not counted)"
    )
    print(manage(url, "shell", "-v0", "-c", COUNT_SCRIPT, capture=True), end="")


if __name__ == "__main__":
    main()
