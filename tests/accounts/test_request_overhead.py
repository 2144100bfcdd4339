"""What every signed-in page request pays before the page's own queries: the session, the user with their
organisation (the header names it) and one query for the roles and confirmed second factors behind the session's
credentials check (accounts.middleware.credentials_fingerprint) and the user's partnerships with their services'
names (the header's service name, every scope), which every later check reads from the user object. django-otp
wraps the lazy user twice, so what was read must be kept on the user itself, not on a wrapper."""

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
    reading_roles = [sql for sql in sqls if '"auth_group"' in sql]
    assert len(reading_roles) == 1, reading_roles
    assert "UNION ALL" in reading_roles[0]  # with the second factors, in one query
    reading_partnerships = [sql for sql in sqls if '"accounts_user_partnerships"' in sql]
    assert reading_partnerships == reading_roles  # the same query
    assert user.partnership_ids  # which found something to read
    assert user.partnership_service_names
    users = [sql for sql in sqls if sql.startswith('SELECT "accounts_user"."id"')]
    assert len(users) == 1
    assert '"accounts_organisation"' in users[0]  # the organisation joined, not read after
    assert not [sql for sql in sqls if sql.startswith('SELECT "accounts_organisation"')]
