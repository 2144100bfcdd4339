"""Sign-in limits against spraying (accounts.signin_limits): per address across usernames, per username across
addresses, besides axes' per username and address; each lock in the security log; the owner's password reset
ends the username lock; the pages say the same whether or not a username exists."""

import re
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessFailureLog
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import services
from accounts.models import SecurityEvent
from tests.accounts.conftest import PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]

SPRAYED = "Winter2026!"  # one common password tried against many usernames
LOCKED_MESSAGE = "There were too many failed attempts to sign in"
ATTACKER = "203.0.113.66"


@pytest.fixture
def production():
    with override_settings(DEBUG=False, RJ_TWO_FACTOR_REQUIRED=True):
        yield


@pytest.fixture
def post_sign_in(client):
    def post(username, password=SPRAYED, address=ATTACKER):
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    return post


def locks(scope):
    return SecurityEvent.objects.filter(action=SecurityEvent.Action.SIGNIN_LOCKED, details__scope=scope)


def addresses(count, start=1):
    return [f"198.51.100.{n}" for n in range(start, start + count)]


def lock_username_from_many_addresses(post_sign_in, username, start=1):
    return [post_sign_in(username, address=address).status_code for address in addresses(10, start)]


# Per address, whatever the usernames


def test_one_password_against_thirty_usernames_from_one_address_is_stopped_at_the_twentieth(rj_service, post_sign_in):
    usernames = [f"user{n:02d}" for n in range(30)]
    for username in usernames[::3]:
        UserFactory(username=username, organisation=rj_service)  # some of them real accounts
    statuses = [post_sign_in(username).status_code for username in usernames]
    assert statuses == [200] * 19 + [429] * 11
    assert AccessFailureLog.objects.filter(ip_address=ATTACKER).count() == 20  # refusals while locked not counted
    lock = locks("address").get()
    assert lock.details["ip_address"] == ATTACKER
    assert lock.details["failures"] == 20
    assert lock.subject_name == ATTACKER
    assert lock.actor is None


def test_the_locked_address_is_refused_even_the_right_password_and_other_addresses_are_not(
    facilitator, post_sign_in, client
):
    for n in range(20):
        post_sign_in(f"nobody{n}")
    response = post_sign_in("facilitator", PASSWORD)
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert post_sign_in("facilitator", PASSWORD, address="192.0.2.10").status_code == 302


def test_nineteen_failures_from_an_address_do_not_lock_it(facilitator, post_sign_in):
    for n in range(19):
        assert post_sign_in(f"nobody{n}").status_code == 200
    assert post_sign_in("facilitator", PASSWORD).status_code == 302
    assert not locks("address").exists()


def test_failures_older_than_the_window_do_not_count_towards_the_address_limit(post_sign_in):
    for n in range(19):
        post_sign_in(f"nobody{n}")
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert post_sign_in("nobody-else").status_code == 200
    assert not locks("address").exists()


def test_the_address_lock_ends_after_fifteen_minutes(facilitator, post_sign_in, monkeypatch):
    for n in range(20):
        post_sign_in(f"nobody{n}")
    locked_at = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: locked_at + timedelta(minutes=14))
    assert post_sign_in("facilitator", PASSWORD).status_code == 429
    monkeypatch.setattr(timezone, "now", lambda: locked_at + timedelta(minutes=15, seconds=5))
    assert post_sign_in("facilitator", PASSWORD).status_code == 302


@override_settings(RJ_SIGNIN_ADDRESS_LIMIT=3)
def test_the_address_limit_is_a_setting(post_sign_in):
    assert [post_sign_in(f"nobody{n}").status_code for n in range(4)] == [200, 200, 429, 429]


def test_the_limit_is_kept_in_the_database_not_in_one_process(post_sign_in):
    """A second process has its own memory and cache: a fresh handler and an empty cache still see the lock."""
    for n in range(20):
        post_sign_in(f"nobody{n}")
    cache.clear()
    AxesProxyHandler.implementation = None
    other_process = Client()
    response = other_process.post(
        reverse("accounts:login"), {"username": "someone", "password": SPRAYED}, REMOTE_ADDR=ATTACKER
    )
    assert response.status_code == 429
    assert type(AxesProxyHandler.get_implementation()).__name__ == "SignInLimitsHandler"


# Per username, whatever the addresses


def test_one_username_from_many_addresses_is_locked_at_the_tenth_failure(facilitator, post_sign_in, client):
    assert lock_username_from_many_addresses(post_sign_in, "facilitator") == [200] * 9 + [429]
    response = post_sign_in("facilitator", PASSWORD, address="192.0.2.10")
    assert response.status_code == 429
    page = response.content.decode()
    assert "locked for 24 hours" in page
    assert "choosing a new password" in page
    assert "_auth_user_id" not in client.session
    lock = locks("username").get()
    assert lock.subject_user == facilitator
    assert lock.details["username"] == "facilitator"
    assert lock.details["failures"] == 10


def test_the_username_lock_does_not_touch_other_usernames(facilitator, other_facilitator, post_sign_in):
    lock_username_from_many_addresses(post_sign_in, "facilitator")
    assert post_sign_in("facilitator2", PASSWORD, address="192.0.2.10").status_code == 302


def test_failures_older_than_a_day_do_not_count_towards_the_username_limit(facilitator, post_sign_in):
    for address in addresses(9):
        post_sign_in("facilitator", address=address)
    AccessFailureLog.objects.update(attempt_time=timezone.now() - timedelta(hours=24, minutes=1))
    assert post_sign_in("facilitator", address="192.0.2.10").status_code == 200
    assert not locks("username").exists()


def test_the_username_lock_lasts_a_day(facilitator, post_sign_in, monkeypatch):
    lock_username_from_many_addresses(post_sign_in, "facilitator")
    locked_at = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: locked_at + timedelta(hours=23, minutes=59))
    assert post_sign_in("facilitator", PASSWORD, address="192.0.2.10").status_code == 429
    monkeypatch.setattr(timezone, "now", lambda: locked_at + timedelta(hours=24, seconds=5))
    assert post_sign_in("facilitator", PASSWORD, address="192.0.2.10").status_code == 302


def test_the_owners_password_reset_ends_the_username_lock(administrator, facilitator, post_sign_in, client):
    lock_username_from_many_addresses(post_sign_in, "facilitator")
    link = services.issue_password_reset_path(administrator, facilitator)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    new_password = "a-brand-new-Passphrase-77"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    ended = SecurityEvent.objects.get(action=SecurityEvent.Action.SIGNIN_LOCK_ENDED)
    assert ended.subject_user == facilitator
    assert post_sign_in("facilitator", new_password, address="192.0.2.10").status_code == 302


def test_after_the_reset_the_old_failures_no_longer_count(facilitator, post_sign_in):
    lock_username_from_many_addresses(post_sign_in, "facilitator")
    facilitator.set_password("a-brand-new-Passphrase-77")
    facilitator.save()
    # A new lock needs ten new failures: nine from fresh addresses do not lock.
    assert [post_sign_in("facilitator", address=a).status_code for a in addresses(9, start=50)] == [200] * 9
    assert post_sign_in("facilitator", address="198.51.100.99").status_code == 429
    assert locks("username").count() == 2


def test_a_password_change_without_a_lock_records_nothing(facilitator):
    facilitator.set_password("a-brand-new-Passphrase-77")
    facilitator.save()
    assert not SecurityEvent.objects.filter(action=SecurityEvent.Action.SIGNIN_LOCK_ENDED).exists()


def test_an_administrators_unlock_ends_the_username_lock(administrator, facilitator, post_sign_in):
    lock_username_from_many_addresses(post_sign_in, "facilitator")
    services.unlock_account(administrator, username="facilitator", reason="Phoned; identity checked")
    assert post_sign_in("facilitator", PASSWORD, address="192.0.2.10").status_code == 302


def test_an_administrators_unlock_ends_the_address_lock(administrator, facilitator, post_sign_in):
    for n in range(20):
        post_sign_in(f"nobody{n}")
    services.unlock_account(administrator, ip_address=ATTACKER, reason="Our office's address")
    assert post_sign_in("facilitator", PASSWORD).status_code == 302


# Per username and address (axes' own), now recorded too


def test_axes_lock_per_username_and_address_is_recorded(facilitator, post_sign_in):
    statuses = [post_sign_in("facilitator").status_code for _ in range(6)]
    assert statuses == [200] * 4 + [429] * 2
    lock = locks("username_and_address").get()
    assert lock.subject_user == facilitator
    assert lock.details["ip_address"] == ATTACKER
    assert "locked for 15 minutes" in post_sign_in("facilitator", PASSWORD).content.decode()


# What the pages say


def _normalised(response) -> str:
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'nonce="[^"]+"', "", page)
    return page.replace("ghost", "USERNAME").replace("facilitator", "USERNAME")


def test_the_pages_do_not_tell_whether_a_username_exists(facilitator, post_sign_in):
    real = [post_sign_in("facilitator", address=address) for address in addresses(10)]
    ghost = [post_sign_in("ghost", address=address) for address in addresses(10, start=20)]
    assert [r.status_code for r in real] == [r.status_code for r in ghost] == [200] * 9 + [429]
    for real_page, ghost_page in zip(real, ghost, strict=True):
        assert _normalised(real_page) == _normalised(ghost_page)
    assert LOCKED_MESSAGE in real[-1].content.decode()
    assert locks("username").count() == 2  # a username with no account is locked and recorded just the same


def test_the_locks_are_shown_to_administrators_in_the_security_log(administrator, confirmed_device, post_sign_in):
    for n in range(20):
        post_sign_in(f"nobody{n}")
    admin = Client()
    admin.force_login(administrator)
    session = admin.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(administrator).persistent_id
    session.save()
    page = admin.get(reverse("security_log"), {"action": SecurityEvent.Action.SIGNIN_LOCKED})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Sign-in locked after failed attempts" in text
    assert ATTACKER in text
    assert "20 failed sign-ins from this address" in text
