"""Helpers for the sign-in tests: real TOTP codes computed from a device's key, as an authenticator app would."""

import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's password


def totp_code(key: bytes, steps_ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows for this key now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def key_from_page(secret: str) -> bytes:
    """The binary key from the spaced base32 key the enrolment page shows."""
    return b32decode(secret.replace(" ", ""))


@pytest.fixture
def confirmed_device():
    def make(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)

    return make


@pytest.fixture
def sign_in_with_password(client):
    """Signs in through the real sign-in form (password step only) and returns the response."""

    def sign_in(username: str, password: str = PASSWORD, **extra):
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, **extra)

    return sign_in


@pytest.fixture
def enrolment_code(administrator):
    """Issues ``user`` a one-time enrolment code as the administrator would, through the service."""
    from accounts import services

    def issue(user) -> str:
        return services.issue_enrolment_code(administrator, user)

    return issue


@pytest.fixture
def pass_enrolment_code(client, enrolment_code):
    """For a user signed in with their password: issues an enrolment code and enters it on the enrolment page."""

    def enter(user):
        response = client.post(reverse("accounts:enrol"), {"code": enrolment_code(user)})
        assert response.status_code == 302, "the enrolment code is accepted"
        return response

    return enter
