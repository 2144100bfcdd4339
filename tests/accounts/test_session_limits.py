"""Sessions end 10 hours after sign-in however active, and at once when the user's roles, password or second
factors change (besides the 30 idle minutes of tests/accounts/test_sessions_and_passwords.py)."""

import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.middleware import SESSION_STARTED

DASHBOARD = reverse("dashboard")
LOGIN = reverse("accounts:login")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.RJ_TWO_FACTOR_REQUIRED = False  # these tests are about the session, not the second factor


def signed_in(sign_in_with_password, client, username="facilitator") -> Client:
    assert sign_in_with_password(username).status_code == 302
    assert client.get(DASHBOARD).status_code == 200
    return client


def started_hours_ago(client, hours: float) -> None:
    session = client.session
    session[SESSION_STARTED] = time.time() - hours * 3600
    session.save()


def ended(client) -> bool:
    response = client.get(DASHBOARD)
    return response.status_code == 302 and response.url.startswith(LOGIN) and "_auth_user_id" not in client.session


def test_the_absolute_lifetime_is_ten_hours(settings):
    assert settings.RJ_SESSION_ABSOLUTE_HOURS == 10


def test_a_busy_session_ends_ten_hours_after_sign_in(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    started_hours_ago(client, 9.9)
    assert client.get(DASHBOARD).status_code == 200
    started_hours_ago(client, 10.01)
    assert ended(client)


def test_signing_in_again_starts_a_new_lifetime(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    started_hours_ago(client, 10.01)
    assert ended(client)
    signed_in(sign_in_with_password, client)
    assert time.time() - client.session[SESSION_STARTED] < 60


def test_a_role_granted_ends_the_session(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    facilitator.groups.add(Group.objects.get(name=roles.MANAGER))
    assert ended(client)


def test_a_role_removed_ends_the_session(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    facilitator.groups.clear()
    assert ended(client)


def test_superuser_status_granted_ends_the_session(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    facilitator.is_superuser = True
    facilitator.save()
    assert ended(client)


def test_a_password_changed_elsewhere_ends_the_session(facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    facilitator.set_password("another-Long-passphrase-3")
    facilitator.save()
    assert ended(client)


@pytest.mark.parametrize("device", [TOTPDevice, StaticDevice])
def test_a_second_factor_added_or_removed_ends_the_session(facilitator, sign_in_with_password, client, device):
    signed_in(sign_in_with_password, client)
    added = device.objects.create(user=facilitator, name="Someone else's", confirmed=True)
    assert ended(client)
    signed_in_again = Client()
    signed_in_again.force_login(facilitator)
    signed_in_again.get(DASHBOARD)
    added.delete()
    assert ended(signed_in_again)


def test_someone_elses_change_leaves_the_session_alone(facilitator, other_facilitator, sign_in_with_password, client):
    signed_in(sign_in_with_password, client)
    other_facilitator.groups.add(Group.objects.get(name=roles.MANAGER))
    TOTPDevice.objects.create(user=other_facilitator, name="Phone", confirmed=True)
    assert client.get(DASHBOARD).status_code == 200
