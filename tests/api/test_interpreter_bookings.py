"""The API's interpreter bookings under an activity: who may list, book and confirm (403 in scope, 404 outside),
the errors in the API's one shape, and the confirmation of the activity refused (422) until the booking is
confirmed."""

import pytest

from conferences.models import InterpreterBooking
from rjcases import services
from rjcases.models import Case
from tests.walk import plan_activity, refer, to_preparation

pytestmark = pytest.mark.django_db


@pytest.fixture
def bsl_case(police_referrer, manager, facilitator):
    case = to_preparation(refer(police_referrer), manager, facilitator)
    services.update_party(case.parties.get(role="harmed"), facilitator, bsl=True)
    plan_activity(case, facilitator)
    return case


def bookings_url(case):
    return f"/api/v1/cases/{case.reference}/activities/{case.current_activity.pk}/interpreter-bookings/"


def harmed_id(case):
    return case.parties.get(role="harmed").pk


def test_a_facilitator_books_confirms_and_then_confirms_the_activity(api_client, bsl_case, facilitator):
    client = api_client(facilitator)
    refused = client.post(f"/api/v1/cases/{bsl_case.reference}/transitions/schedule_activity/", {}, format="json")
    assert refused.status_code == 422
    assert refused.json()["error"]["reasons"] == [
        "Book an interpreter (British Sign Language (BSL)) for Amina Testharmed, and confirm the booking."
    ]
    made = client.post(
        bookings_url(bsl_case),
        {
            "party": harmed_id(bsl_case),
            "provider": "Signs North",
            "registration_number": "NRCPD 7654321",
            "cost_pence": 9000,
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    booking = made.json()
    assert (booking["language"], booking["registration_number"], booking["confirmed"]) == (
        "British Sign Language (BSL)",
        "7654321",
        False,
    )
    assert client.get(bookings_url(bsl_case)).json()[0]["id"] == booking["id"]
    confirmed = client.post(f"{bookings_url(bsl_case)}{booking['id']}/confirm/", {}, format="json")
    assert confirmed.status_code == 200
    assert confirmed.json()["confirmed"] is True
    moved = client.post(f"/api/v1/cases/{bsl_case.reference}/transitions/schedule_activity/", {}, format="json")
    assert moved.status_code == 200, moved.content
    bsl_case.refresh_from_db()
    assert bsl_case.state == Case.State.CONFERENCING


def test_bad_input_is_a_422_naming_the_fields_and_books_nothing(api_client, bsl_case, facilitator):
    response = api_client(facilitator).post(
        bookings_url(bsl_case),
        {"party": harmed_id(bsl_case), "provider": "Signs North", "registration_number": "AB12", "confirmed": True},
        format="json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "NRCPD registration number" in error["fields"]["registration_number"][0]
    negative = api_client(facilitator).post(
        bookings_url(bsl_case), {"party": harmed_id(bsl_case), "provider": "X", "cost_pence": -1}, format="json"
    )
    assert negative.status_code == 422
    assert "cost_pence" in negative.json()["error"]["fields"]
    assert not InterpreterBooking.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("facilitator", 200),
        ("other_facilitator", 404),
        ("police_referrer", 403),
        ("other_police_referrer", 404),
        ("caseworker", 404),
    ],
)
def test_who_may_list_and_book(api_client, bsl_case, request, persona, status):
    client = api_client(request.getfixturevalue(persona))
    assert client.get(bookings_url(bsl_case)).status_code == status
    made = client.post(bookings_url(bsl_case), {"party": harmed_id(bsl_case), "provider": "Signs North"}, format="json")
    assert made.status_code == (201 if status == 200 else status)


def test_the_schema_has_the_bookings_endpoints(api_client, manager):
    paths = api_client(manager).get("/api/v1/schema/").json()["paths"]
    base = "/api/v1/cases/{reference}/activities/{activity_id}/interpreter-bookings/"
    assert set(paths[base]) >= {"get", "post"}
    assert "post" in paths[base + "{booking_id}/confirm/"]
