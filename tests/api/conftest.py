"""API test helpers: a client signed in with a real API token, and a referral body built from codes."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.models import ApiToken
from rjcases.models import CrimeType, HateStrand, ReferralRoute, Ward
from tests.factories import reference


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate limit counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def letters_in_tmp(settings, tmp_path):
    """Transitions store letters as files: keep them out of the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reference_data(db):
    """The codes a partner system sends, as the reference fixtures name them."""
    for code in ("police", "reporting-centre", "victim-service", "self-referral"):
        reference(ReferralRoute, code)
    for code in ("race", "religion", "disability"):
        reference(HateStrand, code)
    for code in ("TRF01", "TRF02"):
        reference(Ward, code)
    for code in ("public-order", "violence"):
        reference(CrimeType, code)


def client_for(user, *, keyword: str = "Bearer") -> APIClient:
    _token, raw = ApiToken.issue(user, name="Test system")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {raw}")
    client.raw_token = raw
    return client


@pytest.fixture
def api_client():
    """``api_client(user)``: a client sending a fresh API token of ``user``."""
    return client_for


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
