"""Issue 19: every case page and API path of a Trafford case, with every id it takes (the caseworker scope walk's
``case_paths``, not a second walker), is a 404 for each role of Salford and for the regional lead."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.api.conftest import client_for
from tests.rjcases.test_caseworker_scope import _make_case, case_paths

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limits(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.mark.parametrize("persona", ["salford_manager", "salford_facilitator", "regional_lead"])
def test_every_path_of_another_partnerships_case_is_a_404(
    request, client, persona, police_referrer, manager, facilitator, caseworker
):
    case = _make_case(police_referrer, manager, facilitator, client_caseworker=caseworker)
    user = request.getfixturevalue(persona)
    api = client_for(user)
    client.force_login(user)
    wrong = []
    for path in case_paths(case):
        sender = api if path.startswith("/api/") else client
        statuses = {
            sender.get(path).status_code,
            sender.post(path, {}).status_code,
            sender.put(path, {}).status_code,
            sender.delete(path).status_code,
        }
        if not statuses <= {404, 405} or statuses == {405}:
            wrong.append(f"{path}: {sorted(statuses)}")
    assert not wrong, "\n".join(wrong)
