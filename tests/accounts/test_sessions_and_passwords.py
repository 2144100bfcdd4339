"""Sessions end after 30 idle minutes; passwords must pass Django's validators."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import SESSION_TOUCH_EVERY, SESSION_TOUCHED

DASHBOARD = reverse("dashboard")


def stored_session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_lasts_thirty_minutes_from_sign_in(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    remaining = stored_session(client).expire_date - timezone.now()
    assert timedelta(minutes=29, seconds=50) < remaining <= timedelta(minutes=30)


def test_a_request_a_minute_after_the_last_save_pushes_the_expiry_on(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    session = client.session
    session[SESSION_TOUCHED] = time.time() - SESSION_TOUCH_EVERY - 1  # last saved over a minute ago
    session.save()
    # Twenty idle minutes: ten left.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )
    assert client.get(DASHBOARD).status_code == 200
    remaining = stored_session(client).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29, seconds=50)


def test_requests_within_a_minute_of_the_last_save_write_no_session(facilitator, sign_in_with_password, client):
    """The session is saved at most once a minute (not on every request): the idle limit moves by under a minute."""
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).status_code == 200  # the first page may change the session (a message shown once)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )
    with CaptureQueriesContext(connection) as captured:
        for _ in range(3):
            assert client.get(DASHBOARD).status_code == 200
    writes = [q["sql"] for q in captured if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []
    assert stored_session(client).expire_date - timezone.now() <= timedelta(minutes=10)


def test_after_thirty_idle_minutes_the_user_must_sign_in_again(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_session_cookie_is_http_only_and_ends_with_the_browser(facilitator, sign_in_with_password, client):
    response = sign_in_with_password("facilitator")
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["max-age"]  # a browser-session cookie; the server enforces the 30 minutes


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Sh0rt-pass!", "This password is too short. It must contain at least 12 characters."),
        ("1qaz2wsx3edc", "This password is too common."),
        ("839201746583", "This password is entirely numeric."),
        ("facilitator-2026", "The password is too similar to the username."),
    ],
)
def test_each_password_rule_refuses_a_weak_password(facilitator, password, message):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, facilitator)
    assert message in refused.value.messages


def test_a_long_uncommon_password_passes(facilitator):
    validate_password("demo-Restorative-2026", facilitator)


def test_setting_a_weak_password_is_refused_and_changes_nothing(facilitator):
    form = SetPasswordForm(facilitator, {"new_password1": "Sh0rt-pass!", "new_password2": "Sh0rt-pass!"})
    assert not form.is_valid()
    assert "This password is too short" in str(form.errors)
    facilitator.refresh_from_db()
    assert facilitator.check_password("correct-horse-battery-9")
