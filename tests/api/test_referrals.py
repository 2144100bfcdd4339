"""POST /api/v1/referrals/: a referral by codes makes one case (201, reference and state); an Idempotency-Key
makes a retry return the first answer; wrong input names the field and changes nothing."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from api.models import IdempotencyKey
from rjcases.models import Case, Party
from tests.api.conftest import client_for, referral_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


def post(client, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, format="json", **headers)


def test_a_police_referral_makes_a_case_in_referral(api_client, police_referrer, reference_data):
    response = post(api_client(police_referrer), referral_body())
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert body["state"] == case.state == "referral"
    assert response["Location"] == body["url"] == f"/api/v1/cases/{case.reference}/"
    assert case.referring_organisation == police_referrer.organisation
    assert case.referred_by == police_referrer
    assert case.incident.ward.code == "TRF01"
    assert case.incident.crime_type.code == "public-order"
    assert [s.code for s in case.incident.strands.all()] == ["race"]
    harmed = case.parties.get(role=Party.Role.HARMED)
    assert (harmed.first_name, harmed.postcode, harmed.phone) == ("Amina", "M32 0TH", "07700 900001")
    assert case.transitions.get().name == "refer"


def test_the_same_idempotency_key_twice_makes_one_case(api_client, police_referrer, reference_data):
    client = api_client(police_referrer)
    first = post(client, referral_body(), key="force-ref-0001")
    again = post(client, referral_body(), key="force-ref-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_and_makes_nothing(api_client, police_referrer, reference_data):
    client = api_client(police_referrer)
    post(client, referral_body(), key="force-ref-0002")
    other = referral_body(strands=["religion"])
    response = post(client, other, key="force-ref-0002")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in error["fields"]
    assert Case.objects.count() == 1


def test_an_expired_key_starts_a_new_request_and_is_purged(api_client, police_referrer, reference_data, settings):
    settings.RJ_API_IDEMPOTENCY_HOURS = 24
    client = api_client(police_referrer)
    first = post(client, referral_body(), key="old-key")
    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=23))
    assert post(client, referral_body(), key="old-key").json() == first.json()  # still replayed
    assert Case.objects.count() == 1

    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=25))
    post(client, referral_body(), key="recent-key")
    second = post(client, referral_body(), key="old-key")
    assert second.status_code == 201
    assert "Idempotent-Replayed" not in second
    assert second.json()["reference"] != first.json()["reference"]
    assert Case.objects.count() == 3
    assert IdempotencyKey.objects.filter(key="old-key").get().response_body == second.json()

    IdempotencyKey.objects.filter(key="old-key").update(created_at=timezone.now() - timedelta(hours=30))
    out = io.StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent-key"]
    assert "Deleted 1 idempotency key(s) older than 24 hours." in out.getvalue()


def test_keys_belong_to_their_user(api_client, police_referrer, other_police_referrer, reference_data):
    post(api_client(police_referrer), referral_body(), key="shared-key")
    response = post(api_client(other_police_referrer), referral_body(), key="shared-key")
    assert response.status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_request_is_not_remembered(api_client, police_referrer, reference_data):
    client = api_client(police_referrer)
    assert post(client, referral_body(strands=[]), key="fix-and-retry").status_code == 422
    assert not IdempotencyKey.objects.exists()
    assert post(client, referral_body(), key="fix-and-retry").status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_makes_one_case(police_referrer, reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL")
    clients = [client_for(police_referrer), client_for(police_referrer)]
    barrier = threading.Barrier(2, timeout=20)
    answers = []

    def send(client):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            response = post(client, referral_body(), key="at-once")
            answers.append((response.status_code, response.json()["reference"]))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert answers[0][0] == 201
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"strands": []}, "strands"),
        ({"strands": ["no-such-strand"]}, "strands"),
        ({"route": "nowhere"}, "route"),
        ({"incident": {**referral_body()["incident"], "ward": "XX99"}}, "incident.ward"),
        (
            {"incident": {**referral_body()["incident"], "occurred_from": "2099-01-01T10:00:00Z"}},
            "incident.occurred_from",
        ),
        ({"incident": {**referral_body()["incident"], "crime_reference": "not a ref"}}, "incident.crime_reference"),
        ({"parties": [{"role": "harmed", "first_name": ""}]}, "parties"),
        ({"parties": [{"role": "harmed", "first_name": "Amina", "postcode": "NOT A POSTCODE"}]}, "parties.0.postcode"),
        ({"parties": []}, "parties"),
        ({"enhanced_rights": True}, "enhanced_rights_reason"),
        ({"report_kind": "assisted"}, "report_kind"),
    ],
)
def test_wrong_input_names_the_field_and_makes_nothing(api_client, police_referrer, reference_data, change, field):
    response = post(api_client(police_referrer), referral_body(**change))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert not Case.objects.exists()


def test_a_route_that_is_not_theirs_is_refused(api_client, police_referrer, reference_data):
    response = post(api_client(police_referrer), referral_body(route="victim-service"))
    assert response.status_code == 422
    assert "police" in response.json()["error"]["fields"]["route"][0]
    assert not Case.objects.exists()


def test_someone_who_cannot_refer_gets_403(api_client, administrator, reference_data):
    response = post(api_client(administrator), referral_body())
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_an_anonymous_centre_report_needs_no_names(api_client, centre_staff, reference_data):
    body = referral_body(route="reporting-centre", parties=[], report_kind="anonymous", consents_to_police=False)
    response = post(api_client(centre_staff), body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.reporting_centre == centre_staff.organisation
    assert case.report_kind == "anonymous"
    assert [p.first_name for p in case.parties.all()] == ["Anonymous"]


def test_malformed_json_is_a_400(api_client, police_referrer, reference_data):
    response = api_client(police_referrer).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed"
