"""Two-factor sign-in with TOTP (django-otp): enrolment, verification, and when each is required."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.conftest import key_from_page, totp_code

DASHBOARD = reverse("dashboard")
ENROL = reverse("accounts:enrol")
VERIFY = reverse("accounts:verify")


def shown_secret(response) -> str:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', response.content.decode())
    assert match, "the enrolment page shows the key to type"
    return match.group(1)


# Enrolment


@override_settings(RJ_TWO_FACTOR_REQUIRED=True)
def test_when_required_a_user_without_a_device_is_sent_to_enrolment(facilitator, sign_in_with_password, client):
    response = sign_in_with_password("facilitator")
    assert response.url == DASHBOARD
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == ENROL
    assert client.get(reverse("rjcases:list")).url == ENROL
    assert client.get(reverse("admin:index")).url == ENROL


@override_settings(RJ_TWO_FACTOR_REQUIRED=True)
def test_enrolment_shows_a_qr_code_and_the_key_to_type(facilitator, sign_in_with_password, client, pass_enrolment_code):
    sign_in_with_password("facilitator")
    pass_enrolment_code(facilitator)
    response = client.get(ENROL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img"' in page
    assert "<title>QR code to scan with your authenticator app</title>" in page
    device = TOTPDevice.objects.get(user=facilitator)
    assert not device.confirmed
    assert key_from_page(shown_secret(response)) == device.bin_key
    assert "no-store" in response["Cache-Control"]  # the key must not stay in a cache
    # Reloading the page keeps the same key: the app the user already scanned stays valid.
    assert shown_secret(client.get(ENROL)) == shown_secret(response)
    assert TOTPDevice.objects.filter(user=facilitator).count() == 1


@override_settings(RJ_TWO_FACTOR_REQUIRED=True)
def test_enrolment_with_the_code_from_the_app_confirms_the_device_and_opens_the_dashboard(
    facilitator, sign_in_with_password, client, pass_enrolment_code
):
    sign_in_with_password("facilitator")
    pass_enrolment_code(facilitator)
    key = key_from_page(shown_secret(client.get(ENROL)))
    response = client.post(ENROL, {"token": totp_code(key)})
    assert response.status_code == 200
    assert "Two-factor sign-in is set up" in response.content.decode()
    assert "no-store" in response["Cache-Control"]  # the backup codes must not stay in a cache
    assert TOTPDevice.objects.get(user=facilitator).confirmed
    assert client.get(DASHBOARD).status_code == 200


@override_settings(RJ_TWO_FACTOR_REQUIRED=True)
def test_enrolment_refuses_a_wrong_code_with_a_clear_message(
    facilitator, sign_in_with_password, client, pass_enrolment_code
):
    sign_in_with_password("facilitator")
    pass_enrolment_code(facilitator)
    key = key_from_page(shown_secret(client.get(ENROL)))
    wrong = f"{(int(totp_code(key)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"token": wrong})
    assert response.status_code == 200
    page = response.content.decode()
    assert "That code did not match" in page
    assert "govuk-error-summary" in page
    assert not TOTPDevice.objects.get(user=facilitator).confirmed
    assert client.get(DASHBOARD).url == ENROL


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit security code"),
        ("12345", "Enter all 6 digits"),
        ("12a456", "The security code is 6 digits"),
    ],
)
def test_enrolment_refuses_a_malformed_code(
    facilitator, sign_in_with_password, client, pass_enrolment_code, typed, message
):
    sign_in_with_password("facilitator")
    pass_enrolment_code(facilitator)
    client.get(ENROL)
    response = client.post(ENROL, {"token": typed})
    assert message in response.content.decode()
    assert not TOTPDevice.objects.get(user=facilitator).confirmed


def test_a_user_with_a_device_cannot_enrol_another_with_the_password_alone(
    facilitator, confirmed_device, sign_in_with_password, client
):
    confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    response = client.get(ENROL)
    assert response.url == VERIFY
    assert TOTPDevice.objects.filter(user=facilitator).count() == 1


# Verification


def test_a_user_with_a_confirmed_device_is_always_asked_for_a_code(
    facilitator, confirmed_device, sign_in_with_password, client, settings
):
    settings.RJ_TWO_FACTOR_REQUIRED = False  # development settings: still asked, because they have a device
    confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response.url == f"{VERIFY}?next=%2F"
    assert client.get(reverse("rjcases:list")).url == f"{VERIFY}?next=%2Fcases%2F"


def test_the_right_code_completes_sign_in_and_returns_to_the_page_asked_for(
    facilitator, confirmed_device, sign_in_with_password, client
):
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": totp_code(device.bin_key), "next": reverse("rjcases:list")})
    assert response.status_code == 302
    assert response.url == reverse("rjcases:list")
    assert client.get(DASHBOARD).status_code == 200


def test_verification_does_not_redirect_off_site(facilitator, confirmed_device, sign_in_with_password, client):
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": totp_code(device.bin_key), "next": "https://evil.example.com/"})
    assert response.url == DASHBOARD


def test_a_wrong_code_is_refused_with_a_clear_message(facilitator, confirmed_device, sign_in_with_password, client):
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    wrong = f"{(int(totp_code(device.bin_key)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong})
    assert response.status_code == 200
    assert "That code is wrong or has expired" in response.content.decode()
    assert "<title>Error: Enter your security code" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_a_quick_retry_after_a_wrong_code_is_told_to_wait(facilitator, confirmed_device, sign_in_with_password, client):
    """django-otp throttles guessing: each wrong code doubles the wait before the next is checked."""
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    client.post(VERIFY, {"token": "000000" if totp_code(device.bin_key) != "000000" else "111111"})
    response = client.post(VERIFY, {"token": totp_code(device.bin_key)})
    assert "Too many wrong codes in a row. Wait" in response.content.decode()
    assert client.get(DASHBOARD).status_code == 302


def test_a_code_cannot_be_used_twice(facilitator, confirmed_device, sign_in_with_password, client):
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    code = totp_code(device.bin_key)
    assert client.post(VERIFY, {"token": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in_with_password("facilitator")
    response = client.post(VERIFY, {"token": code})
    assert response.status_code == 200
    assert client.get(DASHBOARD).status_code == 302


def test_the_verify_page_needs_the_password_first(client):
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# When two-factor is required


def test_in_development_a_user_without_a_device_reaches_the_dashboard(
    facilitator, sign_in_with_password, client, settings
):
    settings.RJ_TWO_FACTOR_REQUIRED = False
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).status_code == 200


def test_production_settings_require_two_factor_and_development_settings_do_not():
    import subprocess
    import sys

    from django.conf import settings

    def required(env: dict) -> str:
        code = "import django; django.setup(); from django.conf import settings; print(settings.RJ_TWO_FACTOR_REQUIRED)"
        base = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"}
        return subprocess.run(
            [sys.executable, "-c", code],
            env=base | env,
            capture_output=True,
            text=True,
            check=True,
            cwd=settings.BASE_DIR,
        ).stdout.strip()

    assert required({"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "rj.example.org"}) == "True"
    assert required({}) == "False"


# Signing out


def test_signing_out_is_a_post_and_ends_the_session(facilitator, sign_in_with_password, client):
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get(DASHBOARD).url.startswith(reverse("accounts:login"))


def test_signing_out_ends_the_two_factor_verification(facilitator, confirmed_device, sign_in_with_password, client):
    device = confirmed_device(facilitator)
    sign_in_with_password("facilitator")
    client.post(VERIFY, {"token": totp_code(device.bin_key)})
    client.post(reverse("accounts:logout"))
    sign_in_with_password("facilitator")
    assert client.get(DASHBOARD).url.startswith(VERIFY)
