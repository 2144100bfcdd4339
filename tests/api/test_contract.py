"""The API against its own OpenAPI schema (Schemathesis): generated requests to every operation, valid and
invalid, get no server error, and every answer (status, content type, headers, body) is one the schema
documents.

Bounded so it stays quick in CI: a fixed number of examples spread over all operations, for two callers (a
manager, who may do everything, and a police referrer, who sees status only), on one real case whose
reference every case path uses, so the answers come from real data and the case moves as the examples run.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import client_for
from tests.walk import refer, to_assessment

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

# Loaded from the running application, as a client would; schema generation needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
any_request = st.one_of(schema.as_strategy(GenerationMode.POSITIVE), schema.as_strategy(GenerationMode.NEGATIVE))
bounded = settings(
    max_examples=250, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Schemathesis calls the WSGI application itself, whose request signals would close the database
    connection (and with it the test's transaction); Django's own test client unhooks them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    rates = {"token": "100000/minute", "anonymous": "100000/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


@pytest.fixture
def contract_case(unthrottled, police_referrer, manager, facilitator):
    """A case both callers may see, accepted and in assessment, with two people on it."""
    return to_assessment(refer(police_referrer), manager, facilitator)


def _call_and_validate(case, token: str, reference: str) -> None:
    if "reference" in (case.path_parameters or {}):
        case.path_parameters["reference"] = reference
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.django_db
def test_every_answer_to_a_manager_conforms(contract_case, manager):
    token = client_for(manager).raw_token

    @bounded
    @given(case=any_request)
    def run(case):
        _call_and_validate(case, token, contract_case.reference)

    run()


@pytest.mark.django_db
def test_every_answer_to_a_police_referrer_conforms(contract_case, police_referrer):
    token = client_for(police_referrer).raw_token

    @bounded
    @given(case=any_request)
    def run(case):
        _call_and_validate(case, token, contract_case.reference)

    run()
