"""403, 404, 500 and stale-form pages in the service's own style, with DEBUG off (as pytest-django runs)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.urls("tests.accounts.error_urls")


def template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def test_debug_is_off_in_these_tests():
    assert not settings.DEBUG


def test_a_missing_page_is_the_services_404(facilitator, client):
    client.force_login(facilitator)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "errors/404.html" in template_names(response)
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "Page not found – " in page  # the title
    assert "Fay Facilitator" in page  # the usual header


def test_a_refused_page_is_the_services_403(facilitator, client):
    client.force_login(facilitator)
    response = client.get("/test-forbidden/")
    assert response.status_code == 403
    assert "errors/403.html" in template_names(response)
    assert "You do not have access to this page" in response.content.decode()


def test_a_crash_is_the_services_500(facilitator):
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    response = client.get("/test-broken/")
    assert response.status_code == 500
    assert "errors/500.html" in template_names(response)
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert settings.SERVICE_NAME in page
    assert "build/app.css" in page
    assert "a bug, on purpose" not in page


def test_a_stale_form_is_a_plain_403_that_says_what_to_do(facilitator):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "facilitator", "password": "x"})
    assert response.status_code == 403
    assert "errors/csrf.html" in template_names(response)
    assert "This form has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session
