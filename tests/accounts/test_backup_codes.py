"""Backup codes: each signs in once; using one is recorded and the user must set up their app again."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent

VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")
DASHBOARD = reverse("dashboard")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]


@pytest.fixture
def production():
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        yield


@pytest.fixture
def enrolled(facilitator, confirmed_device):
    """The facilitator with an authenticator app and two backup codes."""
    app = confirmed_device(facilitator)
    backup = StaticDevice.objects.create(user=facilitator, name="Backup codes", confirmed=True)
    for code in ("abcdefgh", "zyxwvuts"):
        StaticToken.objects.create(device=backup, token=code)
    return app


def test_a_backup_code_signs_in_once_and_is_recorded(facilitator, enrolled, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": "ABCD EFGH"})  # as typed from a printout
    assert response.status_code == 302
    assert response.url == ENROL  # asked to set the app up again
    assert client.get(DASHBOARD).status_code == 200  # but signed in for now
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.BACKUP_CODE_USED)
    assert event.subject_user == facilitator
    assert event.details["backup_codes_left"] == 1
    assert not StaticToken.objects.filter(token="abcdefgh").exists()

    client.post(reverse("accounts:logout"))
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": "abcdefgh"})
    assert response.status_code == 200
    assert "That code is wrong or has expired" in response.content.decode()
    assert client.get(DASHBOARD).url.startswith(VERIFY)


def test_after_a_backup_code_the_app_is_removed_and_enrolling_again_needs_an_enrolment_code(
    facilitator, enrolled, sign_in_with_password, client
):
    sign_in_with_password("facilitator")
    client.post(VERIFY, {"token": "abcdefgh"})
    assert not TOTPDevice.objects.filter(user=facilitator).exists()
    page = client.get(ENROL).content.decode()
    assert "You signed in with a backup code" in page
    assert "Enter your enrolment code" in page
    assert 'data-testid="totp-secret"' not in page


def test_the_remaining_backup_code_still_signs_in(facilitator, enrolled, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    client.post(VERIFY, {"token": "abcdefgh"})
    client.post(reverse("accounts:logout"))
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).url.startswith(VERIFY)  # the backup codes are still a second factor
    assert client.post(VERIFY, {"token": "zyxwvuts"}).url == ENROL


@pytest.mark.parametrize("typed", ["abcdefg", "abcdefgh1", "abcd!fgh", "12345678"])
def test_a_malformed_backup_code_is_refused_without_using_any(
    facilitator, enrolled, sign_in_with_password, client, typed
):
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": typed})
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=facilitator).count() == 2
    assert TOTPDevice.objects.filter(user=facilitator).exists()
