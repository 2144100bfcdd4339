"""Sign-in lockout (django-axes): 5 failures per username and IP address, then 15 minutes' cool-off."""

from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.accounts.conftest import PASSWORD

LOCKED_MESSAGE = "There were too many failed attempts to sign in"


def fail(sign_in, username, times, **extra):
    return [sign_in(username, "not-the-password", **extra) for _ in range(times)]


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_four_wrong_passwords_say_the_password_is_wrong_and_do_not_lock(facilitator, sign_in_with_password, client):
    responses = fail(sign_in_with_password, "facilitator", 4)
    assert [r.status_code for r in responses] == [200] * 4
    assert "Enter a correct username and password" in responses[-1].content.decode()
    assert "<title>Error: Sign in" in responses[-1].content.decode()
    assert LOCKED_MESSAGE not in responses[-1].content.decode()
    response = sign_in_with_password("facilitator")
    assert response.status_code == 302
    assert is_signed_in(client)


def test_five_wrong_passwords_lock_the_account(facilitator, sign_in_with_password):
    fifth = fail(sign_in_with_password, "facilitator", 5)[-1]
    assert fifth.status_code == 429
    assert LOCKED_MESSAGE in fifth.content.decode()
    assert "locked for 15 minutes" in fifth.content.decode()


def test_the_right_password_is_refused_during_the_cool_off(facilitator, sign_in_with_password, client):
    fail(sign_in_with_password, "facilitator", 5)
    response = sign_in_with_password("facilitator", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_MESSAGE in page
    assert "even with the right password" in page
    assert 'value="facilitator"' in page  # the username stays typed in
    assert not is_signed_in(client)
    assert client.get(reverse("dashboard")).status_code == 302


def test_the_attempts_are_recorded(facilitator, sign_in_with_password):
    fail(sign_in_with_password, "facilitator", 5)
    sign_in_with_password("facilitator", PASSWORD)  # refused while locked
    attempt = AccessAttempt.objects.get(username="facilitator")
    assert attempt.failures_since_start == 5
    assert attempt.ip_address == "127.0.0.1"
    failures = AccessFailureLog.objects.filter(username="facilitator").order_by("attempt_time")
    assert failures.count() == 5
    assert [f.locked_out for f in failures] == [False, False, False, False, True]


def test_attempts_during_the_lockout_do_not_extend_the_cool_off(facilitator, sign_in_with_password):
    fail(sign_in_with_password, "facilitator", 5)
    locked_at = AccessAttempt.objects.get(username="facilitator").attempt_time
    fail(sign_in_with_password, "facilitator", 3)
    attempt = AccessAttempt.objects.get(username="facilitator")
    assert attempt.attempt_time == locked_at
    assert attempt.failures_since_start == 5


def test_the_right_password_works_again_after_the_cool_off(facilitator, sign_in_with_password, client):
    fail(sign_in_with_password, "facilitator", 5)
    # Fifteen minutes and a second pass: the attempt falls outside the cool-off window axes counts.
    AccessAttempt.objects.filter(username="facilitator").update(
        attempt_time=AccessAttempt.objects.get(username="facilitator").attempt_time - timedelta(minutes=15, seconds=1)
    )
    response = sign_in_with_password("facilitator", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert is_signed_in(client)
    assert not AccessAttempt.objects.filter(username="facilitator").exists()  # reset on success


def test_one_minute_before_the_end_of_the_cool_off_it_is_still_locked(facilitator, sign_in_with_password, client):
    fail(sign_in_with_password, "facilitator", 5)
    AccessAttempt.objects.filter(username="facilitator").update(
        attempt_time=AccessAttempt.objects.get(username="facilitator").attempt_time - timedelta(minutes=14)
    )
    assert sign_in_with_password("facilitator", PASSWORD).status_code == 429
    assert not is_signed_in(client)


def test_the_lock_is_per_username_another_user_at_the_same_address_signs_in(
    facilitator, other_facilitator, sign_in_with_password, client
):
    fail(sign_in_with_password, "facilitator", 5)
    response = sign_in_with_password("facilitator2", PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_lock_is_per_address_the_same_user_elsewhere_signs_in(facilitator, sign_in_with_password, client):
    fail(sign_in_with_password, "facilitator", 5, REMOTE_ADDR="198.51.100.20")
    response = sign_in_with_password("facilitator", PASSWORD, REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 302


# Behind a reverse proxy every request comes from the proxy's address; the client is in X-Forwarded-For.
PROXY = "10.0.0.5"


@override_settings(RJ_PROXY_COUNT=1)
def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(facilitator, sign_in_with_password):
    fail(sign_in_with_password, "facilitator", 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AccessAttempt.objects.get(username="facilitator").ip_address == "203.0.113.7"


@override_settings(RJ_PROXY_COUNT=1)
def test_behind_a_proxy_an_attacker_does_not_lock_out_the_real_user(facilitator, sign_in_with_password, client):
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    assert fail(sign_in_with_password, "facilitator", 5, **attacker)[-1].status_code == 429
    response = sign_in_with_password("facilitator", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 302
    assert is_signed_in(client)


@override_settings(RJ_PROXY_COUNT=0)
def test_without_the_proxy_count_everyone_behind_the_proxy_shares_one_lock(facilitator, sign_in_with_password):
    """The contrast that shows DJANGO_PROXY_COUNT matters: ignored X-Forwarded-For locks the real user out too."""
    fail(sign_in_with_password, "facilitator", 5, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    response = sign_in_with_password("facilitator", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", PROXY),  # no proxy configured: the header is the client's word, ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),  # the left entry was sent by the client: spoofable
        (2, "203.0.113.7, 10.0.0.4", "203.0.113.7"),  # two proxies: the second from the right
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "not-an-address", PROXY),
        (2, "203.0.113.7", PROXY),  # fewer entries than proxies: the request bypassed one
        (1, "", PROXY),
    ],
)
def test_client_ip_address(proxies, forwarded_for, expected):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    with override_settings(RJ_PROXY_COUNT=proxies):
        assert get_client_ip_address(request) == expected


def test_settings_read_the_proxy_count_from_the_environment_and_axes_uses_it():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.RJ_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_PROXY_COUNT": "2", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout
    assert out.split() == ["2", "accounts.client_ip.client_ip_address"]
