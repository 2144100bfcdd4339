"""API tokens: made by an administrator (admin or command) and shown once, stored hashed, revocable, with
their last use recorded; no token, a wrong one, a revoked one or a deactivated user's is a 401."""

import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields", "reasons"}
    return body["error"]


def test_a_token_is_stored_only_as_its_hash(police_referrer):
    token, raw = ApiToken.issue(police_referrer, name="Force system")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.token_hash, stored.prefix, stored.name}
    assert raw.startswith(stored.prefix)
    assert len(raw) > 40


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_bearer_and_token_headers_sign_in_as_the_tokens_user(api_client, police_referrer, keyword):
    from tests.api.conftest import client_for

    response = client_for(police_referrer, keyword=keyword).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == police_referrer.username
    assert response.json()["role"] == "police_referrer"


def test_no_token_is_a_401_in_the_error_shape():
    response = APIClient().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert error_of(response)["code"] == "not_authenticated"


def test_a_wrong_token_is_a_401(police_referrer):
    ApiToken.issue(police_referrer, name="Real")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer rjk_not-a-real-token")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_a_revoked_token_is_a_401(api_client, police_referrer, manager):
    client = api_client(police_referrer)
    assert client.get("/api/v1/cases/").status_code == 200
    ApiToken.objects.get(user=police_referrer).revoke(by=manager)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_a_deactivated_users_token_is_a_401(api_client, police_referrer):
    client = api_client(police_referrer)
    police_referrer.is_active = False
    police_referrer.save(update_fields=["is_active"])
    assert client.get("/api/v1/cases/").status_code == 401


def test_the_last_used_time_is_recorded(api_client, police_referrer):
    client = api_client(police_referrer)
    token = ApiToken.objects.get(user=police_referrer)
    assert token.last_used_at is None
    client.get("/api/v1/me/")
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_the_command_prints_a_working_token_once(police_referrer):
    out, err = StringIO(), StringIO()
    call_command("create_api_token", police_referrer.username, "--name", "Force records", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert "not shown again" in err.getvalue()
    token = ApiToken.objects.get(user=police_referrer)
    assert token.name == "Force records"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me/").json()["token_name"] == "Force records"


def test_the_command_refuses_an_unknown_or_deactivated_user(police_referrer):
    with pytest.raises(CommandError, match="no user"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    police_referrer.is_active = False
    police_referrer.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_api_token", police_referrer.username, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_an_administrator_makes_a_token_in_the_admin_and_sees_it_once(client, police_referrer):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/api/apitoken/add/", {"user": police_referrer.pk, "name": "Force records"}, follow=True
    )
    raw = re.search(r"is (rjk_[\w-]+) ", response.content.decode()).group(1)
    token = ApiToken.objects.get(user=police_referrer)
    assert token.created_by == admin
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    page = client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page
    assert token.prefix in page

    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.revoked_by == admin
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me/").status_code == 401
