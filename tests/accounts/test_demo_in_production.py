"""Demo data never in production: the demo commands refuse while debug is off unless told this is not production,
and demo accounts (published passwords) cannot sign in while debug is off, whatever was loaded."""

import os
import secrets
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from accounts.demo_guard import NOT_PRODUCTION_FLAG
from accounts.management.commands.demo_signins import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db
DEMO_USERS = [
    *("manager", "facilitator", "facilitator2", "police", "police_other", "caseworker", "centre", "admin"),
    *("salford_manager", "salford_facilitator", "salford_facilitator2", "salford_centre", "regional"),
]


@pytest.fixture
def demo_hasher(settings):
    """The fixture's passwords are PBKDF2 hashes (the suite otherwise uses a fast hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]


def load_demo_users():
    call_command("loaddata", "reference", "demo_users", NOT_PRODUCTION_FLAG, verbosity=0)


@override_settings(DEBUG=False)
def test_loaddata_refuses_the_demo_users_with_debug_off():
    with pytest.raises(CommandError, match="demo data.*debug is off.*--i-know-this-is-not-production"):
        call_command("loaddata", "reference", "demo_users", verbosity=0)
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="Refused"):
        call_command("loaddata", "fixtures/demo_users.json", verbosity=0)


@override_settings(DEBUG=False)
def test_loaddata_loads_other_fixtures_and_the_demo_users_with_the_flag():
    call_command("loaddata", "reference", verbosity=0)
    assert not User.objects.exists()
    load_demo_users()
    assert sorted(User.objects.filter(is_demo=True).values_list("username", flat=True)) == sorted(DEMO_USERS)


@override_settings(DEBUG=True)
def test_loaddata_loads_the_demo_users_in_development():
    call_command("loaddata", "reference", "demo_users", verbosity=0)
    assert User.objects.filter(is_demo=True).count() == len(DEMO_USERS)


@override_settings(DEBUG=False)
@pytest.mark.parametrize("command", ["seed_demo", "demo_signins"])
def test_the_demo_commands_refuse_with_debug_off(command):
    load_demo_users()
    out = StringIO()
    with pytest.raises(CommandError, match="Refused.*--i-know-this-is-not-production"):
        call_command(command, stdout=out)
    assert DEMO_PASSWORD not in out.getvalue()
    from rjcases.models import Case

    assert not Case.objects.exists()


@override_settings(DEBUG=False)
def test_demo_signins_with_the_flag_says_the_accounts_cannot_sign_in():
    load_demo_users()
    out = StringIO()
    call_command("demo_signins", NOT_PRODUCTION_FLAG, stdout=out)
    assert "these demo accounts cannot sign in" in out.getvalue()


@pytest.mark.usefixtures("demo_hasher")
@pytest.mark.parametrize("username", ["admin", "manager"])
def test_a_demo_user_cannot_sign_in_with_debug_off(client, username):
    load_demo_users()
    with override_settings(DEBUG=False):
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
        assert "_auth_user_id" not in client.session
        assert client.post(reverse("admin:login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 200
        assert "_auth_user_id" not in client.session
    with override_settings(DEBUG=True):  # the same account and password work in development
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302


def test_a_demo_users_open_session_ends_when_debug_is_off(client):
    load_demo_users()
    client.force_login(User.objects.get(username="manager"))
    with override_settings(DEBUG=True, RJ_TWO_FACTOR_REQUIRED=False):
        assert client.get(reverse("dashboard")).status_code == 200
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        assert client.get(reverse("dashboard")).url.startswith(reverse("accounts:login"))


def test_an_ordinary_user_still_signs_in_with_debug_off(facilitator, sign_in_with_password, client):
    with override_settings(DEBUG=False):
        assert sign_in_with_password("facilitator").status_code == 302


def test_production_settings_refuse_loaddata_demo_users(tmp_path):
    """With the environment a deployment gives (DJANGO_DEBUG=0), in a fresh process: refused before any database
    work (the database here has no tables, so loading would fail differently)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "RJ_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG="0",
        DJANGO_ALLOWED_HOSTS="rj.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    )
    for args in (["loaddata", "demo_users"], ["seed_demo"], ["demo_signins"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
            timeout=120,
        )
        assert result.returncode == 1, (args, result.stderr)
        assert "Refused" in result.stderr, (args, result.stderr)
        assert NOT_PRODUCTION_FLAG in result.stderr


def test_a_demo_users_api_token_is_refused_when_debug_is_off():
    from tests.api.conftest import client_for

    load_demo_users()
    client = client_for(User.objects.get(username="manager"))
    with override_settings(DEBUG=True):
        assert client.get("/api/v1/cases/").status_code == 200
    with override_settings(DEBUG=False):
        assert client.get("/api/v1/cases/").status_code == 401


def test_demo_signins_lists_every_demo_user_of_the_fixture_from_the_one_list():
    """The sign-ins printed by `make run` come from demo.actors.DEMO_USERNAMES, the list the seeding reads: every
    user of fixtures/demo_users.json is in it, so a user added to the fixture is printed and seeded alike."""
    from demo.actors import DEMO_USERNAMES

    load_demo_users()
    assert sorted(DEMO_USERNAMES) == sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_USERS)
    out = StringIO()
    call_command("demo_signins", NOT_PRODUCTION_FLAG, stdout=out)
    printed = [line.split()[0] for line in out.getvalue().splitlines() if line.startswith("  ")]
    assert printed == [u.username for u in User.objects.order_by("pk")]
