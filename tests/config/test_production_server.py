"""The real server: gunicorn with config/gunicorn.conf.py, production settings, against a PostgreSQL of its own.

A private PostgreSQL cluster is made in a temporary folder (initdb, pg_ctl) on a port of this test's, so stopping
it stops nobody else's database. The test reads /readyz with the database up, stops the cluster, and reads
/readyz again: 503, naming the database. It also reads the server's JSON log lines from its standard output.

Not marked ``postgres``: it needs PostgreSQL's programs, not the shared server the ``postgres`` pass uses; it is
skipped where the programs are not installed.
"""

import glob
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings

PG_PORT = 8107
WEB_PORT = 8108
BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))

pytestmark = pytest.mark.skipif(not BIN or not shutil.which("runuser"), reason="PostgreSQL's programs are not here")


def as_postgres(*args: str) -> list[str]:
    """Run PostgreSQL's programs as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def private_postgres():
    if not port_free(PG_PORT):
        pytest.skip(f"port {PG_PORT} is in use")
    bindir = Path(BIN[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="rj-readyz-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(  # noqa: S603
        as_postgres(str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"),
        check=True,
        capture_output=True,
        timeout=300,
    )
    options = f"-p {PG_PORT} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-w", "-t", "120"]
    subprocess.run(as_postgres(*pg_ctl, "-o", options, "-l", str(folder / "log"), "start"), check=True, timeout=180)  # noqa: S603

    def stop():
        subprocess.run(as_postgres(*pg_ctl, "-m", "immediate", "stop"), capture_output=True, timeout=120)  # noqa: S603

    try:
        yield f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres", stop
    finally:
        stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def gunicorn(private_postgres, tmp_path):
    if not port_free(WEB_PORT):
        pytest.skip(f"port {WEB_PORT} is in use")
    url, stop_database = private_postgres
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "RJ_"))}
    env.update(
        DATABASE_URL=url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="rj.example.org",
        RJ_STATIC_MANIFEST="0",  # no collectstatic here: tests/config/test_static_files.py covers it
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_STATIC_ROOT=str(tmp_path),
        DJANGO_DB_CONNECT_TIMEOUT="2",
        PORT=str(WEB_PORT),
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="2",
    )
    out = (tmp_path / "gunicorn.out").open("w+")
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "--config", "config/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get("/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    out.seek(0)
                    pytest.fail(f"gunicorn did not start: {out.read()[-3000:]}")
                time.sleep(0.5)
        yield stop_database, out
    finally:
        server.terminate()
        server.wait(timeout=60)
        out.close()


def get(path: str, **headers) -> tuple[int, dict, bytes]:
    """One request to the server, redirects not followed (http.client: nothing leaves this machine)."""
    connection = http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_real_server_logs_json_lines_and_answers_503_naming_the_database_once_postgresql_stops(gunicorn):
    """One test, so that one private cluster and one server are started (and two test processes never race for
    the ports)."""
    stop_database, out = gunicorn
    # Plain HTTP to a page: production settings redirect it to HTTPS (health checks are the exception).
    status, headers, _ = get("/accounts/login/?next=/cases/%3Fq%3DQuillfeather", Host="rj.example.org")
    assert status == 301
    request_id = headers["X-Request-ID"]

    status, _, content = get("/readyz")
    before = json.loads(content)
    assert before["checks"]["database"]["ok"] is True, before
    assert before["checks"]["cache"]["ok"] is True
    if "task_queue" not in before["checks"]:  # a private cluster has no tables: the queue check fails if configured
        assert status == 200, before

    stop_database()
    status, headers, content = get("/readyz")
    after = json.loads(content)
    assert status == 503
    assert "database" in after["failing"]
    assert after["checks"]["database"]["ok"] is False
    assert headers["Cache-Control"] == "no-store"
    for secret in ("127.0.0.1", str(PG_PORT), "postgres", "psycopg", "gunicorn"):
        assert secret not in content.decode(), secret
    # The process is still alive, and says so.
    assert get("/healthz")[0] == 200

    time.sleep(0.5)
    out.flush()
    out.seek(0)
    text = out.read()
    logged = [json.loads(line) for line in text.splitlines()]  # every line of the server's output is JSON
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in logged)
    (access,) = [line for line in logged if line["logger"] == "rj.access"]  # health checks write no access line
    assert access["request_id"] == request_id
    assert (access["method"], access["status"]) == ("GET", 301)
    assert "Quillfeather" not in text
    assert "next=" not in text
    assert any(line["logger"] == "rj.health" and "database" in line["message"] for line in logged)
