"""Rate limits per token (429 with Retry-After), the one error shape, the OpenAPI schema and the docs page."""

import re

import pytest
from django.contrib.staticfiles import finders
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(settings):
    rates = {"token": "3/minute", "anonymous": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_a_token_over_its_rate_gets_429_and_others_do_not(three_a_minute, api_client, police_referrer):
    busy, calm = api_client(police_referrer), api_client(police_referrer)
    assert [busy.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = busy.get("/api/v1/me/")
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert int(response["Retry-After"]) > 0
    assert calm.get("/api/v1/me/").status_code == 200


def test_calls_without_a_token_are_limited_by_address(three_a_minute):
    client = APIClient()
    assert [client.get("/api/v1/schema/").status_code for _ in range(2)] == [200, 200]
    assert client.get("/api/v1/schema/").status_code == 429


def test_an_unknown_api_path_is_a_json_404():
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_schema_is_openapi_3_json_with_the_contract_paths():
    response = APIClient().get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/referrals/",
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        "/api/v1/cases/{reference}/transitions/",
        "/api/v1/cases/{reference}/transitions/{name}/",
        "/api/v1/cases/{reference}/timeline/",
        "/api/v1/cases/{reference}/letters/",
        "/api/v1/cases/{reference}/letters/{letter_id}/pdf/",
        "/api/v1/insights/hotspots/",
    ]:
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    take = schema["paths"]["/api/v1/cases/{reference}/transitions/{name}/"]["post"]["responses"]
    assert {"200", "403", "409", "422"} <= set(take)


def test_the_docs_page_runs_under_the_csp_with_no_inline_script(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    assert all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page
    assert "cdn" not in page.lower()
    init = re.findall(r'<script src="(/api/v1/docs/[^"]*)"', page)[0]
    script = client.get(init.replace("&amp;", "&"))
    assert script.status_code == 200
    assert "javascript" in script["Content-Type"]
    assert "/api/v1/schema/" in script.content.decode()
    # Swagger UI itself is a static file of this site (collected from drf-spectacular-sidecar), not a CDN's.
    for src in re.findall(r'<script src="/static/([^"]+)"', page):
        assert finders.find(src), src


REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache(settings):
    """Django's Redis cache on a database of its own, emptied before and after (skipped where no Redis runs)."""
    import redis

    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"No Redis at {REDIS_URL}: the shared rate-limit cache is not tested here.")
    server.flushdb()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "rjcases",
        }
    }
    yield server
    server.flushdb()


def test_with_a_shared_cache_the_count_is_in_redis_where_every_process_sees_it(
    three_a_minute, redis_cache, api_client, police_referrer
):
    client = api_client(police_referrer)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert client.get("/api/v1/me/").status_code == 429
    keys = [key.decode() for key in redis_cache.keys("rjcases:*throttle_token_*")]
    assert len(keys) == 1  # the count another process (or server) would read
    redis_cache.flushdb()  # as if the minute had passed, for every process at once
    assert client.get("/api/v1/me/").status_code == 200


def test_the_letter_pdf_documents_its_409_and_503_in_the_error_shape():
    schema = APIClient().get("/api/v1/schema/").json()
    answers = schema["paths"]["/api/v1/cases/{reference}/letters/{letter_id}/pdf/"]["get"]["responses"]
    assert "letter_file_not_written" in answers["409"]["description"]
    assert "letter_store_unavailable" in answers["503"]["description"]
    for code in ("409", "503"):
        assert answers[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
