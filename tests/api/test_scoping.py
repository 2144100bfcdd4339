"""The token's user's role and organisation scope every answer as in the web interface: a police token sees
its own organisation's referrals (status, dates, outcome), never another organisation's, never a party's
name, contact details or notes. Every call that reads a case writes a read access row."""

import json

import pytest

from rjcases import services
from rjcases.models import ReadAccess
from tests.audit_tools import last_id
from tests.walk import refer, to_agreement

pytestmark = pytest.mark.django_db

PARTY_DETAILS = [
    "Amina",
    "Testharmed",
    "Kieran",
    "Testresponsible",
    "07700 900001",
    "07700 900002",
    "harmed@example.org",
    "responsible@example.org",
    "Harmed Street",
    "Responsible Road",
]
NOTE = "Confidential: the person harmed asked us not to call after 6pm."


@pytest.fixture
def our_case(police_referrer, manager, facilitator):
    case = to_agreement(refer(police_referrer), manager, facilitator, actions=1)
    services.add_note(case, facilitator, body=NOTE)
    return case


def summary_paths(reference):
    return [
        f"/api/v1/cases/{reference}/",
        f"/api/v1/cases/{reference}/timeline/",
        f"/api/v1/cases/{reference}/transitions/",
        "/api/v1/cases/",
    ]


def detail_paths(reference):
    return [
        f"/api/v1/cases/{reference}/{tail}/"
        for tail in (
            "parties",
            "consents",
            "assessments",
            "notes",
            "contacts",
            "activities",
            "agreement",
            "follow-ups",
            "feedback",
            "letters",
            "preparation-contacts",
        )
    ]


def test_a_police_token_sees_status_dates_and_outcome_and_no_party_details(api_client, police_referrer, our_case):
    client = api_client(police_referrer)
    seen = []
    for path in summary_paths(our_case.reference):
        response = client.get(path)
        assert response.status_code == 200, path
        seen.append(response.content.decode())
    text = "\n".join(seen)
    for secret in [*PARTY_DETAILS, NOTE, "Fay", "Facilitator"]:
        assert secret not in text
    detail = json.loads(seen[0])
    assert detail["state"] == "agreement"
    assert detail["details"] is None
    for path in detail_paths(our_case.reference):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "forbidden"
        assert not any(secret in response.content.decode() for secret in PARTY_DETAILS)


def test_a_police_token_never_sees_another_organisations_referral(api_client, other_police_referrer, our_case):
    client = api_client(other_police_referrer)
    assert client.get("/api/v1/cases/").json()["count"] == 0
    for path in summary_paths(our_case.reference)[:3] + detail_paths(our_case.reference):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    response = client.post(
        f"/api/v1/cases/{our_case.reference}/transitions/withdraw/",
        {"withdrawn_by": "referrer", "reason": "Not ours"},
        format="json",
    )
    assert response.status_code == 404
    our_case.refresh_from_db()
    assert our_case.state == "agreement"


def test_a_facilitator_sees_the_details(api_client, facilitator, our_case):
    client = api_client(facilitator)
    detail = client.get(f"/api/v1/cases/{our_case.reference}/").json()
    assert {p["name"] for p in detail["details"]["parties"]} == {"Amina Testharmed", "Kieran Testresponsible"}
    parties = client.get(f"/api/v1/cases/{our_case.reference}/parties/").json()
    assert {p["phone"] for p in parties} == {"07700 900001", "07700 900002"}
    notes = client.get(f"/api/v1/cases/{our_case.reference}/notes/").json()
    assert [n["body"] for n in notes] == [NOTE]


def test_the_list_filters_and_refuses_detail_filters_to_referrers(
    api_client, police_referrer, manager, our_case, facilitator
):
    other = refer(police_referrer, strands=("religion",))
    staff = api_client(manager)
    assert [c["reference"] for c in staff.get("/api/v1/cases/?strand=religion").json()["results"]] == [other.reference]
    assert [c["reference"] for c in staff.get("/api/v1/cases/?state=agreement").json()["results"]] == [
        our_case.reference
    ]
    assert staff.get("/api/v1/cases/?updated_since=2999-01-01").json()["error"]["code"] == "invalid"
    since = other.updated_at.isoformat()
    assert [c["reference"] for c in staff.get("/api/v1/cases/", {"updated_since": since}).json()["results"]] == [
        other.reference
    ]
    police = api_client(police_referrer)
    assert police.get("/api/v1/cases/?state=referral").json()["count"] == 1
    response = police.get("/api/v1/cases/?strand=religion")
    assert response.status_code == 422
    assert "strand" in response.json()["error"]["fields"]


def test_the_list_is_paginated(api_client, police_referrer):
    for _ in range(3):
        refer(police_referrer)
    page = api_client(police_referrer).get("/api/v1/cases/?page_size=2").json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"]


def test_every_call_that_reads_a_case_writes_a_read_access_row(api_client, police_referrer, facilitator, our_case):
    since = last_id(ReadAccess)
    police = api_client(police_referrer)
    police.get(f"/api/v1/cases/{our_case.reference}/")
    police.get(f"/api/v1/cases/{our_case.reference}/timeline/")
    police.get(f"/api/v1/cases/{our_case.reference}/transitions/")
    rows = list(
        ReadAccess.objects.filter(user=police_referrer, id__gt=since)
        .order_by("id")
        .values_list("case_id", "what", "path")
    )
    assert rows == [
        (our_case.pk, "case", f"/api/v1/cases/{our_case.reference}/"),
        (our_case.pk, "timeline", f"/api/v1/cases/{our_case.reference}/timeline/"),
        (our_case.pk, "case", f"/api/v1/cases/{our_case.reference}/transitions/"),
    ]
    api_client(facilitator).get(f"/api/v1/cases/{our_case.reference}/parties/")
    party_rows = ReadAccess.objects.filter(user=facilitator, what="party")
    assert sorted(int(r.object_id) for r in party_rows) == sorted(our_case.parties.values_list("pk", flat=True))


def test_the_query_count_of_the_case_list_does_not_grow_with_cases(
    api_client, manager, police_referrer, django_assert_max_num_queries
):
    client = api_client(manager)
    refer(police_referrer)
    client.get("/api/v1/cases/")
    for _ in range(5):
        refer(police_referrer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/cases/").json()["count"] == 6
