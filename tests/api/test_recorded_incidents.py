"""POST /api/v1/recorded-incidents/bulk/: managers' tokens import (idempotent by crime reference); a rejected
row means nothing imported (422 naming each row) unless skip_invalid; police referrers' tokens are refused."""

import pytest

from recorded.models import RecordedIncident
from tests.recorded import conftest as recorded_helpers
from tests.recorded.conftest import police_row

pytestmark = pytest.mark.django_db
police_reference = recorded_helpers.police_reference  # the fixture
URL = "/api/v1/recorded-incidents/bulk/"


def json_row(number, **overrides):
    row = police_row(number, **overrides)
    row["strands"] = [s for s in row["strands"].split(";") if s]
    row["repeat_victim"] = False
    return row


def test_a_manager_imports_and_a_second_call_changes_nothing(police_reference, manager, api_client):
    client = api_client(manager)
    body = {"incidents": [json_row(1, strands="race;religion"), json_row(2)]}
    first = client.post(URL, body, format="json")
    assert first.status_code == 200, first.json()
    assert {k: first.json()[k] for k in ("rows", "created", "updated", "unchanged")} == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    again = client.post(URL, body, format="json")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    assert RecordedIncident.objects.count() == 2


def test_a_rejected_row_imports_nothing_unless_skip_invalid(police_reference, manager, api_client):
    client = api_client(manager)
    body = {"incidents": [json_row(1), json_row(2, ward="Atlantis"), json_row(3, strands="")]}
    refused = client.post(URL, body, format="json")
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["fields"] == {
        "incidents.2": ["ward 'Atlantis' is not a ward of the borough (give its code, like TRF01, or name)"],
        "incidents.3": ["strands is empty"],
    }
    assert not RecordedIncident.objects.exists()

    skipped = client.post(URL, {**body, "skip_invalid": True}, format="json")
    assert skipped.status_code == 200
    assert [x["row"] for x in skipped.json()["rejected"]] == [2, 3]
    assert list(RecordedIncident.objects.values_list("crime_reference", flat=True)) == ["06/100001/26"]


def test_a_police_referrers_token_is_refused(police_reference, police_referrer, api_client):
    response = api_client(police_referrer).post(URL, {"incidents": [json_row(1)]}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not RecordedIncident.objects.exists()
