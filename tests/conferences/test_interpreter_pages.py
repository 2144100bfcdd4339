"""The interpreter pages and the needs flag: who may book and confirm (the case's facilitators and managers; 403
in scope, 404 outside), the journey from booking to confirming the activity, and the one flag on every page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from conferences.models import InterpreterBooking
from rjcases import services
from rjcases.models import Case
from tests.conferences.conftest import harmed
from tests.factories import OrganisationFactory, UserFactory
from tests.walk import plan_activity

PERSONAS = ["manager", "facilitator", "other_facilitator", "police_referrer", "caseworker", "other_caseworker"]


@pytest.fixture
def bsl_case(prep_case, facilitator, manager, caseworker):
    services.update_party(harmed(prep_case), manager, bsl=True, caseworker=caseworker, large_print=True)
    plan_activity(prep_case, facilitator)
    return prep_case


@pytest.fixture
def people(manager, facilitator, other_facilitator, police_referrer, caseworker):
    other_caseworker = UserFactory(
        username="caseworker2", organisation=OrganisationFactory(name="Other Victim Service"), role=roles.CASEWORKER
    )
    return dict(
        zip(
            PERSONAS,
            (manager, facilitator, other_facilitator, police_referrer, caseworker, other_caseworker),
            strict=True,
        )
    )


def pages(case, booking=None):
    activity = case.current_activity
    found = {"book": reverse("conferences:interpreter_book", args=[case.reference, activity.pk])}
    if booking is not None:
        found["confirm"] = reverse("conferences:interpreter_confirm", args=[case.reference, activity.pk, booking.pk])
    return found


#                 man  fac  ofac pol  cw   ocw
EXPECTED = {"book": (200, 200, 404, 403, 403, 404), "confirm": (200, 200, 404, 403, 403, 404)}


@pytest.mark.parametrize("page", list(EXPECTED))
def test_each_persona_gets_the_expected_status(client, bsl_case, facilitator, people, page):
    booking = InterpreterBooking.objects.create(
        activity=bsl_case.current_activity,
        party=harmed(bsl_case),
        language="British Sign Language (BSL)",
        provider="Signs North",
        booked_by=facilitator,
    )
    url = pages(bsl_case, booking)[page]
    got = []
    for persona in PERSONAS:
        client.force_login(people[persona])
        got.append(client.get(url).status_code)
        got.append(client.post(url, {}).status_code)
        client.logout()
    expected = [status for status in EXPECTED[page] for status in (status, status)]
    assert got == expected
    booking.refresh_from_db()
    assert booking.confirmed is False


def test_the_facilitator_books_confirms_and_then_confirms_the_activity(client, bsl_case, facilitator):
    client.force_login(facilitator)
    activity_url = reverse("conferences:activity", args=[bsl_case.reference])
    page = client.get(activity_url).content.decode()
    assert "Book an interpreter (British Sign Language (BSL)) for Amina Testharmed" in page
    assert 'data-need="bsl"' in page
    response = client.post(
        pages(bsl_case)["book"],
        {"party": harmed(bsl_case).pk, "provider": "Signs North", "registration_number": "12", "cost_pence": "-5"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "NRCPD registration number: 4 to 8 digits" in body
    assert "Enter the cost in pounds and pence" in body
    assert not InterpreterBooking.objects.exists()
    response = client.post(
        pages(bsl_case)["book"],
        {
            "party": harmed(bsl_case).pk,
            "provider": "Signs North",
            "registration_number": "NRCPD 1234567",
            "cost_pence": "85.50",
        },
    )
    assert response.status_code == 302
    booking = InterpreterBooking.objects.get()
    assert (booking.cost_pence, booking.registration_number, booking.confirmed) == (8550, "1234567", False)
    assert (
        "Confirm the interpreter (British Sign Language (BSL)) booked for Amina Testharmed."
        in client.get(activity_url).content.decode()
    )
    today = timezone.localdate()
    response = client.post(
        pages(bsl_case, booking)["confirm"],
        {"confirmed_on-day": today.day, "confirmed_on-month": today.month, "confirmed_on-year": today.year},
    )
    assert response.status_code == 302
    response = client.post(reverse("conferences:activity_confirm", args=[bsl_case.reference]), {"note": ""})
    bsl_case.refresh_from_db()
    assert bsl_case.state == Case.State.CONFERENCING


def test_the_needs_flag_is_on_the_case_header_the_card_and_the_forms(client, bsl_case, facilitator):
    client.force_login(facilitator)
    ref = bsl_case.reference
    for url in (
        reverse("rjcases:detail", args=[ref]),
        reverse("rjcases:timeline", args=[ref]),
        reverse("rjcases:party_detail", args=[ref, harmed(bsl_case).pk]),
        reverse("rjcases:contact_add", args=[ref]),
        reverse("conferences:preparation_add", args=[ref]),
        reverse("conferences:activity_reschedule", args=[ref, bsl_case.current_activity.pk]),
        pages(bsl_case)["book"],
    ):
        body = client.get(url).content.decode()
        assert 'data-need="bsl"' in body, url
        assert 'data-need="large_print"' in body, url
        assert "Interpreter: British Sign Language (BSL)" in body, url


def test_the_needs_flag_is_not_shown_to_those_who_may_not_see_the_persons_details(
    client, bsl_case, police_referrer, people
):
    ref = bsl_case.reference
    client.force_login(police_referrer)
    response = client.get(reverse("rjcases:detail", args=[ref]))
    assert response.status_code == 200
    assert 'data-need="bsl"' not in response.content.decode()
    # The person's own caseworker sees it: their client's needs.
    client.force_login(people["caseworker"])
    assert 'data-need="bsl"' in client.get(reverse("rjcases:detail", args=[ref])).content.decode()
