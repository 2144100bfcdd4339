"""Password-reset and enrolment links: still shown on the administrator's page, and now emailed to the user's own
address where their account has one (with the configured site address, never the request's Host); the link's
text is not kept once sent."""

import html
import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from notifications.delivery import WIPED
from notifications.models import Message

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def admin_client_verified(administrator):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=administrator, name="Phone", confirmed=True)
    admin = Client()
    admin.force_login(administrator)
    session = admin.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return admin


@pytest.fixture(autouse=True)
def production(settings):
    with override_settings(
        DEBUG=False,
        RJ_TWO_FACTOR_REQUIRED=True,
        RJ_SITE_URL="https://rj.example.org",
        ALLOWED_HOSTS=["testserver", "other.example.com"],
    ):
        yield


@pytest.mark.parametrize(
    ("url_name", "kind", "path_start"),
    [
        ("accounts:issue_password_reset_link", "password_reset", "/accounts/password-reset/"),
        ("accounts:issue_enrolment_code", "enrolment", "/accounts/two-factor/setup/?code="),
    ],
)
def test_the_link_is_shown_and_emailed_to_the_users_own_address(
    admin_client_verified, facilitator, django_capture_on_commit_callbacks, url_name, kind, path_start
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_verified.post(reverse(url_name, args=[facilitator.pk]), HTTP_HOST="other.example.com")
    assert response.status_code == 200
    shown = html.unescape(re.search(r'data-testid="issued-link">([^<]+)<', response.content.decode()).group(1))
    assert shown.startswith("http://other.example.com" + path_start)  # the page shows what it always showed
    [email] = mail.outbox
    assert email.to == [facilitator.email]
    emailed_link = "https://rj.example.org" + shown.removeprefix("http://other.example.com")
    assert emailed_link in email.body
    assert re.search(r"not after \d{1,2} \w+ 20\d\d \d\d:\d\d", email.body)  # when the link stops working
    assert "other.example.com" not in email.message().as_string()
    assert "not-emailed" not in response.content.decode()
    message = Message.objects.get(kind=kind)
    assert (message.user, message.status, message.case) == (facilitator, Message.Status.SENT, None)
    assert message.body_text == WIPED
    assert message.body_html == ""


def test_a_user_without_an_email_address_gets_the_link_on_screen_only(
    admin_client_verified, facilitator, django_capture_on_commit_callbacks
):
    facilitator.email = ""
    facilitator.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_verified.post(reverse("accounts:issue_password_reset_link", args=[facilitator.pk]))
    assert response.status_code == 200
    assert 'data-testid="issued-link">http' in response.content.decode()
    assert 'data-testid="not-emailed"' in response.content.decode()
    assert mail.outbox == []
    assert not Message.objects.exists()


def test_an_expired_link_is_not_sent_by_the_retry(facilitator, settings, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from notifications.services import sign_in_link_message

    settings.MAILERS = {"default": {"BACKEND": "notifications.backends.NotConfiguredBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        message = sign_in_link_message(
            facilitator, "password_reset", "https://rj.example.org/x", timezone.now() + timedelta(hours=1)
        )
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert "https://rj.example.org/x" in message.body_text
    Message.objects.filter(pk=message.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("retry_failed_messages", stdout=open("/dev/null", "w"))
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.error.startswith("Expired")
    assert message.body_text == WIPED
    assert mail.outbox == []
