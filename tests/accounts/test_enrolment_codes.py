"""Enrolment needs something a password thief does not have: a one-time code an administrator issues."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import EnrolmentCode, SecurityEvent
from tests.accounts.conftest import key_from_page, totp_code
from tests.accounts.test_two_factor import shown_secret

ENROL = reverse("accounts:enrol")
DASHBOARD = reverse("dashboard")

pytestmark = pytest.mark.django_db
production = override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True)


def enter_code(client, code: str):
    return client.post(ENROL, {"code": code})


@production
def test_without_a_code_enrolment_shows_no_key_and_makes_no_device(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    response = client.get(ENROL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter your enrolment code" in page
    assert 'data-testid="totp-secret"' not in page
    assert "<svg" not in page
    assert not TOTPDevice.objects.filter(user=facilitator).exists()
    # Posting an app code straight away does not get past the code step either.
    response = client.post(ENROL, {"token": "123456"})
    assert "Enter the enrolment code your administrator gave you" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=facilitator).exists()
    assert client.get(DASHBOARD).url == ENROL


@production
def test_a_wrong_code_is_refused(facilitator, sign_in_with_password, client, enrolment_code):
    enrolment_code(facilitator)
    sign_in_with_password("facilitator")
    response = enter_code(client, "ABCD-EFGH-JKLM-NPQR")
    assert response.status_code == 200
    assert "That enrolment code is wrong, has been used or has expired" in response.content.decode()
    assert 'data-testid="totp-secret"' not in client.get(ENROL).content.decode()


@production
def test_a_code_opens_enrolment_once_then_is_refused(facilitator, sign_in_with_password, client, enrolment_code):
    code = enrolment_code(facilitator)
    sign_in_with_password("facilitator")
    assert enter_code(client, code).url == ENROL
    assert 'data-testid="totp-secret"' in client.get(ENROL).content.decode()
    assert EnrolmentCode.objects.get(user=facilitator).used_at is not None
    client.post(reverse("accounts:logout"))
    sign_in_with_password("facilitator")
    response = enter_code(client, code)
    assert "That enrolment code is wrong, has been used or has expired" in response.content.decode()
    assert 'data-testid="totp-secret"' not in client.get(ENROL).content.decode()


@production
def test_an_expired_code_is_refused(facilitator, sign_in_with_password, client, enrolment_code):
    code = enrolment_code(facilitator)
    grant = EnrolmentCode.objects.get(user=facilitator)
    assert grant.expires_at - grant.issued_at == timedelta(hours=72)
    EnrolmentCode.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    sign_in_with_password("facilitator")
    assert "has expired" in enter_code(client, code).content.decode()
    assert EnrolmentCode.objects.get(pk=grant.pk).used_at is None


@production
def test_a_code_issued_to_someone_else_is_refused(
    facilitator, other_facilitator, sign_in_with_password, client, enrolment_code
):
    code = enrolment_code(other_facilitator)
    sign_in_with_password("facilitator")
    assert "That enrolment code is wrong" in enter_code(client, code).content.decode()
    assert EnrolmentCode.objects.get(user=other_facilitator).used_at is None


@production
def test_a_new_code_cancels_the_unused_one(facilitator, sign_in_with_password, client, enrolment_code):
    first = enrolment_code(facilitator)
    enrolment_code(facilitator)
    sign_in_with_password("facilitator")
    assert "That enrolment code is wrong" in enter_code(client, first).content.decode()


@production
def test_the_link_fills_the_code_in_and_typing_it_loosely_still_works(
    facilitator, sign_in_with_password, client, enrolment_code
):
    code = enrolment_code(facilitator)
    sign_in_with_password("facilitator")
    assert f'value="{code}"' in client.get(ENROL, {"code": code}).content.decode()
    assert enter_code(client, code.lower().replace("-", " ")).url == ENROL


def test_only_a_hash_of_the_code_is_kept(facilitator, enrolment_code):
    code = enrolment_code(facilitator)
    grant = EnrolmentCode.objects.get(user=facilitator)
    assert code.replace("-", "") not in grant.token_hash
    assert len(grant.token_hash) == 64


@production
def test_a_key_shown_before_the_code_is_not_the_key_enrolled(
    facilitator, sign_in_with_password, client, enrolment_code
):
    stale = TOTPDevice.objects.create(user=facilitator, confirmed=False, name="Seen by someone earlier")
    sign_in_with_password("facilitator")
    enter_code(client, enrolment_code(facilitator))
    key = key_from_page(shown_secret(client.get(ENROL)))
    assert key != stale.bin_key
    assert not TOTPDevice.objects.filter(pk=stale.pk).exists()


@production
def test_enrolling_shows_backup_codes_once(facilitator, sign_in_with_password, client, pass_enrolment_code):
    sign_in_with_password("facilitator")
    pass_enrolment_code(facilitator)
    key = key_from_page(shown_secret(client.get(ENROL)))
    response = client.post(ENROL, {"token": totp_code(key)})
    page = response.content.decode()
    stored = set(StaticToken.objects.filter(device__user=facilitator).values_list("token", flat=True))
    assert len(stored) == services.BACKUP_CODE_COUNT
    assert all(f"<code>{code}</code>" in page for code in stored)
    assert "no-store" in response["Cache-Control"]
    # Never again: the enrolment page now sends the user to verification, and no page lists the codes.
    later = client.get(ENROL)
    assert later.url == reverse("accounts:verify")
    assert not any(code in client.get(DASHBOARD).content.decode() for code in stored)


@override_settings(DEBUG=True, RJ_TWO_FACTOR_REQUIRED=False)
def test_a_development_copy_without_required_two_factor_needs_no_code(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    assert 'data-testid="totp-secret"' in client.get(ENROL).content.decode()


# Issuing codes


def sign_in_verified(client, user, confirmed_device):
    from django_otp import DEVICE_ID_SESSION_KEY

    device = confirmed_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@production
def test_an_administrator_issues_a_code_and_sees_it_once(administrator, facilitator, confirmed_device, client):
    sign_in_verified(client, administrator, confirmed_device)
    page = client.get(reverse("accounts:user_sign_in", args=[facilitator.pk]))
    assert page.status_code == 200
    response = client.post(reverse("accounts:issue_enrolment_code", args=[facilitator.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert f"?code={code}" in response.context["link"]
    assert services.redeem_enrolment_code(facilitator, code)
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.ENROLMENT_CODE_ISSUED)
    assert (event.actor, event.subject_user) == (administrator, facilitator)
    assert code not in client.get(reverse("accounts:user_sign_in", args=[facilitator.pk])).content.decode()


@production
@pytest.mark.parametrize("who", ["manager", "facilitator"])
def test_only_an_administrator_can_issue_a_code(who, request, other_facilitator, confirmed_device, client):
    user = request.getfixturevalue(who)
    sign_in_verified(client, user, confirmed_device)
    assert client.post(reverse("accounts:issue_enrolment_code", args=[other_facilitator.pk])).status_code == 403
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert not EnrolmentCode.objects.exists()


@production
def test_an_administrator_cannot_issue_a_code_for_themselves(administrator, confirmed_device, client):
    sign_in_verified(client, administrator, confirmed_device)
    assert client.post(reverse("accounts:issue_enrolment_code", args=[administrator.pk])).status_code == 403
    assert not EnrolmentCode.objects.exists()


@production
def test_an_administrator_who_has_not_passed_the_second_factor_cannot_issue_a_code(
    administrator, facilitator, confirmed_device, client
):
    confirmed_device(administrator)
    client.force_login(administrator)
    response = client.post(reverse("accounts:issue_enrolment_code", args=[facilitator.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))
    assert not EnrolmentCode.objects.exists()


@production
def test_an_administrator_cannot_act_on_a_superuser(administrator, confirmed_device, client):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    sign_in_verified(client, administrator, confirmed_device)
    assert client.post(reverse("accounts:issue_enrolment_code", args=[root.pk])).status_code == 403


def test_the_issue_enrolment_code_command_prints_a_code_for_the_first_administrator(administrator):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("issue_enrolment_code", administrator.username, stdout=out, stderr=StringIO())
    assert services.redeem_enrolment_code(administrator, out.getvalue().strip())
    grant = EnrolmentCode.objects.get(user=administrator)
    assert grant.issued_by is None
    assert SecurityEvent.objects.get(action=SecurityEvent.Action.ENROLMENT_CODE_ISSUED).actor is None
