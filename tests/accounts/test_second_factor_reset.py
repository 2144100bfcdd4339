"""An administrator resets someone's second factor: their devices go, the reason is logged, their sessions end."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import services
from accounts.models import SecurityEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]


@pytest.fixture
def production():
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        yield


def verified_client(user, confirmed_device) -> Client:
    client = Client()
    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    return client


def reset(client, user, reason="Lost phone, identity checked by telephone with their manager"):
    return client.post(reverse("accounts:reset_second_factor", args=[user.pk]), {"reason": reason})


def test_a_reset_removes_every_device_records_the_reason_and_ends_their_sessions(
    administrator, facilitator, confirmed_device
):
    admin = verified_client(administrator, confirmed_device)
    theirs = verified_client(facilitator, confirmed_device)
    StaticDevice.objects.create(user=facilitator, name="Backup codes", confirmed=True)
    response = reset(admin, facilitator)
    assert response.status_code == 302
    assert list(devices_for_user(facilitator, confirmed=None)) == []
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.SECOND_FACTOR_RESET)
    assert (event.actor, event.subject_user) == (administrator, facilitator)
    assert event.reason == "Lost phone, identity checked by telephone with their manager"
    assert event.details["devices_removed"] == 2
    assert theirs.get(reverse("dashboard")).url.startswith(reverse("accounts:login"))
    assert admin.get(reverse("dashboard")).status_code == 200  # the administrator's own session is untouched


def test_a_reset_without_a_reason_is_refused_and_removes_nothing(administrator, facilitator, confirmed_device):
    admin = verified_client(administrator, confirmed_device)
    confirmed_device(facilitator)
    response = reset(admin, facilitator, reason="   ")
    assert response.status_code == 400
    assert "Say why you are resetting their second factor" in response.content.decode()
    assert len(list(devices_for_user(facilitator))) == 1
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.SECOND_FACTOR_RESET).exists()
    with pytest.raises(ValueError, match="Say why"):
        services.reset_second_factor(administrator, facilitator, "")


@pytest.mark.parametrize("who", ["manager", "facilitator"])
def test_only_an_administrator_can_reset(who, request, other_facilitator, confirmed_device):
    user = request.getfixturevalue(who)
    client = verified_client(user, confirmed_device)
    confirmed_device(other_facilitator)
    assert reset(client, other_facilitator).status_code == 403
    assert client.get(reverse("accounts:user_sign_in", args=[other_facilitator.pk])).status_code == 403
    assert len(list(devices_for_user(other_facilitator))) == 1
    with pytest.raises(services.SignInRecoveryRefused):
        services.reset_second_factor(user, other_facilitator, "no")


def test_an_administrator_cannot_reset_their_own(administrator, confirmed_device):
    client = verified_client(administrator, confirmed_device)
    assert reset(client, administrator).status_code == 403
    assert len(list(devices_for_user(administrator))) == 1
