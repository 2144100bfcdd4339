"""A user's own account page: a referrer turns status-change emails of their referrals off and on again."""

import pytest
from django.urls import reverse

from notifications.models import Preference
from notifications.services import wants_referral_updates

pytestmark = pytest.mark.django_db


def test_a_referrer_turns_referral_updates_off_and_on(client, police_referrer):
    client.force_login(police_referrer)
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert 'name="referral_updates"' in page.content.decode()
    assert " checked" in page.content.decode()
    response = client.post(reverse("accounts:account"), {})
    assert response.status_code == 302
    assert wants_referral_updates(police_referrer) is False
    assert " checked" not in client.get(reverse("accounts:account")).content.decode()
    client.post(reverse("accounts:account"), {"referral_updates": "on"})
    assert wants_referral_updates(police_referrer) is True
    preference = Preference.objects.get(user=police_referrer)
    assert [h.history_user for h in preference.history.all()] == [police_referrer, police_referrer]


def test_the_choice_is_only_offered_to_those_who_refer(client, facilitator):
    client.force_login(facilitator)
    page = client.get(reverse("accounts:account")).content.decode()
    assert 'name="referral_updates"' not in page
    assert facilitator.email in page


def test_the_account_page_needs_a_sign_in(client):
    assert client.get(reverse("accounts:account")).status_code == 302
