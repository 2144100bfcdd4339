"""A forgotten password: an administrator issues a link to Django's own reset page; it works once."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import SecurityEvent
from tests.accounts.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-Passphrase-77"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]


@pytest.fixture
def production():
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        yield


@pytest.fixture
def issued_link(administrator, facilitator, confirmed_device):
    admin = Client()
    device = confirmed_device(administrator)
    admin.force_login(administrator)
    session = admin.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = admin.post(reverse("accounts:issue_password_reset_link", args=[facilitator.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.context["link"].removeprefix("http://testserver")


def test_the_link_sets_a_new_password_once(facilitator, issued_link, client):
    page = client.get(issued_link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")
    facilitator.refresh_from_db()
    assert facilitator.check_password(NEW_PASSWORD)
    again = Client().get(issued_link, follow=True)
    assert 'data-testid="invalid-link"' in again.content.decode()


def test_issuing_the_link_is_recorded(administrator, facilitator, issued_link):
    event = SecurityEvent.objects.get(action=SecurityEvent.Action.PASSWORD_RESET_LINK_ISSUED)
    assert (event.actor, event.subject_user) == (administrator, facilitator)


def test_the_new_password_must_pass_the_rules(facilitator, issued_link, client):
    form_url = client.get(issued_link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Sh0rt-pass!", "new_password2": "Sh0rt-pass!"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD)


@pytest.fixture
def their_session(facilitator):
    """A session of the user opened before the link was issued (signing in later would void the link)."""
    theirs = Client()
    theirs.force_login(facilitator)
    assert theirs.get(reverse("dashboard")).status_code == 302  # sent to set up two-factor sign-in
    return theirs


def test_a_changed_password_ends_the_users_open_sessions(facilitator, their_session, issued_link, client):
    theirs = their_session
    assert "_auth_user_id" in theirs.session
    form_url = client.get(issued_link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert theirs.get(reverse("dashboard")).url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in theirs.session
