"""The production shape, started for real on 127.0.0.1: a fresh PostgreSQL database, Redis, an S3 server (moto),
an SMTP server (aiosmtpd), two gunicorn servers and one django-tasks-db worker, every process with the environment
a deployment gives it (debug off, a secret key, ``RJ_CACHE_URL``, ``RJ_STORAGE_URL``, ``EMAIL_URL``).

The database is a copy of a template migrated once (``CREATE DATABASE ... TEMPLATE``): migrating from nothing
takes minutes on a busy machine, a copy a second. The template's name carries a hash of every migration, the
reference data and the set-up below, so any change makes a new one (and the stale ones are dropped).

Each process writes its output to a file in a temporary folder; the test prints them all when it fails.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

# The brief's ports for this part of the project: moto, server A, server B, SMTP.
S3_PORT, PORT_A, PORT_B, SMTP_PORT = 8111, 8112, 8113, 8114
REDIS_URL = "redis://127.0.0.1:6379/2"
BUCKET = "rj-production-letters"
REGION = "eu-west-2"
API_RATE = 15  # calls per minute per token: low, so the test can reach it

USERS = {
    # username: (organisation, role, email)
    "prod_manager": ("rj", "manager", "prod.manager@example.org"),
    "prod_facilitator": ("rj", "facilitator", "prod.facilitator@example.org"),
    "prod_police": ("police", "police_referrer", "prod.police@example.org"),
}

SETUP_USERS = f"""
from django.contrib.auth.models import Group
from accounts.models import Organisation, Partnership, User
orgs = {{
    "rj": Organisation.objects.create(name="Production Test RJ Service", kind="rj_service"),
    "police": Organisation.objects.create(name="Production Test Police", kind="police"),
}}
for username, (org, role, email) in {USERS!r}.items():
    user = User.objects.create_user(username=username, email=email, organisation=orgs[org],
                                    first_name=username.split("_")[1].title(), last_name="Tester")
    user.groups.add(Group.objects.get(name=role))
    user.partnerships.add(Partnership.objects.get(code="trafford"))
"""


class ShapeFailed(Exception):
    """The production shape could not be started (a port in use, a process that stopped, a timeout)."""


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def wait_for_port(port: int, timeout: float, alive=lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise ShapeFailed(f"the process for port {port} stopped before it listened")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise ShapeFailed(f"nothing listened on port {port} after {timeout:.0f} s")


@dataclass
class Process:
    """One process of the shape, in its own process group (gunicorn's workers with it), its output in a file."""

    name: str
    args: list[str]
    env: dict[str, str]
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self) -> Process:
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 (our own commands)
            self.args, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def wait(self, timeout: float) -> int:
        assert self.popen is not None
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise ShapeFailed(f"{self.name} did not finish within {timeout:.0f} s") from None

    def signal(self, sig: int) -> None:
        """Send ``sig`` to this process's group (only the group it started), if it is still running."""
        if self.alive():
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def stop(self, grace: float = 15) -> None:
        """SIGTERM (unless already sent), then SIGKILL if it has not stopped within ``grace`` seconds."""
        if self.popen is None:
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(grace)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.popen.wait(10)
        self._log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def manage(name: str, *args: str, env: dict[str, str], logs: Path) -> Process:
    return Process(name, [PYTHON, "manage.py", *args], env, logs / f"{name}.log").start()


def run_manage(name: str, *args: str, env: dict[str, str], logs: Path, timeout: float = 600) -> str:
    process = manage(name, *args, env=env, logs=logs)
    code = process.wait(timeout)
    process.stop()
    if code != 0:
        raise ShapeFailed(f"manage.py {' '.join(args)} exited {code}:\n{process.output()[-3000:]}")
    return process.output()


# ---------------------------------------------------------------------------------------------------
# PostgreSQL


def database_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def template_hash() -> str:
    digest = hashlib.sha256(SETUP_USERS.encode())
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")) + [BASE_DIR / "fixtures" / "reference.json"]:
        digest.update(str(path.relative_to(BASE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _admin(base_url: str):
    import psycopg

    return psycopg.connect(database_url(base_url, "postgres"), autocommit=True)


def fresh_database(base_url: str, env: dict[str, str], logs: Path) -> str:
    """A new database for this run, copied from the migrated template (made first if there is none)."""
    from psycopg import sql

    base = urlsplit(base_url).path.lstrip("/") or "rj"
    name, template = f"{base}_production", f"{base}_production_tpl_{template_hash()}"
    with _admin(base_url) as admin:
        existing = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
        for stale in sorted(n for n in existing if n.startswith(f"{base}_production_tpl_") and n != template):
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(stale)))
        if template not in existing:
            building = f"{template}_building"
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building)))
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
            setup_env = {**env, "DATABASE_URL": database_url(base_url, building)}
            run_manage("migrate", "migrate", "--noinput", "-v0", env=setup_env, logs=logs)
            run_manage("loaddata", "loaddata", "reference", "-v0", env=setup_env, logs=logs)
            run_manage("users", "shell", "-c", SETUP_USERS, env=setup_env, logs=logs)
            admin.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(template))
            )
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))
    return database_url(base_url, name)


def drop_database(base_url: str, url: str) -> None:
    from psycopg import sql

    with _admin(base_url) as admin:
        name = urlsplit(url).path.lstrip("/")
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# ---------------------------------------------------------------------------------------------------
# SMTP


@dataclass
class Inbox:
    """Every message the SMTP server received: who it was for and the message itself."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for recipients, message in self.messages if address in recipients]


def message_text(message: EmailMessage) -> str:
    """Subject, headers and every text part, decoded: all a reader of the message could see."""
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------------
# HTTP


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def call(url: str, *, token: str = "", method: str = "GET", body: dict | None = None, **headers: str) -> Answer:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (http://127.0.0.1 only)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def wait_until(what: str, check, timeout: float, interval: float = 0.5):
    """``check()`` until it returns something true; its last value. Fails naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {timeout:.0f} s (last: {value!r})")
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------------
# The whole shape


@dataclass
class Shape:
    tmp: Path
    logs: Path
    db_url: str
    env: dict[str, str]
    inbox: Inbox
    tokens: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    in_process: list = field(default_factory=list)

    url_a = f"http://127.0.0.1:{PORT_A}"
    url_b = f"http://127.0.0.1:{PORT_B}"

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as connection:
            return connection.execute(query, params).fetchall()

    def s3(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{S3_PORT}",
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def all_output(self) -> str:
        shown = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace")
            shown.append(f"----- {path.name} ({len(text)} characters, the last 6,000) -----\n{text[-6000:]}")
        return "\n".join(shown)


def environment(tmp: Path) -> dict[str, str]:
    """What every process of the shape is given, and nothing of the caller's DJANGO_, RJ_, AWS_ or EMAIL_ settings."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RJ_", "AWS_", "EMAIL_", "DATABASE_URL", "GUNICORN", "WEB_CONCURRENCY"))
    }
    return kept | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on 127.0.0.1 stands where a TLS proxy would: no redirect to https, no HSTS.
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_PROXY": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),  # must stay empty: letters go to the bucket
        "RJ_TWO_FACTOR_REQUIRED": "0",
        "RJ_CACHE_URL": REDIS_URL,
        "RJ_STORAGE_URL": f"s3://{BUCKET}?endpoint_url=http://127.0.0.1:{S3_PORT}&region={REGION}&addressing_style=path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "RJ_TASKS_BACKEND": "database",
        "RJ_API_RATE": f"{API_RATE}/minute",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_GRACEFUL_TIMEOUT": "5",
        "PYTHONUNBUFFERED": "1",
    }


def gunicorn(name: str, port: int, env: dict[str, str], logs: Path) -> Process:
    """A server as ``make serve-web`` starts it: the project's gunicorn configuration, told where to listen."""
    args = [PYTHON, "-m", "gunicorn", "-c", str(BASE_DIR / "config" / "gunicorn.conf.py")]
    return Process(name, args, {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}, logs / f"{name}.log").start()


def start(base_url: str) -> Shape:
    """Start everything; the caller must call ``stop(shape)`` whatever happens (the fixture's finaliser does)."""
    busy = [port for port in (S3_PORT, PORT_A, PORT_B, SMTP_PORT) if not port_is_free(port)]
    if busy:
        raise ShapeFailed(f"port(s) {', '.join(map(str, busy))} on 127.0.0.1 are in use: stop what holds them")
    tmp = Path(tempfile.mkdtemp(prefix="rj-production-"))
    logs = tmp / "logs"
    logs.mkdir()
    env = environment(tmp)
    shape = Shape(tmp=tmp, logs=logs, db_url="", env=env, inbox=Inbox())
    try:
        _start(shape, base_url)
    except BaseException as error:
        stop(shape, base_url)
        raise ShapeFailed(f"{error}\n(logs kept in {logs})\n{shape.all_output()}") from error
    return shape


def _start(shape: Shape, base_url: str) -> None:
    import redis
    from aiosmtpd.controller import Controller

    env, logs = shape.env, shape.logs
    s3 = Process("s3", [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(S3_PORT)], env, logs / "s3.log")
    shape.processes.append(s3.start())
    smtp = Controller(shape.inbox, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    shape.in_process.append(smtp)
    redis.Redis.from_url(REDIS_URL).flushdb()  # db 2 is this test's own

    shape.db_url = env["DATABASE_URL"] = fresh_database(base_url, env, logs)
    wait_for_port(S3_PORT, 60, s3.alive)
    shape.s3().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})

    for name in ("a", "b"):
        shape.processes.append(gunicorn(f"server-{name}", PORT_A if name == "a" else PORT_B, env, logs))
    worker_args = ["db_worker", "--worker-id", "production-worker", "--interval", "0.2", "--no-startup-delay"]
    shape.processes.append(manage("worker", *worker_args, env=env, logs=logs))
    # The API tokens, made the way an operator makes them, while the servers start.
    wanted = {user: [user] for user in USERS} | {"rate": ["prod_facilitator", "--name", "rate limit test"]}
    makers = {
        key: subprocess.Popen(  # noqa: S603 (our own command)
            [PYTHON, "manage.py", "create_api_token", *args],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, args in wanted.items()
    }
    try:
        for key, maker in makers.items():
            out, err = maker.communicate(timeout=180)
            (logs / f"token-{key}.log").write_text(err)
            if maker.returncode != 0:
                raise ShapeFailed(f"create_api_token for {key} failed:\n{err}")
            shape.tokens[key] = out.strip()
    finally:
        for maker in makers.values():
            if maker.poll() is None:
                maker.kill()
                maker.wait()
    for process in shape.processes:
        if process.name.startswith("server-"):
            wait_for_port(PORT_A if process.name == "server-a" else PORT_B, 120, process.alive)
    for url in (shape.url_a, shape.url_b):
        wait_until(f"{url}/healthz answering", lambda url=url: call(f"{url}/healthz").status == 200, 60)
    worker = next(p for p in shape.processes if p.name == "worker")
    if not worker.alive():
        raise ShapeFailed("the worker stopped")


def stop(shape: Shape, base_url: str) -> None:
    """Stop every process and server of the shape and drop its database; nothing is left running."""
    for process in shape.processes:  # all asked at once, then waited for
        process.signal(signal.SIGTERM)
    for process in reversed(shape.processes):
        process.stop()
    for server in shape.in_process:
        server.stop()
    if shape.db_url:
        drop_database(base_url, shape.db_url)
