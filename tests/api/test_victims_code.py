"""The Victims' Code in the API: the report date at referral, the clocks with their basis, enhanced rights
changed after intake, complaints; refused writes are 403 or 422 and change nothing."""

import pytest

from rjcases.models import Case, Complaint
from rjcases.services import allocate
from tests.api.conftest import referral_body

pytestmark = pytest.mark.django_db


def refer(client, **incident):
    body = referral_body(received_on="2026-11-30")
    body["incident"].update(incident)
    response = client.post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 201, response.json()
    return Case.objects.get(reference=response.json()["reference"])


def test_the_referral_takes_the_report_date_and_the_clocks_run_from_it(api_client, police_referrer, reference_data):
    case = refer(api_client(police_referrer), reported_on="2026-11-26", reported_by="witness")
    # Thursday 26 November + 5 working days: Thursday 3 December (the referral came on Monday 30 November).
    assert case.rj_information_due_on.isoformat() == "2026-12-03"
    assert (case.incident.reported_by, case.incident.reported_on.isoformat()) == ("witness", "2026-11-26")


def test_a_report_date_after_the_referral_is_a_422_naming_the_field(api_client, police_referrer, reference_data):
    body = referral_body(received_on="2026-11-25")
    body["incident"]["reported_on"] = "2026-11-26"
    response = api_client(police_referrer).post("/api/v1/referrals/", body, format="json")
    assert response.status_code == 422
    assert "reported_on" in str(response.json()["error"]["fields"])
    assert not Case.objects.exists()


def test_clocks_enhanced_rights_and_complaints(api_client, police_referrer, manager, facilitator, reference_data):
    case = allocate(refer(api_client(police_referrer)), manager, facilitator=facilitator)
    client = api_client(facilitator)
    code = client.get(f"/api/v1/cases/{case.reference}/victims-code/").json()
    rj = code["clocks"][0]
    assert (rj["key"], rj["due_on"]) == ("rj_information", "2026-12-07")
    assert rj["basis"].endswith("Counted from the referral: report date not recorded.")
    url = f"/api/v1/cases/{case.reference}/victims-code/enhanced-rights/"
    assert client.put(url, {"enhanced": True, "reason": ""}, format="json").status_code == 422
    assert api_client(police_referrer).put(url, {"enhanced": True, "reason": "x"}, format="json").status_code == 403
    assert client.put(url, {"enhanced": True, "reason": "Vulnerable"}, format="json").status_code == 200
    assert Case.objects.get(pk=case.pk).rj_information_due_on.isoformat() == "2026-12-01"
    made = client.post(
        f"/api/v1/cases/{case.reference}/complaints/",
        {"complainant": "harmed", "about": "Slow", "received_on": "2026-11-30"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["acknowledge_due_on"] == "2026-12-07"
    respond = f"/api/v1/cases/{case.reference}/complaints/{made.json()['id']}/response/"
    answer = {"responded_on": "2026-12-01", "response": "Sorry", "outcome": "upheld"}
    assert client.post(respond, answer, format="json").status_code == 403  # managers respond
    assert api_client(manager).post(respond, answer, format="json").status_code == 200
    assert Complaint.objects.get().outcome == "upheld"


def test_a_person_who_asked_not_to_be_contacted_makes_the_contact_clocks_not_applicable(
    api_client, police_referrer, manager, reference_data
):
    case = refer(api_client(police_referrer))
    harmed = case.parties.get(role="harmed")
    client = api_client(manager)
    url = f"/api/v1/cases/{case.reference}/parties/{harmed.pk}/"
    assert client.patch(url, {"asked_not_to_be_contacted": True}, format="json").status_code == 200
    found = {c["key"]: c for c in client.get(f"/api/v1/cases/{case.reference}/victims-code/").json()["clocks"]}
    assert found["rj_information"]["status"] == found["first_contact"]["status"] == "not_applicable"
    assert found["first_contact"]["reason"] == "The person harmed asked not to be contacted."
