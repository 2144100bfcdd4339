"""The API against its own OpenAPI schema (Schemathesis): for every operation, generated requests get no
server error, and every answer (status, content type, headers, body) is one the schema documents.

Bounded so it stays quick in CI: a few examples per operation, for two callers (a manager, who may do
everything, and a police referrer, who sees status only), on a real case whose reference every case path uses.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import client_for
from tests.walk import refer, to_assessment

MAX_EXAMPLES = 6
COVERAGE_PHASE = False
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


# Loaded from the running application, as a client would; schema generation needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.phases.coverage.enabled = COVERAGE_PHASE


@pytest.fixture
def unthrottled(settings):
    rates = {"token": "100000/minute", "anonymous": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture
def contract_case(police_referrer, manager, facilitator):
    """A case the callers may see, accepted and in assessment, with two people on it."""
    return to_assessment(refer(police_referrer), manager, facilitator)


@pytest.fixture
def tokens(manager, police_referrer):
    return {user.username: client_for(user).raw_token for user in (manager, police_referrer)}


def _call(case, token, reference):
    if "reference" in (case.path_parameters or {}):
        case.path_parameters["reference"] = reference
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_answer_to_a_manager_conforms(case, unthrottled, contract_case, tokens, manager):
    _call(case, tokens[manager.username], contract_case.reference)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_every_answer_to_a_police_referrer_conforms(case, unthrottled, contract_case, tokens, police_referrer):
    _call(case, tokens[police_referrer.username], contract_case.reference)
