"""API test helpers: a client signed in with a real API token (``client_for``), and a referral body built from codes
(``referral_body``). The fixtures every API-calling test shares (``api_client``, ``reference_data``,
``fresh_rate_limits``) are in tests/conftest.py."""

import pytest
from rest_framework.test import APIClient

from api.models import ApiToken


@pytest.fixture(autouse=True)
def every_test_starts_with_fresh_rate_limits(fresh_rate_limits):
    """Every API test starts with no rate-limit counts (``fresh_rate_limits`` is in tests/conftest.py, with
    ``api_client`` and ``reference_data``)."""


def client_for(user, *, keyword: str = "Bearer") -> APIClient:
    _token, raw = ApiToken.issue(user, name="Test system")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    client.raw_token = raw
    return client


def referral_body(**overrides) -> dict:
    body = {
        "route": "police",
        "incident": {
            "occurred_from": "2026-10-01T21:30:00+01:00",
            "ward": "TRF01",
            "place": "Bus stop outside the library",
            "crime_type": "public-order",
            "crime_reference": "06/123456/26",
            "summary": "Racist abuse shouted at a person waiting for a bus.",
        },
        "strands": ["race"],
        "parties": [
            {
                "role": "harmed",
                "first_name": "Amina",
                "last_name": "Testharmed",
                "address": "1 Harmed Street",
                "postcode": "m32 0th",
                "phone": "07700 900001",
                "email": "harmed@example.org",
            },
            {
                "role": "responsible",
                "first_name": "Kieran",
                "last_name": "Testresponsible",
                "address": "2 Responsible Road",
                "phone": "07700 900002",
                "email": "responsible@example.org",
            },
        ],
        "referrer": {"name": "PC Pat Police", "contact": "pat.police@example.org"},
    }
    body.update(overrides)
    return body
