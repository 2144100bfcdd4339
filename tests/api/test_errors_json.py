"""Every answer under /api/ is in the API's one JSON error shape, even the errors no API view gives: a body over
DATA_UPLOAD_MAX_MEMORY_SIZE, a path nothing matches (a newline in it included), a method not allowed, a bug.
The web pages' errors stay HTML."""

import pytest
from django.test import Client, override_settings
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as service_urlpatterns


def broken(request):
    raise RuntimeError("a bug, on purpose")


# This module is also the URLconf of the 500 tests: the service's URLs and two views that fail on purpose.
urlpatterns = [path("api/v1/test-broken/", broken), path("test-broken/", broken), *service_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("production")]

THREE_MB = 3 * 1024 * 1024


@pytest.fixture
def production():
    with override_settings(DEBUG=False):
        yield


@pytest.fixture
def token_client(manager, api_client):
    return api_client(manager)


def api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields", "reasons"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# Oversized bodies


@pytest.mark.parametrize("where", ["/api/v1/referrals/", "/api/v1/cases/", "/api/v1/no-such-thing/"])
def test_a_three_megabyte_json_body_is_refused_with_a_json_413(token_client, where):
    body = '{"summary": "' + "x" * THREE_MB + '"}'
    response = token_client.post(where, data=body, content_type="application/json")
    error = api_error(response, 413, "too_large")
    assert error["message"] == "The request body is too large."


def test_a_three_megabyte_form_body_is_refused_with_a_json_413(token_client):
    response = token_client.post(
        "/api/v1/referrals/", data="a=" + "x" * THREE_MB, content_type="application/x-www-form-urlencoded"
    )
    api_error(response, 413, "too_large")


def test_a_large_body_is_refused_without_a_token_too():
    response = Client().post("/api/v1/referrals/", data="x" * THREE_MB, content_type="application/json")
    api_error(response, 413, "too_large")


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_the_limit_is_djangos_setting(token_client):
    response = token_client.post(
        "/api/v1/referrals/", data='{"a": "' + "x" * 1000 + '"}', content_type="application/json"
    )
    api_error(response, 413, "too_large")


def test_a_body_within_the_limit_reaches_the_view(token_client):
    response = token_client.post("/api/v1/cases/", data='{"a": "' + "x" * 1000 + '"}', content_type="application/json")
    api_error(response, 405, "method_not_allowed")


# Unmatched paths


@pytest.mark.parametrize(
    "where",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/no%0Athing/",  # a newline in the path
        "/api/v1/%0A",
        "/api/nothing",  # under /api/ but outside v1
        "/api/%0A",
        "/api/",
        "/api/v2/cases/",
    ],
)
def test_any_unmatched_api_path_is_a_json_404(token_client, where):
    api_error(token_client.get(where), 404, "not_found")


def test_an_unmatched_api_path_is_a_json_404_without_a_token():
    api_error(Client().get("/api/nothing/at/all"), 404, "not_found")


def test_a_web_page_that_is_not_there_is_still_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page not found" in response.content.decode()


# Methods, bad requests and bugs


def test_a_method_not_allowed_is_json(token_client):
    api_error(token_client.delete("/api/v1/cases/"), 405, "method_not_allowed")


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_django_refuses_before_the_api_is_json(token_client):
    api_error(token_client.get("/api/v1/me/", HTTP_HOST="evil.example"), 400, "malformed")


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_a_bad_request_to_a_web_page_is_not_json(client):
    response = client.get("/cases/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_under_the_api_is_a_json_500(manager, api_client):
    client = api_client(manager)
    client.raise_request_exception = False
    error = api_error(client.get("/api/v1/test-broken/"), 500, "server_error")
    assert "bug" not in error["message"]  # nothing of the exception reaches the client


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_in_a_web_page_is_still_the_html_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
