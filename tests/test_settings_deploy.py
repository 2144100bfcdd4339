"""Production settings: `check --deploy` is clean and responses carry the security headers and secure cookies.

Settings are read once, at import, from the environment, so each case runs Django in a fresh process with
the environment a deployment would give it (and no DATABASE_URL, so nothing reaches a real database).
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def production_env(**overrides) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "RJ_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="rj.example.org",
        # Production's hashed static names need collectstatic first (make serve): tests/config/test_static_files.py.
        RJ_STATIC_MANIFEST="0",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = run(["manage.py", "check", "--deploy"], production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output


def test_check_deploy_does_complain_about_a_weak_secret_key():
    """The contrast that shows the check is real: a short key is reported."""
    result = run(["manage.py", "check", "--deploy"], production_env(DJANGO_SECRET_KEY="too-short"))
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# A small client run inside the production process: the response headers a browser would get.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="rj.example.org")
plain = client.get("/accounts/login/")
secure = client.get("/accounts/login/", secure=True)
print(json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.headers.get("Location"),
    "status": secure.status_code, "headers": dict(secure.headers),
    "csrf_cookie": {k: str(v) for k, v in secure.cookies["csrftoken"].items()},
}))
"""


@pytest.fixture(scope="module")
def production_response() -> dict:
    result = run(["-c", PROBE], production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"] == "https://rj.example.org/accounts/login/"


def test_production_responses_carry_the_security_headers(production_response):
    headers = production_response["headers"]
    assert production_response["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "'nonce-" in headers["Content-Security-Policy"]


def test_production_cookies_are_secure(production_response):
    cookie = production_response["csrf_cookie"]
    assert cookie["secure"] == "True"
    assert cookie["httponly"] == "True"
    assert cookie["samesite"] == "Lax"


def test_production_session_cookie_settings():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST,"
        "s.DEBUG, s.RJ_TWO_FACTOR_REQUIRED]))"
    )
    result = run(["-c", code], production_env())
    assert json.loads(result.stdout) == [True, True, 1800, False, False, True]


def test_production_serves_hashed_static_files_and_development_plain_ones():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND'])"
    )
    production = {**production_env()}
    del production["RJ_STATIC_MANIFEST"]
    assert run(["-c", script], production).stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    development = {k: v for k, v in production.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    assert run(["-c", script], development).stdout.strip() == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_the_cache_is_per_process_by_default_and_redis_when_rj_cache_url_is_set():
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.CACHES['default']))"
    )
    default = run(["-c", script], {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "RJ_CACHE_URL": ""})
    assert json.loads(default.stdout)["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    shared = run(
        ["-c", script],
        {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "RJ_CACHE_URL": "redis://cache.internal:6379/2"},
    )
    assert json.loads(shared.stdout) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
        "KEY_PREFIX": "rjcases",
    }
    wrong = run(
        ["-c", script],
        {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "RJ_CACHE_URL": "memcached://cache.internal"},
    )
    assert wrong.returncode != 0
    assert "RJ_CACHE_URL must be a redis://" in wrong.stderr
