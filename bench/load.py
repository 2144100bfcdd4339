"""Load on the production server: gunicorn serving a seeded PostgreSQL database to signed-in clients.

    .venv/bin/python bench/seed.py --database-url postgres://postgres@127.0.0.1:5432/rj_webserver_bench \\
        --cases 100000 -- --walk-limit 0                      # once: 100,000 cases (bench/README.md)
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/rj_webserver_bench

The script signs a bench manager in (a user of its own, made if missing, who sees every case), starts gunicorn
with config/gunicorn.conf.py and production settings (debug off, JSON access log to a file) on --port, and for
each page (the case list, a case page, the dashboard) and each number of concurrent clients (--clients, default
1, 8 and 32) runs that many clients for --seconds, each with its own session and a kept-alive connection,
requesting the page again as soon as it has the answer. A case page is a different case each request, from a
sample of --sample cases. It prints requests per second and the 50th, 95th and 99th percentile latencies, the
machine's load average before and after, and the command; then stops the server.

Two differences from production, both on purpose: no HTTPS (SECURE_SSL_REDIRECT off, the cookies sent over
plain HTTP on 127.0.0.1), and the second factor not required for the bench user (RJ_TWO_FACTOR_REQUIRED=0).
Static files are not requested (WhiteNoise serves them from memory; a browser caches them for a year).
The clients run in this process (threads), on the same machine as the server and the database.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_USER = "bench_manager"
BENCH_PASSWORD = "bench-Restorative-" + "2026-load"

PREPARE = """
from django.contrib.auth import get_user_model
from accounts import roles
from accounts.models import Organisation
from rjcases.models import Case
User = get_user_model()
user = User.objects.filter(username={user!r}).first()
if user is None:
    organisation = Organisation.objects.filter(kind=Organisation.Kind.RJ_SERVICE).order_by("pk").first()
    user = User.objects.create_user({user!r}, password={password!r}, first_name="Bench", last_name="Manager",
                                    organisation=organisation)
    roles.ensure_roles()
    from django.contrib.auth.models import Group
    user.groups.add(Group.objects.get(name=roles.MANAGER))
from accounts.models import Partnership
user.partnerships.add(*Partnership.objects.all())  # a manager of every partnership sees every case
import random
random.seed(1)
ids = list(Case.objects.order_by("?").values_list("reference", flat=True)[:{sample}])
print("REFS " + " ".join(ids))
"""


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, text=True, capture_output=True
    )
    return result.stdout


def server_env(args) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "RJ_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=args.database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_BEHIND_PROXY="0",
        DJANGO_CONN_MAX_AGE=str(args.conn_max_age),
        RJ_TWO_FACTOR_REQUIRED="0",
        RJ_STATIC_MANIFEST="0",
        RJ_LETTER_FILES="0",
        PORT=str(args.port),
        HOST="127.0.0.1",
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    return env


def wait_for(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped while starting: see its log")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start in time")


class Session:
    """One signed-in client: its own cookies and one kept-alive connection."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    def sign_in(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"the sign-in page answered {status}")
        body = urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": BENCH_USER, "password": BENCH_PASSWORD}
        )
        status, _ = self.request("POST", "/accounts/login/", body)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"signing in answered {status}")


def run_level(sessions: list[Session], paths, seconds: float) -> tuple[list[float], int, float]:
    """Every session requests paths() in a loop for ``seconds``: (latencies in ms, errors, elapsed seconds)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(session: Session) -> None:
        mine, bad = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            status, _ = session.request("GET", paths())
            mine.append((time.perf_counter() - started) * 1000)
            bad += status != 200
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(session,)) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/rj_webserver_bench")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--clients", default="1,8,32", help="Concurrent clients, comma-separated.")
    parser.add_argument("--seconds", type=float, default=20, help="How long each page runs at each level.")
    parser.add_argument("--warm", type=float, default=3, help="Untimed seconds before each page's first level.")
    parser.add_argument("--sample", type=int, default=500, help="Cases the case page picks from.")
    parser.add_argument("--pages", default="list,case,dashboard")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn processes (default: its config's).")
    parser.add_argument("--threads", type=int, default=0, help="Threads per process (default: its config's).")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DJANGO_CONN_MAX_AGE for the server.")
    parser.add_argument("--log", default="/tmp/rj-bench-load-gunicorn.log", help="The server's output.")  # noqa: S108
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]

    env = server_env(args)
    output = manage(
        {**env, "RJ_ACCESS_LOG": "0"},
        "shell",
        "-v0",
        "-c",
        PREPARE.format(user=BENCH_USER, password=BENCH_PASSWORD, sample=args.sample),
    )
    references = output.split("REFS ", 1)[1].split()
    manage(env, "dbshell", "--", "-c", "ANALYZE")
    log = open(args.log, "w")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "config/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(args.port, server)
        sessions = [Session(args.port) for _ in range(max(levels))]
        for session in sessions:
            session.sign_in()
        pages = {
            "list": ("case list (/cases/)", lambda: "/cases/"),
            "case": ("case page (/cases/<ref>/)", lambda: f"/cases/{random.choice(references)}/"),  # noqa: S311
            "dashboard": ("dashboard (/)", lambda: "/"),
        }
        workers = env.get("WEB_CONCURRENCY") or f"{os.cpu_count()}+1"
        threads = env.get("GUNICORN_THREADS") or "4"
        print("$ " + shlex.join([".venv/bin/python", "bench/load.py", *sys.argv[1:]]))
        print(
            f"{time.strftime('%Y-%m-%d %H:%M')} gunicorn {workers} processes x {threads} threads, "
            f"CONN_MAX_AGE {args.conn_max_age}, {os.cpu_count()} CPUs; load average before "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        print(
            f"{'page':30} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  errors"
        )
        for key in args.pages.split(","):
            title, paths = pages[key]
            run_level(sessions[:1], paths, args.warm)
            for level in levels:
                latencies, errors, elapsed = run_level(sessions[:level], paths, args.seconds)
                print(
                    f"{title:30} {level:>7} {len(latencies):>8} {len(latencies) / elapsed:>7.1f} "
                    f"{statistics.median(latencies):>8.1f} {percentile(latencies, 0.95):>8.1f} "
                    f"{percentile(latencies, 0.99):>8.1f}  {errors}",
                    flush=True,
                )
        print(f"load average after {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


if __name__ == "__main__":
    main()
