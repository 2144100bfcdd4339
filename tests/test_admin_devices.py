"""Second factors in the admin: nobody deletes or edits another user's authenticator there (a lost one is reset
through the recorded reset), its secret is shown to its owner only, and a missing one is a 404, not a 500."""

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory


@pytest.fixture
def root(settings):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def devices(manager):
    totp = TOTPDevice.objects.create(user=manager, name="Phone", confirmed=True)
    static = StaticDevice.objects.create(user=manager, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=static, token="secretbackup")  # a token is 16 characters at most
    return totp, static


@pytest.mark.django_db
def test_the_configuration_page_of_a_missing_authenticator_is_not_found(client, root):
    client.force_login(root)
    assert client.get(reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("admin:otp_totp_totpdevice_qrcode", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.django_db
def test_another_users_authenticator_secret_is_not_shown(client, root, devices):
    totp, _ = devices
    client.force_login(root)
    assert client.get(reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": totp.pk})).status_code == 403
    assert client.get(reverse("admin:otp_totp_totpdevice_qrcode", kwargs={"pk": totp.pk})).status_code == 403
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]))
    assert page.status_code == 200
    assert totp.key not in page.content.decode()


@pytest.mark.django_db
def test_the_owner_sees_their_own_authenticator_configuration(client, root):
    own = TOTPDevice.objects.create(user=root, name="Mine", confirmed=True)
    client.force_login(root)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = own.persistent_id  # signed in with this authenticator
    session.save()
    assert client.get(reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": own.pk})).status_code == 200


@pytest.mark.django_db
def test_backup_codes_are_not_shown_in_the_admin(client, root, devices):
    _, static = devices
    client.force_login(root)
    page = client.get(reverse("admin:otp_static_staticdevice_change", args=[static.pk]))
    assert page.status_code == 200
    assert "secretbackup" not in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice], ids=["totp", "static"])
def test_a_superuser_cannot_delete_or_change_another_users_second_factor(client, root, devices, rf, model):
    device = model.objects.get(user__username="manager")
    opts = model._meta
    client.force_login(root)
    request = rf.get("/")
    request.user = root
    model_admin = site._registry[model]
    assert not model_admin.has_delete_permission(request, device)
    assert not model_admin.has_change_permission(request, device)
    assert "delete_selected" not in model_admin.get_actions(request)
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[device.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[device.pk])
    assert client.post(change_url, {"user": root.pk, "name": "Taken", "confirmed": "on"}).status_code == 403
    device.refresh_from_db()
    assert (device.user.username, device.name) == ("manager", "Phone" if model is TOTPDevice else "Backup codes")
