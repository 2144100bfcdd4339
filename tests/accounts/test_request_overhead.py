"""What every signed-in page request pays before the page's own queries: the session, and the user with their
organisation (the header names it), their roles and confirmed second factors (behind the session's credentials
check, accounts.middleware.credentials_fingerprint) and their partnerships with their services' names (the header's
service name, every scope), in one query (accounts.backends.with_session_facts), which every later check reads from
the user object. django-otp wraps the lazy user twice, so what was read must be kept on the user itself, not on a
wrapper."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.walk import refer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["facilitator", "manager", "police_referrer"])
def test_a_signed_in_page_reads_roles_and_partnerships_once_and_the_organisation_with_the_user(
    client, request, police_referrer, persona
):
    case = refer(police_referrer)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    url = reverse("rjcases:detail", args=[case.reference])
    client.get(url)  # the session's first request stamps it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code in (200, 404)
    sqls = [q["sql"] for q in queries.captured_queries]
    users = [sql for sql in sqls if sql.startswith('SELECT "accounts_user"."id"')]
    assert len(users) == 1
    assert '"accounts_organisation"' in users[0]  # the organisation joined, not read after
    assert not [sql for sql in sqls if sql.startswith('SELECT "accounts_organisation"')]
    for table in ("auth_group", "accounts_user_partnerships", "otp_totp_totpdevice", "otp_static_staticdevice"):
        reading = [sql for sql in sqls if f'"{table}"' in sql]
        assert reading == users, table  # in the user's own query, and in no other
    assert user.partnership_ids  # which found something to read
    assert user.partnership_service_names


def test_what_the_users_query_reads_is_what_the_user_has(client, facilitator, police_referrer):
    """Roles, partnerships (with any text in a service's name) and confirmed second factors, read with the session's
    user, are the user's own: a second partnership, an unconfirmed device and another user's device change nothing."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.backends import DEVICES_READ, AccountBackend
    from accounts.models import Partnership

    other = Partnership.objects.create(name="Other", code="other", service_name='Restore, "Sale": & <Altrincham>')
    facilitator.partnerships.add(other)
    totp = TOTPDevice.objects.create(user=facilitator, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=facilitator, name="old phone", confirmed=False)
    static = StaticDevice.objects.create(user=facilitator, name="backup", confirmed=True)
    StaticDevice.objects.create(user=police_referrer, name="backup", confirmed=True)
    expected = get_user_model().objects.get(pk=facilitator.pk)
    read = AccountBackend().get_user(facilitator.pk)
    assert read.role_names == expected.role_names == frozenset({"facilitator"})
    assert read.partnership_ids == expected.partnership_ids
    assert other.pk in read.partnership_ids
    assert read.partnership_service_names == expected.partnership_service_names
    assert 'Restore, "Sale": & <Altrincham>' in read.partnership_service_names
    assert read.__dict__[DEVICES_READ] == [("static", static.pk), ("totp", totp.pk)]
    assert AccountBackend().get_user(police_referrer.pk).__dict__[DEVICES_READ] != []
    bare = AccountBackend().get_user(get_user_model().objects.create(username="nobody").pk)
    assert (bare.role_names, bare.partnership_ids, bare.__dict__[DEVICES_READ]) == (frozenset(), frozenset(), [])


def test_the_second_factors_read_with_the_user_serve_one_credentials_check_then_are_read_afresh(facilitator):
    """The session check at the start of the request takes them; a fingerprint made later in the same request (the
    session stamped again after enrolling) reads the devices from the database, so it holds the new one."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.backends import AccountBackend
    from accounts.middleware import credentials_fingerprint

    user = AccountBackend().get_user(facilitator.pk)
    before = credentials_fingerprint(user)
    assert before == credentials_fingerprint(AccountBackend().get_user(facilitator.pk))
    TOTPDevice.objects.create(user=facilitator, name="phone", confirmed=True)
    assert credentials_fingerprint(user) != before
    assert credentials_fingerprint(AccountBackend().get_user(facilitator.pk)) == credentials_fingerprint(user)
